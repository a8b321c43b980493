"""question -> evidence: hybrid dense + BM25 retrieval with filters, periods and diversity.

Dense (Chroma, MiniLM cosine) and lexical (SQLite FTS5 BM25) candidates are fused by
reciprocal rank fusion.  When the question names a period (see assistant/periods.py) or carries
the date it was asked, both retrievers are run a second time restricted to that window and the
windowed ranks join the fusion, so evidence from the right time climbs without hiding the rest.
Passages whose text names the asked-about month get a further boost.  At most
`per_article` passages of one article are returned, so one long article cannot crowd out others.

A period the question states ("in March 2023", "last week", "in February" asked on a known date;
not vague words like "recently", nor a month without a year when nothing anchors the year, nor a
period after the day the question was asked: "won't run again in 2024" names a plan) is
enforced (`enforce_period`): the windowed pass becomes exact, and when the archive covers the
period (within the user's filters it holds articles published in it, or the evidence found names
it: "won in 2009" in a 2022 article) the evidence is restricted to passages published in it (or
up to `period_grace_days` after: reports follow events) or naming it ("CPI for January 2023").
When it does not, retrieval works as above (nearest evidence, the period preferred) and
`period_coverage` says the period is not covered, so the answer says so (assistant/chain.py).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from assistant.answer import PeriodCoverage
from assistant.filters import Filters
from assistant.periods import Period, find_period, mentions_month, mentions_period, words_besides
from ingest.catalog import LexicalHit, StoredArticle
from ingest.dates import as_date
from ingest.index import Index
from ingest.vectors import VectorHit


@dataclass(frozen=True)
class RetrievalConfig:
    """Knobs of the retriever; defaults are the best configuration measured in docs/benchmarks.md."""

    dense: bool = True
    lexical: bool = True
    use_period: bool = True
    candidates: int = 40
    window_candidates: int = 20
    dense_pool: int = 200  # unfiltered nearest passages fetched once, then filtered in Python
    lexical_window: bool = True  # also run BM25 restricted to the window (one more FTS query)
    rrf_k: int = 60
    window_weight: float = 1.0
    month_mention_boost: float = 0.01
    asked_window_days: int = 14  # with `asked` but no time words: prefer news of the fortnight before
    per_article: int = 2
    enforce_period: bool = True  # a stated period restricts the evidence when the archive covers it (issue 13)
    # ... which relative periods too: "all" ("this week", "last month"), "last" (only "last/past/previous
    # week/month/year"), "none" (only named months, seasons and years).  Validation split: enforcing
    # "this week" cost 2.1 points of hit@5 and 6 of abstention (docs/benchmarks.md, issue 13).
    enforce_relative: str = "last"
    period_grace_days: int = 7  # ... to articles published in it or this many days after, or that name it
    period_named_depth: int = 10  # a period no article is dated in is covered when one of the best passages names it


@dataclass(frozen=True)
class Evidence:
    """One retrieved passage with everything a citation needs; `text == article.text[start:end]`."""

    rank: int
    chunk_id: str
    article_id: str
    title: str
    url: str
    published: str
    source: str
    start: int
    end: int
    text: str
    score: float
    dense: float = 0.0
    lexical: float = 0.0
    in_period: bool = False


@dataclass
class Retrieval:
    """What the retriever found, plus what later steps reuse (the query vector, the period)."""

    question: str
    evidence: list[Evidence]
    query_vector: np.ndarray
    period: Period | None = None
    anchor: date | None = None
    best_dense: float = 0.0
    terms: list[str] = field(default_factory=list)
    articles: dict[str, StoredArticle] = field(default_factory=dict)  # the cited articles, by id
    period_coverage: PeriodCoverage | None = None  # set when a stated period is enforced (covered or not)


# BM25 runs here while the calling thread encodes the question (see Retriever.retrieve).  One
# pool for the process: a Retriever is cheap to make (the Briefer makes one per brief).
_LEXICAL_WORKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="newsdesk-bm25")


class Retriever:
    def __init__(self, index: Index, config: RetrievalConfig | None = None) -> None:
        self.index = index
        self.config = config or RetrievalConfig()

    def newest_date(self) -> date | None:
        """The anchor of time words when the question's date is not known (see assistant/periods.py)."""
        return self.index.catalog.newest_day()

    def retrieve(
        self,
        question: str,
        filters: Filters = Filters(),
        asked: date | None = None,
        k: int = 5,
        query_vector: np.ndarray | None = None,
    ) -> Retrieval:
        """Top-k evidence; pass `query_vector` when the same question is retrieved repeatedly."""
        cfg = self.config
        anchor = asked or (date.fromisoformat(filters.until) if filters.until else None) or self.newest_date()
        period = find_period(question, anchor) if (cfg.use_period and anchor) else None
        terms = words_besides(period, question)
        # A month without a year ("in March") is a guess unless the question's own date anchors it:
        # without `asked` it stays a preference (articles say "in March" of many years).
        enforce = bool(
            period
            and cfg.enforce_period
            and period.explicit
            and (period.year_given or not period.month or asked)
            # Asked on a known day, a later period is a plan ("won't run for reelection in 2024"):
            # no news of it can exist yet, so it stays a preference and says nothing about coverage.
            and not (asked and period.start > asked)
            and (period.kind == "calendar" or cfg.enforce_relative == "all"
                 or (cfg.enforce_relative == "last" and not period.phrase.startswith("this")))
        )
        window: tuple[date, date] | None = None
        if period:
            grace = timedelta(days=cfg.period_grace_days if enforce and period.kind == "calendar" else 0)
            window = (period.start, period.end + grace)
        elif asked and cfg.asked_window_days:
            window = (asked - timedelta(days=cfg.asked_window_days), asked + timedelta(days=2))

        scores: dict[str, float] = {}
        spans: dict[str, tuple[str, int, int]] = {}
        dense_sim: dict[str, float] = {}
        lexical_score: dict[str, float] = {}

        # The passes to fuse: the user's filters, then (if any) the same narrowed to the window.
        passes: list[tuple[Filters, int, bool]] = [(filters, cfg.candidates, False)]
        if window:
            narrowed = filters.narrowed(*window)
            if not narrowed.since or not narrowed.until or narrowed.since <= narrowed.until:
                passes.append((narrowed, cfg.window_candidates, True))

        # BM25 needs only the question's words, so SQLite scores on the other core while MiniLM
        # encodes the question and Chroma searches (measured: ~9 ms off a ~190 ms ask, same run).
        lexical_jobs: list[Future[list[LexicalHit]] | None] = [
            _LEXICAL_WORKERS.submit(self.index.catalog.lexical_search, terms, n, f.scope)
            if cfg.lexical and terms and (cfg.lexical_window or not windowed)
            else None
            for f, n, windowed in passes
        ]
        vector = self.index.embedder.encode([question])[0] if query_vector is None else query_vector
        pool = self.index.vectors.query(vector, cfg.dense_pool) if cfg.dense else []

        def dense(f: Filters, n: int, windowed: bool) -> list[VectorHit]:
            scope = f.scope
            hits = [h for h in pool if scope.admits(h.published_day, h.source_key)]
            if len(hits) >= n or not f.active or (windowed and not filters.active and not enforce):
                return hits[:n]  # a date window is only a preference: the pool's share is enough
            return self.index.vectors.query(vector, n, scope)  # a user filter (or an enforced period) must be exact

        ranked_lists: list[tuple[list[tuple[str, str, int, int]], bool]] = []
        for (f, n, windowed), job in zip(passes, lexical_jobs):
            if cfg.dense:
                hits = dense(f, n, windowed)
                for h in hits:
                    dense_sim[h.chunk_id] = max(dense_sim.get(h.chunk_id, -1.0), h.similarity)
                ranked_lists.append(([(h.chunk_id, h.article_id, h.start, h.end) for h in hits], windowed))
            if job is not None:
                lex = job.result()
                for h in lex:
                    lexical_score[h.chunk_id] = max(lexical_score.get(h.chunk_id, 0.0), h.score)
                ranked_lists.append(([(h.chunk_id, h.article_id, h.start, h.end) for h in lex], windowed))

        best = max(dense_sim.values(), default=0.0)
        for ranked, windowed in ranked_lists:
            for rank, (cid, aid, start, end) in enumerate(ranked, start=1):
                weight = 1.0
                if windowed:
                    # Being from the right time only counts for passages that are on topic: weight
                    # the window's vote by how close the passage is to the best dense match.
                    relevance = max(0.0, dense_sim.get(cid, 0.0)) / best if best > 0 else 0.0
                    weight = cfg.window_weight * (relevance if cfg.dense else 1.0)
                    if period and not period.year_given and period.month:
                        weight *= 0.5  # the year of "in March" is a guess
                scores[cid] = scores.get(cid, 0.0) + weight / (cfg.rrf_k + rank)
                spans[cid] = (aid, start, end)

        articles = self.index.catalog.articles(aid for aid, _, _ in spans.values())
        # Vectors of an article the catalog does not hold (an interrupted ingest) are never cited.
        candidates = [cid for cid in scores if spans[cid][0] in articles]
        if period and period.month:
            for cid in candidates:
                aid, start, end = spans[cid]
                if mentions_month(articles[aid].text[start:end], period.month):
                    scores[cid] += cfg.month_mention_boost
        candidates.sort(key=lambda c: scores[c], reverse=True)
        coverage: PeriodCoverage | None = None
        about: set[str] = set()
        if enforce and period and window:
            dated, named = _about_period(candidates, spans, articles, period, window, terms)
            about = dated | named
            # Named by a passage on topic (of the best `k` of all), not by any story of that year.
            on_topic = set(candidates[: max(k, cfg.period_named_depth)])
            coverage = self.period_coverage(period, filters, mentioned=bool(named & on_topic))
            if coverage.covered:
                candidates = [cid for cid in candidates if cid in about]  # the period is a filter now

        evidence: list[Evidence] = []
        per_article: dict[str, int] = {}
        for cid in candidates:
            aid, start, end = spans[cid]
            if per_article.get(aid, 0) >= cfg.per_article:
                continue
            per_article[aid] = per_article.get(aid, 0) + 1
            art = articles[aid]
            published = as_date(art.published)
            evidence.append(
                Evidence(
                    rank=len(evidence) + 1,
                    chunk_id=cid,
                    article_id=aid,
                    title=art.title,
                    url=art.url,
                    published=art.published,
                    source=art.source,
                    start=start,
                    end=end,
                    text=art.text[start:end],
                    score=scores[cid],
                    dense=dense_sim.get(cid, 0.0),
                    lexical=lexical_score.get(cid, 0.0),
                    in_period=cid in about or bool(window and published and window[0] <= published <= window[1]),
                )
            )
            if len(evidence) >= k:
                break
        return Retrieval(
            question=question,
            evidence=evidence,
            query_vector=vector,
            period=period,
            anchor=anchor,
            best_dense=best,
            terms=terms,
            articles={ev.article_id: articles[ev.article_id] for ev in evidence},
            period_coverage=coverage,
        )

    def period_coverage(self, period: Period, filters: Filters, mentioned: bool = False) -> PeriodCoverage:
        """Whether the archive, within the filters, covers the period: it holds articles published
        in it, or the evidence found names it (`mentioned`: "won in 2009" in a 2022 article)."""
        narrowed = filters.narrowed(period.start, period.end)
        empty = bool(narrowed.since and narrowed.until and narrowed.since > narrowed.until)
        inside = 0 if empty else self.index.catalog.dated_range(narrowed.scope)[0]
        _, first, last = self.index.catalog.dated_range(filters.scope)
        covered = inside > 0 or mentioned
        return PeriodCoverage(period.label, period.start.isoformat(), period.end.isoformat(), covered, covered, first, last)



def _about_period(
    candidates: list[str],
    spans: dict[str, tuple[str, int, int]],
    articles: dict[str, StoredArticle],
    period: Period,
    window: tuple[date, date],
    terms: list[str],
) -> tuple[set[str], set[str]]:
    """(passages published in the window, passages whose headline or text names the period next
    to one of the question's words)."""
    dated: set[str] = set()
    named: set[str] = set()
    for cid in candidates:
        aid, start, end = spans[cid]
        article = articles[aid]
        day = as_date(article.published)
        if day and window[0] <= day <= window[1]:
            dated.add(cid)
        if mentions_period(f"{article.title}\n{article.text[start:end]}", period, terms):
            named.add(cid)
    return dated, named
