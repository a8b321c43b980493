"""What to brief on: the BriefRequest, and the chat phrasing that asks for one.

"brief me on X", "give me a timeline of X since August", "timeline of X from March to May",
"brief me on X since 2023-01-01": `parse_briefing_request` recognises such a message and keeps
its time phrase in `BriefRequest.period`; `BriefRequest.resolved` turns the phrase into
since/until against an anchor (the archive's newest date), the rule assistant/periods.py applies
to questions.  The phrase grammar here covers spans ("from .. to ..", "since ..", "before ..");
single dates, months and relative days come from event_dates.date_mentions, seasons and the
like from periods.find_period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from assistant.briefing.event_dates import date_mentions
from assistant.filters import Filters
from assistant.periods import find_period
from ingest.dates import normalise_date


@dataclass(frozen=True)
class BriefRequest:
    """What to brief on.  `period` keeps a time phrase ("since August") until it can be resolved
    against the archive's newest date (see `resolved`)."""

    topic: str
    since: str = ""
    until: str = ""
    sources: tuple[str, ...] = ()
    period: str = ""
    kind: str = "brief"  # "brief" | "timeline": what the user asked for; both get a full brief

    def resolved(self, anchor: date | None) -> "BriefRequest":
        """since/until filled from `period`, resolved against `anchor` (the archive's newest date)."""
        if not self.period or anchor is None:
            return self
        since, until = _period_bounds(self.period, anchor)
        return replace(self, since=self.since or since, until=self.until or until, period="")

    @property
    def filters(self) -> Filters:
        """The request's dates and sources as checked filters."""
        return Filters.parse(self.since, self.until, self.sources)


_REQUEST = re.compile(
    r"^\s*(?:(?:please|pls|could you|can you|would you)\s+)*"
    r"(?:"
    r"(?P<brief>brief me|give me (?:a |the )?(?:short |quick )?(?:briefing|brief|rundown)|"
    r"(?:a |the )?(?:short |quick )?briefing|(?:write|prepare|make) (?:me )?a (?:briefing|brief)|"
    r"catch me up|bring me up to (?:speed|date))"
    r"|(?P<timeline>(?:give|show|make|build|draw|write) me (?:a |the )?timeline|(?:a |the )?timeline|"
    r"what(?:'s| is) the timeline)"
    r")\s+(?:on|about|of|for|regarding|to)\s+(?P<rest>.+?)\s*[?.!]*\s*$",
    re.I,
)
_WHEN_TAIL = re.compile(
    r"\s*,?\s+(?P<phrase>(?:(?:since|from|after|before|until|till|through|between|in|during|over)\s+.+|"
    r"(?:this|last|past)\s+(?:week|month|year|spring|summer|fall|autumn|winter)))$",
    re.I,
)


def parse_briefing_request(text: str, anchor: date | None = None) -> BriefRequest | None:
    """A BriefRequest when the message asks for a briefing or timeline, else None.

    "brief me on X", "give me a timeline of X", "briefing on X since August", "timeline of X from
    March to May", "brief me on X since 2023-01-01".  A relative period ("since August") is kept in
    `period` and resolved against `anchor` when given (else by the briefer, against the archive's
    newest date, as assistant/periods.py does for questions).
    """
    match = _REQUEST.match(text or "")
    if not match:
        return None
    rest = match.group("rest").strip()
    topic, phrase = rest, ""
    tail = _WHEN_TAIL.search(rest)
    if tail and _looks_like_time(tail.group("phrase")):
        topic, phrase = rest[: tail.start()].strip(), tail.group("phrase").strip()
    topic = re.sub(r"^(?:the|a|an)\s+", "", topic, flags=re.I).strip(" ,;:")
    if not topic:
        return None
    request = BriefRequest(topic=topic, period=phrase, kind="timeline" if match.group("timeline") else "brief")
    return request.resolved(anchor) if anchor else request


def _looks_like_time(phrase: str) -> bool:
    words = phrase.split(maxsplit=1)
    body = words[1] if len(words) > 1 else ""
    if normalise_date(body) or re.search(r"\b(?:19|20)\d\d\b", body):
        return True
    return _period_bounds(phrase, date(2000, 6, 15)) != ("", "")


def _phrase_bounds(phrase: str, anchor: date) -> tuple[str, str]:
    """(first day, last day) of one time phrase: a full date, a month, a year, "last week" ..."""
    phrase = phrase.strip(" ,.")
    iso = normalise_date(phrase)
    if iso:
        return iso, iso
    # Calendar spans first ("last month" is October when the archive ends in November), as for
    # event dates; seasons and the like fall back to the question periods.
    mentions = date_mentions(f"in {phrase}", anchor)
    if len(mentions) == 1 and mentions[0].when.basis == "text":
        return mentions[0].when.start.isoformat(), mentions[0].when.end.isoformat()
    period = find_period(f"in {phrase}", anchor) or find_period(phrase, anchor)
    if period:
        return period.start.isoformat(), period.end.isoformat()
    return "", ""


def _period_bounds(phrase: str, anchor: date) -> tuple[str, str]:
    """since/until of a time phrase: "since August", "from March to May", "before 2023-02-01" ..."""
    p = phrase.strip()
    match = re.match(r"(?i)(?:from|between)\s+(.+?)\s+(?:to|until|till|through|and|-)\s+(.+)$", p)
    if match:
        return _phrase_bounds(match.group(1), anchor)[0], _phrase_bounds(match.group(2), anchor)[1]
    match = re.match(r"(?i)(since|from|after)\s+(.+)$", p)
    if match:
        start, end = _phrase_bounds(match.group(2), anchor)
        if match.group(1).lower() == "after" and end:
            return (date.fromisoformat(end) + timedelta(days=1)).isoformat(), ""
        return start, ""
    match = re.match(r"(?i)(until|till|through|before)\s+(.+)$", p)
    if match:
        start, end = _phrase_bounds(match.group(2), anchor)
        if match.group(1).lower() == "before" and start:
            return "", (date.fromisoformat(start) - timedelta(days=1)).isoformat()
        return "", end
    match = re.match(r"(?i)(?:in|during|over)\s+(.+)$", p)
    return _phrase_bounds(match.group(1) if match else p, anchor)
