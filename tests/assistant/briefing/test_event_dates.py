"""Event dates: "in March", "on Tuesday", "last week" resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.briefing.event_dates import date_mentions, resolve_event_date, without_dates

PUBLISHED = "2017-08-22"  # a Tuesday


def resolved(sentence: str, published: str | None = PUBLISHED) -> tuple[str, str, str]:
    when = resolve_event_date(sentence, published)
    assert when is not None
    return when.iso, when.precision, when.basis


def test_in_march_is_the_march_before_publication_at_month_precision() -> None:
    sentence = "In March, during his first trip to Seoul, Mr. Tillerson said talks required denuclearisation."
    assert resolved(sentence) == ("2017-03", "month", "text")
    when = resolve_event_date(sentence, PUBLISHED)
    assert when and when.phrase == "In March" and when.label == "2017-03"
    assert (when.start, when.end) == (date(2017, 3, 1), date(2017, 3, 31))


def test_a_month_after_the_publication_month_is_last_year() -> None:
    assert resolved("Bills were introduced in December.", "2023-01-05") == ("2022-12", "month", "text")


def test_a_month_in_a_sentence_about_the_future_looks_forward() -> None:
    assert resolved("The chief executive will testify before Congress in March.", "2023-02-28")[0] == "2023-03"
    assert resolved("Talks could resume next March.", PUBLISHED)[0] == "2018-03"


def test_on_tuesday_is_the_tuesday_before_publication() -> None:
    sentence = "The Treasury announced new sanctions on Tuesday."
    assert resolved(sentence, "2017-08-23") == ("2017-08-22", "day", "text")  # published Wednesday
    assert resolved(sentence, "2017-08-26") == ("2017-08-22", "day", "text")  # published Saturday
    # Published on a Tuesday, "on Tuesday" is that day (same-day reporting); "last Tuesday" is not.
    assert resolved(sentence, "2017-08-22")[0] == "2017-08-22"
    assert resolved("The vote was held last Tuesday.", "2017-08-22")[0] == "2017-08-15"


def test_a_weekday_in_a_sentence_about_the_future_is_the_coming_one() -> None:
    assert resolved("The ministers will meet on Friday in Manila.", "2017-08-23")[0] == "2017-08-25"


def test_weekday_with_explicit_date_uses_the_date() -> None:
    when = resolve_event_date("Speaking on Friday, March 17, Mr. Tillerson ruled out talks.", "2017-03-18")
    assert when and when.iso == "2017-03-17" and when.phrase == "Friday, March 17"


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("The vote came on Aug. 22 after long talks.", "2017-09-01", ("2017-08-22", "day", "text")),
        ("The North tested a bomb on September 3.", "2017-09-04", ("2017-09-03", "day", "text")),
        ("The House voted on Dec. 28 to ban the app.", "2023-01-05", ("2022-12-28", "day", "text")),
        ("Joint exercises, due to start on August 21, could revive the tension.", "2017-08-16", ("2017-08-21", "day", "text")),
        ("He met them on 5 August in Manila.", "2017-08-20", ("2017-08-05", "day", "text")),
        ("It flew on March 17, 2017, officials said.", "2023-01-01", ("2017-03-17", "day", "text")),
        ("Officials spoke yesterday about the plan.", "2017-08-23", ("2017-08-22", "day", "text")),
        ("The missiles were fired last week, the ministry said.", "2017-08-23", ("2017-08-14", "week", "text")),
        ("Three weeks ago, he assured the North's leaders of their security.", "2017-08-22", ("2017-07-31", "week", "text")),
        ("Sales fell sharply last year, the company said.", "2023-02-01", ("2022", "year", "text")),
        ("The previous test took place in September 2016 at the same site.", "2017-09-04", ("2016-09", "month", "text")),
        ("Prices rose earlier this month across the country.", "2023-02-20", ("2023-02", "month", "text")),
    ],
)
def test_date_expressions(sentence: str, published: str, expected: tuple[str, str, str]) -> None:
    assert resolved(sentence, published) == expected


def test_without_a_date_in_the_text_the_publication_date_is_used() -> None:
    assert resolved("The North may launch again, analysts said.", "2017-08-23") == ("2017-08-23", "day", "published")
    when = resolve_event_date("The North may launch again, analysts said.", "2017-08-23")
    assert when and when.phrase == ""


def test_reference_dates_are_not_the_event_date() -> None:
    # "since July 28" bounds a span; "than ... in September 2016" is a comparison.
    assert resolved("North Korea has not fired a missile since its test on July 28.", "2017-08-23")[2] == "published"
    sentence = "The yield was several times larger than that of the previous test in September 2016."
    assert resolved(sentence, "2017-09-04") == ("2017-09-04", "day", "published")


def test_the_first_date_of_the_sentence_is_its_event() -> None:
    sentence = "China said on Monday, August 14, that it would enforce the sanctions passed on August 5."
    assert resolved(sentence, "2017-08-15")[0] == "2017-08-14"
    assert [m.when.iso for m in date_mentions(sentence, "2017-08-15")] == ["2017-08-14", "2017-08-05"]


def test_lower_case_month_and_weekday_words_are_not_dates() -> None:
    assert resolved("Protesters may march on the capital.", "2017-08-23")[2] == "published"


def test_undated_articles_resolve_only_absolute_dates() -> None:
    assert resolve_event_date("In March, he said so.", "") is None
    assert resolve_event_date("Nothing dated here at all.", None) is None
    assert resolved("On March 17, 2017 he said so.", None) == ("2017-03-17", "day", "text")


def test_impossible_dates_are_ignored() -> None:
    assert resolved("The deadline was February 30 for everyone.", "2017-03-10")[2] == "published"


def test_chronological_sort_key_puts_a_month_before_its_days() -> None:
    month = resolve_event_date("In March, he spoke.", PUBLISHED)
    day = resolve_event_date("On March 6 the North fired four missiles.", PUBLISHED)
    assert month and day and month.sort_key < day.sort_key and day.within(month)


def test_without_dates_blanks_dates_but_keeps_figures() -> None:
    text = without_dates("On July 28 it flew 47 minutes.")
    assert "28" not in text and "47" in text


def test_future_words_in_another_clause_do_not_move_the_date() -> None:
    sentence = "The site will become a public park, the mayor announced on Friday."
    assert resolved(sentence, "2021-06-20")[0] == "2021-06-18"
    assert resolved("The last sailing is planned for the end of June.", "2021-05-04")[0] == "2021-06"


def test_vague_spans_are_not_dates() -> None:
    assert resolved("A few weeks ago the talks collapsed.", "2017-08-22")[2] == "published"
    assert resolved("Two days ago the talks collapsed.", "2017-08-22")[0] == "2017-08-20"
    assert resolved("Imports are capped from January under the deal.", "2017-09-12")[2] == "published"


# Each kind of relative date, resolved against publication (2023-02-05 is a Sunday).
@pytest.mark.parametrize(
    ("sentence", "published", "expected", "phrase"),
    [
        # a weekday alone: the latest such day on or before publication (the balloon example)
        ("An Air Force jet shot down the balloon off the coast Saturday afternoon.", "2023-02-05", "2023-02-04", "Saturday"),
        ("The House voted on Monday to censure him.", "2023-02-08", "2023-02-06", "on Monday"),
        ("The House voted on Monday to censure him.", "2023-02-06", "2023-02-06", "on Monday"),  # same-day report
        ("Officials briefed senators late on Thursday about the debris.", "2023-02-05", "2023-02-02", "late on Thursday"),
        ("The vote was held last Friday after a long debate.", "2023-02-10", "2023-02-03", "last Friday"),
        # days
        ("The mayor spoke yesterday at the memorial.", "2023-02-05", "2023-02-04", "yesterday"),
        ("The bridge reopened today after repairs.", "2023-02-05", "2023-02-05", "today"),
        ("The Air Force shot down the balloon nine days ago off the coast.", "2023-02-13", "2023-02-04", "nine days ago"),
        ("Divers found the recorder 3 days ago, officials said.", "2023-02-05", "2023-02-02", "3 days ago"),
        # weeks (precision week: the Monday is shown as "week of")
        ("Protests spread across the country last week.", "2023-02-05", "2023-01-23", "last week"),
        ("The senators met this week to discuss the bill.", "2023-02-09", "2023-02-06", "this week"),
        ("Two weeks ago, the council approved the plan.", "2023-02-20", "2023-02-06", "Two weeks ago"),
        # months and years
        ("Prices fell earlier this month across the state.", "2023-02-20", "2023-02", "earlier this month"),
        ("The company cut 10,000 jobs last month.", "2023-02-05", "2023-01", "last month"),
        ("The ferry passed its last inspection in March.", "2023-02-05", "2022-03", "in March"),
        ("Sales rose sharply last year, the company said.", "2023-02-05", "2022", "last year"),
        # dates without a year: the year nearest publication
        ("A Feb. 4 post claimed the balloon was harmless.", "2023-02-15", "2023-02-04", "Feb. 4"),
        ("The bill was signed on Dec. 29 by the president.", "2023-01-05", "2022-12-29", "Dec. 29"),
    ],
)
def test_each_kind_of_relative_date(sentence: str, published: str, expected: str, phrase: str) -> None:
    when = resolve_event_date(sentence, published)
    assert when is not None and when.basis == "text"
    assert (when.iso, when.phrase) == (expected, phrase)
    assert when.start <= date.fromisoformat(published)  # a past event is never after its article


def test_a_sentence_about_the_future_resolves_after_publication() -> None:
    # The briefing keeps such a plan off the timeline and dates it by publication (test_events.py).
    when = resolve_event_date("The council will vote on Friday on the ferry contract.", "2023-02-05")
    assert when is not None and when.iso == "2023-02-10" and when.start > date(2023, 2, 5)


def test_a_full_stop_after_a_month_is_not_part_of_the_phrase() -> None:
    when = resolve_event_date("The ferry passed its last safety inspection in March.", "2023-02-05")
    assert when is not None and when.phrase == "in March"
