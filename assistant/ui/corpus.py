"""What the index holds, told to the user: the status line, the source list, example questions.

Example questions come from the user's own archive, not from a fixed demo list: the names its
newest articles share, phrased as whole questions.  They are deterministic (same index, same
questions), so screenshots and tests are stable.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.followups import phrase_question
from assistant.names import PERSON, is_outlet, names_across
from ingest.catalog import Catalog

RECENT_TITLES = 40  # newest articles read for topics: enough to find repeats, cheap on any index


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
    lead: str  # the start of the article text, where names are written as names


def recent_headlines(catalog: Catalog, limit: int = RECENT_TITLES) -> list[Headline]:
    """The newest articles' headlines, undated ones last."""
    return [Headline(title, published, lead) for title, published, lead in catalog.recent_headlines(limit)]


def example_questions(catalog: Catalog, briefing: bool = False) -> list[str]:
    """3-4 questions this archive can answer, about what its newest articles name most.

    The topic is the name (not a person) most of the newest articles mention, the person the
    one most of them quote; both are found in the articles' own text (assistant/names.py), so
    a headline word ("Port", "plan") never becomes a topic and every question is a whole one.
    """
    headlines = recent_headlines(catalog)
    if not headlines:
        return []
    leads = [h.lead for h in headlines]
    outlets = catalog.sources()  # "CNN" or "the Associated Press" wrote it; it is not a topic
    names = [n for n in names_across(leads, min_texts=2) or names_across(leads, min_texts=1) if not is_outlet(n, outlets)]
    topic = next((n for n in names if n.kind != PERSON), None)
    person = next((n for n in names if n.kind == PERSON), None)
    questions = [f"What is the latest on {topic.phrase}?"] if topic else []
    if person is not None:
        questions.append(phrase_question(person, topic))
    other = next((n for n in names if n.kind not in (PERSON, topic.kind if topic else "")), None)
    if other is None:
        other = next((n for n in names if n is not topic and n.kind != PERSON), None)
    if other is not None:
        questions.append(phrase_question(other, topic))
    if briefing and topic:
        questions.append(f"Brief me on {topic.phrase}")
    return questions
