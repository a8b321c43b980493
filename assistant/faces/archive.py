"""The archive as the remote faces offer it: search, ask, brief, read an article, describe the index.

The MCP tools (mcp_server.py) and the OpenAI-compatible endpoint (openai_api.py) call these
methods and only these, so a date is read, a question capped and a slot taken the same way
whichever protocol asked.  Every method is the core's own code (the Retriever, the answer chain,
the briefer, the catalog): nothing here retrieves, cites or verifies by itself.  Bad input is a
NewsdeskError whose one-line message names the argument as the caller spelled it ("since",
"article_id"), checked before a slot is taken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from typing_extensions import TypedDict

from assistant.api import checked_text
from assistant.briefing import BriefRequest, build_brief, check_brief_backend, parse_briefing_request, render_brief_markdown
from assistant.chain import Turn
from assistant.condense import Message
from assistant.filters import Filters
from assistant.limits import Limits
from ingest.errors import ConfigError

if TYPE_CHECKING:
    from assistant.answer import Answer
    from assistant.api import Assistant
    from assistant.retrieve import Evidence
    from ingest.catalog import StoredArticle

FIELDS = ("since", "until")  # how the date arguments are named in messages
MAX_PASSAGES = 20
MAX_POINTS = 40


class Passage(TypedDict):
    """One passage found by `search`; `text == article.text[start:end]`."""

    rank: int
    article_id: str
    title: str
    source: str
    published: str
    url: str
    text: str
    start: int
    end: int
    score: float


class SearchResult(TypedDict):
    query: str
    since: str
    until: str
    sources: list[str]
    passages: list[Passage]


class ArticleRecord(TypedDict):
    """A whole article with its metadata; citation offsets index into `text`."""

    article_id: str
    title: str
    source: str
    published: str
    authors: list[str]
    url: str
    text: str
    characters: int


def passage_record(ev: "Evidence") -> Passage:
    return Passage(
        rank=ev.rank, article_id=ev.article_id, title=ev.title, source=ev.source, published=ev.published,
        url=ev.url, text=ev.text, start=ev.start, end=ev.end, score=round(ev.score, 5),
    )  # fmt: skip


def article_record(article: "StoredArticle") -> ArticleRecord:
    return ArticleRecord(
        article_id=article.article_id, title=article.title, source=article.source, published=article.published,
        authors=list(article.authors), url=article.url, text=article.text, characters=len(article.text),
    )  # fmt: skip


class Archive:
    """One Assistant and the process's Limits, as every remote face uses them."""

    def __init__(self, assistant: "Assistant", limits: Limits | None = None) -> None:
        self.assistant = assistant
        self.limits = limits or Limits.for_backend(assistant.settings.llm)
        self.catalog = assistant.index.catalog

    def filters(self, since: str | None, until: str | None, source: Sequence[str] | str | None) -> Filters:
        """The arguments' filters, dates read in the index's order (NEWSDESK_DATE_ORDER)."""
        return self.assistant.dates.filters(since, until, source or (), fields=FIELDS)

    # -- questions ------------------------------------------------------------------------------
    def turn(self, question: str, history: Sequence[Message] = (), **options: Any) -> Turn:
        """A checked question (options as `Assistant.turn`'s: since, until, sources, asked): every
        argument error is raised here, before any slot or model."""
        return self.assistant.turn(question, list(history), fields=FIELDS, **options)

    def answer(self, turn: Turn) -> "Answer":
        """The verified Answer (the `ask --json` object is `answer.to_dict()`), in an answer slot."""
        with self.limits.answers.hold():
            return self.assistant.chain.invoke(turn)

    def ask(self, question: str, history: Sequence[Message] = (), **options: Any) -> "Answer":
        return self.answer(self.turn(question, history, **options))

    def search(
        self,
        query: str,
        since: str | None = None,
        until: str | None = None,
        source: Sequence[str] | str | None = None,
        k: int = 5,
    ) -> SearchResult:
        """The passages the answer chain would read for `query` (hybrid retrieval, same filters)."""
        query = checked_text(query, "the query")
        if not 1 <= k <= MAX_PASSAGES:
            raise ConfigError(f"k {k}: use 1 to {MAX_PASSAGES} passages")
        filters = self.filters(since, until, source)
        with self.limits.answers.hold():
            found = self.assistant.retriever.retrieve(query, filters, k=k)
        return SearchResult(
            query=query,
            since=filters.since,
            until=filters.until,
            sources=list(filters.sources),
            passages=[passage_record(ev) for ev in found.evidence],
        )

    # -- briefs ---------------------------------------------------------------------------------
    def brief(
        self,
        topic: str,
        since: str | None = None,
        until: str | None = None,
        source: Sequence[str] | str | None = None,
        max_points: int = 12,
    ) -> dict[str, Any]:
        """The briefing JSON (`brief --json`) plus its Markdown under "markdown".

        "brief me on X since August" phrasing works as in the chat; its dates and the filters
        both apply (build_brief).
        """
        topic = checked_text(topic, "the briefing topic")
        if not 1 <= max_points <= MAX_POINTS:
            raise ConfigError(f"max_points {max_points}: use 1 to {MAX_POINTS}")
        filters = self.filters(since, until, source)
        check_brief_backend(self.assistant.settings)
        request = parse_briefing_request(topic) or BriefRequest(topic=topic)
        with self.limits.briefs.hold():
            brief = build_brief(self.assistant, request, filters, max_points=max_points)
        return {**brief.to_dict(), "markdown": render_brief_markdown(brief)}

    # -- the archive itself ---------------------------------------------------------------------
    def article(self, article_id: str) -> ArticleRecord:
        article_id = (article_id or "").strip()
        if not article_id:
            raise ConfigError("article_id is empty")
        article = self.catalog.article(article_id)
        if article is None:
            raise ConfigError(f"article_id {article_id!r}: no such article in this archive")
        return article_record(article)

    def stats(self) -> dict[str, Any]:
        """`newsdesk stats --json`: articles, passages, date range, sources."""
        return self.assistant.index.describe()
