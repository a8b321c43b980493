"""The promise, enforced after every backend: each citation's quote is verbatim article text.

`verify_quotes` re-reads each cited article from the catalog and checks
`article.text[start:end] == quote`.  A quote at the wrong offsets is re-located when it occurs
verbatim elsewhere in the article; a quote that is not in the article is dropped, and so is a
sentence left without any citation.  Citations are then renumbered so markers and the sources
list match.  Generative backends add a support check on top (assistant/llm_verify.py).
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer import Answer, AnswerSentence, Citation
from ingest.catalog import Catalog


def verify_quotes(answer: Answer, catalog: Catalog) -> Answer:
    if answer.abstained or not answer.citations:
        return answer
    articles = catalog.articles(c.article_id for c in answer.citations)
    fixed: dict[int, Citation] = {}
    dropped: list[str] = []
    for c in answer.citations:
        article = articles.get(c.article_id)
        if article is None or not c.quote:
            dropped.append(f"[{c.n}] cites an article that is not in the index")
            continue
        if article.text[c.start : c.end] == c.quote:
            fixed[c.n] = c
            continue
        at = article.text.find(c.quote)
        if at >= 0:
            fixed[c.n] = replace(c, start=at, end=at + len(c.quote))
        else:
            dropped.append(f"[{c.n}] quote is not verbatim in '{article.title}'")
    if not dropped:
        return answer
    return renumber(answer, fixed, notes=dropped)


def renumber(answer: Answer, keep: dict[int, Citation], notes: list[str] = ()) -> Answer:  # type: ignore[assignment]
    """Keep only citations in `keep`, drop sentences left uncited, and number from 1 again."""
    mapping: dict[int, int] = {}
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    parts: list[str] = []
    for s in answer.sentences:
        ns = []
        for n in s.citations:
            if n not in keep:
                continue
            if n not in mapping:
                mapping[n] = len(mapping) + 1
                citations.append(replace(keep[n], n=mapping[n]))
            ns.append(mapping[n])
        if not ns:
            continue
        sentences.append(replace(s, citations=tuple(ns)))
        parts.append(f"{s.text} " + "".join(f"[{n}]" for n in ns))
    text = " ".join(parts)
    return replace(answer, answer=text, citations=citations, sentences=sentences, notes=[*answer.notes, *notes])


def strip_markers(text: str) -> str:
    """Sentence text without its [n] markers (for matching against quotes)."""
    return re.sub(r"\s*\[\d+(?:\s*[,;]\s*\d+)*\]", "", text).strip()
