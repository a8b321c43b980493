"""The scoring criterion of `newsdesk eval`, importing nothing but the standard library.

A retrieval hit is a passage whose text contains a gold answer (case-insensitive substring, as in
MultiHop-RAG); an answer is correct when its text contains one.  The answer's *first sentence* is
the first entry of its `sentences` (what a reader meets first: the short direct answer when one
leads, else the first quote), or the text before the first [n] marker.  Abstention is scored as
a detection task: an unanswerable question should be declined (a true positive), an answerable
one should not (a false positive).  No torch, no index, no newsdesk module beyond this one: a
peer system run in its own venv (benchmarks/peer_newsrag.py) is scored by this very code, not by
a copy of it.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

DEPTH = 10  # retrieval is scored at 1/3/5/10 whatever k the answerer reads


def gold_answers(item: Mapping[str, object]) -> tuple[str, ...]:
    """The gold answers of one question-set line: "answers" (a list or one string) or "answer"."""
    answers = item.get("answers") or item.get("answer") or []
    answers = [answers] if isinstance(answers, str) else list(answers)  # type: ignore[call-overload]
    return tuple(str(a) for a in answers if str(a).strip())


def contains_gold(text: str, answers: Iterable[str]) -> bool:
    low = text.lower()
    return any(a.lower() in low for a in answers if a)


def first_hit(passages: Sequence[str], answers: Sequence[str]) -> int | None:
    """1-based rank of the first of the top DEPTH passage texts holding a gold answer, or None."""
    for i, text in enumerate(passages[:DEPTH], start=1):
        if contains_gold(text, answers):
            return i
    return None


def retrieval_metrics(ranks: Sequence[int | None]) -> dict[str, float]:
    """hit@1/3/5/10 and MRR@10 over the first-hit ranks of a question set."""
    n = max(len(ranks), 1)
    out = {f"hit@{k}": sum(1 for r in ranks if r is not None and r <= k) / n for k in (1, 3, 5, 10)}
    out["mrr@10"] = sum(1 / r for r in ranks if r is not None and r <= 10) / n
    return out


def first_sentence(answer: Mapping[str, object]) -> str:
    """The first sentence a reader meets, from an answer's `--json` shape."""
    sentences = answer.get("sentences") or []
    if sentences:
        return str(sentences[0].get("text", ""))  # type: ignore[union-attr, index]
    return re.split(r"\[\d+\]", str(answer.get("answer", "")), maxsplit=1)[0]


def abstention_metrics(declined: Sequence[bool], unanswerable: Sequence[bool]) -> dict[str, float]:
    """Precision and recall of declining, with unanswerable questions as the positive class."""
    true = sum(1 for d, u in zip(declined, unanswerable) if d and u)
    said = sum(1 for d in declined if d)
    should = sum(1 for u in unanswerable if u)
    answerable = len(unanswerable) - should
    wrongly = sum(1 for d, u in zip(declined, unanswerable) if d and not u)
    return {
        "abstention_precision": true / said if said else 1.0,
        "abstention_recall": true / should if should else 0.0,
        "answerable_abstained": wrongly / answerable if answerable else 0.0,
    }
