"""The Briefer: topic -> evidence from many articles -> statements -> facts -> a cited Brief.

One broad retrieval plus one per date window (so early coverage is not crowded out by late)
gathers evidence; facts.py turns it into statements and facts, views.py picks the summary,
timeline and what changed.  In extractive mode every line is a verbatim sentence of an article
and cites every article that reported it; with an LLM the summary is condensed by the model and
each sentence verified (assistant/llm/verify.py).  All quotes are re-checked against the catalog
before the brief is returned.  The heuristics and thresholds are explained in docs/briefings.md.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Sequence

import numpy as np

from assistant.answer import Citation
from assistant.api import checked_text
from assistant.briefing.event_dates import EventDate, resolve_event_date
from assistant.briefing.facts import Fact, cluster_facts, find_statements
from assistant.briefing.model import Brief, BriefConfig, BriefPoint, Change
from assistant.briefing.request import BriefRequest
from assistant.briefing.views import changed_facts, ranked_for_summary, summary_facts, timeline_facts, weekly_coverage
from assistant.citations import CitationNumbers, check_quotes, keep_cited
from assistant.filters import Filters
from assistant.periods import find_period, words_besides
from assistant.retrieve import Evidence, Retriever
from assistant.settings import AssistantSettings
from assistant.text import content_words
from ingest.catalog import Catalog, StoredArticle
from ingest.dates import as_date
from ingest.errors import ConfigError

if TYPE_CHECKING:
    from assistant.api import Assistant


class Briefer:
    """Builds a Brief from an Assistant's index; models are the assistant's, loaded once."""

    def __init__(self, assistant: "Assistant", config: BriefConfig | None = None) -> None:
        self.assistant = assistant
        self.index = assistant.index
        self.config = config or BriefConfig()
        cfg = self.config
        base = assistant.retriever.config
        self.retriever = Retriever(
            self.index, replace(base, candidates=max(base.candidates, cfg.candidates), per_article=cfg.per_article)
        )

    # -- the whole brief -------------------------------------------------------------------------
    def brief(self, request: BriefRequest | str, max_points: int = 12) -> Brief:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        if isinstance(request, str):
            request = BriefRequest(topic=request)
        anchor = self.retriever.newest_date()
        request = request.resolved(anchor)
        topic = " ".join(checked_text(request.topic, "the briefing topic").split())
        if max_points < 1:
            raise ConfigError(f"--max-points {max_points}: use 1 or more")
        filters = request.filters
        check_brief_backend(self.assistant.settings)
        brief = Brief(topic=topic, since=filters.since, until=filters.until, sources=filters.sources)

        t = time.perf_counter()
        terms = topic_terms(topic, anchor)
        with_all_words = self.index.catalog.articles_with_all_terms(terms, filters.scope)
        evidence, articles, query_vector = self._gather(topic, filters, with_all_words)
        timings["retrieve"] = _ms(t)

        t = time.perf_counter()
        statements = find_statements(
            evidence, articles, terms, query_vector, set(with_all_words), self.index.embedder, self.config
        )
        facts = cluster_facts(statements, self.config)
        timings["cluster"] = _ms(t)

        t = time.perf_counter()
        numbers = CitationNumbers()
        brief.summary = self._summary_points(topic, filters, facts, numbers, brief)
        brief.timeline = [f.point(numbers) for f in timeline_facts(facts, max_points, self.config)]
        brief.changes = [Change(a.point(numbers), b.point(numbers), sim) for a, b, sim in changed_facts(facts, self.config)]
        brief.citations = numbers.citations()
        timings["compose"] = _ms(t)

        published = {**{c.article_id: c.published for c in brief.citations}, **with_all_words}
        brief.coverage = weekly_coverage(published.values())
        brief.articles_considered = len({s.article.article_id for s in statements})
        undated = sum(1 for f in facts if f.when is None)
        if undated:
            brief.notes.append(f"{undated} relevant statement(s) of undated articles left out of the timeline (no date)")
        if brief.empty:
            where = " within these filters" if filters.active else ""
            brief.notes.append(f"nothing in the archive is about {topic!r}{where}")
        brief = verify_brief(brief, self.index.catalog)
        timings["total"] = _ms(started)
        brief.timings_ms = timings
        return brief

    def _summary_points(
        self, topic: str, filters: Filters, facts: list[Fact], numbers: CitationNumbers, brief: Brief
    ) -> list[BriefPoint]:
        """Quoted facts; with an LLM, its verified sentences first, quoted facts filling up to 3."""
        summary = summary_facts(facts, self.config)
        backend = self.assistant.settings.llm
        if backend == "extractive" or not summary:
            return [f.point(numbers) for f in summary]
        brief.backend = backend
        condensed, notes = self._condense(topic, filters, facts)
        brief.notes.extend(notes)
        if not condensed:
            brief.notes.append("no condensed sentence passed verification: the summary quotes the articles instead")
            return [f.point(numbers) for f in summary]
        points = [BriefPoint.dated(text, numbers.numbers(cites), when) for text, cites, when in condensed]
        covered = {(c.article_id, c.start) for _, cites, _ in condensed for c in cites}
        for fact in summary:
            if len(points) >= self.config.summary_min:
                break
            if not any((s.article.article_id, s.start) in covered for s in fact.statements):
                points.append(fact.point(numbers))
        return points

    def _condense(
        self, topic: str, filters: Filters, facts: list[Fact]
    ) -> tuple[list[tuple[str, list[Citation], EventDate | None]], list[str]]:
        """The summary written by the LLM from the leading facts, each sentence verified.

        The model sees one numbered passage per fact (its quoted sentence) and writes bullets
        ending in [n]; assistant/llm/verify.py keeps only sentences a passage supports and
        gives each the verbatim quote it rests on.  A kept sentence also cites the other
        outlets that reported the same fact, and takes that fact's event date.
        """
        from assistant import llm

        cfg = self.config
        chosen = ranked_for_summary(facts, cfg)[: cfg.llm_passages]
        passages = [llm.Passage(i + 1, f.lead.as_evidence(i + 1)) for i, f in enumerate(chosen)]
        period = f"{filters.since or 'the start of the archive'} to {filters.until or 'now'}" if filters.active else ""
        text = llm.complete(
            self.assistant.settings,
            "briefing",
            topic=topic,
            period=period,
            max_points=cfg.summary_max,
            passages=llm.format_passages([(p.n, p.evidence) for p in passages]),
        )
        articles = {f.lead.article.article_id: f.lead.article for f in chosen}
        answer = llm.verify(text, passages, articles, self.index.embedder, question=topic, backend=self.assistant.settings.llm)
        fact_of = {(s.article.article_id, s.start, s.end): f for f in chosen for s in f.statements}
        points: list[tuple[str, list[Citation], EventDate | None]] = []
        for sentence in answer.sentences:
            if not sentence.supported:
                continue
            cites = [answer.citations[n - 1] for n in sentence.citations]
            fact = next((fact_of[k] for k in ((c.article_id, c.start, c.end) for c in cites) if k in fact_of), None)
            if fact is not None:
                cites += [st.citation() for st in fact.statements]
            when = fact.when if fact else resolve_event_date(cites[0].quote, cites[0].published)
            points.append((sentence.text, cites, when))
        return points[: cfg.summary_max], [f"LLM summary: {note}" for note in answer.notes]

    # -- evidence -----------------------------------------------------------------------------
    def _gather(
        self, topic: str, filters: Filters, coverage: dict[str, str]
    ) -> tuple[list[Evidence], dict[str, StoredArticle], np.ndarray]:
        cfg = self.config
        base = self.retriever.retrieve(topic, filters, k=cfg.base_k)
        evidence = {ev.chunk_id: ev for ev in base.evidence}
        articles = dict(base.articles)
        days = [d for d in (as_date(ev.published) for ev in base.evidence) if d]
        days += [d for d in (as_date(p) for p in coverage.values()) if d]
        for start, end in date_windows(days, filters, cfg.windows):
            # One topic, many windows: embed the topic once.
            part = self.retriever.retrieve(topic, filters.narrowed(start, end), k=cfg.window_k, query_vector=base.query_vector)
            articles.update(part.articles)
            for ev in part.evidence:
                if ev.chunk_id not in evidence:
                    evidence[ev.chunk_id] = ev
        return list(evidence.values()), articles, base.query_vector


def topic_terms(topic: str, anchor: date | None) -> list[str]:
    """The topic's content words, without time words ("TikTok ban in March" -> tiktok, ban)."""
    return words_besides(find_period(topic, anchor) if anchor else None, topic) or content_words(topic)


def check_brief_backend(settings: AssistantSettings) -> None:
    """An LLM brief needs the LLM backend installed; say how to get a brief without one."""
    if settings.llm == "extractive":
        return
    try:
        import assistant.llm  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            f"briefings with --llm {settings.llm} need the LLM backend ({exc}); use --llm extractive for a quoted brief"
        ) from exc


def build_brief(
    assistant: "Assistant", request: BriefRequest | str, filters: Filters = Filters(), max_points: int = 12
) -> Brief:
    """A brief for a request (from `parse_briefing_request`) within the UI's filters.

    Dates named in the request ("since August") and the filter dates both apply: the brief covers
    where they overlap.  Sources given in either place are all allowed.
    """
    if isinstance(request, str):
        request = BriefRequest(topic=request)
    request = request.resolved(assistant.retriever.newest_date())
    merged = request.filters.combined(filters)
    return make_brief(assistant, replace(request, since=merged.since, until=merged.until, sources=merged.sources), max_points)


def make_brief(
    assistant: "Assistant", request: BriefRequest | str, max_points: int = 12, config: BriefConfig | None = None
) -> Brief:
    """The Python API: `make_brief(Assistant.open(...), "North Korea")`."""
    return Briefer(assistant, config).brief(request, max_points)


def date_windows(days: Sequence[date], filters: Filters, count: int) -> list[tuple[date, date]]:
    """Split the covered period (filters, else the dates seen) into `count` equal windows (>= 1 week)."""
    if count < 1 or not days and not (filters.since and filters.until):
        return []
    first = date.fromisoformat(filters.since) if filters.since else min(days)
    last = date.fromisoformat(filters.until) if filters.until else max(days)
    if days:
        first = max(first, min(days)) if filters.since else first
        last = min(last, max(days)) if filters.until else last
    span = (last - first).days + 1
    if span <= 0:
        return []
    count = max(1, min(count, span // 7))
    step = span / count
    windows = []
    for i in range(count):
        start = first + timedelta(days=round(i * step))
        end = first + timedelta(days=round((i + 1) * step) - 1)
        windows.append((start, end))
    return windows


def verify_brief(brief: Brief, catalog: Catalog) -> Brief:
    """Every quote verbatim in its article (re-read from the catalog), or out; uncited lines go too.

    Citations are renumbered by first appearance afterwards, so markers and sources still match.
    """
    check = check_quotes(brief.citations, catalog)
    brief.notes.extend(check.notes)
    if not check.changed:
        return brief
    numbers = CitationNumbers()
    brief.summary = keep_cited(brief.summary, check.kept, numbers)
    brief.timeline = keep_cited(brief.timeline, check.kept, numbers)
    changes = []
    for change in brief.changes:
        if all(set(point.citations) & check.kept.keys() for point in (change.before, change.after)):
            before, after = keep_cited([change.before, change.after], check.kept, numbers)
            changes.append(replace(change, before=before, after=after))
    brief.changes = changes
    brief.citations = numbers.citations()
    return brief


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000
