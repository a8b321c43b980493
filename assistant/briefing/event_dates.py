"""When did it happen?  The date a sentence's event took place, resolved against publication.

News rarely dates its events in full: "on Tuesday", "in March", "last week", "Aug. 22".  Each of
those is resolved against the article's publication date, the way a reader of that day's paper
would (the rule assistant/periods.py applies to questions, with the publication date as anchor):

- a full date ("March 17, 2017", "2017-03-17", "22 August 2017") is taken as written;
- a month and day without a year ("Aug. 22", "September 3") get the year that puts them
  nearest to publication (an August 21 exercise mentioned on August 16 is this year's);
- a month without a day ("in March", "late July") is the latest such month on or before
  publication, at month precision; "next March", or a sentence about the future ("will testify
  in March"), looks forward instead;
- a weekday ("on Tuesday") is the latest such day on or before publication, or the next one
  when the sentence speaks of the future ("will meet on Friday"); "last Tuesday" skips the
  publication day itself;
- "yesterday", "today", "tomorrow", "last week", "this month", "last year", "three weeks ago".

The first date mention of the sentence is its event date, except a reference point: the edge of
a span ("since July 28", "until early September", "from January", "for the rest of this year")
or a comparison ("larger than that of the test in September 2016"), which only counts when
nothing else does.  Without any mention the event date is the publication date; an
`EventDate.basis` of "text" or "published" says which.  Nothing is invented: without a
publication date only a mention that carries its own year resolves.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ingest.dates import as_date

PRECISIONS = ("day", "week", "month", "year")

_MONTH_NUMBERS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTH_NUMBERS[calendar.month_name[_number]] = _number
    _MONTH_NUMBERS[calendar.month_abbr[_number]] = _number
_MONTH_NUMBERS["Sept"] = 9
_WEEKDAY_NUMBERS = {calendar.day_name[i]: i for i in range(7)}

# Month and weekday names are matched capitalised only: "march" and "may" are also verbs.
_MONTH = "(?P<month>" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = "(?P<weekday>" + "|".join(_WEEKDAY_NUMBERS) + ")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_COUNT = r"(?P<count>\d{1,2}|" + "|".join(_NUMBER_WORDS) + ")"

# (kind, priority, pattern): where two mentions overlap, the lower priority number wins.
_PATTERNS: list[tuple[str, int, re.Pattern[str]]] = [
    ("iso", 0, re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("month_day_year", 0, re.compile(rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY},?\s+{_YEAR}\b")),
    ("day_month_year", 0, re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b")),
    ("month_day", 1, re.compile(rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}\b(?![\d,]*\d)")),
    ("day_month", 1, re.compile(rf"\b{_DAY}\s+{_MONTH}(?!\w)")),
    ("month_year", 2, re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b")),
    (
        "month",
        3,
        re.compile(
            r"\b(?P<lead>(?i:in|since|by|during|until|through|from|last|this|next|early|late|mid-?|"
            r"the end of|the beginning of|the start of))\s+(?:(?i:early|late|mid-?)\s*)?" + _MONTH + r"(?!\w)"
        ),
    ),
    ("weekday", 4, re.compile(rf"\b(?:(?P<lead>(?i:last|next|this|on|late on|early on))\s+)?{_WEEKDAY}\b")),
    (
        "relative_day",
        5,
        re.compile(r"\b(?P<word>(?i:yesterday|today|tonight|tomorrow|this morning|this afternoon|this evening))\b"),
    ),
    (
        "relative_span",
        5,
        re.compile(r"\b(?P<which>(?i:last|this|next|earlier this|later this|past))\s+(?P<unit>week|month|year)\b"),
    ),
    # Only counted spans: "a few weeks ago" and "several days ago" are too vague to date.
    ("ago", 6, re.compile(rf"\b{_COUNT}\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)),
    ("year", 7, re.compile(rf"\b(?i:in|during|early|late|mid-?|since|until|by)\s+(?:(?i:early|late|mid-?)\s*)?{_YEAR}\b(?!-)")),
]

# A mention that is a reference point rather than when the reported event happened: the edge
# of a span ("has not fired since July 28", "for the rest of this year", "from January") or a
# comparison ("larger than that of the test in September 2016").
_REFERENCE = re.compile(
    r"(?:\b(?:since|until|till|through|than|compared (?:with|to))\b[^,;:.!?]{0,60}"
    r"|\b(?:from|the rest of)\s+)$",
    re.I,
)
# A weekday or month in a clause about the future ("will meet on Friday") is the coming one; the
# clause ends at a comma, so "X will happen, the mayor announced on Friday" stays in the past.
_FUTURE = re.compile(
    r"\b(?:will|shall|is due|are due|due to|is set to|are set to|is scheduled|are scheduled|scheduled to|"
    r"plans? to|planned for|planning to|is expected to|are expected to|were expected to|next)\b[^.;,]{0,120}$",
    re.I,
)


@dataclass(frozen=True)
class EventDate:
    """The span an event took place in, how precisely the text dates it, and where that came from.

    `basis` is "text" when words of the sentence gave the date (`phrase` holds them) and
    "published" when it is the article's publication date.
    """

    start: date
    end: date
    precision: str  # "day" | "week" | "month" | "year"
    basis: str  # "text" | "published"
    phrase: str = ""

    @property
    def iso(self) -> str:
        """The date at its precision: 2017-08-22 (day; a week gives its Monday), 2017-03, 2017."""
        if self.precision == "month":
            return self.start.strftime("%Y-%m")
        if self.precision == "year":
            return str(self.start.year)
        return self.start.isoformat()

    @property
    def label(self) -> str:
        """How a reader sees it: "2017-08-22", "week of 2017-08-14", "2017-03", "2017"."""
        return f"week of {self.iso}" if self.precision == "week" else self.iso

    @property
    def sort_key(self) -> tuple[date, int]:
        """Chronological order; a coarse date sorts before the precise dates inside it."""
        return self.start, -PRECISIONS.index(self.precision)

    def within(self, other: "EventDate") -> bool:
        """True when this span lies inside the other's (2017-03-17 within 2017-03)."""
        return other.start <= self.start and self.end <= other.end


@dataclass(frozen=True)
class DateMention:
    """One date expression found in a sentence, already resolved."""

    when: EventDate
    at: int  # offset of the mention in the sentence
    end: int
    reference: bool  # a span edge or point of comparison, not the event's own date


def publication_event(published: str | date | None) -> EventDate | None:
    day = as_date(published)
    return EventDate(day, day, "day", "published") if day else None


def resolve_event_date(sentence: str, published: str | date | None) -> EventDate | None:
    """The sentence's event date (see module docstring); None when neither text nor publication dates it."""
    mentions = date_mentions(sentence, published)
    for mention in mentions:
        if not mention.reference:
            return mention.when
    fallback = publication_event(published)
    if fallback is None and mentions:
        return mentions[0].when  # a reference date is better than nothing when the article is undated
    return fallback


def date_mentions(sentence: str, published: str | date | None) -> list[DateMention]:
    """Every resolvable date expression of the sentence, in reading order, overlaps removed."""
    anchor = as_date(published)
    found: list[tuple[int, int, int, str, re.Match[str]]] = []
    for kind, priority, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            found.append((priority, match.start(), match.end(), kind, match))
    found.sort(key=lambda f: (f[0], f[1]))
    taken: list[tuple[int, int]] = []
    mentions: list[DateMention] = []
    for _, start, end, kind, match in found:
        if any(start < hi and lo < end for lo, hi in taken):
            continue
        when = _resolve(kind, match, anchor, sentence)
        if when is None:
            continue
        taken.append((start, end))
        lead = match.group(0).lower()
        reference = bool(_REFERENCE.search(sentence[:start])) or lead.startswith(("since", "until", "through", "from"))
        mentions.append(DateMention(when, start, end, reference))
    mentions.sort(key=lambda m: m.at)
    return mentions


@lru_cache(maxsize=8192)
def without_dates(sentence: str) -> str:
    """The sentence with every date expression blanked out (so "July 28" is not a figure)."""
    spans = [(m.start(), m.end()) for _, _, p in _PATTERNS for m in p.finditer(sentence)]
    chars = list(sentence)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _resolve(kind: str, match: re.Match[str], anchor: date | None, sentence: str) -> EventDate | None:
    phrase = match.group(0)
    groups = match.groupdict()
    if phrase.endswith(".") and groups.get("month") in calendar.month_name[1:]:
        phrase = phrase[:-1]  # "in March." ends a sentence; "Feb." is an abbreviation
    try:
        if kind == "iso":
            return _day(date(int(groups["year"]), int(groups["m"]), int(groups["day"])), phrase)
        if kind in ("month_day_year", "day_month_year"):
            return _day(date(int(groups["year"]), _MONTH_NUMBERS[groups["month"]], int(groups["day"])), phrase)
        if kind == "month_year":
            return _month(int(groups["year"]), _MONTH_NUMBERS[groups["month"]], phrase)
        if kind == "year":
            year = int(groups["year"])
            return EventDate(date(year, 1, 1), date(year, 12, 31), "year", "text", phrase)
        if anchor is None:
            return None  # everything below is relative to the publication date
        if kind in ("month_day", "day_month"):
            return _day(_nearest_day(_MONTH_NUMBERS[groups["month"]], int(groups["day"]), anchor), phrase)
        if kind == "month":
            month = _MONTH_NUMBERS[groups["month"]]
            lead = groups["lead"].lower()
            if lead == "next" or (lead != "last" and _FUTURE.search(sentence[: match.start()])):
                year = anchor.year if month > anchor.month or (month == anchor.month and lead != "next") else anchor.year + 1
            elif lead == "this":
                year = anchor.year
            else:
                year = anchor.year if month <= anchor.month else anchor.year - 1
            return _month(year, month, phrase)
        if kind == "weekday":
            return _day(_weekday(groups, anchor, sentence[: match.start()]), phrase)
        if kind == "relative_day":
            word = groups["word"].lower()
            offset = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
            return _day(anchor + timedelta(days=offset), phrase)
        if kind == "relative_span":
            return _relative_span(groups["which"].lower(), groups["unit"], anchor, phrase)
        if kind == "ago":
            return _ago(groups["count"].lower(), groups["unit"].lower(), anchor, phrase)
    except ValueError:
        return None  # "February 30": not a date
    return None


def _day(day: date, phrase: str) -> EventDate:
    return EventDate(day, day, "day", "text", phrase)


def _month(year: int, month: int, phrase: str) -> EventDate:
    last = calendar.monthrange(year, month)[1]
    return EventDate(date(year, month, 1), date(year, month, last), "month", "text", phrase)


def _week_of(day: date, phrase: str) -> EventDate:
    monday = day - timedelta(days=day.weekday())
    return EventDate(monday, monday + timedelta(days=6), "week", "text", phrase)


def _nearest_day(month: int, day: int, anchor: date) -> date:
    """The year that puts month/day nearest the anchor (past or future)."""
    options = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue  # February 29 in a common year
    if not options:
        raise ValueError(f"{month}/{day} is not a date")
    return min(options, key=lambda d: (abs((d - anchor).days), d > anchor))


def _weekday(groups: dict[str, str | None], anchor: date, before: str) -> date:
    target = _WEEKDAY_NUMBERS[groups["weekday"] or ""]
    lead = (groups.get("lead") or "").lower()
    back = (anchor.weekday() - target) % 7  # days back to the latest such day on/before anchor
    if lead == "last":
        return anchor - timedelta(days=back or 7)
    if lead == "next" or _FUTURE.search(before):
        ahead = (target - anchor.weekday()) % 7
        return anchor + timedelta(days=ahead or (7 if lead == "next" else 0))
    return anchor - timedelta(days=back)


def _relative_span(which: str, unit: str, anchor: date, phrase: str) -> EventDate:
    step = {"last": -1, "past": -1, "next": 1}.get(which, 0)
    if unit == "week":
        return _week_of(anchor + timedelta(days=7 * step), phrase)
    if unit == "month":
        month_index = anchor.year * 12 + anchor.month - 1 + step
        return _month(month_index // 12, month_index % 12 + 1, phrase)
    year = anchor.year + step
    return EventDate(date(year, 1, 1), date(year, 12, 31), "year", "text", phrase)


def _ago(count_word: str, unit: str, anchor: date, phrase: str) -> EventDate:
    count = int(count_word) if count_word.isdigit() else _NUMBER_WORDS[count_word]
    if unit == "day":
        return _day(anchor - timedelta(days=count), phrase)
    if unit == "week":
        return _week_of(anchor - timedelta(days=7 * count), phrase)
    if unit == "month":
        month_index = anchor.year * 12 + anchor.month - 1 - count
        return _month(month_index // 12, month_index % 12 + 1, phrase)
    year = anchor.year - count
    return EventDate(date(year, 1, 1), date(year, 12, 31), "year", "text", phrase)
