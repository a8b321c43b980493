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
