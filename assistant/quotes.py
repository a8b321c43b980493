"""Where a quote starts: a dateline ("SEOUL —", "(CNN) —") or a list bullet is not part of it.

Wire stories open with a dateline: "PORT HALVARD — Ferry workers voted ...".  Quoting it makes the
answer read like a slug line, so answers (assistant/extractive.py) and briefings
(assistant/briefing/facts.py) start a quote after it.  The quote stays verbatim: only its start
moves, so `article.text[start:end] == quote` still holds with a later `start`.

The patterns, all followed by a dash and a capitalised word:
- a place in capitals, optionally with a region and the outlet: "SEOUL —", "HONG KONG –",
  "KYIV, Ukraine (AP) —", "WASHINGTON (Reuters) -";
- a place in title case, but only with the outlet in brackets: "Washington (CNN) —";
- the outlet alone: "(CNN) —".
"NATO — the alliance said" is not a dateline: a dateline is followed by a capitalised word.
"""

from __future__ import annotations

import re

_OUTLET = r"\([A-Z][^()\n]{0,38}\)"
_CAPS = r"[A-Z][A-Z.'’\-]+(?:[ ]+[A-Z][A-Z.'’\-]*)*"
_TITLE = r"[A-Z][A-Za-z.'’\-]+(?:[ ]+[A-Z][A-Za-z.'’\-]+){0,3}"
_REGION = rf"(?:,[ ]+{_TITLE})?"
_DASH = r"[ ]*(?:—|–|−|--?)[ ]+(?=[\"“‘'(]?[A-Z0-9])"
_DATELINE = re.compile(
    rf"(?:{_CAPS}{_REGION}(?:[ ]*{_OUTLET})?|{_TITLE}{_REGION}[ ]*{_OUTLET}|{_OUTLET}){_DASH}|[-*•][ ]+(?=\S)"
)


def dateline_end(text: str, start: int, end: int) -> int:
    """Where the quote `text[start:end]` really begins: after a leading dateline or bullet.

    Returns `start` itself when there is none, or when nothing would be left after it.
    """
    match = _DATELINE.match(text, start, end)
    return match.end() if match and match.end() < end else start


def without_dateline(quote: str) -> str:
    """The quote with its dateline cut off (for text that has no offsets to keep)."""
    return quote[dateline_end(quote, 0, len(quote)) :]
