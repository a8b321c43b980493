"""The Answer every backend returns, and the Citation each of its sentences carries.

Numbering and checking citations is assistant/citations.py; these are the records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol, Sequence


class ArticleFacts(Protocol):
    """What names an article in a citation: a StoredArticle, an Evidence passage, ..."""

    article_id: str
    title: str
    url: str
    published: str
    source: str


@dataclass(frozen=True)
class Quote:
    """One verbatim passage of a cited article: `article.text[start:end] == quote`."""

    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Citation:
    """[n] in an answer: one article, and the verbatim quotes of it the answer rests on.

    Two sentences quoted from one article are one source: `passages` holds every quote, in the
    order the answer uses them; `quote`, `start` and `end` repeat the first one, so readers of
    the one-quote shape (the `--json` consumers of before, the UI's highlight) keep working.
    """

    n: int
    article_id: str
    title: str
    url: str
    published: str
    source: str
    quote: str
    start: int
    end: int
    passages: tuple[Quote, ...] = ()

    def __post_init__(self) -> None:
        # quote/start/end win over passages[0]: code (and JSON) that knows only the one-quote
        # shape may set them, and the first passage must always be that quote.
        given = tuple(Quote(**p) if isinstance(p, dict) else p for p in self.passages)
        first = Quote(self.quote, self.start, self.end)
        object.__setattr__(self, "passages", (first, *given[1:]) if given else (first,))

    @classmethod
    def of(cls, article: ArticleFacts, quote: str, start: int, end: int, n: int = 0) -> "Citation":
        """`quote` at `start:end` of `article`, numbered `n` (0 until citations are numbered)."""
        return cls(n, article.article_id, article.title, article.url, article.published, article.source, quote, start, end)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: `passages` a list of {quote, start, end} (what JSON reads back)."""
        return {**asdict(self), "passages": [asdict(p) for p in self.passages]}

    def with_passages(self, passages: Sequence[Quote]) -> "Citation":
        """This source citing `passages` (at least one): the first becomes quote/start/end."""
        first = passages[0]
        return replace(self, quote=first.quote, start=first.start, end=first.end, passages=tuple(passages))


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of the answer with the citation numbers that support it.

    `supported` is False only when a generative backend wrote a sentence no passage supports and
    the verifier kept it visibly marked instead of dropping it.
    """

    text: str
    citations: tuple[int, ...]
    supported: bool = True
    support: float = 1.0
    role: str = "quote"  # "direct": the short answer (a span of the quote after it); "quote"; "generated"


@dataclass(frozen=True)
class Lead:
    """A nearby article offered when the assistant abstains: not evidence, a place to look."""

    article_id: str
    title: str
    url: str
    published: str
    source: str

    @classmethod
    def of(cls, article: ArticleFacts) -> "Lead":
        return cls(article.article_id, article.title, article.url, article.published, article.source)


@dataclass(frozen=True)
class DirectAnswer:
    """The short answer that leads ("412 of its 455 members"): a verbatim span of a cited quote.

    `start:end` are offsets in the article, inside the quote of citation `citation`; `kind` is
    what the question asked for (number, name, date, place); `confidence` the gate's score.
    """

    text: str
    kind: str
    citation: int
    start: int
    end: int
    confidence: float


@dataclass(frozen=True)
class PeriodCoverage:
    """A period the question names, and whether the archive covers it.

    `covered`: the archive (within the user's filters) holds articles published in the period;
    `enforced`: the evidence was restricted to it.  When it is not covered, the answer says so and
    its citations are the nearest evidence from outside the period (`archive_first/last` say
    what the archive does cover).
    """

    phrase: str
    start: str
    end: str
    covered: bool
    enforced: bool
    archive_first: str = ""
    archive_last: str = ""

    def notice(self) -> str:
        """The sentence that tells the reader the period has no coverage ('' when it has)."""
        if self.covered:
            return ""
        span = f"; its articles run from {self.archive_first} to {self.archive_last}" if self.archive_first else ""
        return f"The archive has no articles from {self.phrase} ({self.start} to {self.end}){span}."

    def framed(self, quoted: str) -> str:
        """The answer text when the period is not covered: the notice, then the nearest quotes
        labelled as coming from outside the period (or only the notice when there are none)."""
        if not quoted:
            return self.notice()
        return f"{self.notice()} The nearest evidence, from outside that period: {quoted}"


@dataclass(frozen=True)
class GeneratedText:
    """What a language model wrote for an answer, and how much of it the verifier kept."""

    model: str
    sentences: int = 0  # sentences the model wrote
    verified: int = 0  # ... that a passage supports (kept as cited, re-pointed or given a passage)
    first_token_ms: float = 0.0
    total_ms: float = 0.0


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    sentences: list[AnswerSentence] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    standalone_question: str = ""
    period: str = ""
    backend: str = "extractive"
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # for people: what verification changed, and why
    generated: GeneratedText | None = None  # a language model was asked (None: extractive, or abstained first)
    fell_back: bool = False  # nothing the model wrote verified: these sentences are extractive quotes
    direct: DirectAnswer | None = None  # the short answer that leads, when the gate is confident
    period_coverage: PeriodCoverage | None = None  # the question named a period: is it covered?
    abstain_reason: str = ""  # why it abstained: no evidence, low relevance, key terms missing, period not covered
    missing_terms: list[str] = field(default_factory=list)  # the question's key terms the evidence lacks

    @property
    def outside_period(self) -> bool:
        """The citations are the nearest evidence from outside a period the archive does not cover."""
        return bool(self.period_coverage and not self.period_coverage.covered and self.citations)

    def to_dict(self) -> dict[str, Any]:
        """The `--json` shape: the documented keys first, extras after."""
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "standalone_question": self.standalone_question or self.question,
            "period": self.period,
            "backend": self.backend,
            "sentences": [
                {"text": s.text, "citations": list(s.citations), "supported": s.supported, "support": round(s.support, 3),
                 "role": s.role}
                for s in self.sentences
            ],
            "leads": [asdict(lead) for lead in self.leads],
            "notes": list(self.notes),
            "generated": asdict(self.generated) if self.generated else None,
            "fell_back": self.fell_back,
            "direct_answer": asdict(self.direct) if self.direct else None,
            "period_coverage": asdict(self.period_coverage) if self.period_coverage else None,
            "outside_period": self.outside_period,
            "abstain_reason": self.abstain_reason,
            "missing_terms": list(self.missing_terms),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Answer":
        """An Answer from its `to_dict()` shape (a saved conversation, an `ask --json` line).

        Answers saved before issue 13 lack passages, roles, the direct answer, the period's
        coverage and why it abstained: they read as one quote per citation and none of those."""
        generated, direct, coverage = data.get("generated"), data.get("direct_answer"), data.get("period_coverage")
        return cls(
            question=str(data.get("question", "")),
            answer=str(data.get("answer", "")),
            abstained=bool(data.get("abstained", False)),
            citations=[Citation(**c) for c in data.get("citations", [])],
            sentences=[
                AnswerSentence(
                    s["text"], tuple(s.get("citations", ())), bool(s.get("supported", True)), float(s.get("support", 1.0)),
                    str(s.get("role", "quote")),
                )
                for s in data.get("sentences", [])
            ],
            leads=[Lead(**lead) for lead in data.get("leads", [])],
            standalone_question=str(data.get("standalone_question", "")),
            period=str(data.get("period", "")),
            backend=str(data.get("backend", "extractive")),
            timings_ms={str(k): float(v) for k, v in (data.get("timings_ms") or {}).items()},
            notes=[str(n) for n in data.get("notes", [])],
            generated=GeneratedText(**generated) if isinstance(generated, dict) else None,
            fell_back=bool(data.get("fell_back", False)),
            direct=DirectAnswer(**direct) if isinstance(direct, dict) else None,
            period_coverage=PeriodCoverage(**coverage) if isinstance(coverage, dict) else None,
            abstain_reason=str(data.get("abstain_reason", "")),
            missing_terms=[str(t) for t in data.get("missing_terms", [])],
        )

    def render_text(self) -> str:
        """Human form: the answer, then the numbered sources it cites (or the leads)."""
        lines = [self.answer, ""]
        if self.citations:
            lines.append("Sources (nearest, from outside the period asked about):" if self.outside_period else "Sources:")
            for c in self.citations:
                meta = ", ".join(x for x in (c.source, c.published) if x)
                lines.append(f"[{c.n}] {c.title}" + (f" ({meta})" if meta else ""))
                lines.extend(f"    \"{p.quote}\"" for p in c.passages)
                if c.url:
                    lines.append(f"    {c.url}")
        elif self.leads:
            lines.append("Nearest articles (not evidence):")
            for lead in self.leads:
                meta = ", ".join(x for x in (lead.source, lead.published) if x)
                lines.append(f"- {lead.title}" + (f" ({meta})" if meta else "") + (f" {lead.url}" if lead.url else ""))
        return "\n".join(lines).rstrip()

