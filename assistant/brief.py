"""Briefings: the state of a topic, a dated timeline and what changed, every line cited.

topic -> evidence from many articles (one broad retrieval plus one per date window, so early
coverage is not crowded out by late) -> statements (whole quotable sentences, each with its
event date, see assistant/event_dates.py) -> facts (the same statement reported by several
outlets, clustered by MiniLM cosine + word overlap and compatible dates) -> three views:

- summary: 3-5 facts that best describe the current state: relevant, reported by many
  articles, recent;
- timeline: the most relevant dated facts in chronological order;
- what changed: pairs of facts on the same subject, weeks apart, that say different things.

In extractive mode every line is a verbatim sentence of an article and cites every article
that reported it; all quotes are re-checked against the catalog before the brief is returned.
The heuristics and their thresholds are explained in docs/briefings.md.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

import numpy as np

from assistant.answer import Citation
from assistant.event_dates import (
    PRECISIONS,
    EventDate,
    date_mentions,
    published_date,
    resolve_event_date,
    without_dates,
)
from assistant.extractive import overlap_scores
from assistant.periods import find_period
from assistant.retrieve import Evidence, Filters, Retriever
from assistant.text import content_words, stem
from ingest.catalog import Catalog, StoredArticle, day_number
from ingest.dates import normalise_date
from ingest.errors import ConfigError
from ingest.sentences import sentence_spans
from ingest.settings import Settings

if TYPE_CHECKING:
    from assistant.api import Assistant


# ---------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class BriefRequest:
    """What to brief on.  `period` keeps a time phrase ("since August") until it can be resolved
    against the archive's newest date (see `resolved`)."""

    topic: str
    since: str = ""
    until: str = ""
    sources: tuple[str, ...] = ()
    period: str = ""
    kind: str = "brief"  # "brief" | "timeline": what the user asked for; both get a full brief

    def resolved(self, anchor: date | None) -> "BriefRequest":
        """since/until filled from `period`, resolved against `anchor` (the archive's newest date)."""
        if not self.period or anchor is None:
            return self
        since, until = _period_bounds(self.period, anchor)
        return replace(self, since=self.since or since, until=self.until or until, period="")


@dataclass(frozen=True)
class BriefPoint:
    """One cited line of a brief: a summary bullet or a timeline entry.

    `text` is a verbatim quote (extractive) or a verified condensation (LLM); `citations` are
    numbers into `Brief.citations`.  `date` is the event date at its `precision`
    (2017-08-22, 2017-03, ...); `date_basis` says whether the text stated it ("text", with
    `date_phrase` the words) or it is the publication date ("published").
    """

    text: str
    citations: tuple[int, ...]
    date: str = ""
    precision: str = ""
    date_basis: str = ""
    date_phrase: str = ""

    @property
    def date_label(self) -> str:
        return f"week of {self.date}" if self.precision == "week" else self.date

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "citations": list(self.citations),
            "date": self.date,
            "precision": self.precision,
            "date_basis": self.date_basis,
            "date_phrase": self.date_phrase,
        }


@dataclass(frozen=True)
class Change:
    """What changed: an earlier and a later point on the same subject, side by side."""

    before: BriefPoint
    after: BriefPoint
    similarity: float  # how close the two are in meaning (same subject)

    def to_dict(self) -> dict[str, Any]:
        return {"before": self.before.to_dict(), "after": self.after.to_dict(), "similarity": round(self.similarity, 3)}


@dataclass(frozen=True)
class WeekCoverage:
    """How many articles about the topic were published in the week starting `week` (a Monday)."""

    week: str
    articles: int


@dataclass
class Brief:
    topic: str
    since: str = ""
    until: str = ""
    sources: tuple[str, ...] = ()
    summary: list[BriefPoint] = field(default_factory=list)
    timeline: list[BriefPoint] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    coverage: list[WeekCoverage] = field(default_factory=list)
    articles_considered: int = 0
    backend: str = "extractive"
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.summary or self.timeline)

    def points(self) -> Iterable[BriefPoint]:
        yield from self.summary
        yield from self.timeline
        for change in self.changes:
            yield change.before
            yield change.after

    def to_dict(self) -> dict[str, Any]:
        """The `--json` shape; citations have the same keys as `ask` citations."""
        return {
            "topic": self.topic,
            "since": self.since,
            "until": self.until,
            "sources": list(self.sources),
            "summary": [p.to_dict() for p in self.summary],
            "timeline": [p.to_dict() for p in self.timeline],
            "changes": [c.to_dict() for c in self.changes],
            "citations": [asdict(c) for c in self.citations],
            "coverage": [asdict(w) for w in self.coverage],
            "articles_considered": self.articles_considered,
            "backend": self.backend,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class BriefConfig:
    """Knobs of the briefing; docs/briefings.md explains each threshold."""

    base_k: int = 48  # passages of the broad retrieval
    window_k: int = 10  # passages per date window
    windows: int = 6
    per_article: int = 4  # passages of one article per retrieval
    candidates: int = 96
    max_statements: int = 240  # sentences embedded per brief (the latency budget)
    min_words: int = 6
    max_words: int = 70
    # relevance = semantic * cos(sentence, topic) + lexical * topic-word overlap + article * article relevance
    semantic_weight: float = 0.5
    lexical_weight: float = 0.3
    article_weight: float = 0.2
    min_relevance: float = 0.3
    min_article_similarity: float = 0.3  # best passage cosine for an article without every topic word
    min_semantic_without_words: float = 0.4  # a sentence sharing no topic word must be this close
    lead_bonus: float = 0.04  # a story's first sentence states its news
    text_date_bonus: float = 0.03  # a sentence that dates its event is an event sentence
    # the same fact: cosine >= same_fact_cosine, or >= related_cosine with enough shared words
    same_fact_cosine: float = 0.80
    related_cosine: float = 0.66
    same_fact_overlap: float = 0.35
    undated_cosine: float = 0.80  # a statement without any date joins only on a close match
    published_slack_days: int = 7  # an undated event happened in the week before publication
    summary_min: int = 3  # an LLM summary is topped up with quoted facts to this many
    summary_max: int = 5
    recency_half_life_days: float = 14.0  # the least half-life; else a quarter of the period covered
    per_article_points: int = 3  # timeline entries led by one article
    published_date_factor: float = 0.8  # timeline rank of a fact dated only by publication
    change_min_cosine: float = 0.55
    change_max_overlap: float = 0.6
    change_min_gap_days: int = 14
    change_cue_bonus: float = 0.1
    max_changes: int = 3
    llm_passages: int = 10  # facts shown to the LLM for the condensed summary


# ---------------------------------------------------------------------------------------------
# Statements and facts


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
        a = self.article
        return Citation(0, a.article_id, a.title, a.url, a.published, a.source, self.quote, self.start, self.end)


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

    def point(self, numbers: "CitationNumbers") -> BriefPoint:
        when = self.when
        return BriefPoint(
            text=self.lead.quote,
            citations=tuple(numbers.number(s.citation()) for s in self.statements),
            date=when.iso if when else "",
            precision=when.precision if when else "",
            date_basis=when.basis if when else "",
            date_phrase=when.phrase if when else "",
        )


class CitationNumbers:
    """Numbers quotes by first appearance; a quote cited twice keeps one number (like `compose`)."""

    def __init__(self) -> None:
        self.by_quote: dict[tuple[str, int, int], Citation] = {}

    def number(self, c: Citation) -> int:
        key = (c.article_id, c.start, c.end)
        if key not in self.by_quote:
            self.by_quote[key] = replace(c, n=len(self.by_quote) + 1)
        return self.by_quote[key].n

    def citations(self) -> list[Citation]:
        return list(self.by_quote.values())


# Datelines ("WASHINGTON — ") and list markers open a sentence but are not part of what it says.
_DATELINE = re.compile(r"^(?:[A-Z][A-Z.'’\-]*(?:[ ,]+[A-Z][A-Z.'’\-]*)*\s*(?:\([^)]{1,40}\)\s*)?[—–-]+\s+|[-*•]\s+)")
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")
_CONDITIONAL = re.compile(r"[\"“‘']?(?:If|Unless|Whether|Should)\b")
_NUMBER = re.compile(r"\d[\d,.]*")
_CHANGE_CUES = re.compile(
    r"\b(?:soften\w*|harden\w*|shift\w*|revers\w*|no longer|instead|now|for the first time|u-turn|"
    r"eas(?:e|ed|ing)|tighten\w*|toughen\w*|relax\w*|lift(?:ed|ing)?|drop(?:ped)?|chang\w*|"
    r"back(?:ed)? down|retreat\w*|abandon\w*|reversal|turnaround|come down|came down)\b",
    re.I,
)


# ---------------------------------------------------------------------------------------------
# The briefer


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
        topic = " ".join(request.topic.split())
        if not topic:
            raise ConfigError("the briefing topic is empty")
        if max_points < 1:
            raise ConfigError(f"--max-points {max_points}: use 1 or more")
        filters = Filters.parse(request.since, request.until, request.sources)
        check_brief_backend(self.assistant.settings)
        brief = Brief(topic=topic, since=filters.since, until=filters.until, sources=filters.sources)

        t = time.perf_counter()
        terms = topic_terms(topic, anchor)
        with_all_words = articles_matching_all(self.index.catalog, terms, filters)
        evidence, articles, query_vector = self._gather(topic, filters, with_all_words)
        timings["retrieve"] = _ms(t)

        t = time.perf_counter()
        statements = self._statements(evidence, articles, terms, query_vector, set(with_all_words))
        facts = self._facts(statements)
        timings["cluster"] = _ms(t)

        t = time.perf_counter()
        numbers = CitationNumbers()
        brief.summary = self._summary_points(topic, filters, facts, numbers, brief)
        brief.timeline = [f.point(numbers) for f in self._timeline(facts, max_points)]
        brief.changes = [Change(a.point(numbers), b.point(numbers), sim) for a, b, sim in self._changes(facts)]
        brief.citations = numbers.citations()
        timings["compose"] = _ms(t)

        published = {**{c.article_id: c.published for c in brief.citations}, **with_all_words}
        brief.coverage = weekly_coverage(published.values())
        brief.articles_considered = len({s.article.article_id for s in statements})
        undated = sum(1 for f in facts if f.when is None)
        if undated:
            brief.notes.append(f"{undated} relevant statement(s) of undated articles left out of the timeline (no date)")
        if brief.empty:
            where = " within these filters" if _narrowed(filters) else ""
            brief.notes.append(f"nothing in the archive is about {topic!r}{where}")
        brief = verify_brief(brief, self.index.catalog)
        timings["total"] = _ms(started)
        brief.timings_ms = timings
        return brief

    def _summary_points(
        self, topic: str, filters: Filters, facts: list[Fact], numbers: "CitationNumbers", brief: Brief
    ) -> list[BriefPoint]:
        """Quoted facts; with an LLM, its verified sentences first, quoted facts filling up to 3."""
        summary = self._summary(facts)
        backend = self.assistant.settings.llm
        if backend == "extractive" or not summary:
            return [f.point(numbers) for f in summary]
        brief.backend = backend
        condensed, notes = self._condense(topic, filters, facts)
        brief.notes.extend(notes)
        if not condensed:
            brief.notes.append("no condensed sentence passed verification: the summary quotes the articles instead")
            return [f.point(numbers) for f in summary]
        points = [_condensed_point(text, cites, when, numbers) for text, cites, when in condensed]
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
        ending in [n]; assistant/llm_verify.py keeps only sentences a passage supports and
        gives each the verbatim quote it rests on.  A kept sentence also cites the other
        outlets that reported the same fact, and takes that fact's event date.
        """
        from assistant import llm

        cfg = self.config
        chosen = self._ranked_for_summary(facts)[: cfg.llm_passages]
        passages = [llm.Passage(i + 1, _statement_evidence(f.lead, i + 1)) for i, f in enumerate(chosen)]
        period = f"{filters.since or 'the start of the archive'} to {filters.until or 'now'}" if _narrowed(filters) else ""
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
        days = [d for d in (published_date(ev.published) for ev in base.evidence) if d]
        days += [d for d in (published_date(p) for p in coverage.values()) if d]
        for start, end in date_windows(days, filters, cfg.windows):
            # One topic, many windows: embed the topic once.
            part = self.retriever.retrieve(topic, filters.narrowed(start, end), k=cfg.window_k, query_vector=base.query_vector)
            articles.update(part.articles)
            for ev in part.evidence:
                if ev.chunk_id not in evidence:
                    evidence[ev.chunk_id] = ev
        return list(evidence.values()), articles, base.query_vector

    # -- statements -------------------------------------------------------------------------
    def _statements(
        self,
        evidence: list[Evidence],
        articles: dict[str, StoredArticle],
        terms: list[str],
        query_vector: np.ndarray,
        with_all_words: set[str],
    ) -> list[Statement]:
        """Quotable sentences of on-topic articles, scored for relevance to the topic.

        Retrieval always returns something, so two gates keep a brief on "Hawaii volcano" from
        quoting whatever is nearest: an article counts only when one of its passages is close to
        the topic (`min_article_similarity`) or it contains every topic word (FTS); a sentence
        counts only when it shares a topic word or is close in meaning on its own.
        """
        cfg = self.config
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
                start = _skip_dateline(article.text, start, end)
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
        vectors = self.index.embedder.encode([s.quote for s in found])
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

    # -- facts --------------------------------------------------------------------------------
    def _facts(self, statements: list[Statement]) -> list[Fact]:
        """Greedy clustering, best statement first: a statement joins the first fact it matches."""
        ordered = sorted(statements, key=lambda s: s.relevance, reverse=True)
        facts: list[Fact] = []
        for s in ordered:
            home = None
            for fact in facts:
                if s.article.article_id in fact.article_ids:
                    continue
                if any(self.same_fact(s, other) for other in fact.statements):
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

    def same_fact(self, a: Statement, b: Statement) -> bool:
        cfg = self.config
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

    # -- views --------------------------------------------------------------------------------
    def _ranked_for_summary(self, facts: list[Fact]) -> list[Fact]:
        """The current state: relevant facts, weighted by how many outlets reported them and how recent.

        Recency halves the weight every quarter of the period the evidence covers (at least
        `recency_half_life_days`), so "recent" means the same thing for a week and for a year.
        """
        cfg = self.config
        dated = [f.when.start for f in facts if f.when]
        if dated:
            newest, oldest = max(dated), min(dated)
            half_life = max(cfg.recency_half_life_days, (newest - oldest).days / 4)

        def weight(f: Fact) -> float:
            if not dated or f.when is None:
                return f.score * 0.25
            return f.score * 0.5 ** (max(0, (newest - f.when.start).days) / half_life)

        return sorted(facts, key=weight, reverse=True)

    def _summary(self, facts: list[Fact]) -> list[Fact]:
        chosen = _limit_per_article(self._ranked_for_summary(facts), self.config.summary_max, 2)
        return sorted(chosen, key=lambda f: (f.when.sort_key if f.when else (date.min, 0)), reverse=True)

    def _timeline(self, facts: list[Fact], max_points: int) -> list[Fact]:
        """The most relevant dated facts, in chronological order.

        A fact whose own text dates it ("on Monday", "in March") is an event placed where it
        happened; one dated only by publication is more often background or comment, so it
        ranks lower (`published_date_factor`).
        """
        cfg = self.config

        def rank(f: Fact) -> float:
            return f.score * (1.0 if f.when and f.when.basis == "text" else cfg.published_date_factor)

        dated = sorted((f for f in facts if f.when), key=rank, reverse=True)
        chosen = _limit_per_article(dated, max_points, cfg.per_article_points)
        return sorted(chosen, key=lambda f: (f.when.sort_key, -f.score))  # type: ignore[union-attr]

    def _changes(self, facts: list[Fact]) -> list[tuple[Fact, Fact, float]]:
        """Same subject (cosine), said differently (few shared words), weeks apart, and either both
        events dated by their own text or a change named in the words ("softening", "no longer")."""
        cfg = self.config
        dated = [f for f in facts if f.when and f.lead.vector is not None][:60]
        pairs: list[tuple[float, Fact, Fact, float]] = []
        for i, a in enumerate(dated):
            for b in dated[i + 1 :]:
                early, late = (a, b) if a.when.sort_key <= b.when.sort_key else (b, a)  # type: ignore[union-attr]
                gap = (late.when.start - early.when.end).days  # type: ignore[union-attr]
                if gap < cfg.change_min_gap_days:
                    continue
                cued = bool(_CHANGE_CUES.search(late.lead.quote) or _CHANGE_CUES.search(early.lead.quote))
                if not cued and (early.when.basis != "text" or late.when.basis != "text"):  # type: ignore[union-attr]
                    continue  # "then" and "later" must be events the text dates, unless it names the change
                cosine = float(early.lead.vector @ late.lead.vector)  # type: ignore[operator]
                overlap = word_overlap(early.lead.quote, late.lead.quote)
                if cosine < cfg.change_min_cosine or overlap > cfg.change_max_overlap:
                    continue
                score = cosine * (1.0 - overlap) * min(1.0, math.log1p(gap / 7) / math.log1p(26))
                score *= math.sqrt(early.score * late.score)
                if cued:
                    score += cfg.change_cue_bonus * math.sqrt(early.score * late.score)
                pairs.append((score, early, late, cosine))
        pairs.sort(key=lambda p: p[0], reverse=True)
        chosen: list[tuple[Fact, Fact, float]] = []
        used: set[int] = set()
        for _, early, late, cosine in pairs:
            if id(early) in used or id(late) in used:
                continue
            used.update((id(early), id(late)))
            chosen.append((early, late, cosine))
            if len(chosen) >= cfg.max_changes:
                break
        return sorted(chosen, key=lambda p: p[1].when.sort_key)  # type: ignore[union-attr]


def topic_terms(topic: str, anchor: date | None) -> list[str]:
    """The topic's content words, without time words ("TikTok ban in March" -> tiktok, ban)."""
    period = find_period(topic, anchor) if anchor else None
    period_words = set(content_words(period.phrase)) if period else set()
    return [t for t in content_words(topic) if t not in period_words] or content_words(topic)


def check_brief_backend(settings: Settings) -> None:
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
    assistant: "Assistant",
    request: BriefRequest | str,
    since: str = "",
    until: str = "",
    sources: Sequence[str] = (),
    max_points: int = 12,
) -> Brief:
    """A brief for a request (from `parse_briefing_request`) within the UI's filters.

    Dates named in the request ("since August") and the filter dates both apply: the brief covers
    where they overlap.  Sources given in either place are all allowed.
    """
    if isinstance(request, str):
        request = BriefRequest(topic=request)
    request = request.resolved(assistant.retriever.newest_date())
    limits = Filters.parse(since or None, until or None, tuple(sources))
    merged = replace(
        request,
        since=max(request.since, limits.since) if request.since and limits.since else request.since or limits.since,
        until=min(request.until, limits.until) if request.until and limits.until else request.until or limits.until,
        sources=tuple(dict.fromkeys([*request.sources, *limits.sources])),
    )
    return make_brief(assistant, merged, max_points)


def make_brief(
    assistant: "Assistant", request: BriefRequest | str, max_points: int = 12, config: BriefConfig | None = None
) -> Brief:
    """The Python API: `make_brief(Assistant.open(...), "North Korea")`."""
    return Briefer(assistant, config).brief(request, max_points)


# ---------------------------------------------------------------------------------------------
# Pieces with no state


def _statement_evidence(statement: Statement, rank: int) -> Evidence:
    a = statement.article
    return Evidence(
        rank=rank,
        chunk_id=f"{a.article_id}:{statement.start}",
        article_id=a.article_id,
        title=a.title,
        url=a.url,
        published=a.published,
        source=a.source,
        start=statement.start,
        end=statement.end,
        text=statement.quote,
        score=statement.relevance,
    )


def _condensed_point(text: str, cites: list[Citation], when: EventDate | None, numbers: CitationNumbers) -> BriefPoint:
    return BriefPoint(
        text=text,
        citations=tuple(dict.fromkeys(numbers.number(c) for c in cites)),
        date=when.iso if when else "",
        precision=when.precision if when else "",
        date_basis=when.basis if when else "",
        date_phrase=when.phrase if when else "",
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


def _skip_dateline(text: str, start: int, end: int) -> int:
    match = _DATELINE.match(text, start, end)
    return match.end() if match and match.end() < end else start


def _first_body_sentence(article: StoredArticle, spans: list[tuple[int, int]], cfg: BriefConfig) -> tuple[int, int] | None:
    """The story's first real sentence (not a headline, byline or heading)."""
    for start, end in spans:
        quote = article.text[start:end]
        if len(quote.split()) >= cfg.min_words and _ENDS_SENTENCE.search(quote):
            return (start, end)
    return None


def _limit_per_article(ranked: list[Fact], limit: int, per_article: int) -> list[Fact]:
    chosen: list[Fact] = []
    used: dict[str, int] = {}
    for fact in ranked:
        aid = fact.lead.article.article_id
        if used.get(aid, 0) >= per_article:
            continue
        used[aid] = used.get(aid, 0) + 1
        chosen.append(fact)
        if len(chosen) >= limit:
            break
    return chosen


def _narrowed(filters: Filters) -> bool:
    return bool(filters.since or filters.until or filters.sources)


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


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


def articles_matching_all(catalog: Catalog, terms: Sequence[str], filters: Filters) -> dict[str, str]:
    """article_id -> published for articles with every term (FTS, porter stems), within filters."""
    words = [t for t in terms if t]
    if not words:
        return {}
    query = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
    where, params = ["chunks_fts MATCH ?"], [query]
    if filters.since:
        where.append("a.published_day >= ?")
        params.append(day_number(filters.since))  # type: ignore[arg-type]
    if filters.until:
        where.append("a.published_day <= ? AND a.published_day > 0")
        params.append(day_number(filters.until))  # type: ignore[arg-type]
    if filters.sources:
        where.append(f"lower(a.source) IN ({','.join('?' * len(filters.sources))})")
        params.extend(s.lower() for s in filters.sources)
    rows = catalog.db.execute(
        "SELECT DISTINCT a.article_id, a.published FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
        f"JOIN articles a ON a.article_id = c.article_id WHERE {' AND '.join(where)}",
        params,
    ).fetchall()
    return {aid: published for aid, published in rows}


def weekly_coverage(published: Iterable[str]) -> list[WeekCoverage]:
    """Articles per week (weeks start on Monday), with empty weeks in between filled with 0."""
    counts: dict[date, int] = {}
    for value in published:
        day = published_date(value)
        if day is None:
            continue
        monday = day - timedelta(days=day.weekday())
        counts[monday] = counts.get(monday, 0) + 1
    if not counts:
        return []
    week, last = min(counts), max(counts)
    out: list[WeekCoverage] = []
    while week <= last:
        out.append(WeekCoverage(week.isoformat(), counts.get(week, 0)))
        week += timedelta(days=7)
    return out


# ---------------------------------------------------------------------------------------------
# Verification


def verify_brief(brief: Brief, catalog: Catalog) -> Brief:
    """Every quote verbatim in its article (re-read from the catalog), or out; uncited lines go too.

    Citations are renumbered by first appearance afterwards, so markers and sources still match.
    """
    articles = catalog.articles(c.article_id for c in brief.citations)
    good: dict[int, Citation] = {}
    for c in brief.citations:
        article = articles.get(c.article_id)
        if article is not None and c.quote and article.text[c.start : c.end] == c.quote:
            good[c.n] = c
        else:
            brief.notes.append(f"[{c.n}] dropped: quote is not verbatim in '{c.title}'")
    if len(good) == len(brief.citations):
        return brief
    numbers = CitationNumbers()

    def keep(point: BriefPoint) -> BriefPoint | None:
        ns = tuple(dict.fromkeys(numbers.number(good[n]) for n in point.citations if n in good))
        return replace(point, citations=ns) if ns else None

    brief.summary = [p for p in map(keep, brief.summary) if p]
    brief.timeline = [p for p in map(keep, brief.timeline) if p]
    changes = []
    for change in brief.changes:
        before, after = keep(change.before), keep(change.after)
        if before and after:
            changes.append(replace(change, before=before, after=after))
    brief.changes = changes
    brief.citations = numbers.citations()
    return brief


# ---------------------------------------------------------------------------------------------
# Markdown


def render_brief_markdown(
    brief: Brief,
    marker: Callable[[int], str] | None = None,
    text: Callable[[str], str] | None = None,
    with_sources: bool = True,
) -> str:
    """The brief as Markdown: summary, timeline, what changed, then the numbered sources.

    `marker(n)` renders a citation marker (default "[n]"; the UI passes clickable links),
    `text(s)` renders article text (default as is; the UI escapes Markdown and HTML), and
    `with_sources=False` leaves the source list out (the UI shows it in its source viewer).
    """
    mark = marker or (lambda n: f"[{n}]")
    say = text or (lambda s: s)

    def markers(point: BriefPoint) -> str:
        return "".join(mark(n) for n in point.citations)

    lines = [f"# Briefing: {say(brief.topic)}", ""]
    scope = []
    if brief.since or brief.until:
        scope.append(f"{brief.since or '…'} to {brief.until or '…'}")
    if brief.sources:
        scope.append("sources: " + ", ".join(say(s) for s in brief.sources))
    articles = len({c.article_id for c in brief.citations})
    scope.append(f"{len(brief.citations)} quotes from {articles} article{'s' if articles != 1 else ''}")
    extractive = brief.backend == "extractive"
    scope.append("extractive: every line is quoted from an article" if extractive else f"condensed by {brief.backend}")
    lines += ["_" + " · ".join(scope) + "_", ""]
    if brief.empty:
        narrowed = brief.since or brief.until or brief.sources
        lines += ["Nothing in the archive is about this topic" + (" within these filters." if narrowed else "."), ""]
    if brief.summary:
        lines += ["## Summary", ""]
        lines += [f"- {_dated(p)}{say(p.text)} {markers(p)}" for p in brief.summary]
        lines.append("")
    if brief.timeline:
        lines += ["## Timeline", ""]
        lines += [f"- {_dated(p)}{say(p.text)} {markers(p)}" for p in brief.timeline]
        lines.append("")
    if brief.changes:
        lines += ["## What changed", ""]
        for c in brief.changes:
            lines.append(
                f"- **Then ({c.before.date_label}):** {say(c.before.text)} {markers(c.before)} "
                f"**Later ({c.after.date_label}):** {say(c.after.text)} {markers(c.after)}"
            )
        lines.append("")
    if brief.citations and with_sources:
        lines += ["## Sources", ""]
        for c in brief.citations:
            meta = ", ".join(x for x in (c.source, c.published) if x)
            head = f"{c.n}. {say(c.title) or 'untitled'}" + (f" — {say(meta)}" if meta else "")
            lines.append(head + (f". <{c.url}>" if c.url else ""))
            lines.append(f"   > {say(c.quote)}")
    if brief.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {say(n)}" for n in brief.notes]
    return "\n".join(lines).rstrip() + "\n"


def _dated(point: BriefPoint) -> str:
    """The date a line starts with: **2017-08-22**, or **2017-08-23** (published) when only
    the publication dates it."""
    if not point.date:
        return ""
    note = " (published)" if point.date_basis == "published" else ""
    return f"**{point.date_label}**{note} — "


# ---------------------------------------------------------------------------------------------
# "brief me on ..." in chat

_REQUEST = re.compile(
    r"^\s*(?:(?:please|pls|could you|can you|would you)\s+)*"
    r"(?:"
    r"(?P<brief>brief me|give me (?:a |the )?(?:short |quick )?(?:briefing|brief|rundown)|"
    r"(?:a |the )?(?:short |quick )?briefing|(?:write|prepare|make) (?:me )?a (?:briefing|brief)|"
    r"catch me up|bring me up to (?:speed|date))"
    r"|(?P<timeline>(?:give|show|make|build|draw|write) me (?:a |the )?timeline|(?:a |the )?timeline|"
    r"what(?:'s| is) the timeline)"
    r")\s+(?:on|about|of|for|regarding|to)\s+(?P<rest>.+?)\s*[?.!]*\s*$",
    re.I,
)
_WHEN_TAIL = re.compile(
    r"\s*,?\s+(?P<phrase>(?:(?:since|from|after|before|until|till|through|between|in|during|over)\s+.+|"
    r"(?:this|last|past)\s+(?:week|month|year|spring|summer|fall|autumn|winter)))$",
    re.I,
)


def parse_briefing_request(text: str, anchor: date | None = None) -> BriefRequest | None:
    """A BriefRequest when the message asks for a briefing or timeline, else None.

    "brief me on X", "give me a timeline of X", "briefing on X since August", "timeline of X from
    March to May", "brief me on X since 2023-01-01".  A relative period ("since August") is kept in
    `period` and resolved against `anchor` when given (else by the briefer, against the archive's
    newest date, as assistant/periods.py does for questions).
    """
    match = _REQUEST.match(text or "")
    if not match:
        return None
    rest = match.group("rest").strip()
    topic, phrase = rest, ""
    tail = _WHEN_TAIL.search(rest)
    if tail and _looks_like_time(tail.group("phrase")):
        topic, phrase = rest[: tail.start()].strip(), tail.group("phrase").strip()
    topic = re.sub(r"^(?:the|a|an)\s+", "", topic, flags=re.I).strip(" ,;:")
    if not topic:
        return None
    request = BriefRequest(topic=topic, period=phrase, kind="timeline" if match.group("timeline") else "brief")
    return request.resolved(anchor) if anchor else request


def _looks_like_time(phrase: str) -> bool:
    words = phrase.split(maxsplit=1)
    body = words[1] if len(words) > 1 else ""
    if normalise_date(body) or re.search(r"\b(?:19|20)\d\d\b", body):
        return True
    return _period_bounds(phrase, date(2000, 6, 15)) != ("", "")


def _bound(phrase: str, anchor: date) -> tuple[str, str]:
    """(first day, last day) of one time phrase: a full date, a month, a year, "last week" ..."""
    phrase = phrase.strip(" ,.")
    iso = normalise_date(phrase)
    if iso:
        return iso, iso
    # Calendar spans first ("last month" is October when the archive ends in November), as for
    # event dates; seasons and the like fall back to the question periods.
    mentions = date_mentions(f"in {phrase}", anchor)
    if len(mentions) == 1 and mentions[0].when.basis == "text":
        return mentions[0].when.start.isoformat(), mentions[0].when.end.isoformat()
    period = find_period(f"in {phrase}", anchor) or find_period(phrase, anchor)
    if period:
        return period.start.isoformat(), period.end.isoformat()
    return "", ""


def _period_bounds(phrase: str, anchor: date) -> tuple[str, str]:
    """since/until of a time phrase: "since August", "from March to May", "before 2023-02-01" ..."""
    p = phrase.strip()
    match = re.match(r"(?i)(?:from|between)\s+(.+?)\s+(?:to|until|till|through|and|-)\s+(.+)$", p)
    if match:
        return _bound(match.group(1), anchor)[0], _bound(match.group(2), anchor)[1]
    match = re.match(r"(?i)(since|from|after)\s+(.+)$", p)
    if match:
        start, end = _bound(match.group(2), anchor)
        if match.group(1).lower() == "after" and end:
            return (date.fromisoformat(end) + timedelta(days=1)).isoformat(), ""
        return start, ""
    match = re.match(r"(?i)(until|till|through|before)\s+(.+)$", p)
    if match:
        start, end = _bound(match.group(2), anchor)
        if match.group(1).lower() == "before" and start:
            return "", (date.fromisoformat(start) - timedelta(days=1)).isoformat()
        return "", end
    match = re.match(r"(?i)(?:in|during|over)\s+(.+)$", p)
    return _bound(match.group(1) if match else p, anchor)
