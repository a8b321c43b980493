"""Time words in questions -> a date window to prefer ("in March", "last spring", "this week").

The rule (also in docs/retrieval.md): a period named in a question is resolved against an
*anchor* date, never against today's clock.  The anchor is the date the question was asked when
known (`asked`, e.g. in the news-quiz set) and otherwise the newest publication date in the
archive, because "last spring" means the spring before the news the reader is looking at.
A month without a year ("in March") is the latest such month on or before the anchor; evidence
is also preferred when its text itself says "in March", whatever the year, since articles often
describe earlier events ("In his first trip to Seoul, in March, ...").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from typing import Sequence

from assistant.text import content_words, stem

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted((m for m in MONTHS if len(m) > 2 or m == "may"), key=len, reverse=True))
SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2)}
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}


@dataclass(frozen=True)
class Period:
    """A resolved window named in a question."""

    phrase: str
    start: date
    end: date
    month: int | None = None  # a month named without a year: also match text that names it
    year_given: bool = False
    kind: str = "calendar"  # "calendar" (a month, season, year), "relative" (last week), "vague" (recently)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def explicit(self) -> bool:
        """A period the question states ("in March 2023", "last week"): the evidence must come from
        it.  Vague time words ("recently", "on Tuesday") only make evidence from then preferred."""
        return self.kind != "vague"

    @property
    def label(self) -> str:
        """How to name the period to a reader: "June 2023", "summer 2017", "2016", "last week"."""
        if self.kind != "calendar":
            return self.phrase
        if self.month and self.start.month == self.end.month and self.start.year == self.end.year:
            return f"{calendar.month_name[self.month]} {self.start.year}"
        if self.start.year == self.end.year and (self.start.month, self.end.month) == (1, 12):
            return str(self.start.year)
        season = next((name for name, (first, last) in SEASONS.items() if (first, last) == (self.start.month, self.end.month)), "")
        return f"{season} {self.start.year}" if season else self.phrase

    @property
    def month_name(self) -> str:
        return calendar.month_name[self.month] if self.month else ""


def month_window(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _latest_month(month: int, anchor: date) -> int:
    """Year of the latest `month` on or before the anchor."""
    return anchor.year if month <= anchor.month else anchor.year - 1


def _season(name: str, anchor: date, which: str) -> tuple[date, date]:
    """The latest such season that has begun by the anchor; "last" skips one still under way."""
    first, last = SEASONS[name]
    year = anchor.year if anchor.month >= first else anchor.year - 1
    if which == "last" and anchor <= _season_end(year, first, last):
        year -= 1
    return date(year, first, 1), _season_end(year, first, last)


def _season_end(year: int, first: int, last: int) -> date:
    end_year = year + (1 if last < first else 0)
    return date(end_year, last, calendar.monthrange(end_year, last)[1])


def find_period(question: str, anchor: date) -> Period | None:
    """The first time expression in the question, resolved against the anchor; None if none."""
    q = question.lower()
    match = re.search(rf"\b({_MONTH_RE})\.?,?\s+(?:of\s+)?((?:19|20)\d\d)\b", q)
    if match:
        month, year = MONTHS[match.group(1)], int(match.group(2))
        start, end = month_window(year, month)
        return Period(match.group(0), start, end, month, True)
    match = re.search(rf"\b(?:in|during|since|by|from|early|late|mid|last|this|of|around|until)\s+(?:-\s*)?({_MONTH_RE})\b", q)
    if match and not (match.group(1) == "may" and not re.search(r"\b(in|during|since|by|of|last|this)\s+may\b", q)):
        month = MONTHS[match.group(1)]
        start, end = month_window(_latest_month(month, anchor), month)
        return Period(match.group(0), start, end, month, False)
    match = re.search(r"\b(last|this|past)\s+(spring|summer|fall|autumn|winter)\b", q)
    if match:
        start, end = _season(match.group(2), anchor, match.group(1))
        return Period(match.group(0), start, end)
    match = re.search(r"\b(?:in|during|of|since)\s+((?:19|20)\d\d)\b", q)
    if match:
        year = int(match.group(1))
        return Period(match.group(0), date(year, 1, 1), date(year, 12, 31), None, True)
    match = re.search(r"\b(this|last|past|previous)\s+(week|month|year)\b", q)
    if match:
        which, unit = match.groups()
        span = {"week": 7, "month": 31, "year": 366}[unit]
        if which == "this":
            return Period(match.group(0), anchor - timedelta(days=span + 3), anchor + timedelta(days=1), kind="relative")
        return Period(match.group(0), anchor - timedelta(days=2 * span + 3), anchor - timedelta(days=span - 3), kind="relative")
    match = re.search(r"\b(recently|lately|latest|yesterday|today|on (monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", q)
    if match:
        return Period(match.group(0), anchor - timedelta(days=10), anchor + timedelta(days=1), kind="vague")
    return None


def words_besides(period: Period | None, text: str) -> list[str]:
    """The text's content words without those of its time phrase: time words steer by date, not
    by vocabulary ("march" must not match every March story)."""
    period_words = set(content_words(period.phrase)) if period else set()
    return [t for t in content_words(text) if t not in period_words]


def mentions_month(text: str, month: int) -> bool:
    """True when the passage itself names that month as a time ("in March", "March 3")."""
    name = calendar.month_name[month]
    pattern = rf"\b(?:in|since|during|by|until|early|late|mid-?|last|this|on)\s+{name}\b|\b{name}\s+\d{{1,2}}\b"
    return re.search(pattern, text) is not None


def mentions_period(text: str, period: Period, near: Sequence[str] = ()) -> bool:
    """True when the text names a calendar period as such: "January 2023", "March 14, 2023" (the
    month with its year), "2009" (a year), "summer of 2017".  Reports about a period are often
    published after it ("CPI for January 2023", a list of Super Bowl winners); relative periods
    ("last week") cannot be named.  With `near` (the question's words), the mention must have two
    of them (one for a question of two words or fewer) within 150 characters: "mayor since 2019"
    does not make a story about 2019."""
    if period.kind != "calendar":
        return False
    year = str(period.start.year)
    if period.month:
        names = f"{calendar.month_name[period.month]}|{calendar.month_abbr[period.month]}\\.?"
        pattern = rf"\b(?:{names})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?\s+(?:of\s+)?{year}\b"
    else:
        season = next((name for name, (first, last) in SEASONS.items() if (first, last) == (period.start.month, period.end.month)), "")
        seasonal = season and (period.start.month, period.end.month) != (1, 12)
        pattern = rf"(?i:\b{season}\s+(?:of\s+)?){year}\b" if seasonal else rf"\b{year}\b"
    wanted = {stem(w) for w in near}
    need = 1 if len(wanted) <= 2 else 2
    for match in re.finditer(pattern, text):
        if not wanted:
            return True
        around = text[max(0, match.start() - 150) : match.end() + 150]
        if len(wanted & {stem(w) for w in content_words(around)}) >= need:
            return True
    return False
