"""How a topic's terms are found in text: names as names, words by their inflections.

Two kinds of term, two rules:

- a **name** ("North Korea", "TikTok", "SVB") matches only as written: case-sensitive (or in
  capitals, as in a heading), whole words, so "North Korea" never matches "South Korea" or
  "North Korean" (a demonym is an alias of its own, see aliases.py) and "Turkey" is not "turkey";
- a **word** ("balloon", "derailment", "ban") matches case-insensitively with its inflections:
  its light stem (assistant/text.stem) plus one of a closed list of English endings, so "ban"
  meets "bans", "banned" and "banning" but not "bank".

Pure functions over strings: topic.py decides which words of a topic are names; the briefer uses
the compiled patterns on article text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from assistant.text import stem

# Endings a topic word may carry in an article (after its stem and a dropped final "e"):
# inflections and the common derivations, never an arbitrary continuation ("ban" is not "bank").
_ENDINGS = (
    "e", "es", "s", "ed", "d", "ing", "ings", "er", "ers", "ment", "ments", "ement", "ements", "ation", "ations",
    "ion", "ions", "al", "ly", "ned", "ning", "ted", "ting", "red", "ring", "ged", "ging", "ped", "ping",
)  # fmt: skip
_Y_ENDINGS = ("y", "ies", "ied", "ication", "ications")


def word_prefix(word: str) -> str:
    """The part of a topic word its inflections share: stem, without a final "e" ("retire" -> "retir")."""
    base = stem(word.lower())
    if len(base) > 3 and base.endswith("e"):
        base = base[:-1]
    return base


def word_regex(word: str) -> str:
    """A case-insensitive regex source for a topic word and its inflections."""
    base = word_prefix(word)
    alternatives = [re.escape(base) + "(?:" + "|".join(_ENDINGS) + ")?"]
    if base.endswith("y") and len(base) > 2:  # "spy": "spies", "spied"
        alternatives.append(re.escape(base[:-1]) + "(?:" + "|".join(_Y_ENDINGS) + ")")
    elif word.lower().endswith(("ies", "ied")):  # "classified" (stem "classif"): "classify", "classification"
        alternatives.append(re.escape(base) + "(?:" + "|".join(_Y_ENDINGS) + ")")
    return r"(?i:\b(?:" + "|".join(alternatives) + r")\b)"


def name_regex(form: str) -> str:
    """A regex source for a name as written: its exact letters (or all in capitals), any run of
    spaces between its words, either apostrophe, whole words only."""
    variants = dict.fromkeys([form, form.upper()])
    parts = [r"\s+".join(_letters(word) for word in variant.split()) for variant in variants]
    return r"(?<![\w&])(?:" + "|".join(parts) + r")(?![\w&])"


def _letters(word: str) -> str:
    return "".join("['’]" if ch in "'’" else re.escape(ch) for ch in word)


@lru_cache(maxsize=256)
def _compiled(sources: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(sources)) if sources else None


def names_pattern(forms: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for several names (longest first, so "North Korean" wins over "North Korea")."""
    ordered = sorted(dict.fromkeys(f for f in forms if f.strip()), key=len, reverse=True)
    return _compiled(tuple(name_regex(f) for f in ordered))


def words_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    return _compiled(tuple(word_regex(w) for w in dict.fromkeys(words) if w.strip()))


def offsets(pattern: re.Pattern[str] | None, text: str) -> list[int]:
    """Where the pattern matches in the text (start offsets, in order)."""
    return [m.start() for m in pattern.finditer(text)] if pattern is not None else []
