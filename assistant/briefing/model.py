"""What a briefing is made of: the Brief and its cited lines, and the briefer's knobs.

A Brief has a summary (the current state), a timeline (dated events in order) and what changed
(earlier and later points side by side); every line cites numbers into `Brief.citations`, which
have the same shape as the citations of an answer.  `to_dict` is the `--json` shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Sequence

from assistant.answer import Citation
from assistant.briefing.event_dates import EventDate


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

    @classmethod
    def dated(cls, text: str, citations: Sequence[int], when: EventDate | None) -> "BriefPoint":
        """A line dated by an event date (undated when `when` is None)."""
        if when is None:
            return cls(text, tuple(citations))
        return cls(text, tuple(citations), when.iso, when.precision, when.basis, when.phrase)

    @property
    def date_label(self) -> str:
        return f"week of {self.date}" if self.precision == "week" else self.date

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "BriefPoint":
        return cls(
            str(data["text"]),
            tuple(int(n) for n in data.get("citations", ())),
            str(data.get("date", "")),
            str(data.get("precision", "")),
            str(data.get("date_basis", "")),
            str(data.get("date_phrase", "")),
        )

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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Brief":
        """A Brief from its `to_dict()` shape (a saved conversation, a `brief --json` output)."""
        return cls(
            topic=str(data.get("topic", "")),
            since=str(data.get("since", "")),
            until=str(data.get("until", "")),
            sources=tuple(str(s) for s in data.get("sources", ())),
            summary=[BriefPoint.from_dict(p) for p in data.get("summary", [])],
            timeline=[BriefPoint.from_dict(p) for p in data.get("timeline", [])],
            changes=[
                Change(BriefPoint.from_dict(c["before"]), BriefPoint.from_dict(c["after"]), float(c.get("similarity", 0.0)))
                for c in data.get("changes", [])
            ],
            citations=[Citation(**c) for c in data.get("citations", [])],
            coverage=[WeekCoverage(str(w["week"]), int(w["articles"])) for w in data.get("coverage", [])],
            articles_considered=int(data.get("articles_considered", 0)),
            backend=str(data.get("backend", "extractive")),
            timings_ms={str(k): float(v) for k, v in (data.get("timings_ms") or {}).items()},
            notes=[str(n) for n in data.get("notes", [])],
        )

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
