"""A `/v1/chat/completions` body -> what to answer (question, history, filters), or an ApiError.

OpenAI clients send the whole conversation each time: the last message is the question, the
earlier user/assistant messages are the history the condense step reads for follow-ups.  System
and developer messages are accepted and not used (newsdesk writes its answers its own way, and a
system prompt cannot loosen the citation rules).  Generation knobs (temperature, max_tokens,
tools, ...) are ignored for the same reason.  Filters travel as extra top-level fields, which the
openai SDK sends with `extra_body`:

    {"model": "newsdesk", "messages": [...], "since": "2017-08-01", "until": "2017-09-30",
     "source": ["Harbor Daily Ledger"], "asked": "2017-08-25", "stream": true}

Errors have OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, with its status
codes: 400 for a malformed request (bad JSON, bad date, empty or over-long question), 401 for a
missing or wrong key, 404 for an unknown model, 413 for a body over MAX_BODY_BYTES, 429 when the
answer queue is full.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from assistant.condense import Message

MODEL = "newsdesk"
MAX_BODY_BYTES = 1_000_000  # a conversation of a few hundred turns; anything bigger is not a chat
ROLES = ("system", "developer", "user", "assistant", "tool", "function")
_STATUS_TYPES = {429: "rate_limit_error"}  # OpenAI calls everything else a client sends wrong invalid_request_error


class ApiError(Exception):
    """An error to send in OpenAI's shape, with its HTTP status."""

    def __init__(self, status: int, message: str, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code

    @property
    def kind(self) -> str:
        if self.status >= 500:
            return "server_error"
        return _STATUS_TYPES.get(self.status, "invalid_request_error")

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}}

    def response(self) -> JSONResponse:
        headers = {"WWW-Authenticate": 'Bearer realm="newsdesk"'} if self.status == 401 else None
        return JSONResponse(self.body(), status_code=self.status, headers=headers)


@dataclass(frozen=True)
class ChatRequest:
    """What a chat completion request asks: the question, the conversation before it, the filters."""

    question: str
    history: list[Message] = field(default_factory=list)
    since: str | None = None
    until: str | None = None
    source: str | list[str] | None = None
    asked: str | None = None
    stream: bool = False


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, refused with 413 once it passes `limit` bytes (declared or streamed)."""
    too_big = ApiError(413, f"the request body is over {limit:,} bytes; send a shorter conversation", code="request_too_large")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_big
    return bytes(body)


def check_model(model: object) -> None:
    if not isinstance(model, str) or not model.strip():
        raise ApiError(400, f"'model' is required; this server's model is {MODEL!r}", param="model")
    if model != MODEL:
        raise ApiError(404, f"the model {model!r} does not exist; this server's model is {MODEL!r}", "model", "model_not_found")


def message_content(content: object, where: str) -> str:
    """A message's text: a string, or OpenAI content parts of which the text parts are read."""
    if content is None or isinstance(content, str):
        return content or ""
    if isinstance(content, list):
        texts = []
        for part in content:
            if not isinstance(part, dict) or not isinstance(part.get("type"), str):
                raise ApiError(400, f"{where}.content: each part must be an object with a 'type'", param=where)
            if part["type"] == "text":
                texts.append(str(part.get("text") or ""))
        return "\n".join(t for t in texts if t)
    raise ApiError(400, f"{where}.content must be a string or a list of content parts", param=where)


def _optional_text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None or isinstance(value, str):
        return value
    raise ApiError(400, f"{name!r} must be a string such as \"2017-08-01\"", param=name)


def _sources(data: dict[str, Any]) -> str | list[str] | None:
    value = data.get("source", data.get("sources"))
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ApiError(400, "'source' must be a publication name or a list of names", param="source")


def parse_chat(body: bytes) -> ChatRequest:
    """The request, checked; an ApiError naming the field for anything malformed."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"the request body is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from exc
    except UnicodeDecodeError as exc:
        raise ApiError(400, "the request body is not UTF-8 JSON") from exc
    if not isinstance(data, dict):
        raise ApiError(400, "the request body must be a JSON object")
    check_model(data.get("model"))
    messages = data.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ApiError(400, "'messages' must be a non-empty list of {\"role\", \"content\"} objects", param="messages")
    turns: list[tuple[str, str]] = []
    for i, message in enumerate(messages):
        where = f"messages[{i}]"
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise ApiError(400, f"{where} must be an object with a 'role' and 'content'", param=where)
        if message["role"] not in ROLES:
            raise ApiError(400, f"{where}.role {message['role']!r}: use user, assistant or system", param=where)
        turns.append((message["role"], message_content(message.get("content"), where)))
    if turns[-1][0] != "user":
        raise ApiError(400, "the last message must be the user's question", param="messages")
    stream = data.get("stream", False)
    if not isinstance(stream, bool):
        raise ApiError(400, "'stream' must be true or false", param="stream")
    if data.get("n") not in (None, 1):
        raise ApiError(400, "'n' must be 1: newsdesk writes one answer per question", param="n")
    return ChatRequest(
        question=turns[-1][1],
        history=[{"role": role, "content": text} for role, text in turns[:-1] if role in ("user", "assistant") and text],
        since=_optional_text(data, "since"),
        until=_optional_text(data, "until"),
        source=_sources(data),
        asked=_optional_text(data, "asked"),
        stream=stream,
    )
