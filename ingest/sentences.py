"""Sentence spans with character offsets.

Quotes must be verbatim slices of the article (`text[start:end]`), so the splitter never
rewrites text: it only finds boundaries.  Rule-based on purpose: it is fast (ingest splits
every article), deterministic, and handles news prose (initials like "Rex W. Tillerson",
"Mr.", "U.S.", quotes closing after the full stop) well enough for quoting.
"""

from __future__ import annotations

import re
from typing import Iterator

# A full stop (or ! ?), optional closing quotes/brackets, whitespace, then something that can
# start a sentence.  The candidate is rejected when the word before the stop is an abbreviation.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9À-Ý])")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen lt col sgt capt cmdr adm st jr sr rev hon pres
    inc co corp ltd llc bros dept univ assn no nos vs etc al fig approx est ft mt
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    u.s u.n u.k e.u d.c a.m p.m e.g i.e n.y l.a u.s.a""".split()
)
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _is_abbreviation(text: str, stop: int) -> bool:
    """True when the '.' at `stop` ends an abbreviation or an initial rather than a sentence."""
    if text[stop] != ".":
        return False
    match = _WORD_BEFORE.search(text[max(0, stop - 40) : stop])
    if not match:
        return False
    word = match.group(1).lower().strip(".")
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "Rex W. Tillerson"
    return word in _ABBREVIATIONS


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each sentence in text[start:end], trimmed of surrounding whitespace.

    Line breaks always end a sentence: news files put headlines, datelines and paragraphs on
    their own lines, and a quote must never run across them.
    """
    end = len(text) if end is None else end
    for line in re.finditer(r"[^\n]+", text[:end]):
        lo, hi = max(line.start(), start), line.end()
        if hi <= lo:
            continue
        cursor = lo
        for match in _BOUNDARY.finditer(text, lo, hi):
            if _is_abbreviation(text, match.start()):
                continue
            yield from _trimmed(text, cursor, match.end())
            cursor = match.end()
        yield from _trimmed(text, cursor, hi)


def _trimmed(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    if hi > lo:
        yield lo, hi
