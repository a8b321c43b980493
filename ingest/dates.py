"""Publication dates as ISO calendar days, or "" when the source does not state a full day.

Briefings sort and filter by date, so a wrong date is worse than a missing one: we never invent a
day or a month ("August 2017" stays unknown), and we keep the calendar date the source states
rather than converting it to another time zone ("2017-08-22 23:30-05:00" is the 22nd).

Numeric dates with the year last are ambiguous: "03/04/2017" is 4 March in the US and 3 April
almost everywhere else.  The rule: month first by default (as US outlets, feeds and dateutil
write them); `NEWSDESK_DATE_ORDER=day-first` reads them day first, for archives from the rest of
the world (ingest applies it with `date_order`).  Either way a date that can only be read one way
("13/04/2017", "04/13/2017") is read that way.  Year-first dates ("2017-04-03") are never
ambiguous.  A year outside 1-9999 is not a calendar year at all: `year_outside_calendar` names
it for the messages of every place a user types a date.
"""

from __future__ import annotations

import math
import re
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timezone
from typing import Iterator

from dateutil import parser as dateutil_parser

# Years outside this window come from misparses (a bare number read as a year), not from news.
_EARLIEST_YEAR = 1800
_LATEST_YEAR = 2199

# Anything longer is prose, not a date; dateutil also gets slow on long strings.
_MAX_DATE_TEXT = 100

# Epoch numbers: below 1e8 s (1973) a number is a count or an id, not a timestamp; from 1e11 on
# it is milliseconds (1e11 s would be the year 5138).
_MIN_EPOCH_SECONDS = 100_000_000
_MIN_EPOCH_MILLIS = 100_000_000_000
_MAX_EPOCH_MILLIS = 100_000_000_000_000

# dateutil fills whatever the text leaves out from `default`.  Parsing with two defaults that
# differ in year, month and day, and requiring the same answer, proves the text stated all three.
_DEFAULTS = (datetime(1904, 1, 1), datetime(1908, 2, 28))

# Once a full day is stated, what follows (a time, a zone, Reuters' occasional garbled
# "605:12:19.12") cannot change it, so it is not parsed.
_AFTER_DAY = r"(?:[\sT,].*)?"
_ISO_DAY = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _AFTER_DAY)
_COMPACT_DAY = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DIGITS = re.compile(r"\d+")
# The commonest named-month forms, read without dateutil (which costs ~0.25 ms per call, twice):
# "26-FEB-1987 15:01:01.79" (Reuters), "22 August 2017", "August 22, 2017", "Aug. 22 2017".
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[- ]([A-Za-z]{3,9})\.?[- ](\d{4})" + _AFTER_DAY)
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})" + _AFTER_DAY)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# Reuters-21578 ends some dates with SGML junk ("27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM"); a
# control character, raw or as a character reference, cannot be part of a date, so the date is
# whatever comes before it.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|&#0*(?:[0-9]|[12][0-9]|3[01]|127);")


_DAY_FIRST: ContextVar[bool] = ContextVar("newsdesk_day_first", default=False)
_LEADING_YEAR = re.compile(r"\s*(-?\d+)(?:[-/.]\d{1,2}){0,2}\s*")


@contextmanager
def date_order(day_first: bool) -> Iterator[None]:
    """Read ambiguous numeric dates day first (True) or month first within the block."""
    token = _DAY_FIRST.set(day_first)
    try:
        yield
    finally:
        _DAY_FIRST.reset(token)


def year_outside_calendar(text: str) -> str:
    """Why a typed year-first date cannot be a date ("year 0 is outside 1-9999"), else ""."""
    match = _LEADING_YEAR.fullmatch(text or "")
    if not match:
        return ""
    digits = match.group(1).lstrip("-")
    year = int(match.group(1))
    if (len(digits) >= 4 or year <= 0) and not 1 <= year <= 9999:
        return f"year {year} is outside 1-9999"
    return ""


def normalise_date(value: object) -> str:
    """Return `value` as "YYYY-MM-DD", or "" when it is unknown, partial or not a date.

    Accepts strings in the usual news formats (ISO 8601, "2023/01/05", RFC 2822, Reuters'
    "26-FEB-1987 15:01:01.79", "August 22, 2017", "20170822"), `date`/`datetime` objects, and
    epoch seconds or milliseconds as numbers.
    """
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, datetime):
        return _checked(value.date())
    if isinstance(value, date):
        return _checked(value)
    if isinstance(value, int):
        return _from_number(value)
    if isinstance(value, float):
        return _from_epoch(value) if math.isfinite(value) else ""
    if isinstance(value, str):
        return _from_text(_CONTROL.split(value, maxsplit=1)[0].strip())
    return ""


def as_date(value: object) -> date | None:
    """`value` as a calendar day (any form `normalise_date` reads), or None when it states none."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    iso = normalise_date(value)
    return date.fromisoformat(iso) if iso else None


def _from_text(text: str) -> str:
    if not text or len(text) > _MAX_DATE_TEXT:
        return ""
    if _DIGITS.fullmatch(text):
        return _from_number(int(text))
    # Year-first numeric dates are unambiguous; reading them directly also keeps the stated day
    # of "2017-08-22T23:30:00-05:00" whatever the zone.
    iso = _ISO_DAY.fullmatch(text)
    if iso:
        return _from_parts(int(iso[1]), int(iso[2]), int(iso[3]))
    named = _DAY_MONTH_YEAR.fullmatch(text)
    if named and named[2].lower() in _MONTHS:
        return _from_parts(int(named[3]), _MONTHS[named[2].lower()], int(named[1]))
    named = _MONTH_DAY_YEAR.fullmatch(text)
    if named and named[1].lower() in _MONTHS:
        return _from_parts(int(named[3]), _MONTHS[named[1].lower()], int(named[2]))
    return _from_dateutil(text)


def _from_dateutil(text: str) -> str:
    days = set()
    for default in _DEFAULTS:
        try:
            # The zone is irrelevant to the calendar date we keep; ignoring it via tzinfos also
            # stops dateutil warning about (and, in future versions, failing on) names like "ET".
            parsed = dateutil_parser.parse(text, default=default, tzinfos=_ignore_zone, dayfirst=_DAY_FIRST.get())
        except (ValueError, OverflowError):
            return ""
        days.add(parsed.date())
    if len(days) != 1:
        return ""
    return _checked(days.pop())


def _ignore_zone(name: str | None, offset: int | None) -> None:
    return None


def _from_number(number: int) -> str:
    compact = _COMPACT_DAY.fullmatch(str(number))
    if compact:
        return _from_parts(int(compact[1]), int(compact[2]), int(compact[3]))
    return _from_epoch(number)


def _from_epoch(number: float) -> str:
    if number < _MIN_EPOCH_SECONDS or number >= _MAX_EPOCH_MILLIS:
        return ""
    seconds = number / 1000 if number >= _MIN_EPOCH_MILLIS else number
    try:
        moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return ""
    return _checked(moment.date())


def _from_parts(year: int, month: int, day: int) -> str:
    try:
        return _checked(date(year, month, day))
    except ValueError:
        return ""


def _checked(day: date) -> str:
    if not _EARLIEST_YEAR <= day.year <= _LATEST_YEAR:
        return ""
    return day.isoformat()
