"""The Answer every backend returns, and the Citation each of its sentences carries."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
    notes: list[str] = field(default_factory=list)

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
        }

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


def compose(sentences: list[tuple[str, list[Citation]]]) -> tuple[str, list[AnswerSentence], list[Citation]]:
    """Number citations by first appearance and join sentences as "text [1] text [2]".

    A quote cited twice keeps one number; the returned citation list is in number order, so the
    sources list always matches the markers in the text.
    """
    numbered: dict[tuple[str, int, int], Citation] = {}
    out_sentences: list[AnswerSentence] = []
    parts: list[str] = []
    for text, cites in sentences:
        ns: list[int] = []
        for c in cites:
            key = (c.article_id, c.start, c.end)
            if key not in numbered:
                numbered[key] = Citation(len(numbered) + 1, c.article_id, c.title, c.url, c.published, c.source, c.quote, c.start, c.end)
            if numbered[key].n not in ns:
                ns.append(numbered[key].n)
        markers = "".join(f"[{n}]" for n in ns)
        parts.append(f"{text} {markers}".strip())
        out_sentences.append(AnswerSentence(text, tuple(ns)))
    return " ".join(parts), out_sentences, list(numbered.values())
