"""What the index holds, told to the user: the status line, the source list, example questions.

Example questions come from the user's own archive, not from a fixed demo list: the topics
named most often in recent headlines, and the month of the newest article.  They are
deterministic (same index, same questions), so screenshots and tests are stable.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from assistant.text import STOPWORDS
from ingest.catalog import Catalog

RECENT_TITLES = 40  # headlines considered for topics: enough to find repeats, cheap on any index
_WORD = re.compile(r"[A-Za-z][\w'’\-]*")


@dataclass(frozen=True)
class CorpusStatus:
    articles: int
    sources: int
    first_published: str
    last_published: str
    undated: int

    def line(self) -> str:
        """"12 articles from 9 sources, 2017-03-17 to 2017-11-30 (1 undated)"."""
        if not self.articles:
            return "The index is empty: add articles below (Add articles) or with `newsdesk ingest`."
        parts = [f"{self.articles:,} article{'s' if self.articles != 1 else ''}"]
        parts.append(f"from {self.sources:,} source{'s' if self.sources != 1 else ''}")
        span = ""
        if self.first_published and self.last_published:
            span = f", {self.first_published} to {self.last_published}"
        extra = f" ({self.undated:,} undated)" if self.undated else ""
        return " ".join(parts) + span + extra


def corpus_status(catalog: Catalog) -> CorpusStatus:
    stats = catalog.stats()
    named = sum(1 for source, _ in stats.sources if source)
    return CorpusStatus(stats.articles, named, stats.first_published, stats.last_published, stats.undated)


@dataclass(frozen=True)
class Headline:
    title: str
    published: str
    lead: str  # the start of the article text, to tell names from common words


def recent_headlines(catalog: Catalog, limit: int = RECENT_TITLES) -> list[Headline]:
    """The newest articles' headlines, undated ones last."""
    return [Headline(title, published, lead) for title, published, lead in catalog.recent_headlines(limit)]


def _is_name(phrase: str, texts: str) -> bool:
    """Written capitalised in the articles' text (a name), not only in headlines."""
    found = re.findall(rf"\b({re.escape(phrase)})\b", texts, flags=re.I)
    return bool(found) and sum(f[0].isupper() for f in found) >= 0.8 * len(found)


def headline_topics(headlines: list[Headline], limit: int = 2) -> list[str]:
    """Phrases (one or two words) repeated across headlines: names first, then most repeated.

    Headlines are in title case, so capitalisation there cannot tell names from words; the
    article text can.  A word is dropped in favour of a two-word phrase that holds it about as
    often ("North" -> "North Korea").
    """
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for headline in headlines:
        seen: set[str] = set()
        for clause in re.split(r"[,:;!?()\[\]\"‘“”]|\s[-–—]\s", headline.title):
            words = [re.sub(r"['’]s$", "", w.strip("'’-")) for w in _WORD.findall(clause)]
            for i, word in enumerate(words):
                phrases = [word] + ([f"{word} {words[i + 1]}"] if i + 1 < len(words) else [])
                for phrase in phrases:
                    key = phrase.lower()
                    if key in seen or any(p in STOPWORDS or len(p) < 3 for p in key.split()):
                        continue
                    seen.add(key)
                    counts[key] += 1
                    shown.setdefault(key, phrase)
    texts = "\n".join(h.lead for h in headlines)
    candidates = [
        key
        for key in counts
        if counts[key] >= 2
        and not (len(key.split()) == 1 and any(key in b.split() and 2 * counts[b] >= counts[key] for b in counts if " " in b))
    ]
    names = {key: _is_name(shown[key], texts) for key in candidates}
    candidates.sort(key=lambda k: (-counts[k], not names[k], -len(k.split()), k))
    chosen: list[str] = []
    for key in candidates:
        if any(key in c.lower() or c.lower() in key for c in chosen):
            continue  # "north korean" after "north korea" adds nothing
        chosen.append(shown[key] if names[key] else key)
        if len(chosen) >= limit:
            break
    return chosen


def example_questions(catalog: Catalog, briefing: bool = False) -> list[str]:
    """3-4 questions this archive can answer, built from its own headlines."""
    headlines = recent_headlines(catalog)
    if not headlines:
        return []
    topics = headline_topics(headlines, limit=2)
    questions = [template.format(topic) for template, topic in zip(_TEMPLATES, topics)]
    newest = _newest_name(headlines, topics)
    if newest:
        questions.append(f"What happened with {newest}?")
    if briefing and topics:
        questions.append(f"Brief me on {topics[0]}")
    return questions


_TEMPLATES = ("What is the latest on {}?", "What do the articles say about {}?")


def _newest_name(headlines: list[Headline], taken: list[str]) -> str:
    """The first name in the newest headline that the topic questions do not already ask about."""
    texts = "\n".join(h.lead for h in headlines)
    taken_words = {w for topic in taken for w in topic.lower().split()}
    for word in _WORD.findall(headlines[0].title):
        word = re.sub(r"['’]s$", "", word.strip("'’-"))
        key = word.lower()
        if len(key) < 3 or key in STOPWORDS or key in taken_words:
            continue
        if _is_name(word, texts):
            return word
    return ""
