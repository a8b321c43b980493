"""The scoring criterion of `newsdesk eval`, importing nothing but the standard library.

A retrieval hit is a passage whose text contains a gold answer (case-insensitive substring, as in
MultiHop-RAG); an answer is correct when its text contains one.  No torch, no index, no newsdesk
module beyond this one: a peer system run in its own venv (benchmarks/peer_newsrag.py) is scored
by this very code, not by a copy of it.
"""

from __future__ import annotations

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
