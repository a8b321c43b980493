"""Answer backends by name.  The chain, CLI and UI never branch on which one runs.

Every backend has `name`, `answer(question, retrieval) -> Answer` and
`stream(question, retrieval) -> Iterator[str | Answer]` (text deltas, then the final Answer).
"""

from __future__ import annotations

from typing import Iterator, Protocol

from assistant.answer import Answer
from assistant.coverage import ArchiveWords
from assistant.extractive import ExtractiveAnswerer
from assistant.relevance.protocols import SentenceScorer
from assistant.retrieve import Retrieval
from assistant.settings import AssistantSettings
from ingest.index import Index


class Answerer(Protocol):
    name: str

    def answer(self, question: str, retrieval: Retrieval) -> Answer: ...

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[str | Answer]: ...


def make_answerer(settings: AssistantSettings, index: Index, scorer: SentenceScorer | None = None) -> Answerer:
    """The backend settings.llm names; `scorer` (default: the heuristic) ranks sentences and
    drives the gates for every backend."""
    if settings.llm == "extractive":
        return ExtractiveAnswerer(index.embedder, scorer=scorer, archive=ArchiveWords(index.catalog))
    from assistant.llm import make_llm_answerer  # optional dependencies load only when asked for

    return make_llm_answerer(settings, index, scorer=scorer)
