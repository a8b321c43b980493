"""Word-level helpers shared by retrieval, answering and verification."""

from __future__ import annotations

import math
import re
from collections import Counter

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves said says say according new one two
    week weeks year years month months day days recently recent latest last this next ago today
    yesterday tomorrow time times did does do done get got make made many much may might must
    shall us let lets like well even still yet via per amid among upon within without whose
    which what who whom whose these those kind sort type named name called
    """.split()
)
_TOKEN = re.compile(r"[\w][\w'’\-]*")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, apostrophes and hyphens kept inside words."""
    return [t.strip("'’-").lower() for t in _TOKEN.findall(text)]


def content_words(text: str) -> list[str]:
    """Tokens that carry meaning: no stopwords, no single letters; order kept, repeats dropped."""
    seen: dict[str, None] = {}
    for token in tokens(text):
        for part in re.split(r"['’]", token):
            if len(part) > 1 and part not in STOPWORDS and part not in seen:
                seen[part] = None
    return list(seen)


def stem(word: str) -> str:
    """A light suffix stripper so 'sanctions' meets 'sanctioned'; not linguistics, just overlap."""
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ers", "er", "es", "ed", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def overlap_scores(question_terms: list[str], sentences: list[str]) -> list[float]:
    """IDF-weighted share of the question's words found in each sentence (IDF over these sentences)."""
    q = [stem(t) for t in question_terms]
    if not q:
        return [0.0] * len(sentences)
    bags = [{stem(t) for t in content_words(s)} for s in sentences]
    df = Counter(t for bag in bags for t in set(q) & bag)
    n = max(len(sentences), 1)
    idf = {t: math.log(1 + n / (1 + df.get(t, 0))) for t in q}
    total = sum(idf.values()) or 1.0
    return [sum(idf[t] for t in set(q) if t in bag) / total for bag in bags]
