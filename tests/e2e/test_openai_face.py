"""`newsdesk serve` as clients see it: the official `openai` client on /v1 (streamed and not, a
follow-up, filters), raw HTTP for what a client library would hide (SSE framing, malformed JSON,
status codes), the bearer key on /v1 and /mcp, the UI's login, and the refusal to start exposed.

One server process for the session (conftest.served_faces), configured with a key and a login
although it listens on 127.0.0.1, so every check of the credentials is a real one.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from support import cli_env, free_port, NEWSDESK

QUESTION = "What did Tillerson require in March?"
UNANSWERABLE = "What did Tillerson say about colonies on Mars?"  # the sample articles never mention Mars
MCP_INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}},
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@pytest.fixture(scope="module")
def catalog(sample_settings):  # type: ignore[no-untyped-def]
    from ingest.catalog import Catalog

    found = Catalog(sample_settings.catalog_path)
    yield found
    found.close()


@pytest.fixture(scope="module")
def client(served_faces):  # type: ignore[no-untyped-def]
    import openai

    return openai.OpenAI(base_url=served_faces.url + "v1", api_key=served_faces.key, max_retries=0, timeout=120)


def post(served_faces, body: bytes | dict[str, Any], key: str | None = None) -> httpx.Response:  # type: ignore[no-untyped-def]
    """A raw POST to /v1/chat/completions with the served key, another `key`, or none (key="")."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    token = served_faces.key if key is None else key
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    return httpx.post(served_faces.url + "v1/chat/completions", content=data, headers=headers, timeout=120)


def assert_cited(completion: Any, catalog) -> None:  # type: ignore[no-untyped-def]
    """Content: the answer with [n] markers and a numbered source list; `citations`: verbatim quotes."""
    content = completion.choices[0].message.content
    assert "[1]" in content and "\nSources:\n[1] " in content
    citations = completion.citations
    assert citations and citations == completion.newsdesk["citations"]
    for c in citations:
        text = catalog.article(c["article_id"]).text
        assert text[c["start"] : c["end"]] == c["quote"] and c["passages"][0]["quote"] == c["quote"]
        assert f"[{c['n']}] {c['title']}" in content
        for p in c["passages"]:  # one source per article: every quote of it, verbatim, in the content
            assert text[p["start"] : p["end"]] == p["quote"] and f'"{p["quote"]}"' in content


def test_models_lists_one_model_named_newsdesk(client) -> None:  # type: ignore[no-untyped-def]
    assert [m.id for m in client.models.list()] == ["newsdesk"]
    assert client.models.retrieve("newsdesk").owned_by == "newsdesk"


def test_a_question_gets_a_cited_answer(client, catalog) -> None:  # type: ignore[no-untyped-def]
    completion = client.chat.completions.create(model="newsdesk", messages=[{"role": "user", "content": QUESTION}])
    assert completion.object == "chat.completion" and completion.model == "newsdesk"
    assert completion.choices[0].finish_reason == "stop" and completion.choices[0].message.role == "assistant"
    assert not completion.newsdesk["abstained"] and completion.newsdesk["question"] == QUESTION
    assert_cited(completion, catalog)


def test_a_question_the_archive_cannot_answer_says_so_and_lists_leads(client) -> None:  # type: ignore[no-untyped-def]
    """Issue 13's abstention reaches /v1: the content says nothing was found and lists the leads as
    not evidence, streamed or not; the newsdesk object says why."""
    messages = [{"role": "user", "content": UNANSWERABLE}]
    completion = client.chat.completions.create(model="newsdesk", messages=messages)
    content = completion.choices[0].message.content
    found = completion.newsdesk
    assert found["abstained"] and found["abstain_reason"] and "Mars" in found["missing_terms"]
    assert completion.citations == [] and found["leads"]
    assert content.startswith("I found nothing in the archive that answers this") and "\nNearest articles (not evidence):\n" in content
    assert all(f"- {lead['title']}" in content for lead in found["leads"]) and "Sources:" not in content
    chunks = list(client.chat.completions.create(model="newsdesk", messages=messages, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == content
    assert chunks[-1].newsdesk["abstained"] and chunks[-1].citations == []


def test_a_streamed_answer_is_the_same_answer_in_openai_chunks(client, served_faces, catalog) -> None:  # type: ignore[no-untyped-def]
    whole = client.chat.completions.create(model="newsdesk", messages=[{"role": "user", "content": QUESTION}])
    chunks = list(client.chat.completions.create(model="newsdesk", messages=[{"role": "user", "content": QUESTION}], stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert all(c.object == "chat.completion.chunk" and c.id == chunks[0].id for c in chunks)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == whole.choices[0].message.content
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop" and last.citations == whole.citations
    assert [c.choices[0].finish_reason for c in chunks[:-1]] == [None] * (len(chunks) - 1)
    # The wire itself: `data: {json}` events, the last one `data: [DONE]`.
    body = {"model": "newsdesk", "stream": True, "messages": [{"role": "user", "content": QUESTION}]}
    raw = post(served_faces, body)
    assert raw.status_code == 200 and raw.headers["content-type"].startswith("text/event-stream")
    events = [e for e in raw.text.split("\n\n") if e]
    assert all(e.startswith("data: ") and "\n" not in e for e in events)
    assert events[-1] == "data: [DONE]" and json.loads(events[-2][6:])["citations"] == whole.citations


def test_a_follow_up_uses_the_conversation_and_filters_ride_in_extra_body(client, catalog) -> None:  # type: ignore[no-untyped-def]
    first = client.chat.completions.create(model="newsdesk", messages=[{"role": "user", "content": QUESTION}])
    messages = [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": [{"type": "text", "text": "And what did he say in August?"}]},
    ]
    follow = client.chat.completions.create(model="newsdesk", messages=messages, extra_body={"since": "2017-08-01"})
    assert "Tillerson" in follow.newsdesk["standalone_question"] and not follow.newsdesk["abstained"]
    assert all(c["published"] >= "2017-08-01" for c in follow.citations)
    assert_cited(follow, catalog)
    source = first.citations[0]["source"]
    only = client.chat.completions.create(
        model="newsdesk", messages=[{"role": "user", "content": "North Korea"}], extra_body={"source": [source]}
    )
    assert only.citations and {c["source"] for c in only.citations} == {source}


def test_bad_requests_get_openai_errors_and_the_server_keeps_answering(client, served_faces, catalog) -> None:  # type: ignore[no-untyped-def]
    import openai

    user = [{"role": "user", "content": QUESTION}]
    with pytest.raises(openai.BadRequestError, match="until 'next week': not a date"):
        client.chat.completions.create(model="newsdesk", messages=user, extra_body={"until": "next week"})
    with pytest.raises(openai.BadRequestError, match="the question is 6,000 characters long; the limit is 4,000"):
        client.chat.completions.create(model="newsdesk", messages=[{"role": "user", "content": "x" * 6000}])
    with pytest.raises(openai.BadRequestError, match="since 2017-09-01 is after until 2017-03-31"):
        client.chat.completions.create(model="newsdesk", messages=user, stream=True, extra_body={"since": "2017-09", "until": "2017-03"})
    with pytest.raises(openai.NotFoundError, match="the model 'gpt-4o' does not exist"):
        client.chat.completions.create(model="gpt-4o", messages=user)
    cases = [
        (b'{"model": "newsdesk", "messages": [', 400, "the request body is not valid JSON"),
        (b"[1, 2]", 400, "the request body must be a JSON object"),
        ({"model": "newsdesk", "messages": [{"role": "user", "content": "  "}]}, 400, "the question is empty"),
        ({"model": "newsdesk", "messages": [*user, {"role": "assistant", "content": "hi"}]}, 400, "the last message must be"),
        ({"model": "newsdesk", "messages": "hello"}, 400, "'messages' must be a non-empty list"),
        ({"model": "newsdesk", "messages": user, "stream": "yes"}, 400, "'stream' must be true or false"),
        ({"model": "newsdesk", "messages": user, "source": 7}, 400, "'source' must be a publication name"),
        ({"model": "newsdesk", "messages": [{"role": "user", "content": "y" * 1_100_000}]}, 413, "the request body is over"),
    ]
    for body, status, message in cases:
        response = post(served_faces, body)
        assert response.status_code == status, (body if isinstance(body, bytes) else str(body)[:80], response.text[:200])
        error = response.json()["error"]
        assert error["message"].startswith(message) and "\n" not in error["message"], error
        assert set(error) == {"message", "type", "param", "code"} and error["type"] == "invalid_request_error"
    for path, method in (("v1/nowhere", "GET"), ("v1/chat/completions", "GET")):
        response = httpx.request(method, served_faces.url + path, headers={"Authorization": f"Bearer {served_faces.key}"})
        assert response.status_code in (404, 405) and "error" in response.json()
    assert_cited(client.chat.completions.create(model="newsdesk", messages=user), catalog)  # still answering
    assert "Traceback" not in served_faces.process.output


def test_v1_and_mcp_need_the_key_and_the_ui_its_login(served_faces) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import Client

    models, mcp = served_faces.url + "v1/models", served_faces.url + "mcp"
    for key in (None, "wrong-key"):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        response = httpx.get(models, headers=headers)
        assert response.status_code == 401 and response.json()["error"]["code"] == "invalid_api_key"
        assert response.headers["www-authenticate"].startswith("Bearer")
        response = httpx.post(mcp, json=MCP_INIT, headers={**MCP_HEADERS, **headers})
        assert response.status_code == 401 and response.json()["error"] == "invalid_token"
        assert post(served_faces, {"model": "newsdesk", "messages": []}, key=key or "").status_code == 401
    good = {"Authorization": f"Bearer {served_faces.key}"}
    assert httpx.get(models, headers=good).status_code == 200
    response = httpx.post(mcp, json=MCP_INIT, headers={**MCP_HEADERS, **good})
    assert response.status_code == 200 and "newsdesk" in response.text
    assert httpx.get(served_faces.url + "config").status_code == 401  # the UI's config, without the login
    with pytest.raises(Exception):
        Client(served_faces.url, verbose=False)
    ui = Client(served_faces.url, auth=served_faces.login, verbose=False)
    result = ui.predict(QUESTION, api_name="/ask")
    assert not result["abstained"] and "Tillerson" in result["citations"][0]["title"]


@pytest.mark.parametrize(
    "command, env, needs",
    [
        (["serve", "--host", "0.0.0.0"], {}, "--auth USER:PASSWORD (or NEWSDESK_AUTH) for the chat UI and NEWSDESK_API_KEY for /v1 and MCP"),
        (["serve", "--host", "192.168.1.20"], {"NEWSDESK_AUTH": "ann:pw"}, "NEWSDESK_API_KEY for /v1 and MCP"),
        (["serve", "--host", "0.0.0.0"], {"NEWSDESK_API_KEY": "k"}, "--auth USER:PASSWORD (or NEWSDESK_AUTH) for the chat UI"),
        (["mcp", "--http", "--host", "0.0.0.0"], {"NEWSDESK_AUTH": "ann:pw"}, "NEWSDESK_API_KEY for MCP"),
    ],
)
def test_a_non_loopback_host_without_credentials_is_refused_in_one_line(tmp_path, command, env, needs) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    args = [str(NEWSDESK), *command, "--port", str(free_port()), "--index", str(tmp_path / "index")]
    done = subprocess.run(args, env=cli_env(**env), capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"newsdesk {command[0]}: --host {command[command.index('--host') + 1]} would expose your archive to the network; "
        f"refusing to start without {needs}"
    ]


def test_a_taken_port_is_one_line(served_faces, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    port = served_faces.url.rsplit(":", 1)[1].strip("/")
    done = subprocess.run(
        [str(NEWSDESK), "serve", "--port", port, "--index", str(tmp_path / "index")], env=cli_env(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"newsdesk serve: cannot listen on 127.0.0.1:{port} (Address already in use); pick another --port"]
