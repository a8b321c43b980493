"""Time words in questions -> date windows, resolved against an anchor date, never today's clock."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.periods import Period, find_period, mentions_month

NOV_30 = date(2017, 11, 30)  # the sample archive's newest article


def window(question: str, anchor: date = NOV_30) -> tuple[str, str]:
    period = find_period(question, anchor)
    assert period is not None, question
    return period.start.isoformat(), period.end.isoformat()


def test_a_month_without_a_year_is_the_latest_such_month_on_or_before_the_anchor() -> None:
    period = find_period("What did Tillerson require in March?", NOV_30)
    assert period == Period("in march", date(2017, 3, 1), date(2017, 3, 31), 3, False)
    assert period.month_name == "March"
    assert window("What happened in December?", date(2017, 2, 10)) == ("2016-12-01", "2016-12-31")
    assert window("What happened in February?", date(2017, 2, 10)) == ("2017-02-01", "2017-02-28")


def test_a_month_with_a_year_is_that_month_whatever_the_anchor() -> None:
    period = find_period("What did the Security Council ban in August 2017?", date(2023, 1, 1))
    assert period is not None and period.year_given and period.month == 8
    assert (period.start, period.end) == (date(2017, 8, 1), date(2017, 8, 31))
    assert window("Sales in Feb. of 2016?") == ("2016-02-01", "2016-02-29")


@pytest.mark.parametrize(
    ("question", "anchor", "expected"),
    [
        ("What did North Korea test last summer?", NOV_30, ("2017-06-01", "2017-08-31")),
        ("What did they do last summer?", date(2017, 7, 15), ("2016-06-01", "2016-08-31")),  # this one is under way
        ("What happened this summer?", date(2017, 7, 15), ("2017-06-01", "2017-08-31")),
        ("Who won last winter?", date(2017, 3, 1), ("2016-12-01", "2017-02-28")),
        ("Who won this winter?", date(2017, 1, 10), ("2016-12-01", "2017-02-28")),
        ("What changed in 2016?", NOV_30, ("2016-01-01", "2016-12-31")),
        ("What happened this week?", NOV_30, ("2017-11-20", "2017-12-01")),  # a few days of slack
        ("What happened last week?", NOV_30, ("2017-11-13", "2017-11-26")),
        ("What did the mayor say recently?", NOV_30, ("2017-11-20", "2017-12-01")),
    ],
)
def test_relative_periods(question: str, anchor: date, expected: tuple[str, str]) -> None:
    assert window(question, anchor) == expected


def test_may_the_verb_is_not_a_month_but_in_may_is() -> None:
    assert find_period("What may happen to the ferry?", NOV_30) is None
    assert window("What happened in May?") == ("2017-05-01", "2017-05-31")


def test_no_time_words_no_period() -> None:
    assert find_period("Who did the new sanctions target?", NOV_30) is None


def test_a_period_contains_its_own_days_only() -> None:
    period = find_period("in March", NOV_30)
    assert period is not None
    assert period.contains(date(2017, 3, 31)) and not period.contains(date(2017, 4, 1))


def test_a_passage_that_names_the_month_as_a_time() -> None:
    assert mentions_month("In his first trip to Seoul, in March, Mr. Tillerson said ...", 3)
    assert mentions_month("The vote is set for March 3.", 3)
    assert not mentions_month("Thousands joined the march on Washington.", 3)
    assert not mentions_month("In April the talks resumed.", 3)
