"""The MCP face with the official `mcp` SDK client: over stdio (`newsdesk mcp` launched as a
subprocess, as Claude Desktop does) and over streamable HTTP (against `newsdesk serve` and
`newsdesk mcp --http`, both with the key on).

Every test runs on each transport, one server session per transport for the whole module.  Every
quote a tool returns is checked against the catalog: `article.text[start:end] == quote`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from support import NEWSDESK, SAMPLE_ARTICLES, McpSession, Served, cli_env, free_port, mcp_http_transport, mcp_session

TOOLS = {"search_archive", "ask", "brief", "get_article", "archive_stats"}
QUESTION = "What did Tillerson require in March?"
ASK_KEYS = {
    "question", "answer", "abstained", "citations", "standalone_question", "period", "sentences", "leads", "notes",
    "direct_answer", "period_coverage", "outside_period", "abstain_reason", "missing_terms",
}


@pytest.fixture(scope="module")
def catalog(sample_settings):  # type: ignore[no-untyped-def]
    from ingest.catalog import Catalog

    found = Catalog(sample_settings.catalog_path)
    yield found
    found.close()


@pytest.fixture(scope="module", params=["stdio", "serve", "mcp-http"])
def mcp(request, sample_settings, served_faces, tmp_path_factory) -> Iterator[McpSession]:  # type: ignore[no-untyped-def]
    """A session with `newsdesk mcp` over stdio (its stderr kept in a file), with `newsdesk serve`'s
    /mcp, or with `newsdesk mcp --http` (a process of its own, key on, stopped with SIGINT)."""
    if request.param == "serve":
        with mcp_session(mcp_http_transport(served_faces.url + "mcp", served_faces.key)) as session:
            yield session
        return
    if request.param == "mcp-http":
        port = free_port()
        served = Served(["mcp", "--http", "--port", str(port), "--index", str(sample_settings.index)], cli_env(NEWSDESK_API_KEY="k-mcp"))
        try:
            line = served.wait_for("newsdesk mcp: serving")
            assert f"http://127.0.0.1:{port}/mcp [bearer key required] (12 articles" in line
            with mcp_session(mcp_http_transport(f"http://127.0.0.1:{port}/mcp", "k-mcp")) as session:
                yield session
        finally:
            code = served.stop()
        assert code == 0 and "newsdesk mcp: stopped" in served.output and "Traceback" not in served.output
        return
    from mcp.client.stdio import StdioServerParameters, stdio_client

    log_path: Path = tmp_path_factory.mktemp("mcp-stdio") / "stderr.log"
    params = StdioServerParameters(command=str(NEWSDESK), args=["mcp", "--index", str(sample_settings.index)], env=cli_env())
    with log_path.open("w", encoding="utf-8") as log:
        with mcp_session(stdio_client(params, errlog=log)) as session:
            session.stderr = log_path  # type: ignore[attr-defined]
            yield session


def payload(result: Any) -> dict[str, Any]:
    """A successful call's structured content, which its text content repeats as JSON."""
    assert not result.is_error, result.content[0].text
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


def assert_verbatim(citations: list[dict[str, Any]], catalog) -> None:  # type: ignore[no-untyped-def]
    assert citations
    for c in citations:
        article = catalog.article(c["article_id"])
        assert article is not None, c
        assert article.text[c["start"] : c["end"]] == c["quote"], c
        for p in c["passages"]:  # every quote of that article (one source per article)
            assert article.text[p["start"] : p["end"]] == p["quote"], c
        assert (c["title"], c["published"], c["source"], c["url"]) == (article.title, article.published, article.source, article.url)


def test_the_tools_are_listed_typed_described_and_read_only(mcp: McpSession) -> None:
    tools = {t.name: t for t in mcp.tools()}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert len(tool.description) > 80 and tool.title, tool.name
        assert tool.annotations.read_only_hint and not tool.annotations.destructive_hint
        assert tool.output_schema and tool.output_schema["type"] == "object"
        for name, schema in tool.input_schema.get("properties", {}).items():
            assert schema.get("description"), f"{tool.name}({name}) has no description"
    assert tools["ask"].input_schema["required"] == ["question"]
    assert tools["search_archive"].input_schema["properties"]["k"]["maximum"] == 20
    passage = tools["search_archive"].output_schema["$defs"]["Passage"]["properties"]
    assert {"article_id", "title", "source", "published", "url", "text", "start", "end"} <= set(passage)


def test_ask_answers_with_verbatim_citations_and_follows_up(mcp: McpSession, catalog) -> None:  # type: ignore[no-untyped-def]
    answer = payload(mcp.call("ask", {"question": QUESTION}))
    assert ASK_KEYS <= set(answer) and not answer["abstained"]
    assert "[1]" in answer["answer"] and "Tillerson" in answer["citations"][0]["title"]
    assert_verbatim(answer["citations"], catalog)
    history = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": answer["answer"]}]
    follow = payload(mcp.call("ask", {"question": "And what did he say in August?", "history": history, "since": "2017-08"}))
    assert "Tillerson" in follow["standalone_question"] and not follow["abstained"]
    assert all(c["published"] >= "2017-08-01" for c in follow["citations"])
    assert_verbatim(follow["citations"], catalog)


def test_ask_says_when_the_archive_has_nothing_and_lists_leads(mcp: McpSession) -> None:
    answer = payload(mcp.call("ask", {"question": "What did Tillerson say about colonies on Mars?"}))
    assert answer["abstained"] and answer["citations"] == [] and answer["abstain_reason"]
    assert answer["answer"].startswith("I found nothing in the archive that answers this") and "Mars" in answer["missing_terms"]
    assert answer["leads"] and all(lead["article_id"] and lead["title"] for lead in answer["leads"])


def test_search_archive_returns_verbatim_passages_within_the_filters(mcp: McpSession, catalog) -> None:  # type: ignore[no-untyped-def]
    found = payload(mcp.call("search_archive", {"query": "sanctions on North Korea", "since": "2017-08-01", "k": 4}))
    assert found["since"] == "2017-08-01" and 1 <= len(found["passages"]) <= 4
    for p in found["passages"]:
        assert p["published"] >= "2017-08-01"
        assert catalog.article(p["article_id"]).text[p["start"] : p["end"]] == p["text"]
    assert [p["rank"] for p in found["passages"]] == list(range(1, len(found["passages"]) + 1))


def test_brief_is_a_dated_cited_timeline_with_its_markdown(mcp: McpSession, catalog) -> None:  # type: ignore[no-untyped-def]
    brief = payload(mcp.call("brief", {"topic": "North Korea sanctions", "max_points": 5}))
    assert brief["timeline"] and len(brief["timeline"]) <= 5
    assert all(point["date"] and point["citations"] for point in brief["timeline"])
    assert_verbatim(brief["citations"], catalog)
    assert brief["markdown"].startswith("# ") and "[1]" in brief["markdown"]


def test_get_article_returns_the_whole_article_the_citations_point_into(mcp: McpSession, catalog) -> None:  # type: ignore[no-untyped-def]
    cited = payload(mcp.call("ask", {"question": QUESTION}))["citations"][0]
    article = payload(mcp.call("get_article", {"article_id": cited["article_id"]}))
    stored = catalog.article(cited["article_id"])
    assert article["text"] == stored.text and article["characters"] == len(stored.text)
    assert (article["title"], article["source"], article["published"]) == (stored.title, stored.source, stored.published)
    assert article["text"][cited["start"] : cited["end"]] == cited["quote"]


def test_archive_stats_says_what_the_archive_covers(mcp: McpSession) -> None:
    stats = payload(mcp.call("archive_stats", {}))
    assert stats["articles"] == SAMPLE_ARTICLES + 1 and stats["chunks"] == stats["vectors_stored"]
    assert stats["first_published"] == "2017-03-17" and any(s["source"] == "Harbor Daily Ledger" for s in stats["sources"])


BAD_CALLS = [
    ("ask", {"question": QUESTION, "since": "2017-13-45"}, "ask: since '2017-13-45': not a date"),
    ("ask", {"question": QUESTION, "since": "2017-09", "until": "2017-03"}, "ask: since 2017-09-01 is after until 2017-03-31"),
    ("ask", {"question": "   "}, "ask: the question is empty"),
    ("ask", {"question": "Why? " * 2000}, "ask: the question is 9,999 characters long; the limit is 4,000"),
    ("ask", {"question": QUESTION, "colour": "red"}, "ask: unknown argument 'colour'; it takes question, history"),
    ("ask", {"question": QUESTION, "history": [{"role": "robot", "content": "hi"}]}, "ask: history.0.role: Input should be"),
    ("ask", {}, "ask: question: Field required"),
    ("search_archive", {"query": "Tillerson", "k": 500}, "search_archive: k: Input should be less than or equal to 20"),
    ("search_archive", {"query": "Tillerson", "until": "someday"}, "search_archive: until 'someday': not a date"),
    ("brief", {"topic": ""}, "brief: the briefing topic is empty"),
    ("get_article", {"article_id": "no-such-article"}, "get_article: article_id 'no-such-article': no such article"),
    ("no_such_tool", {}, "Unknown tool: no_such_tool"),
]


def test_bad_arguments_are_one_line_tool_errors_and_the_server_keeps_answering(mcp: McpSession, catalog) -> None:  # type: ignore[no-untyped-def]
    for tool, arguments, message in BAD_CALLS:
        result = mcp.call(tool, arguments)
        text = result.content[0].text
        assert result.is_error, (tool, arguments)
        assert text.startswith(message) and "\n" not in text and "Traceback" not in text, (tool, text)
    answer = payload(mcp.call("ask", {"question": QUESTION}))
    assert_verbatim(answer["citations"], catalog)
    log = getattr(mcp, "stderr", None)
    if log is not None:  # stdio: the server's own log says what it serves, and shows no crash
        text = log.read_text(encoding="utf-8")
        assert "newsdesk mcp: serving over stdio (12 articles from 6 sources" in text and "Traceback" not in text
