"""Citations, numbered and checked: one implementation for answers and briefings.

The promise: each citation's quote is verbatim article text, `article.text[start:end] == quote`,
and the [n] markers and the numbered sources always match.

- `CitationNumbers` numbers quotes by first appearance; a quote cited twice keeps one number.
- `compose` joins cited sentences into answer text ("text [1] text [2]").
- `check_quotes` re-reads each cited article from the catalog: a quote at the wrong offsets is
  re-located when it occurs verbatim elsewhere in the article; a quote that is not in it is
  dropped, with a note saying so.
- `keep_cited` limits sentences (or brief lines) to the citations that passed and numbers them
  from 1 again; a sentence left without any citation goes.
- `verify_quotes` is all of that for an Answer, run by the chain after every backend.
Generated text also gets a support check (does the quote back the sentence?): assistant/llm/verify.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Protocol, Sequence, TypeVar

from assistant.answer import Answer, AnswerSentence, Citation
from ingest.catalog import Catalog


class Cited(Protocol):
    """A sentence or a brief line: a frozen dataclass with the numbers of the citations it rests on."""

    citations: tuple[int, ...]


C = TypeVar("C", bound=Cited)


class CitationNumbers:
    """Numbers quotes by first appearance; the same quote (article and offsets) keeps one number."""

    def __init__(self) -> None:
        self.by_quote: dict[tuple[str, int, int], Citation] = {}

    def number(self, c: Citation) -> int:
        key = (c.article_id, c.start, c.end)
        if key not in self.by_quote:
            self.by_quote[key] = replace(c, n=len(self.by_quote) + 1)
        return self.by_quote[key].n

    def numbers(self, cites: Iterable[Citation]) -> tuple[int, ...]:
        """The numbers of these citations, each once, in order."""
        return tuple(dict.fromkeys(self.number(c) for c in cites))

    def citations(self) -> list[Citation]:
        """Every numbered citation, in number order (the sources list)."""
        return list(self.by_quote.values())


def cited_text(text: str, numbers: Sequence[int]) -> str:
    """"text [1][2]": a sentence with its markers."""
    return f"{text} {''.join(f'[{n}]' for n in numbers)}".strip()


def compose(sentences: Sequence[tuple[str, Sequence[Citation]]]) -> tuple[str, list[AnswerSentence], list[Citation]]:
    """Answer text, its sentences and its sources list, numbered by first appearance."""
    numbers = CitationNumbers()
    composed = [AnswerSentence(text, numbers.numbers(cites)) for text, cites in sentences]
    return " ".join(cited_text(s.text, s.citations) for s in composed), composed, numbers.citations()


@dataclass
class QuoteCheck:
    """The citations that passed, by their old number (offsets corrected), and a note per dropped one."""

    kept: dict[int, Citation] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    changed: bool = False  # something was dropped or re-located


def check_quotes(citations: Sequence[Citation], catalog: Catalog) -> QuoteCheck:
    """Each quote checked against its article as the catalog holds it now."""
    check = QuoteCheck()
    articles = catalog.articles(c.article_id for c in citations)
    for c in citations:
        article = articles.get(c.article_id)
        if article is None:
            check.notes.append(f"[{c.n}] dropped: its article is not in the index")
        elif c.quote and article.text[c.start : c.end] == c.quote:
            check.kept[c.n] = c
            continue
        elif c.quote and (at := article.text.find(c.quote)) >= 0:
            check.kept[c.n] = replace(c, start=at, end=at + len(c.quote))
        else:
            check.notes.append(f"[{c.n}] dropped: quote is not verbatim in '{article.title}'")
        check.changed = True
    return check


def keep_cited(items: Sequence[C], kept: dict[int, Citation], numbers: CitationNumbers) -> list[C]:
    """Each item citing only citations in `kept`, renumbered by `numbers`; items left uncited go."""
    out: list[C] = []
    for item in items:
        ns = numbers.numbers(kept[n] for n in item.citations if n in kept)
        if ns:
            out.append(replace(item, citations=ns))  # type: ignore[type-var]
    return out


def verify_quotes(answer: Answer, catalog: Catalog) -> Answer:
    """The answer with only verbatim quotes, sentences left uncited dropped, numbered from 1 again."""
    if answer.abstained or not answer.citations:
        return answer
    check = check_quotes(answer.citations, catalog)
    if not check.changed:
        return answer
    numbers = CitationNumbers()
    sentences = keep_cited(answer.sentences, check.kept, numbers)
    return replace(
        answer,
        answer=" ".join(cited_text(s.text, s.citations) for s in sentences),
        citations=numbers.citations(),
        sentences=sentences,
        notes=[*answer.notes, *check.notes],
    )
