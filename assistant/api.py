"""The Python API: `Assistant.open(index=...).ask(question, history=[...])`."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Iterator, Sequence

from assistant.answer import Answer
from assistant.backends import make_answerer
from assistant.chain import AnswerChain, Turn
from assistant.condense import Message, checked_history
from assistant.coverage import ArchiveWords
from assistant.extractive import ExtractiveAnswerer, ExtractiveConfig
from assistant.filters import CLI_FIELDS, DateReader
from assistant.relevance.registry import make_reranker, make_sentence_scorer
from assistant.retrieve import RetrievalConfig, Retriever
from assistant.settings import AssistantSettings
from ingest.embedder import use_threads
from ingest.errors import ConfigError
from ingest.index import Index, damage_line
from ingest.settings import Settings


# A question, a search query or a briefing topic longer than this is pasted text, not a request:
# it would only slow the encoder (which reads 256 tokens anyway) and the lexical search.
MAX_QUESTION_CHARS = 4000


def checked_text(value: str | None, what: str = "the question") -> str:
    """`value` stripped; a ConfigError when it is not text, empty or longer than MAX_QUESTION_CHARS
    (a batch line, an MCP or /v1 call may send anything)."""
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{what} must be text, not {type(value).__name__}")
    text = (value or "").strip()
    if not text:
        raise ConfigError(f"{what} is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise ConfigError(f"{what} is {len(text):,} characters long; the limit is {MAX_QUESTION_CHARS:,}")
    return text


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
        # Answers only read: the index is opened read-only, so a read-only index can be asked.
        self.index = Index.open(index_settings, writable=False)
        # Every face reads typed dates through this (NEWSDESK_DATE_ORDER for "03/04/2017").
        self.dates = DateReader(self.index.settings.day_first)
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

    def damage(self) -> str:
        """One line when the index shows signs of damage (`Index.health`), else ""."""
        problems = self.index.health()
        return damage_line(self.index.settings.index, problems) if problems else ""

    def turn(
        self,
        question: str,
        history: Sequence[Message] = (),
        since: str | None = None,
        until: str | None = None,
        sources: Sequence[str] | str = (),
        asked: str | date | None = None,
        k: int = 5,
        fields: tuple[str, str] = CLI_FIELDS,
    ) -> Turn:
        """A checked question; a bad date is a ConfigError naming the date field as `fields` call it
        (the CLI's --since/--until by default, "since"/"until" for MCP and /v1)."""
        question = checked_text(question)
        filters, day = self.dates.filters(since, until, sources, fields), self.dates.day(asked, "asked")
        return Turn(question, checked_history(history), filters, day, k)

    def ask(self, question: str, history: Sequence[Message] = (), **options: object) -> Answer:
        return self.chain.invoke(self.turn(question, history, **options))  # type: ignore[arg-type]

    def stream(self, question: str, history: Sequence[Message] = (), **options: object) -> Iterator[str | Answer]:
        return self.chain.stream(self.turn(question, history, **options))  # type: ignore[arg-type]
