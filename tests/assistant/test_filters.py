"""Filters: parsed and checked once, the same for the CLI, the API, the UI and briefings."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.filters import Filters, parse_day
from ingest.errors import ConfigError
from ingest.scope import Scope


def test_full_dates_in_any_form_become_iso_days() -> None:
    assert Filters.parse("2017-08-01", "Aug. 31, 2017") == Filters("2017-08-01", "2017-08-31")
    assert Filters.parse("2023/01/05") == Filters(since="2023-01-05")


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("2017", "2017", ("2017-01-01", "2017-12-31")),
        ("2017-08", "2017-08", ("2017-08-01", "2017-08-31")),
        ("2016-2", "2016-02", ("2016-02-01", "2016-02-29")),  # a leap year's February
        ("2017-02", None, ("2017-02-01", "")),
    ],
)
def test_a_year_or_month_means_its_first_day_since_and_its_last_until(since: str, until: str | None, expected: tuple[str, str]) -> None:
    filters = Filters.parse(since, until)
    assert (filters.since, filters.until) == expected


def test_bad_dates_name_the_field_the_user_typed_them_in() -> None:
    with pytest.raises(ConfigError) as cli:
        Filters.parse("someday")
    assert str(cli.value) == "--since 'someday': not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"
    with pytest.raises(ConfigError) as ui:
        Filters.parse(None, "2017-13-45", fields=("From", "To"))
    assert str(ui.value).startswith("To '2017-13-45': not a date")
    with pytest.raises(ConfigError, match="--since 2017-09-01 is after --until 2017-08-01: nothing could match"):
        Filters.parse("2017-09-01", "2017-08-01")


def test_sources_one_or_many_blanks_dropped() -> None:
    assert Filters.parse(sources="Relay Wire").sources == ("Relay Wire",)
    assert Filters.parse(sources=["A", "", "B"]).sources == ("A", "B")
    assert not Filters.parse(None, "", []).active
    assert Filters.parse(sources=["A"]).active


def test_narrowed_to_a_window_and_combined_with_other_filters() -> None:
    user = Filters("2017-08-10", "", ("Relay Wire",))
    assert user.narrowed(date(2017, 8, 1), date(2017, 8, 31)) == Filters("2017-08-10", "2017-08-31", ("Relay Wire",))
    assert Filters().narrowed(date(2017, 8, 1), date(2017, 8, 31)) == Filters("2017-08-01", "2017-08-31")
    request = Filters("2017-08-01", "2017-09-30", ("Meridian Review",))
    assert request.combined(user) == Filters("2017-08-10", "2017-09-30", ("Meridian Review", "Relay Wire"))
    assert Filters().combined(Filters(until="2017-08-31")) == Filters(until="2017-08-31")


def test_in_the_index_a_filter_is_a_scope_of_day_numbers_and_lower_case_sources() -> None:
    scope = Filters("2017-08-01", "2017-08-31", ("Relay Wire",)).scope
    assert scope == Scope(20170801, 20170831, frozenset({"relay wire"}))
    assert scope.admits(20170815, "relay wire")
    assert not scope.admits(20170901, "relay wire") and not scope.admits(20170815, "other")
    assert not scope.admits(0, "relay wire")  # an undated article is outside any date range
    assert Filters().scope.unlimited and Scope().admits(0, "")


def test_the_day_a_question_is_asked() -> None:
    assert parse_day("2023/01/05", "asked") == date(2023, 1, 5)
    assert parse_day(date(2017, 8, 23), "asked") == date(2017, 8, 23)
    assert parse_day("", "asked") is None and parse_day(None, "asked") is None
    with pytest.raises(ConfigError) as bad:
        parse_day("next week", "asked")
    assert str(bad.value) == "asked 'next week': not a date (use YYYY-MM-DD)"


@pytest.mark.parametrize(
    ("typed", "since", "until"),
    [
        ("August 2017", "2017-08-01", "2017-08-31"),
        ("aug. 2017", "2017-08-01", "2017-08-31"),
        ("Sept 2017", "2017-09-01", "2017-09-30"),
        ("February, 2016", "2016-02-01", "2016-02-29"),
        ("Dec 2017", "2017-12-01", "2017-12-31"),
    ],
)
def test_a_named_month_means_its_first_and_last_day(typed: str, since: str, until: str) -> None:
    assert Filters.parse(typed, typed) == Filters(since, until)


@pytest.mark.parametrize("typed", ["Ma 2017", "Augustus 2017", "August", "Smarch 2017"])
def test_what_is_not_a_month_is_not_a_date(typed: str) -> None:
    with pytest.raises(ConfigError, match="not a date"):
        Filters.parse(typed)


def test_filters_in_words() -> None:
    assert Filters().describe() == ""
    assert Filters("2017-08-01", "2017-08-31", ("Relay Wire", "Meridian Review")).describe() == (
        "published 2017-08-01 to 2017-08-31, from Relay Wire or Meridian Review"
    )
    assert Filters(since="2017-08-01").describe() == "published on or after 2017-08-01"
    assert Filters(until="2017-08-31").describe() == "published on or before 2017-08-31"
    assert Filters("2017-08-22", "2017-08-22").describe() == "published on 2017-08-22"
