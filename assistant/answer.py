"""The Answer every backend returns, and the Citation each of its sentences carries.

Numbering and checking citations is assistant/citations.py; these are the records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol


class ArticleFacts(Protocol):
    """What names an article in a citation: a StoredArticle, an Evidence passage, ..."""

    article_id: str
    title: str
    url: str
    published: str
    source: str


@dataclass(frozen=True)
class Citation:
    """[n] in an answer: a verbatim quote of an article, `article.text[start:end] == quote`."""

    n: int
    article_id: str
    title: str
    url: str
    published: str
    source: str
    quote: str
    start: int
    end: int

    @classmethod
    def of(cls, article: ArticleFacts, quote: str, start: int, end: int, n: int = 0) -> "Citation":
        """`quote` at `start:end` of `article`, numbered `n` (0 until citations are numbered)."""
        return cls(n, article.article_id, article.title, article.url, article.published, article.source, quote, start, end)


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

    def to_dict(self) -> dict[str, Any]:
        """The `--json` shape: the documented keys first, extras after."""
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "standalone_question": self.standalone_question or self.question,
            "period": self.period,
            "backend": self.backend,
            "sentences": [
                {"text": s.text, "citations": list(s.citations), "supported": s.supported, "support": round(s.support, 3)}
                for s in self.sentences
            ],
            "leads": [asdict(lead) for lead in self.leads],
            "notes": list(self.notes),
            "generated": asdict(self.generated) if self.generated else None,
            "fell_back": self.fell_back,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Answer":
        """An Answer from its `to_dict()` shape (a saved conversation, an `ask --json` line)."""
        generated = data.get("generated")
        return cls(
            question=str(data.get("question", "")),
            answer=str(data.get("answer", "")),
            abstained=bool(data.get("abstained", False)),
            citations=[Citation(**c) for c in data.get("citations", [])],
            sentences=[
                AnswerSentence(s["text"], tuple(s.get("citations", ())), bool(s.get("supported", True)), float(s.get("support", 1.0)))
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
        )

    def render_text(self) -> str:
        """Human form: the answer, then the numbered sources it cites (or the leads)."""
        lines = [self.answer, ""]
        if self.citations:
            lines.append("Sources:")
            for c in self.citations:
                meta = ", ".join(x for x in (c.source, c.published) if x)
                lines.append(f"[{c.n}] {c.title}" + (f" ({meta})" if meta else ""))
                lines.append(f"    \"{c.quote}\"")
                if c.url:
                    lines.append(f"    {c.url}")
        elif self.leads:
            lines.append("Nearest articles (not evidence):")
            for lead in self.leads:
                meta = ", ".join(x for x in (lead.source, lead.published) if x)
                lines.append(f"- {lead.title}" + (f" ({meta})" if meta else "") + (f" {lead.url}" if lead.url else ""))
        return "\n".join(lines).rstrip()

