"""The user's limits on what may be cited (publication dates, sources), parsed and checked once.

CLI flags, the Python API, batch lines, the chat UI's filter boxes and briefings all build their
`Filters` with `Filters.parse`, so what one accepts every other accepts, and a bad value gets the
same one-line message naming the field the user typed it in ("--since" on the command line,
"From" in the UI).  A filter date is YYYY-MM-DD (or any full date ingest reads); a bare year or
year-month means its first day for `since` and its last day for `until`.  In the index a Filters
becomes a Scope (ingest/scope.py): the one rule the catalog, Chroma and the retriever apply.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

from ingest.dates import as_date, normalise_date, year_outside_calendar
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


def _typed_day(text: str, field: str, usage: str) -> str:
    """A year-first date a user typed, as ISO ("" when it is not of that form): any calendar
    day of years 1-9999 (ingest's plausibility window for article dates is not the user's)."""
    outside = year_outside_calendar(text)
    if outside:
        raise ConfigError(f"{field} {text!r}: {outside} ({usage})")
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
    text = str(value).strip()
    typed = _typed_day(text, field, "use YYYY-MM-DD, YYYY-MM or YYYY")
    if typed:
        return typed
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
