"""The Python API: `Assistant.open(index=...).ask(question, history=[...])`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterator, Sequence

from assistant.answer import Answer
from assistant.backends import make_answerer
from assistant.chain import AnswerChain, Turn
from assistant.condense import Message
from assistant.retrieve import Filters, Retriever, RetrievalConfig
from ingest.dates import normalise_date
from ingest.embedder import use_threads
from ingest.errors import ConfigError
from ingest.index import Index
from ingest.settings import Settings


def parse_asked(value: str | date | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    iso = normalise_date(value)
    if not iso:
        raise ConfigError(f"asked {value!r}: not a date (use YYYY-MM-DD)")
    return date.fromisoformat(iso)


class Assistant:
    """Cited answers over one index.  Models load once per process and are reused."""

    def __init__(self, settings: Settings, retrieval: RetrievalConfig | None = None) -> None:
        self.settings = settings
        use_threads(1)  # small, latency-bound encodes: see ingest/embedder.use_threads
        self.index = Index.open(settings)
        self.retriever = Retriever(self.index, retrieval)
        self.answerer = make_answerer(settings, self.index)
        self.chain = AnswerChain(self.index, self.retriever, self.answerer, getattr(self.answerer, "condense", None))

    @classmethod
    def open(cls, index: str | Path | None = None, settings: Settings | None = None, **overrides: object) -> "Assistant":
        if settings is None:
            settings = Settings.load(index=index, **overrides)
        elif index is not None:
            settings = Settings.load(**{**settings.__dict__, "index": index, **overrides})
        return cls(settings)

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
        return Turn(question, list(history), Filters.parse(since, until, sources), parse_asked(asked), k)

    def ask(self, question: str, history: Sequence[Message] = (), **options: object) -> Answer:
        return self.chain.invoke(self.turn(question, history, **options))  # type: ignore[arg-type]

    def stream(self, question: str, history: Sequence[Message] = (), **options: object) -> Iterator[str | Answer]:
        return self.chain.stream(self.turn(question, history, **options))  # type: ignore[arg-type]
