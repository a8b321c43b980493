"""The Briefer: topic -> names -> on-topic evidence -> gated statements -> events -> a cited Brief.

1. topic.py reads the topic against the archive: its names (with aliases) and other words;
2. evidence.py finds the articles that name the topic and their statements anchored to it;
3. the relevance gate (relevance.py, a pluggable score source) keeps the statements about it;
4. facts.py merges the reports of one event into one fact;
5. views.py and changes.py choose the timeline, summary, undated section and what changed,
   no line repeating another; numbering.py gives each article one number.
In extractive mode every line is a verbatim sentence of an article; with an LLM the summary is
condensed by the model and each sentence verified (assistant/llm/verify.py).  All quotes are
re-checked against the catalog before the brief is returned.  docs/briefings.md explains the
rules and thresholds.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.answer import Citation
from assistant.api import checked_text
from assistant.briefing.changes import changed_facts
from assistant.briefing.event_dates import EventDate, resolve_event_date
from assistant.briefing.evidence import gather
from assistant.briefing.facts import Fact, Statement, cluster_facts
from assistant.briefing.labels import event_label
from assistant.briefing.model import Brief, BriefConfig, BriefPoint, Change
from assistant.briefing.numbering import ArticleNumbers, verify_brief
from assistant.briefing.relevance import MiniLMOverlapScorer, RelevanceScorer, VectorCache
from assistant.briefing.request import BriefRequest
from assistant.briefing.topic import TopicTerms, analyse_topic
from assistant.briefing.views import ranked_for_summary, summary_facts, timeline_facts, undated_facts, weekly_coverage
from assistant.filters import Filters
from assistant.settings import AssistantSettings
from assistant.text import stem
from ingest.errors import ConfigError

if TYPE_CHECKING:
    from assistant.api import Assistant


class Briefer:
    """Builds a Brief from an Assistant's index; models are the assistant's, loaded once.

    `scorer` is the relevance gate's score source (relevance.RelevanceScorer); by default
    MiniLM cosine + topic-word overlap over the index's embedder.
    """

    def __init__(self, assistant: "Assistant", config: BriefConfig | None = None, scorer: RelevanceScorer | None = None) -> None:
        self.assistant = assistant
        self.index = assistant.index
        self.config = config or BriefConfig()
        self.scorer = scorer

    def brief(self, request: BriefRequest | str, max_points: int = 12) -> Brief:
        # A request's typed dates ("since 01/09/2017") are read in the index's date order.
        with self.assistant.dates.reading():
            return self._brief(request, max_points)

    def _brief(self, request: BriefRequest | str, max_points: int) -> Brief:
        started = time.perf_counter()
        timings: dict[str, float] = {}
        if isinstance(request, str):
            request = BriefRequest(topic=request)
        catalog = self.index.catalog
        anchor = self.assistant.retriever.newest_date()  # never a future date (a misdated article)
        request = request.resolved(anchor)
        topic = " ".join(checked_text(request.topic, "the briefing topic").split())
        if max_points < 1:
            raise ConfigError(f"--max-points {max_points}: use 1 or more")
        filters = request.filters
        check_brief_backend(self.assistant.settings)
        brief = Brief(topic=topic, since=filters.since, until=filters.until, sources=filters.sources)
        cfg = self.config

        t = time.perf_counter()
        terms = analyse_topic(topic, catalog, anchor)
        brief.terms = terms.to_dict()
        gathered = gather(terms, catalog, filters, cfg)
        timings["gather"] = _ms(t)

        t = time.perf_counter()
        statements = self._gate(topic, gathered.statements, terms)
        timings["relevance"] = _ms(t)

        t = time.perf_counter()
        ignore = topic_stems(terms)
        facts, stale = cluster_facts(statements, cfg, ignore)
        timings["merge"] = _ms(t)

        t = time.perf_counter()
        numbers = ArticleNumbers()
        timeline = timeline_facts(facts, max_points, cfg)
        summary = summary_facts(facts, timeline, cfg)
        undated = undated_facts(facts, [*timeline, *summary], cfg)
        brief.summary = self._summary_points(topic, filters, facts, timeline, summary, numbers, brief)
        brief.timeline = [point(f, numbers, labelled=True) for f in timeline]
        brief.undated = [point(f, numbers) for f in undated]
        brief.changes = [
            Change(point(a, numbers), point(b, numbers), cosine, difference)
            for a, b, cosine, difference in changed_facts(facts, cfg, ignore)
        ]
        numbers.finish(brief)
        timings["compose"] = _ms(t)

        published = {**gathered.on_topic, **{c.article_id: c.published for c in brief.citations}}
        brief.coverage = weekly_coverage(published.values())
        brief.articles_considered = len({s.article.article_id for s in statements})
        brief.notes += _notes(terms, filters, statements, gathered.statements, stale, cfg)
        brief = verify_brief(brief, catalog)
        timings["total"] = _ms(started)
        brief.timings_ms = timings
        return brief

    def _gate(self, topic: str, statements: list[Statement], terms: TopicTerms) -> list[Statement]:
        """The relevance gate: statements scoring at least the scorer's threshold, with vectors."""
        if not statements:
            return []
        cache = VectorCache(self.index.embedder.encode)
        forms = [[g.label, *(a.form for a in g.aliases)] for g in terms.groups]
        scorer = self.scorer or MiniLMOverlapScorer(cache.encode, forms)
        scores = scorer.score(topic, [(s.quote, s.article.title) for s in statements])
        if len(scores) != len(statements):
            raise ValueError(f"relevance scorer {type(scorer).__name__} gave {len(scores)} scores for {len(statements)} sentences")
        kept = [s for s, score in zip(statements, scores, strict=True) if float(score) >= scorer.threshold]
        for s, score in zip(statements, scores, strict=True):
            s.relevance = float(score) + (0.03 if s.lead else 0.0)
        vectors = cache.encode([s.quote for s in kept])
        for s, vector in zip(kept, vectors, strict=True):
            s.vector = vector
        return kept

    def _summary_points(
        self, topic: str, filters: Filters, facts: list[Fact], timeline: list[Fact], summary: list[Fact],
        numbers: ArticleNumbers, brief: Brief,
    ) -> list[BriefPoint]:  # fmt: skip
        """Quoted facts; with an LLM, its verified sentences first, quoted facts filling up to 3."""
        backend = self.assistant.settings.llm
        if backend == "extractive" or not summary:
            return [point(f, numbers) for f in summary]
        brief.backend = backend
        pool = [f for f in facts if not any(f is t for t in timeline)]
        condensed, notes = self._condense(topic, filters, pool)
        brief.notes.extend(notes)
        if not condensed:
            brief.notes.append("no condensed sentence passed verification: the summary quotes the articles instead")
            return [point(f, numbers) for f in summary]
        points = []
        for text, cites, when in condensed:
            ns, qs = numbers.add(cites)
            points.append(BriefPoint.dated(text, ns, when, qs))
        covered = {(c.article_id, c.start) for _, cites, _ in condensed for c in cites}
        for fact in summary:
            if len(points) >= self.config.summary_min:
                break
            if not any((s.article.article_id, s.start) in covered for s in fact.statements):
                points.append(point(fact, numbers))
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
        chosen = ranked_for_summary(facts)[: cfg.llm_passages]
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


def point(fact: Fact, numbers: ArticleNumbers, labelled: bool = False) -> BriefPoint:
    """The fact as a brief line: its lead quoted, every article that reported it cited once."""
    ns, qs = numbers.add(s.citation() for s in fact.statements)
    return BriefPoint.dated(fact.lead.quote, ns, fact.when, qs, event_label(fact.lead.quote) if labelled else "")


def topic_stems(terms: TopicTerms) -> set[str]:
    """Stems of every word of the topic's terms and aliases: not evidence of a shared actor or subject."""
    forms = [form for g in terms.groups for form in (g.label, *(a.form for a in g.aliases))]
    return {stem(w.lower().strip(".,'’")) for form in forms for w in form.split()}


def _notes(
    terms: TopicTerms, filters: Filters, kept: list[Statement], found: list[Statement], stale: int, cfg: BriefConfig
) -> list[str]:
    """What the reader should know about the evidence: what the topic was matched as, too little
    evidence, reports left out."""
    notes = []
    described = [
        g.label + (f" (also {', '.join(a.form for a in g.aliases[:4])})" if g.aliases else "") for g in terms.names
    ]
    if described:
        notes.append("matched as names: " + "; ".join(described))
    where = " within these filters" if filters.active else ""
    articles = len({s.article.article_id for s in kept})
    if not kept:
        notes.append(f"nothing in the archive{where} is about {terms.topic!r}: no article names it, or none of its statements is about it")
    elif len(kept) < cfg.min_statements:
        notes.append(
            f"too little on-topic evidence{where}: {len(kept)} statement(s) from {articles} article(s); nothing else is added"
        )
    if len(found) > len(kept):
        notes.append(f"{len(found) - len(kept)} statement(s) of on-topic articles left out by the relevance gate")
    if stale:
        notes.append(f"{stale} report(s) left out of events dated after their article's publication (pages updated later)")
    return notes


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
    with assistant.dates.reading():  # "since 01/09/2017" in the request, in the index's date order
        request = request.resolved(assistant.retriever.newest_date())
        merged = request.filters.combined(filters)
    return make_brief(assistant, replace(request, since=merged.since, until=merged.until, sources=merged.sources), max_points)


def make_brief(
    assistant: "Assistant",
    request: BriefRequest | str,
    max_points: int = 12,
    config: BriefConfig | None = None,
    scorer: RelevanceScorer | None = None,
) -> Brief:
    """The Python API: `make_brief(Assistant.open(...), "North Korea")`."""
    return Briefer(assistant, config, scorer).brief(request, max_points)


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000
