"""The Python API: `Assistant.open(index=...).ask(question, history=[...])`."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Iterator, Sequence

from assistant.answer import Answer
from assistant.backends import make_answerer
from assistant.chain import AnswerChain, Turn
from assistant.condense import Message
from assistant.coverage import ArchiveWords
from assistant.extractive import ExtractiveAnswerer, ExtractiveConfig
from assistant.filters import Filters, parse_day
from assistant.relevance.registry import make_reranker, make_sentence_scorer
from assistant.retrieve import RetrievalConfig, Retriever
from assistant.settings import AssistantSettings
from ingest.embedder import use_threads
from ingest.errors import ConfigError
from ingest.index import Index
from ingest.settings import Settings


class Assistant:
    """Cited answers over one index.  Models load once per process and are reused.

    `index_settings` say where the index is (ingest's Settings), `settings` how answers are
    written (default: from the environment); `assistant.index.settings` and `assistant.settings`
    keep them.
    """

    def __init__(
        self,
        index_settings: Settings,
        settings: AssistantSettings | None = None,
        *,
        retrieval: RetrievalConfig | None = None,
        extractive: ExtractiveConfig | None = None,
    ) -> None:
        """`retrieval` and `extractive` override the retriever's and the quoting answerer's
        configuration (the benchmarks switch issue 13's fixes off one at a time with them)."""
        self.settings = settings or AssistantSettings.load()
        use_threads(1)  # small, latency-bound encodes: see ingest/embedder.use_threads
        self.index = Index.open(index_settings)
        self.retriever = Retriever(self.index, retrieval)
        self.scorer = make_sentence_scorer(self.settings.sentence_scorer, self.index)
        self.reranker = make_reranker(self.settings.reranker, self.index, self.scorer)
        # The quoting answerer answers by default and is the generative backends' fallback.
        quoting = ExtractiveAnswerer(self.index.embedder, extractive, self.scorer, ArchiveWords(self.index.catalog))
        self.answerer = quoting if self.settings.llm == "extractive" else make_answerer(self.settings, self.index, self.scorer)
        self.chain = AnswerChain(
            self.index, self.retriever, self.answerer, getattr(self.answerer, "condense", None), self.reranker, quoting
        )

    @classmethod
    def open(cls, index: str | Path | None = None, **overrides: object) -> "Assistant":
        """Settings from the environment, with `index` and any setting of either kind overridden
        by name (`chroma_url=...`, `llm="openai"`, ...)."""
        index_fields = {f.name for f in fields(Settings)}
        unknown = set(overrides) - index_fields - {f.name for f in fields(AssistantSettings)}
        if unknown:
            raise ConfigError(f"Assistant.open: no setting named {', '.join(sorted(unknown))}")
        index_settings = Settings.load(index=index, **{k: v for k, v in overrides.items() if k in index_fields})
        settings = AssistantSettings.load(**{k: v for k, v in overrides.items() if k not in index_fields})
        return cls(index_settings, settings)

    def turn(
        self,
        question: str,
        history: Sequence[Message] = (),
        since: str | None = None,
        until: str | None = None,
        sources: Sequence[str] | str = (),
        asked: str | date | None = None,
        k: int = 5,
    ) -> Turn:
        question = (question or "").strip()
        if not question:
            raise ConfigError("the question is empty")
        return Turn(question, list(history), Filters.parse(since, until, sources), parse_day(asked, "asked"), k)

    def ask(self, question: str, history: Sequence[Message] = (), **options: object) -> Answer:
        return self.chain.invoke(self.turn(question, history, **options))  # type: ignore[arg-type]

    def stream(self, question: str, history: Sequence[Message] = (), **options: object) -> Iterator[str | Answer]:
        return self.chain.stream(self.turn(question, history, **options))  # type: ignore[arg-type]
