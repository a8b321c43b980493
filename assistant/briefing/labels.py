"""A few words naming an event, for the timeline picture: "Air Force jet shot down", "Hamlin
released from hospital".

Taken from the quoted sentence itself (nothing is invented): its main clause (facts.main_clause:
no dateline, date words or short opening clause such as "Since being admitted Monday night,"),
leading articles dropped, its first words kept, up to `max_words` words and `max_chars`
characters, ending on a content word.
"""

from __future__ import annotations

import re

from assistant.briefing.event_dates import without_dates
from assistant.briefing.facts import main_clause

_LEADING_CLAUSE = re.compile(r"^(?:(?:On|In|At|By|Early|Late|Last|This|Earlier|Later)\b[^,]{0,40},\s*)")
_LEADING = frozenset({"the", "a", "an", "and", "but", "so", "then", "also", "meanwhile", "however"})
_DANGLING = frozenset("the a an of to in on at for with and or but by from as that its their his her who which is was were are".split())
_WORD = re.compile(r"[^\s]+")


def event_label(sentence: str, max_words: int = 5, max_chars: int = 34) -> str:
    """The first words of the sentence's main clause (see the module docstring)."""
    text = re.sub(r"^[A-Z][A-Z.'’\- ,]+(?:\([^)]*\))?\s*[—–-]+\s*", "", " ".join(sentence.split()))  # dateline
    text = main_clause(text) or " ".join(without_dates(text).split())
    text = _LEADING_CLAUSE.sub("", text).lstrip("\"“‘' ")
    words = [w.strip("\"“”‘’'()[],;:") for w in _WORD.findall(text)]
    words = [w for w in words if w]
    while words and words[0].lower() in _LEADING:
        words = words[1:]
    kept: list[str] = []
    for word in words:
        if len(kept) >= max_words or len(" ".join([*kept, word])) > max_chars:
            break
        kept.append(word.rstrip("."))
    while len(kept) > 1 and kept[-1].lower() in _DANGLING | _LEADING:
        kept.pop()
    label = " ".join(kept)
    return label[:1].upper() + label[1:] if label else ""
