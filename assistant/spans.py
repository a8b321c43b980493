"""The short direct answer: the span of the chosen sentence that answers ("412 of its 455 members").

A question asks for a kind of thing: how many / how much -> a number, who -> a name, when -> a
date, where -> a place; other questions (why, what did X say) get no short answer.  In the
chosen sentence the candidates of that kind are found by pattern, minus anything the question
itself contains.  A span leads the answer only when there is exactly one candidate (two
different numbers for "how many" is a guess, not an answer) and the sentence's relevance score
clears the scorer's `confident_above` threshold: the gate's score comes from the pluggable
SentenceScorer (assistant/relevance), so a trained scorer drives it without changes here.

Offsets are relative to the sentence; the answerer adds the sentence's start, so the span is
verbatim article text as every quote is.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from assistant.text import STOPWORDS

NUMBER, NAME, DATE, PLACE = "number", "name", "date", "place"

_KIND_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (DATE, re.compile(r"^\s*when\b|\b(?:what|which) (?:date|day|year|month)\b|\bon what (?:date|day)\b", re.I)),
    (NUMBER, re.compile(
        r"\bhow (?:many|much|old|long|far|tall|high|big|large)\b|\bby how much\b|\bwhat (?:is |was |were )?the "
        r"(?:number|price|cost|amount|total|toll|figure|size|share|percentage|rate)\b|\bwhat (?:percentage|share|number|"
        r"proportion|fraction)\b", re.I)),
    (PLACE, re.compile(
        r"^\s*where\b|\b(?:which|what|in which|from which|to which)(?: [A-Z][\w.]*| \w+ern)? (?:city|country|town|village|state|region|county|"
        r"island|province|nation|place|port|capital)\b", re.I)),
    (NAME, re.compile(
        r"^\s*(?:who|whom|whose)\b|\bwho (?:is|was|were|will|has|had|did|won|led|leads|runs|became)\b|\b(?:which|what) "
        r"(?:company|team|club|person|man|woman|player|artist|singer|actor|actress|firm|group|party|band|film|movie|"
        r"book|organisation|organization|agency|airline|bank|candidate|official|minister|judge|official|newspaper)\b",
        re.I)),
]

_MONTH = "|".join(m for m in calendar.month_name if m)
_WEEKDAY = "|".join(d for d in calendar.day_name)
_WORD_NUMBER = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a dozen|dozens|hundreds|thousands"
)
_AMOUNT = (
    rf"(?:(?:about|around|nearly|almost|more than|less than|over|under|some|up to|at least) )?"
    rf"(?:[$€£¥]\s?)?(?:\d[\d,]*(?:\.\d+)?|\b(?:{_WORD_NUMBER})\b)"
    r"(?:\s?(?:%|percent\b|per cent\b|percentage points?\b))?"
    r"(?:[ -](?:million|billion|trillion|thousand|hundred)\b)?"
)
_NOT_UNIT = r"(?:and|or|the|a|an|to|of|in|on|at|by|for|from|with|was|were|is|are|has|had|have|said|says|who|that|which)\b"
_ADJECTIVE = r"(?:new|more|other|additional|extra|young|old|small|large|big|full-time|registered|eligible)"
# The counted noun: "412 of its 455 members", "128 new moons", "1.3 million crowns".
_UNIT = rf"(?: {_ADJECTIVE}(?= [a-z]))?(?: (?!{_NOT_UNIT})[a-z][a-z'’-]+)?"
_NUMBER_SPAN = re.compile(rf"{_AMOUNT}(?: of (?:its|their|the|his|her|our|all) {_AMOUNT})?{_UNIT}")
_DATE_SPAN = re.compile(
    rf"\b(?:(?:{_MONTH}) \d{{1,2}}(?:st|nd|rd|th)?(?:, \d{{4}})?|\d{{1,2}} (?:{_MONTH})(?: \d{{4}})?|(?:{_MONTH}) \d{{4}}"
    rf"|(?:on )?(?:{_WEEKDAY})|(?:in|since|by) (?:19|20)\d\d)\b"
)
_NAME_RUN = re.compile(r"[A-Z][\w'’&.-]*(?:\s+(?:(?:of|de|da|van|von|al|bin|the|and)\s+)?[A-Z][\w'’&.-]*)*")
_PLACE_RUN = re.compile(rf"\b(?:in|at|near|from|to|outside|across|into|off|on) (?:the )?({_NAME_RUN.pattern})")
_TIME_OF_DAY = re.compile(r"^\d{1,2}(?:[.:]\d\d)?\s?(?:a\.m|p\.m|am|pm)\b|^\d{1,2}[.:]\d\d\b")
_NOT_NAMES = frozenset(
    {m.lower() for m in calendar.month_name if m} | {d.lower() for d in calendar.day_name}
    | {m.lower() for m in calendar.month_abbr if m} | {"sept", "i've", "i'm", "i’ve", "i’m", "i'd", "i’d", "i'll", "i’ll"}
    | {"the", "a", "an", "it", "its", "he", "she", "they", "we", "i", "this", "that", "but", "and", "in", "on", "at",
       "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "president", "minister", "mayor", "chief", "officials"}
)


def question_kind(question: str) -> str | None:
    """number / name / date / place, or None when the question wants an explanation."""
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(question):
            return kind
    return None


@dataclass(frozen=True)
class Span:
    """A candidate short answer inside a sentence: `sentence[start:end] == text`."""

    text: str
    kind: str
    start: int
    end: int


def asked_words(question: str) -> set[str]:
    """The question's own tokens, lower-cased: a span made only of them is not an answer."""
    return {t.lower().strip(".,'’") for t in re.findall(r"[\w'’.,$%-]+", question)}


def _strip(sentence: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and trailing punctuation that is not part of the answer."""
    while start < end and sentence[start] in " \"“‘'(":
        start += 1
    while end > start and sentence[end - 1] in " ,;:.\"”’')" and not re.search(r"\b[A-Z]\.$|\b(?:Jr|Sr|Co|Inc)\.$", sentence[start:end]):
        end -= 1
    return start, end


def _numbers(sentence: str, question: str) -> list[Span]:
    asked = asked_words(question)
    wants_year = bool(re.search(r"\byear\b", question, re.I))
    spans: list[Span] = []
    for m in _NUMBER_SPAN.finditer(sentence):
        start, end = _strip(sentence, m.start(), m.end())
        text = sentence[start:end]
        digits = re.findall(r"\d[\d,.]*", text)
        core = [d.strip(".,") for d in digits]
        if not text or _TIME_OF_DAY.match(text):
            continue
        if core and all(c in asked for c in core):
            continue  # the question's own figure
        if not wants_year and re.fullmatch(r"(?:in |since |by )?(?:19|20)\d\d", text):
            continue  # a year is a date, not a count
        before = sentence[max(0, start - 12) : start]
        if re.search(rf"(?:{_MONTH})\s*$", before) or re.search(r"\bNo\.?\s*$", before):
            continue  # "February 19", "No. 47": not amounts
        if not digits and text.lower() in {"one", "a dozen"}:
            continue  # "one of the ..." is rarely a count
        spans.append(Span(text, NUMBER, start, end))
    return spans


def _runs(sentence: str, question: str, pattern: re.Pattern[str], group: int) -> list[tuple[int, int]]:
    asked = asked_words(question)
    out: list[tuple[int, int]] = []
    for m in pattern.finditer(sentence):
        start, end = m.start(group), m.end(group)
        words = sentence[start:end].split()
        # A sentence's first word is capitalised anyway: only a longer run there can be a name.
        while words and (words[0].lower().strip(".,'’") in _NOT_NAMES or (start == 0 and len(words) == 1)):
            start += len(words[0]) + (1 if len(words) > 1 else 0)
            words = words[1:]
            if not words:
                break
            start = sentence.index(words[0], start)
        if not words:
            continue
        start, end = _strip(sentence, start, start + len(" ".join(words)))
        text = re.sub(r"['’]s$", "", sentence[start:end])
        end = start + len(text)
        tokens = [t.lower().strip(".,'’") for t in text.split()]
        if not text or all(t in asked or t in STOPWORDS or t in _NOT_NAMES for t in tokens):
            continue
        if any(t in asked for t in tokens):
            continue  # part of the question's own name ("Sundline Ferries' chief ...")
        out.append((start, end))
    return out


def candidate_spans(question: str, sentence: str, kind: str) -> list[Span]:
    """Every span of `kind` in the sentence that the question does not already contain."""
    if kind == NUMBER:
        return _numbers(sentence, question)
    if kind == DATE:
        asked = asked_words(question)
        spans = []
        for m in _DATE_SPAN.finditer(sentence):
            text = m.group(0)
            if not all(t.lower().strip(",") in asked for t in text.split()):
                spans.append(Span(text, DATE, m.start(), m.end()))
        return spans
    if kind == PLACE:
        return [Span(sentence[s:e], PLACE, s, e) for s, e in _runs(sentence, question, _PLACE_RUN, 1)]
    if kind == NAME:
        return [Span(sentence[s:e], NAME, s, e) for s, e in _runs(sentence, question, _NAME_RUN, 0)]
    return []


def direct_span(question: str, sentence: str) -> Span | None:
    """The one span of the asked-for kind in the sentence, or None (no kind, none, or several)."""
    kind = question_kind(question)
    if kind is None:
        return None
    spans = candidate_spans(question, sentence, kind)
    distinct = {s.text.lower() for s in spans}
    return spans[0] if len(distinct) == 1 else None
