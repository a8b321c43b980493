"""The /v1 request reader and the bearer guard, without a server: what a body means, what is refused."""

from __future__ import annotations

import json

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from assistant.faces.openai_request import ApiError, parse_chat
from assistant.faces.serve import BearerGuard, check_exposure
from assistant.settings import AssistantSettings
from ingest.errors import ConfigError


def body(**fields: object) -> bytes:
    return json.dumps({"model": "newsdesk", **fields}).encode()


def test_the_last_user_message_is_the_question_and_the_turns_before_it_the_history() -> None:
    chat = parse_chat(body(
        messages=[
            {"role": "system", "content": "Answer in French."},  # read, not obeyed: newsdesk quotes
            {"role": "user", "content": "Who is Tillerson?"},
            {"role": "assistant", "content": [{"type": "text", "text": "The Secretary of State."}]},
            {"role": "tool", "content": "ignored"},
            {"role": "user", "content": [{"type": "text", "text": "What did he say?"}, {"type": "image_url", "image_url": {}}]},
        ],
        sources=["Meridian Review"], since="2017-08", temperature=0.2, max_tokens=50, stream=True,
    ))  # fmt: skip
    assert chat.question == "What did he say?" and chat.stream
    assert chat.history == [
        {"role": "user", "content": "Who is Tillerson?"},
        {"role": "assistant", "content": "The Secretary of State."},
    ]
    assert (chat.since, chat.until, chat.source) == ("2017-08", None, ["Meridian Review"])


@pytest.mark.parametrize(
    "raw, status, message",
    [
        (b"{\"a\": \"\xc3\x28\"}", 400, "the request body is not UTF-8 JSON"),
        (body(messages=[{"role": "user", "content": "q"}], n=2), 400, "'n' must be 1"),
        (body(messages=[{"role": "robot", "content": "q"}]), 400, "messages[0].role 'robot'"),
        (body(messages=[{"role": "user", "content": 5}]), 400, "messages[0].content must be a string"),
        (body(messages=[{"role": "user", "content": "q"}], since=20170801), 400, "'since' must be a string"),
        (json.dumps({"messages": [{"role": "user", "content": "q"}]}).encode(), 400, "'model' is required"),
        (json.dumps({"model": "newsdesk-2", "messages": []}).encode(), 404, "the model 'newsdesk-2' does not exist"),
    ],
)
def test_a_malformed_request_is_one_openai_error_naming_the_field(raw: bytes, status: int, message: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse_chat(raw)
    assert caught.value.status == status and caught.value.message.startswith(message)
    assert set(caught.value.body()["error"]) == {"message", "type", "param", "code"}


def test_the_guard_wants_the_exact_key_on_v1_and_mcp_only() -> None:
    async def ok(request: object) -> PlainTextResponse:
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/{path:path}", ok, methods=["GET", "POST"])])
    client = TestClient(BearerGuard(app, "s3cret-key"))
    for path in ("/v1/models", "/v1", "/mcp", "/mcp/"):
        assert client.get(path).status_code == 401, path
        assert client.get(path, headers={"Authorization": "Bearer s3cret-key-and-more"}).status_code == 401
        assert client.get(path, headers={"Authorization": "Basic s3cret-key"}).status_code == 401
        assert client.get(path, headers={"Authorization": "bearer  s3cret-key"}).status_code == 200
    assert client.get("/").status_code == 200 and client.get("/v1x").status_code == 200  # the UI has its login
    assert client.get("/v1/models").json()["error"]["code"] == "invalid_api_key"
    assert client.get("/mcp").json()["error"] == "invalid_token"
    open_client = TestClient(BearerGuard(app, ""))  # no key configured (loopback): nothing to check
    assert open_client.get("/v1/models").status_code == 200


def test_loopback_needs_nothing_and_a_set_login_is_still_checked() -> None:
    assert check_exposure("127.0.0.1", AssistantSettings()) is None
    assert check_exposure("localhost", AssistantSettings(auth="ann:pw")) == ("ann", "pw")
    assert check_exposure("::1", AssistantSettings(api_key="k")) is None
    assert check_exposure("10.0.0.5", AssistantSettings(auth="ann:pw", api_key="k")) == ("ann", "pw")
    assert check_exposure("10.0.0.5", AssistantSettings(api_key="k"), faces=("mcp",)) is None
    with pytest.raises(ConfigError, match="USER:PASSWORD"):
        check_exposure("127.0.0.1", AssistantSettings(auth="no-password"))
