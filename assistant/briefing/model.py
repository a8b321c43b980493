"""What a briefing is made of: the Brief and its cited lines, and the briefer's knobs.

A Brief has a summary (a short overview), a timeline (dated events in order), an undated section
(statements of articles without a date), and what changed (earlier and later statements of one
thread whose facts differ).  Every line cites article numbers into `Brief.citations`: one number
per article, several quotes of one article sharing it; `BriefPoint.quotes` says which quotes
(1-based positions in `Brief.citations`) the line rests on.  `to_dict` is the `--json` shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Sequence

from assistant.answer import Citation
from assistant.briefing.event_dates import EventDate


@dataclass(frozen=True)
class BriefPoint:
    """One cited line of a brief: a summary bullet, a timeline entry or an undated statement.

    `text` is a verbatim quote (extractive) or a verified condensation (LLM); `citations` are
    article numbers into `Brief.citations` (each once), `quotes` the 1-based positions there of
    the quotes it rests on (the first is the quoted text).  `date` is the event date at its
    `precision` (2017-08-22, 2017-03, ...); `date_basis` says whether the text stated it ("text",
    with `date_phrase` the words) or it is the publication date ("published").  `label` is a few
    words naming the event (the timeline picture's caption).
    """

    text: str
    citations: tuple[int, ...]
    date: str = ""
    precision: str = ""
    date_basis: str = ""
    date_phrase: str = ""
    quotes: tuple[int, ...] = ()
    label: str = ""

    @classmethod
    def dated(
        cls, text: str, citations: Sequence[int], when: EventDate | None, quotes: Sequence[int] = (), label: str = ""
    ) -> "BriefPoint":
        """A line dated by an event date (undated when `when` is None)."""
        if when is None:
            return cls(text, tuple(citations), quotes=tuple(quotes), label=label)
        return cls(text, tuple(citations), when.iso, when.precision, when.basis, when.phrase, tuple(quotes), label)

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
            tuple(int(n) for n in data.get("quotes", ())),
            str(data.get("label", "")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "citations": list(self.citations),
            "quotes": list(self.quotes),
            "date": self.date,
            "precision": self.precision,
            "date_basis": self.date_basis,
            "date_phrase": self.date_phrase,
            "label": self.label,
        }


@dataclass(frozen=True)
class Difference:
    """What differs between the two sides of a change: a figure, a status or a position."""

    kind: str  # "number" | "status" | "position"
    what: str  # "killed", "condition", "position on the ban"
    before: str
    after: str

    @property
    def label(self) -> str:
        """"killed: 120 → 151"; "position: softening" when the later report names the shift itself."""
        return f"{self.what}: {self.before} → {self.after}" if self.before else f"{self.what}: {self.after}"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Difference":
        return cls(str(data["kind"]), str(data["what"]), str(data.get("before", "")), str(data.get("after", "")))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": self.label}


@dataclass(frozen=True)
class Change:
    """What changed: an earlier and a later point of one thread, side by side, the difference named."""

    before: BriefPoint
    after: BriefPoint
    similarity: float  # how close the two are in meaning (same subject)
    difference: Difference | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Change":
        difference = data.get("difference")
        return cls(
            BriefPoint.from_dict(data["before"]),
            BriefPoint.from_dict(data["after"]),
            float(data.get("similarity", 0.0)),
            Difference.from_dict(difference) if difference else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "similarity": round(self.similarity, 3),
            "difference": self.difference.to_dict() if self.difference else None,
        }


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
    undated: list[BriefPoint] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    coverage: list[WeekCoverage] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)  # the topic's names (with aliases) and words
    articles_considered: int = 0
    backend: str = "extractive"
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.summary or self.timeline or self.undated)

    def points(self) -> Iterable[BriefPoint]:
        yield from self.summary
        yield from self.timeline
        yield from self.undated
        for change in self.changes:
            yield change.before
            yield change.after

    def quote(self, position: int) -> Citation:
        """The citation at a 1-based position of `citations` (a BriefPoint's `quotes` entry)."""
        return self.citations[position - 1]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Brief":
        """A Brief from its `to_dict()` shape (a saved conversation, a `brief --json` output).
        Briefs saved before the undated section, terms and named differences read as empty."""
        return cls(
            topic=str(data.get("topic", "")),
            since=str(data.get("since", "")),
            until=str(data.get("until", "")),
            sources=tuple(str(s) for s in data.get("sources", ())),
            summary=[BriefPoint.from_dict(p) for p in data.get("summary", [])],
            timeline=[BriefPoint.from_dict(p) for p in data.get("timeline", [])],
            undated=[BriefPoint.from_dict(p) for p in data.get("undated", [])],
            changes=[Change.from_dict(c) for c in data.get("changes", [])],
            citations=[Citation(**c) for c in data.get("citations", [])],
            coverage=[WeekCoverage(str(w["week"]), int(w["articles"])) for w in data.get("coverage", [])],
            terms=[dict(t) for t in data.get("terms", [])],
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
            "terms": self.terms,
            "summary": [p.to_dict() for p in self.summary],
            "timeline": [p.to_dict() for p in self.timeline],
            "undated": [p.to_dict() for p in self.undated],
            "changes": [c.to_dict() for c in self.changes],
            "citations": [c.to_dict() for c in self.citations],
            "coverage": [asdict(w) for w in self.coverage],
            "articles_considered": self.articles_considered,
            "backend": self.backend,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class BriefConfig:
    """Knobs of the briefing; docs/briefings.md explains each threshold."""

    # evidence (evidence.py)
    max_scan: int = 400  # on-topic articles read at most (the newest, when more match)
    max_articles: int = 40  # articles whose statements are considered
    windows: int = 6  # date windows that each get a share of those articles
    context_lines: int = 2  # lines before a sentence that may name the topic for it
    per_article_statements: int = 8
    max_statements: int = 160  # statements scored and embedded per brief (the latency budget)
    min_words: int = 6
    max_words: int = 70
    min_statements: int = 3  # fewer on-topic statements than this: the brief says it has too little
    # one event, one line (facts.py)
    near_verbatim_cosine: float = 0.92
    same_fact_cosine: float = 0.80
    related_cosine: float = 0.55
    same_fact_overlap: float = 0.40  # main clauses sharing this share of their stems
    same_article_cosine: float = 0.85
    day_slack_days: int = 1
    published_slack_days: int = 7  # an event dated by publication happened in the week before it
    # views (views.py)
    summary_min: int = 3
    summary_max: int = 5
    undated_max: int = 8
    per_article_points: int = 3  # timeline entries led by one article
    per_day_points: int = 2  # timeline entries on one day
    published_date_factor: float = 0.8  # timeline rank of a fact dated only by publication
    duplicate_overlap: float = 0.6  # two lines sharing this share of stems (and >= 4) are one
    duplicate_cosine: float = 0.85  # ... or this close in meaning
    # what changed (changes.py)
    change_min_cosine: float = 0.5
    change_min_gap_days: int = 1
    max_changes: int = 3
    llm_passages: int = 10  # facts shown to the LLM for the condensed summary
