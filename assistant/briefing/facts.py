"""Statements and facts: the quotable sentences of on-topic articles, and what several report.

evidence -> statements (whole declarative sentences, each with its event date, see
event_dates.py, and its relevance to the topic) -> facts (statements from different outlets
that say the same thing, clustered by MiniLM cosine + word overlap and compatible dates).  A
fact is quoted by its lead statement and cites every article that reported it.  The thresholds
are BriefConfig's (docs/briefings.md explains each).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

import numpy as np

from assistant.answer import Citation
from assistant.briefing.event_dates import PRECISIONS, EventDate, resolve_event_date, without_dates
from assistant.briefing.model import BriefConfig, BriefPoint
from assistant.citations import CitationNumbers
from assistant.quotes import dateline_end
from assistant.retrieve import Evidence
from assistant.text import content_words, overlap_scores, stem
from ingest.catalog import StoredArticle
from ingest.embedder import Embedder
from ingest.sentences import sentence_spans

# Datelines ("WASHINGTON — ") and list markers open a sentence but are not part of what it says.
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")
_CONDITIONAL = re.compile(r"[\"“‘']?(?:If|Unless|Whether|Should)\b")
_NUMBER = re.compile(r"\d[\d,.]*")


@dataclass
class Statement:
    """One quotable sentence of one article, with its event date and relevance to the topic."""

    article: StoredArticle
    start: int
    end: int
    when: EventDate | None
    lead: bool
    article_relevance: float
    lexical: float = 0.0
    semantic: float = 0.0
    relevance: float = 0.0
    vector: np.ndarray | None = None

    @property
    def quote(self) -> str:
        return self.article.text[self.start : self.end]

    def citation(self) -> Citation:
        return Citation.of(self.article, self.quote, self.start, self.end)

    def as_evidence(self, rank: int) -> Evidence:
        """The statement as a passage of its own (what an LLM is shown to condense a summary)."""
        a = self.article
        return Evidence(
            rank=rank,
            chunk_id=f"{a.article_id}:{self.start}",
            article_id=a.article_id,
            title=a.title,
            url=a.url,
            published=a.published,
            source=a.source,
            start=self.start,
            end=self.end,
            text=self.quote,
            score=self.relevance,
        )


@dataclass
class Fact:
    """Statements from different articles that report the same thing; `lead` is the one quoted."""

    statements: list[Statement]
    when: EventDate | None = None
    score: float = 0.0

    @property
    def lead(self) -> Statement:
        return self.statements[0]

    @property
    def article_ids(self) -> set[str]:
        return {s.article.article_id for s in self.statements}

    def point(self, numbers: CitationNumbers) -> BriefPoint:
        """The fact as a brief line: its lead quoted, every outlet that reported it cited."""
        return BriefPoint.dated(self.lead.quote, numbers.numbers(s.citation() for s in self.statements), self.when)


def find_statements(
    evidence: list[Evidence],
    articles: dict[str, StoredArticle],
    terms: list[str],
    query_vector: np.ndarray,
    with_all_words: set[str],
    embedder: Embedder,
    cfg: BriefConfig,
) -> list[Statement]:
    """Quotable sentences of on-topic articles, scored for relevance to the topic.

    Retrieval always returns something, so two gates keep a brief on "Hawaii volcano" from
    quoting whatever is nearest: an article counts only when one of its passages is close to
    the topic (`min_article_similarity`) or it contains every topic word (FTS); a sentence
    counts only when it shares a topic word or is close in meaning on its own.
    """
    best_dense = max((ev.dense for ev in evidence), default=0.0) or 1.0
    article_dense: dict[str, float] = {}
    for ev in evidence:
        article_dense[ev.article_id] = max(article_dense.get(ev.article_id, -1.0), ev.dense)
    on_topic = {a for a, d in article_dense.items() if d >= cfg.min_article_similarity} | with_all_words
    evidence = [ev for ev in evidence if ev.article_id in on_topic]
    article_relevance = {a: max(0.0, d) / best_dense for a, d in article_dense.items()}
    spans_of: dict[str, list[tuple[int, int]]] = {}
    found: list[Statement] = []
    seen: set[tuple[str, int]] = set()
    for ev in sorted(evidence, key=lambda e: -e.score):
        article = articles.get(ev.article_id)
        if article is None:
            continue
        spans = spans_of.setdefault(article.article_id, list(sentence_spans(article.text)))
        first_body = _first_body_sentence(article, spans, cfg)
        for start, end in spans:
            if not (ev.start <= start < ev.end) or (article.article_id, start) in seen:
                continue
            seen.add((article.article_id, start))
            start = dateline_end(article.text, start, end)
            quote = article.text[start:end]
            words = len(quote.split())
            if words < cfg.min_words or words > cfg.max_words or not _is_statement(quote):
                continue
            found.append(
                Statement(
                    article=article,
                    start=start,
                    end=end,
                    when=resolve_event_date(quote, article.published),
                    lead=(start, end) == first_body,
                    article_relevance=article_relevance.get(article.article_id, 0.0),
                )
            )
    if not found:
        return []
    lexical = overlap_scores(terms, [s.quote for s in found])
    for s, lex in zip(found, lexical, strict=True):
        s.lexical = lex
    # Embedding is the cost: only the most promising sentences are embedded.
    found.sort(key=lambda s: s.lexical + 0.5 * s.article_relevance + (cfg.lead_bonus if s.lead else 0.0), reverse=True)
    found = found[: cfg.max_statements]
    vectors = embedder.encode([s.quote for s in found])
    semantic = vectors @ query_vector
    for s, vector, sem in zip(found, vectors, semantic, strict=True):
        s.vector = vector
        s.semantic = float(sem)
        s.relevance = (
            cfg.semantic_weight * s.semantic
            + cfg.lexical_weight * s.lexical
            + cfg.article_weight * s.article_relevance
            + (cfg.lead_bonus if s.lead else 0.0)
            + (cfg.text_date_bonus if s.when and s.when.basis == "text" else 0.0)
        )
    return [
        s
        for s in found
        if s.relevance >= cfg.min_relevance and (s.lexical > 0 or s.semantic >= cfg.min_semantic_without_words)
    ]


def cluster_facts(statements: list[Statement], cfg: BriefConfig) -> list[Fact]:
    """Greedy clustering, best statement first: a statement joins the first fact it matches."""
    ordered = sorted(statements, key=lambda s: s.relevance, reverse=True)
    facts: list[Fact] = []
    for s in ordered:
        home = None
        for fact in facts:
            if s.article.article_id in fact.article_ids:
                continue
            if any(same_fact(s, other, cfg) for other in fact.statements):
                home = fact
                break
        if home is None:
            facts.append(Fact([s]))
        else:
            home.statements.append(s)
    for fact in facts:
        # Quote the report that dates the event itself, if any: it reads on its own.
        fact.statements.sort(key=lambda s: (s.when is not None and s.when.basis == "text", s.relevance), reverse=True)
        fact.when = fact_date(fact.statements)
        outlets = len({s.article.source or s.article.article_id for s in fact.statements})
        fact.score = fact.lead.relevance * (1.0 + 0.25 * math.log2(outlets))
    return facts


def same_fact(a: Statement, b: Statement, cfg: BriefConfig) -> bool:
    """Do two statements of different articles report one fact?  Close in meaning (or the very
    same sentence), dates that could be one event, and no conflicting figures."""
    if a.vector is None or b.vector is None:
        return False
    cosine = float(a.vector @ b.vector)
    if " ".join(a.quote.split()) == " ".join(b.quote.split()):
        return True  # the same sentence in two articles (a reprint, a recap) is one fact
    if a.when is None or b.when is None:
        if cosine < cfg.undated_cosine:
            return False
    elif not dates_compatible(a.when, b.when, cfg.published_slack_days):
        return False
    if _numbers_conflict(a.quote, b.quote):
        return False
    return cosine >= cfg.same_fact_cosine or (
        cosine >= cfg.related_cosine and word_overlap(a.quote, b.quote) >= cfg.same_fact_overlap
    )


def fact_date(statements: Sequence[Statement]) -> EventDate | None:
    """The lead's date if its text states one; else the most precise date another report states;
    else the earliest publication (the first report bounds when it happened)."""
    lead = statements[0].when
    if lead and lead.basis == "text":
        return lead
    stated = [s.when for s in statements if s.when and s.when.basis == "text"]
    if stated:
        return min(stated, key=lambda w: (PRECISIONS.index(w.precision), w.start))
    published = [s.when for s in statements if s.when]
    return min(published, key=lambda w: w.start) if published else None


def dates_compatible(a: EventDate, b: EventDate, slack_days: int) -> bool:
    """Could both dates be of one event?  A publication date stands for the week before it."""
    def span(w: EventDate) -> tuple[date, date]:
        return (w.start - timedelta(days=slack_days), w.end) if w.basis == "published" else (w.start, w.end)

    (a0, a1), (b0, b1) = span(a), span(b)
    return a0 <= b1 and b0 <= a1


def word_overlap(a: str, b: str) -> float:
    """Shared content-word stems over the smaller sentence's (0..1)."""
    wa, wb = {stem(w) for w in content_words(a)}, {stem(w) for w in content_words(b)}
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def _numbers_conflict(a: str, b: str) -> bool:
    """Both sentences give figures and share none: "flew 53 minutes" is not "flew 47 minutes"."""
    na = {n.strip(".,") for n in _NUMBER.findall(without_dates(a))} - {""}
    nb = {n.strip(".,") for n in _NUMBER.findall(without_dates(b))} - {""}
    return bool(na and nb) and not (na & nb)


def _is_statement(quote: str) -> bool:
    """A whole declarative sentence: ends like one, is not a question (subheads often are) nor a
    conditional ("If the United States bans ..." states no fact), and does not open or close a
    quotation it does not contain (a fragment of a longer quote)."""
    if not _ENDS_SENTENCE.search(quote) or quote.rstrip("\"'”’)]").endswith("?") or _CONDITIONAL.match(quote):
        return False
    return quote.count("“") == quote.count("”") and quote.count('"') % 2 == 0


def _first_body_sentence(article: StoredArticle, spans: list[tuple[int, int]], cfg: BriefConfig) -> tuple[int, int] | None:
    """The story's first real sentence (not a headline, byline or heading)."""
    for start, end in spans:
        quote = article.text[start:end]
        if len(quote.split()) >= cfg.min_words and _ENDS_SENTENCE.search(quote):
            return (start, end)
    return None
