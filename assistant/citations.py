"""Citations, numbered and checked: one implementation for answers and briefings.

The promise: each citation's quote is verbatim article text, `article.text[start:end] == quote`,
and the [n] markers and the numbered sources always match.

- `CitationNumbers` numbers quotes by first appearance; a quote cited twice keeps one number.
  For answers (`per_article=True`) an article is one source: a second quote of it joins the
  first one's `passages` and shares its number.  Briefings number each quote (a timeline cites
  one article on several dates).
- `compose` joins cited sentences into answer text ("text [1] text [2]"), one source per article.
- `check_quotes` re-reads each cited article from the catalog: every passage of a citation is
  checked; one at the wrong offsets is re-located when it occurs verbatim elsewhere in the
  article; one that is not in it is dropped, with a note saying so (and the citation with it
  when none is left).
- `keep_cited` limits sentences (or brief lines) to the citations that passed and numbers them
  from 1 again; a sentence left without any citation goes.
- `verify_quotes` is all of that for an Answer, run by the chain after every backend.
Generated text also gets a support check (does the quote back the sentence?): assistant/llm/verify.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Protocol, Sequence, TypeVar

from assistant.answer import Answer, AnswerSentence, Citation, Quote
from ingest.catalog import Catalog


class Cited(Protocol):
    """A sentence or a brief line: a frozen dataclass with the numbers of the citations it rests on."""

    citations: tuple[int, ...]


C = TypeVar("C", bound=Cited)


class CitationNumbers:
    """Numbers quotes by first appearance; the same quote (article and offsets) keeps one number,
    and with `per_article` every quote of one article does (its passages are gathered)."""

    def __init__(self, per_article: bool = False) -> None:
        self.per_article = per_article
        self.by_quote: dict[tuple[str, int, int], Citation] = {}

    def number(self, c: Citation) -> int:
        key = (c.article_id, 0, 0) if self.per_article else (c.article_id, c.start, c.end)
        held = self.by_quote.get(key)
        if held is None:
            self.by_quote[key] = replace(c, n=len(self.by_quote) + 1)
        else:
            known = {(p.start, p.end) for p in held.passages}
            extra = [p for p in c.passages if (p.start, p.end) not in known]
            if extra:
                self.by_quote[key] = held.with_passages([*held.passages, *extra])
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


def answer_text(sentences: Sequence[AnswerSentence]) -> str:
    """The answer as one string: each sentence with its markers; a short direct answer ends
    with a colon, so it reads as the lead-in of the quote that follows ("412 of its 455 members
    [1]: The union said ...")."""
    parts = [cited_text(s.text, s.citations) + (":" if s.role == "direct" else "") for s in sentences]
    return " ".join(parts)


def compose(
    sentences: Sequence[tuple[str, Sequence[Citation]]], roles: Sequence[str] = ()
) -> tuple[str, list[AnswerSentence], list[Citation]]:
    """Answer text, its sentences and its sources list, numbered by first appearance, one
    source per article; `roles` marks sentences that are not plain quotes (e.g. "direct")."""
    numbers = CitationNumbers(per_article=True)
    composed = [
        AnswerSentence(text, numbers.numbers(cites), role=roles[i] if i < len(roles) else "quote")
        for i, (text, cites) in enumerate(sentences)
    ]
    return answer_text(composed), composed, numbers.citations()


@dataclass
class QuoteCheck:
    """The citations that passed, by their old number (offsets corrected), and a note per dropped one."""

    kept: dict[int, Citation] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    changed: bool = False  # something was dropped or re-located
    dropped: list[str] = field(default_factory=list)  # the quotes that failed


def check_quotes(citations: Sequence[Citation], catalog: Catalog) -> QuoteCheck:
    """Each quote of each citation checked against its article as the catalog holds it now."""
    check = QuoteCheck()
    articles = catalog.articles(c.article_id for c in citations)
    for c in citations:
        article = articles.get(c.article_id)
        if article is None:
            check.notes.append(f"[{c.n}] dropped: its article is not in the index")
            check.dropped.extend(p.quote for p in c.passages)
            check.changed = True
            continue
        passages: list[Quote] = []
        failed = 0
        for p in c.passages:
            if p.quote and article.text[p.start : p.end] == p.quote:
                passages.append(p)
                continue
            check.changed = True
            if p.quote and (at := article.text.find(p.quote)) >= 0:
                passages.append(Quote(p.quote, at, at + len(p.quote)))
            else:
                check.dropped.append(p.quote)
                failed += 1
        if failed and not passages:
            check.notes.append(f"[{c.n}] dropped: quote is not verbatim in '{article.title}'")
        elif failed:
            check.notes.append(f"[{c.n}] kept without {failed} quote(s) that are not verbatim in '{article.title}'")
        if passages:
            check.kept[c.n] = c if tuple(passages) == c.passages else c.with_passages(passages)
    return check


def _rests_on_dropped(sentence: AnswerSentence, check: QuoteCheck) -> bool:
    """A quoted sentence (or a span of one) whose quote failed, and no kept quote holds it."""
    if sentence.role not in ("quote", "direct") or not any(sentence.text in q for q in check.dropped):
        return False
    kept = [p.quote for n in sentence.citations if n in check.kept for p in check.kept[n].passages]
    return not any(sentence.text in q for q in kept)


def keep_cited(items: Sequence[C], kept: dict[int, Citation], numbers: CitationNumbers) -> list[C]:
    """Each item citing only citations in `kept`, renumbered by `numbers`; items left uncited go."""
    out: list[C] = []
    for item in items:
        ns = numbers.numbers(kept[n] for n in item.citations if n in kept)
        if ns:
            out.append(replace(item, citations=ns))  # type: ignore[type-var]
    return out


def verify_quotes(answer: Answer, catalog: Catalog) -> Answer:
    """The answer with only verbatim quotes, sentences left uncited dropped, numbered from 1 again.

    An abstention may carry citations too (the nearest evidence when the period asked about has
    no coverage): they are checked the same way.
    """
    if not answer.citations:
        return answer
    check = check_quotes(answer.citations, catalog)
    if not check.changed:
        return answer
    numbers = CitationNumbers(per_article=True)
    sentences = keep_cited([s for s in answer.sentences if not _rests_on_dropped(s, check)], check.kept, numbers)
    direct = answer.direct
    if direct is not None and not any(s.role == "direct" for s in sentences):
        direct = None
    elif direct is not None:
        direct = replace(direct, citation=next(s.citations[0] for s in sentences if s.role == "direct"))
    text = answer_text(sentences)
    if answer.period_coverage is not None and not answer.period_coverage.covered:
        text = answer.period_coverage.framed(text)
    return replace(
        answer,
        answer=text,
        citations=numbers.citations(),
        sentences=sentences,
        notes=[*answer.notes, *check.notes],
        direct=direct,
    )
