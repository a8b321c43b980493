"""The user's limits on what may be cited (publication dates, sources), parsed and checked once.

CLI flags, the Python API, batch lines, the chat UI's filter boxes and its /ask API, the MCP and
/v1 faces and briefings all read what a user typed through one `DateReader` (the Assistant's
`dates`), so what one accepts every other accepts, an ambiguous "03/04/2017" is read in the
index's NEWSDESK_DATE_ORDER everywhere, and a bad value gets the same one-line message naming the
field the user typed it in ("--since" on the command line, "From" in the UI).  A filter date is YYYY-MM-DD (or any full date ingest reads); a bare year, a
year-month or a named month ("August 2017", "Aug 2017") means its first day for `since` and its
last day for `until`.  In the index a Filters becomes a Scope (ingest/scope.py): the one rule the
catalog, Chroma and the retriever apply.
"""

from __future__ import annotations

import calendar
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from typing import Iterator

from ingest.dates import as_date, date_order, normalise_date, year_outside_calendar
from ingest.errors import ConfigError
from ingest.scope import Scope

CLI_FIELDS = ("--since", "--until")  # how the fields are named in messages, by default


def parse_day(value: str | date | None, field: str) -> date | None:
    """A full calendar day (the date a question is asked), None when not given; a value that is
    not a date is a ConfigError naming the field."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        typed = _typed_day(value.strip(), field, "use YYYY-MM-DD")
        if typed:
            return date.fromisoformat(typed)
    day = as_date(value)
    if day is None:
        raise ConfigError(f"{field} {value!r}: not a date (use YYYY-MM-DD)")
    return day


def _typed_day(text: str, field: str, usage: str, typed: str = "") -> str:
    """A year-first date a user typed, as ISO ("" when it is not of that form): any calendar
    day of years 1-9999 (ingest's plausibility window for article dates is not the user's).
    Messages quote `typed` (what the user wrote, e.g. "Aug 0000") when `text` is a rewrite of it."""
    outside = year_outside_calendar(text)
    if outside:
        raise ConfigError(f"{field} {typed or text!r}: {outside} ({usage})")
    full = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not full:
        return ""
    try:
        return date(int(full[1]), int(full[2]), int(full[3])).isoformat()
    except ValueError:
        raise ConfigError(f"{field} {text!r}: not a date (no such calendar day)") from None


def date_bound(value: str | None, field: str, first: bool) -> str:
    """A filter date as ISO ('' when not given); a bare year or year-month means its first day
    (`first`, for since) or last day (for until)."""
    if not value:
        return ""
    text = _month_year(str(value).strip())
    day = _typed_day(text, field, "use YYYY-MM-DD, YYYY-MM or YYYY", typed=str(value).strip())
    if day:
        return day
    partial = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", text)
    if partial:
        year, month = int(partial.group(1)), int(partial.group(2) or (1 if first else 12))
        if 1 <= month <= 12:
            day = 1 if first else calendar.monthrange(year, month)[1]
            return date(year, month, day).isoformat()
    normal = normalise_date(text)
    if not normal:
        raise ConfigError(f"{field} {value!r}: not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
    return normal


_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")  # fmt: skip
_MONTH_YEAR = re.compile(r"([A-Za-z]{3,9})\.?,?\s+(\d{4})")


def _month_year(text: str) -> str:
    """"August 2017" / "Aug. 2017" -> "2017-08" (then read like any year-month); other text as is.
    A month name is its full English name or a prefix of 3+ letters of it ("Sept", "Dec")."""
    named = _MONTH_YEAR.fullmatch(text)
    if not named:
        return text
    key = named[1].lower()
    month = next((n for n, name in enumerate(_MONTH_NAMES, start=1) if name.startswith(key)), 0)
    return f"{named[2]}-{month:02d}" if month else text


def _source_names(sources: object) -> tuple[str, ...]:
    """Publication names from one name or a list of them (a batch line may hold anything)."""
    if isinstance(sources, str):
        return (sources,)
    if not sources:
        return ()
    if isinstance(sources, (list, tuple, set, frozenset)) and all(isinstance(s, str) for s in sources):
        return tuple(sources)
    raise ConfigError(f"source {sources!r}: give a publication name or a list of names")


def _later(a: str, b: str) -> str:
    return max(a, b) if a and b else a or b


def _earlier(a: str, b: str) -> str:
    return min(a, b) if a and b else a or b


@dataclass(frozen=True)
class Filters:
    """What may be cited: articles published `since`..`until` (ISO, '' for open) from `sources`
    (publication names; empty for all)."""

    since: str = ""
    until: str = ""
    sources: tuple[str, ...] = ()

    @classmethod
    def parse(
        cls,
        since: str | None = None,
        until: str | None = None,
        sources: object = (),
        fields: tuple[str, str] = CLI_FIELDS,
    ) -> "Filters":
        """Checked filters from what a user typed; `fields` names the two date fields in messages."""
        names = _source_names(sources)
        lower, upper = date_bound(since, fields[0], first=True), date_bound(until, fields[1], first=False)
        if lower and upper and lower > upper:
            raise ConfigError(f"{fields[0]} {lower} is after {fields[1]} {upper}: nothing could match")
        return cls(lower, upper, tuple(str(s) for s in names if s))

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.sources)

    def describe(self) -> str:
        """The filters in words, for people ("published 2017-08-01 to 2017-08-31, from Relay Wire");
        "" when there are none.  Every face says the same thing about the same filters."""
        parts = []
        if self.since and self.until:
            parts.append(f"published on {self.since}" if self.since == self.until else f"published {self.since} to {self.until}")
        elif self.since or self.until:
            parts.append(f"published on or after {self.since}" if self.since else f"published on or before {self.until}")
        if self.sources:
            parts.append("from " + " or ".join(self.sources))
        return ", ".join(parts)

    @property
    def scope(self) -> Scope:
        """These filters in the index's terms (publication day numbers, lower-cased sources)."""
        return Scope.of(self.since, self.until, self.sources)

    def narrowed(self, start: date, end: date) -> "Filters":
        """These filters intersected with a date window."""
        return replace(self, since=_later(self.since, start.isoformat()), until=_earlier(self.until, end.isoformat()))

    def combined(self, other: "Filters") -> "Filters":
        """Where both filters' dates overlap, from the sources either allows."""
        return Filters(
            _later(self.since, other.since),
            _earlier(self.until, other.until),
            tuple(dict.fromkeys([*self.sources, *other.sources])),
        )


@dataclass(frozen=True)
class DateReader:
    """How the dates people type are read for one index: the one path every face takes.

    A numeric date with the year last is ambiguous ("03/04/2017" is 4 March month first, 3 April
    day first).  The index's NEWSDESK_DATE_ORDER (ingest's `Settings.day_first`, the rule ingest
    applied to the articles' own dates) decides, so a filter typed the way the archive writes its
    dates means what the user meant, in the CLI, the UI's boxes, MCP, /v1 and briefing phrases
    ("brief me on X since 01/09/2017") alike.  Year-first dates are read the same either way.
    """

    day_first: bool = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Within the block every ambiguous date (ingest.dates) is read in this order."""
        with date_order(self.day_first):
            yield

    def filters(
        self, since: str | None = None, until: str | None = None, sources: object = (), fields: tuple[str, str] = CLI_FIELDS
    ) -> Filters:
        """`Filters.parse` in this order."""
        with self.reading():
            return Filters.parse(since, until, sources, fields)

    def day(self, value: str | date | None, field: str) -> date | None:
        """`parse_day` in this order (the date a question is asked)."""
        with self.reading():
            return parse_day(value, field)
