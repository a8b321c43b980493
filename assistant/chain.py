"""The one pipeline for questions: condense -> retrieve -> answer -> verify, a LangChain Runnable.

`newsdesk ask`, the chat UI, its API endpoint and `newsdesk eval` all run this chain, so a number
measured by `newsdesk eval` is a number about what users get.  Condensing is assistant/condense.py
(or the LLM backend's own), retrieval assistant/retrieve.py, answering the backend
(assistant/backends.py), verification assistant/citations.py.  Briefings gather evidence with
the same Retriever but build their own views (assistant/briefing/).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Iterator, Sequence

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answer import Answer
from assistant.backends import Answerer
from assistant.citations import verify_quotes
from assistant.condense import Message, standalone
from assistant.extractive import ExtractiveAnswerer
from assistant.filters import Filters
from assistant.retrieve import Retrieval, Retriever
from ingest.index import Index


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
    def __init__(self, index: Index, retriever: Retriever, answerer: Answerer, condenser: Any = None) -> None:
        self.index = index
        self.retriever = retriever
        self.answerer = answerer
        # An LLM backend may bring its own condenser (prompts/condense.txt); the rule-based one
        # is the default and the fallback.
        self.condenser = condenser or standalone
        self.fallback = answerer if isinstance(answerer, ExtractiveAnswerer) else ExtractiveAnswerer(index.embedder)

    # -- steps --------------------------------------------------------------------------------
    def condense(self, turn: Turn) -> Turn:
        turn.standalone = self.condenser(turn.question, turn.history) if turn.history else turn.question
        return turn

    def retrieve(self, turn: Turn) -> Turn:
        t = time.perf_counter()
        turn.retrieval = self.retriever.retrieve(turn.standalone, turn.filters, turn.asked, turn.k)
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
