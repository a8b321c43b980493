"""normalise_date: full calendar days in, "" for anything partial or not a date."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from ingest.dates import normalise_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023/01/05", "2023-01-05"),  # RealTime QA
        ("2017-08-22", "2017-08-22"),
        ("2017-08-22T10:00:00Z", "2017-08-22"),
        ("2017-08-22T10:00:00.000+09:00", "2017-08-22"),
        ("2017-08-22 10:00:00+02:00", "2017-08-22"),
        ("2017-08-22T23:30:00-05:00", "2017-08-22"),  # the stated day, not the UTC day
        ("26-FEB-1987 15:01:01.79", "1987-02-26"),  # Reuters
        ("27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM", "1987-03-27"),  # Reuters, with SGML junk
        ("27-MAR-1987 02:17:09.88&#5;&#5;&#5;T C", "1987-03-27"),
        ("31-MAR-1987 605:12:19.12", "1987-03-31"),  # Reuters, garbled time
        ("August 22, 2017", "2017-08-22"),
        ("Aug 22 2017", "2017-08-22"),
        ("Aug. 22, 2017", "2017-08-22"),
        ("Sept. 3, 2017", "2017-09-03"),
        ("22 August 2017", "2017-08-22"),
        ("Tue, 22 Aug 2017 14:00:00 GMT", "2017-08-22"),  # RFC 2822
        ("Tuesday, August 22, 2017 10:00 AM ET", "2017-08-22"),  # unknown zone name
        ("20170822", "2017-08-22"),
        ("  2017-08-22  ", "2017-08-22"),
        (1503403200, "2017-08-22"),  # epoch seconds
        (1503403200000, "2017-08-22"),  # epoch milliseconds
        (1503403200.5, "2017-08-22"),
        ("1503403200", "2017-08-22"),
        (20170822, "2017-08-22"),
        (date(2017, 8, 22), "2017-08-22"),
        (datetime(2017, 8, 22, 23, 59), "2017-08-22"),
        (datetime(2017, 8, 22, 23, 30, tzinfo=timezone(timedelta(hours=-5))), "2017-08-22"),
    ],
)
def test_full_dates_become_iso_days(value: object, expected: str) -> None:
    assert normalise_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "August 2017",  # no day: never invent the 1st
        "Aug 2017",
        "2017",
        "2017-08",
        "August 22",  # no year
        "Tuesday",
        "10:00",
        "1",
        2017,  # a year as a number, not epoch seconds
        "yesterday",
        "n/a",
        "N/A",
        "unknown",
        "",
        "   ",
        None,
        True,
        float("nan"),
        0,
        -1,
        [],
        {"date": "2017-08-22"},
        "2017-02-30",  # no such day
        "32 August 2017",
        "0001-01-01",  # placeholder, not news
        "a" * 500,
    ],
)
def test_partial_or_nonsense_dates_are_unknown(value: object) -> None:
    assert normalise_date(value) == ""


def test_two_digit_noise_is_not_read_as_a_date() -> None:
    # dateutil alone would fill a lone day number in from its default year and month.
    assert normalise_date("22") == ""
    assert normalise_date("Aug 22") == ""
