"""Suggested follow-up questions: 2-3 per answer, about the people, places and events of the cited
articles that the conversation has not asked about yet.

The names come from the cited articles (assistant/names.py); those written near a quote weigh
most, then those several cited articles share, then the often-mentioned.  Each is phrased by a
template for its kind ("What did Moon Jae-in say about North Korea?", "What happened in Guam?",
"What happened at the Helsinki summit?"), so every suggestion reads as a question a person would
ask, and the archive can answer it: the name is in a cited article, so retrieval finds at least
that one.  This is core logic, not UI: the chat shows the suggestions under an answer, and any
other face (MCP, an OpenAI-compatible server) can offer the same list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence

from assistant.answer import Citation
from assistant.names import EVENT, ORGANISATION, OTHER, PERSON, PLACE, THING, Name, is_outlet, mentions_any, names_in

NEAR_QUOTE = 400  # characters around a quote whose names count as "near" it
# What is read of a cited article: its lead and this much around each quote.  A 40,000-character
# roundup otherwise costs ~150 ms, and its names far from the quote are not what was asked about.
LEAD_CHARS = 2000
AROUND_QUOTE = 1500
MAX_FOLLOWUPS = 3
_GATHERINGS = ("summit", "conference", "games", "olympics", "festival", "meeting", "talks", "forum", "cup",
               "ceremony", "parade", "rally", "championship", "championships", "expo", "fair", "hearing")  # fmt: skip
# The order suggestions are picked in, one per group first, so three suggestions are about
# three kinds of things (a person, a place, an event) when the articles name them.
_GROUPS = ((PERSON,), (PLACE, OTHER), (EVENT, ORGANISATION, THING))
_AT_PLACES = {"Base", "Airport", "Park", "Square", "Station", "Stadium", "Port", "Harbor", "Harbour", "Beach", "Plant"}


@dataclass(frozen=True)
class _Candidate:
    name: Name
    score: float


def suggest_followups(
    citations: Sequence[Citation], texts: Mapping[str, str], asked: Sequence[str], limit: int = MAX_FOLLOWUPS
) -> list[str]:
    """Up to `limit` follow-up questions about what the cited articles name and `asked` (the
    conversation's questions so far, this one included) does not; [] when nothing is cited."""
    candidates = _candidates(citations, texts)
    if not candidates:
        return []
    outlets = {c.source for c in citations if c.source}
    candidates = [c for c in candidates if not is_outlet(c.name, outlets)]
    subject = next((c.name for c in candidates if c.name.kind != PERSON), None)
    fresh = [c for c in candidates if not mentions_any(c.name, asked)]
    chosen: list[_Candidate] = []
    for group in _GROUPS:
        best = next((c for c in fresh if c.name.kind in group and c not in chosen), None)
        if best is not None:
            chosen.append(best)
    # Then the best of the rest, a third question of one kind only when nothing else is left.
    for limit_per_kind in (2, limit):
        for c in fresh:
            if c not in chosen and sum(x.name.kind == c.name.kind for x in chosen) < limit_per_kind:
                chosen.append(c)
    questions: list[str] = []
    for candidate in sorted(chosen[:limit], key=lambda c: -c.score):
        question = phrase_question(candidate.name, subject)
        if question not in questions:
            questions.append(question)
    return questions


def phrase_question(name: Name, subject: Name | None = None) -> str:
    """A question about `name`, in the words people use for its kind; `subject` (what the
    conversation is about) completes questions about people and organisations."""
    about = f" about {subject.phrase}" if subject is not None and subject.text != name.text else ""
    if name.kind == PERSON:
        return f"What did {name.phrase} say{about}?"
    if name.kind == PLACE:
        last = name.text.split()[-1]
        return f"What happened {'at' if last in _AT_PLACES else 'on' if last == 'Street' else 'in'} {name.phrase}?"
    if name.kind == ORGANISATION and about:
        return f"What did {name.phrase} do{about}?"
    if name.kind == EVENT and name.text.split()[-1].lower() in _GATHERINGS:
        return f"What happened at {name.phrase}?"
    if name.kind == THING:
        return f"What is known about {name.phrase}?"
    return f"What is the latest on {name.phrase}?"


def _candidates(citations: Sequence[Citation], texts: Mapping[str, str]) -> list[_Candidate]:
    """Every name of the cited articles with its score, best first."""
    quotes: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for c in citations:
        quotes[c.article_id].append((c.start, c.end))
    scores: dict[str, float] = defaultdict(float)
    articles: dict[str, int] = defaultdict(int)
    kept: dict[str, Name] = {}
    for article_id, spans in quotes.items():
        text = texts.get(article_id, "")
        if not text:
            continue
        for name in names_in(_read(text, spans), whole=text):
            key = name.text.lower()
            near = any(_near(text, name.text, start, end) for start, end in spans)
            scores[key] += min(name.mentions, 5) + (4 if near else 0)
            articles[key] += 1
            if key not in kept or name.mentions > kept[key].mentions:
                kept[key] = name
    ranked = [_Candidate(kept[k], scores[k] + 2 * (articles[k] - 1)) for k in kept]
    # One-off names far from every quote are noise: a caption, a photo credit, a passing mention.
    ranked = [c for c in ranked if c.score >= 2]
    return sorted(ranked, key=lambda c: (-c.score, c.name.first, c.name.text))


def _read(text: str, spans: list[tuple[int, int]]) -> str:
    """The lead and the surroundings of each quote, in article order, cut at whitespace."""
    parts = sorted([(0, LEAD_CHARS), *((max(0, s - AROUND_QUOTE), e + AROUND_QUOTE) for s, e in spans)])
    merged: list[list[int]] = []
    for start, end in parts:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces = []
    for start, end in merged:
        piece = text[start:end]
        if start > 0 and " " in piece:
            piece = piece[piece.index(" ") + 1 :]  # no half word at either edge
        if end < len(text) and " " in piece:
            piece = piece[: piece.rindex(" ")]
        pieces.append(piece)
    return "\n\n".join(pieces)


def _near(text: str, name: str, start: int, end: int) -> bool:
    window = text[max(0, start - NEAR_QUOTE) : end + NEAR_QUOTE]
    return name in window
