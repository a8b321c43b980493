"""The archive as MCP tools (the official `mcp` SDK's MCPServer, FastMCP's successor in mcp 2).

    server = build_mcp(Archive(Assistant.open(index=...)))
    server.run("stdio")                           # what `newsdesk mcp` does
    app = server.streamable_http_app(...)          # what `newsdesk mcp --http` and `serve` mount

Five read-only tools, each a call of faces/archive.py: search_archive, ask, brief, get_article,
archive_stats.  Parameters are typed and described for an agent; results are structured (an
output schema where the shape is fixed here, the documented `ask --json` / `brief --json` objects
otherwise) with the same JSON as text for clients without structured output.

Errors: a bad argument (a date that is not one, an unknown article id, an empty or huge question,
an argument the tool does not take, a wrong type) comes back as a tool error (`isError`) whose
text is one line, `<tool>: <the message the CLI prints>`; the server keeps serving.  Only a bug
is logged with its traceback, on the server's stderr, never sent to the client.
"""

from __future__ import annotations

from importlib import metadata
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, InputRequiredResult, ToolAnnotations
from pydantic import Field, ValidationError
from typing_extensions import TypedDict

from assistant.faces.archive import MAX_PASSAGES, MAX_POINTS, Archive, ArticleRecord, SearchResult
from ingest.errors import NewsdeskError

INSTRUCTIONS = """\
newsdesk answers from the user's own news archive, offline. Every answer sentence carries [n] \
citations; every citation's quote is verbatim article text (article.text[start:end] == quote), \
with the article's title, outlet, publication date and URL. When the archive holds no evidence, \
`ask` says so (abstained: true) and lists nearby articles as leads, not evidence. Use `ask` for a \
question, `search_archive` to see raw passages, `brief` for a dated timeline of a topic, \
`get_article` to read a cited article in full, `archive_stats` to learn what the archive covers \
(dates and outlets) before filtering. Dates are YYYY-MM-DD (YYYY-MM or YYYY for a whole month or year).\
"""

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)

Since = Annotated[
    str | None,
    Field(description="Only articles published on/after this date: YYYY-MM-DD, or YYYY-MM / YYYY for its first day"),
]
Until = Annotated[
    str | None,
    Field(description="Only articles published on/before this date: YYYY-MM-DD, or YYYY-MM / YYYY for its last day"),
]
Source = Annotated[
    str | list[str] | None,
    Field(description="Only these publications (outlet names as archive_stats lists them); one name or a list"),
]


class HistoryMessage(TypedDict):
    """An earlier turn of the conversation."""

    role: Literal["user", "assistant"]
    content: str


def _version() -> str:
    try:
        return metadata.version("newsdesk")
    except metadata.PackageNotFoundError:
        return ""


def _one_line(error: ValidationError) -> str:
    """A pydantic error as `argument: reason; ...` (its own str() spans several lines)."""
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in error.errors())


class NewsdeskMCP(MCPServer):
    """MCPServer whose tool errors are the one-line messages the CLI prints.

    The SDK reports an exception from a tool as a crash ("Error executing tool ask", with a
    traceback in the log) and an argument error as pydantic's multi-line text; a NewsdeskError is
    neither, so it is turned into a plain tool error here.  Arguments a tool does not take are
    refused too (the SDK would ignore them silently, and a misspelt `sinc` would widen the search).
    """

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        tool = next((t for t in await self.list_tools() if t.name == name), None)
        if tool is not None:
            takes = list((tool.input_schema or {}).get("properties", {}))
            unknown = sorted(set(arguments) - set(takes))
            if unknown:
                raise ToolError(
                    f"{name}: unknown argument {', '.join(repr(a) for a in unknown)}; it takes {', '.join(takes) or 'none'}"
                )
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, NewsdeskError):
                raise ToolError(f"{name}: {cause}") from cause
            if isinstance(cause, ValidationError):
                raise ToolError(f"{name}: {_one_line(cause)}") from cause
            raise


def build_mcp(archive: Archive) -> NewsdeskMCP:
    """The MCP server over one Archive; its tools run on worker threads (sync functions)."""
    server = NewsdeskMCP(
        name="newsdesk",
        title="newsdesk: your news archive, cited",
        instructions=INSTRUCTIONS,
        version=_version(),
        log_level="WARNING",
    )

    @server.tool(title="Search the news archive", annotations=READ_ONLY)
    def search_archive(
        query: Annotated[str, Field(description="What to look for, in words (a question or keywords)")],
        since: Since = None,
        until: Until = None,
        source: Source = None,
        k: Annotated[int, Field(ge=1, le=MAX_PASSAGES, description="How many passages to return")] = 5,
    ) -> SearchResult:
        """Find the archive passages most relevant to a query (hybrid semantic + keyword search, at
        most two passages per article). Each passage has its article id, title, outlet, publication
        date, URL, text and character offsets: text == article.text[start:end]. Use `ask` for an
        answer written from such passages, `get_article` to read one in full."""
        return archive.search(query, since, until, source, k)

    @server.tool(title="Ask the archive (cited answer)", annotations=READ_ONLY)
    def ask(
        question: Annotated[str, Field(description="The question, e.g. 'What did Tillerson require in March?'")],
        history: Annotated[
            list[HistoryMessage] | None,
            Field(description="Earlier turns, oldest first, so a follow-up like 'And what did he say next?' is understood"),
        ] = None,
        since: Since = None,
        until: Until = None,
        source: Source = None,
        asked: Annotated[
            str | None, Field(description="The date the question is asked (YYYY-MM-DD); resolves 'this week', 'yesterday'")
        ] = None,
    ) -> dict[str, Any]:
        """Answer a question from the archive. Returns the `newsdesk ask --json` object: `answer`
        (the answering sentence first; every sentence ends in [n] markers), `citations` [{n,
        article_id, title, url, published, source, quote, start, end, passages}] (one per article;
        `passages` lists every quote of it as {quote, start, end}; quote == article.text[start:end]),
        `abstained` (true when the archive holds no evidence: `answer` says so, `abstain_reason` and
        `missing_terms` say why, and `leads` lists nearby articles, which are not evidence),
        `direct_answer` (a short cited span, when confident), `period_coverage` (a period the
        question names: covered or not), `standalone_question` (the follow-up as understood),
        `period`, `sentences`, `notes`."""
        messages = [dict(m) for m in history or []]
        return archive.ask(question, messages, since=since, until=until, sources=source or (), asked=asked).to_dict()

    @server.tool(title="Brief me on a topic (dated, cited timeline)", annotations=READ_ONLY)
    def brief(
        topic: Annotated[
            str, Field(description="The topic, e.g. 'North Korea sanctions'; 'X since August' style phrasing works too")
        ],
        since: Since = None,
        until: Until = None,
        source: Source = None,
        max_points: Annotated[int, Field(ge=1, le=MAX_POINTS, description="At most this many timeline entries")] = 12,
    ) -> dict[str, Any]:
        """A briefing on a topic across many articles: `summary` (the current state), `timeline`
        (dated events in order), `changes` (what changed), each line citing numbers into
        `citations` (same shape as `ask`'s, quotes verbatim), `coverage` (articles per week), and
        the whole brief as `markdown`. Takes a few seconds; one brief runs at a time."""
        return archive.brief(topic, since, until, source, max_points)

    @server.tool(title="Read an article", annotations=READ_ONLY)
    def get_article(
        article_id: Annotated[str, Field(description="An article id from a citation, a lead or a search passage")],
    ) -> ArticleRecord:
        """The whole article with its title, outlet, publication date, authors and URL. Citation
        offsets (start, end) index into `text`, so the context around a quote can be read."""
        return archive.article(article_id)

    @server.tool(title="What the archive holds", annotations=READ_ONLY)
    def archive_stats() -> dict[str, Any]:
        """Articles and passages indexed, the first and last publication dates, undated articles
        and every outlet with its article count (the names `source` filters take)."""
        return archive.stats()

    return server
