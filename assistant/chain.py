"""The one pipeline for questions: condense -> retrieve (+ rerank) -> answer -> verify, a LangChain Runnable.

`newsdesk ask`, the chat UI, its API endpoint and `newsdesk eval` all run this chain, so a number
measured by `newsdesk eval` is a number about what users get.  Condensing is assistant/condense.py
(or the LLM backend's own), retrieval assistant/retrieve.py, reranking the pluggable
PassageReranker (assistant/relevance; the identity by default), answering the backend
(assistant/backends.py), verification assistant/citations.py.  When the question states a period
the archive does not cover, the verified answer is framed here, for every backend: it says so,
and its quotes are labelled as the nearest evidence from outside the period.  Briefings gather
evidence with the same Retriever but build their own views (assistant/briefing/).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Iterator, Sequence

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answer import Answer, PeriodCoverage
from assistant.backends import Answerer
from assistant.citations import answer_text, verify_quotes
from assistant.condense import Message, standalone
from assistant.extractive import ExtractiveAnswerer
from assistant.filters import Filters
from assistant.relevance.heuristic import IdentityReranker
from assistant.relevance.protocols import PassageReranker
from assistant.retrieve import Retrieval, Retriever
from ingest.index import Index

PERIOD_NOT_COVERED = "period not covered"


@dataclass
class Turn:
    """State passed along the chain."""

    question: str
    history: Sequence[Message] = ()
    filters: Filters = field(default_factory=Filters)
    asked: date | None = None
    k: int = 5
    standalone: str = ""
    retrieval: Retrieval | None = None
    answer: Answer | None = None
    started: float = field(default_factory=time.perf_counter)
    timings_ms: dict[str, float] = field(default_factory=dict)


class AnswerChain:
    def __init__(
        self,
        index: Index,
        retriever: Retriever,
        answerer: Answerer,
        condenser: Any = None,
        reranker: PassageReranker | None = None,
        fallback: ExtractiveAnswerer | None = None,
    ) -> None:
        self.index = index
        self.retriever = retriever
        self.answerer = answerer
        # An LLM backend may bring its own condenser (prompts/condense.txt); the rule-based one
        # is the default and the fallback.
        self.condenser = condenser or standalone
        self.reranker: PassageReranker = reranker or IdentityReranker()
        self.fallback = fallback or (answerer if isinstance(answerer, ExtractiveAnswerer) else ExtractiveAnswerer(index.embedder))

    # -- steps --------------------------------------------------------------------------------
    def condense(self, turn: Turn) -> Turn:
        turn.standalone = self.condenser(turn.question, turn.history) if turn.history else turn.question
        return turn

    def retrieve(self, turn: Turn) -> Turn:
        t = time.perf_counter()
        depth = max(turn.k, self.reranker.depth)
        retrieval = self.retriever.retrieve(turn.standalone, turn.filters, turn.asked, depth)
        if self.reranker.depth:
            retrieval = self.reranker.rerank(turn.standalone, retrieval)
            retrieval.evidence = retrieval.evidence[: turn.k]
        turn.retrieval = retrieval
        turn.timings_ms["retrieve"] = (time.perf_counter() - t) * 1000
        return turn

    def answer(self, turn: Turn) -> Turn:
        t = time.perf_counter()
        assert turn.retrieval is not None
        turn.answer = self.answerer.answer(turn.standalone, turn.retrieval)
        turn.timings_ms["answer"] = (time.perf_counter() - t) * 1000
        return turn

    def verify(self, turn: Turn) -> Answer:
        assert turn.answer is not None and turn.retrieval is not None
        t = time.perf_counter()
        answer = verify_quotes(turn.answer, self.index.catalog)
        if not answer.abstained and not answer.citations:
            # Nothing a generative backend wrote survived verification: quote instead.
            answer = replace(
                self.fallback.answer(turn.standalone, turn.retrieval),
                notes=[*turn.answer.notes, "fell back to extractive: no generated sentence verified"],
                generated=turn.answer.generated,
                fell_back=True,
            )
        turn.timings_ms["answer"] = turn.timings_ms.get("answer", 0.0) + (time.perf_counter() - t) * 1000
        turn.timings_ms["total"] = (time.perf_counter() - turn.started) * 1000
        period = turn.retrieval.period
        if turn.retrieval.period_coverage is not None:
            answer = with_period(answer, turn.retrieval.period_coverage)
        return replace(
            answer,
            question=turn.question,
            standalone_question=turn.standalone,
            period=f"{period.phrase} -> {period.start.isoformat()}..{period.end.isoformat()}" if period else "",
            timings_ms={**answer.timings_ms, **turn.timings_ms},  # keep a backend's own timings too
        )

    # -- composition ----------------------------------------------------------------------------
    @property
    def runnable(self) -> Runnable[Turn, Answer]:
        return (
            RunnableLambda(self.condense, name="condense")
            | RunnableLambda(self.retrieve, name="retrieve")
            | RunnableLambda(self.answer, name="answer")
            | RunnableLambda(self.verify, name="verify")
        )

    def invoke(self, turn: Turn) -> Answer:
        return self.runnable.invoke(turn)

    def stream(self, turn: Turn) -> Iterator[str | Answer]:
        """Text deltas as the backend produces them, then the verified Answer."""
        prepared = (RunnableLambda(self.condense, name="condense") | RunnableLambda(self.retrieve, name="retrieve")).invoke(turn)
        t = time.perf_counter()
        assert prepared.retrieval is not None
        for item in self.answerer.stream(prepared.standalone, prepared.retrieval):
            if isinstance(item, Answer):
                prepared.answer = item
            else:
                yield item
        prepared.timings_ms["answer"] = (time.perf_counter() - t) * 1000
        yield self.verify(prepared)


def with_period(answer: Answer, coverage: PeriodCoverage) -> Answer:
    """The answer for a question that states a period.  Covered: unchanged, with the coverage.
    Not covered: it did not answer for that period (abstained), says the period has no coverage,
    and keeps its quotes as the nearest evidence, labelled as from outside the period; a short
    direct answer is dropped (it would read as the answer for the period)."""
    if coverage.covered:
        return replace(answer, period_coverage=coverage)
    if answer.abstained:
        return replace(
            answer,
            answer=f"{coverage.notice()} {answer.answer}",
            period_coverage=coverage,
            abstain_reason=answer.abstain_reason or PERIOD_NOT_COVERED,
        )
    sentences = [s for s in answer.sentences if s.role != "direct"]
    return replace(
        answer,
        answer=coverage.framed(answer_text(sentences)),
        sentences=sentences,
        direct=None,
        abstained=True,
        abstain_reason=PERIOD_NOT_COVERED,
        period_coverage=coverage,
    )
