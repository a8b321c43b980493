"""`/v1/models` and `/v1/chat/completions`: the archive as a model named "newsdesk" for any OpenAI client.

The reply's content is `Answer.render_text()`, what `newsdesk ask` prints: the answer with its
[n] markers, then the numbered sources (title, outlet, date, the quote, the URL), or the leads
when the archive holds no evidence.  The same Answer travels structured in two extra top-level
fields, on the completion and on the last stream chunk: `citations` (the citation objects) and
`newsdesk` (the whole `ask --json` object).

Streaming (`"stream": true`) sends OpenAI's SSE chunks, `data: {...}` lines and `data: [DONE]`:
the role at once, then the content line by line once the answer is verified, then an empty delta
with `finish_reason: "stop"` and the extra fields.  Only verified text is ever sent: a generative
backend's raw tokens are not streamed, because verification may drop or re-point sentences
after the model wrote them, and text already sent cannot be taken back.  An error after the
stream began is an `{"error": ...}` event, which the openai SDK raises as an APIError.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import TYPE_CHECKING, Any, AsyncIterator

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from assistant.chain import Turn
from assistant.faces.archive import Archive
from assistant.faces.openai_request import MODEL, ApiError, ChatRequest, check_model, parse_chat, read_body
from assistant.limits import Busy
from ingest.errors import ConfigError, NewsdeskError

if TYPE_CHECKING:
    from assistant.answer import Answer

log = logging.getLogger("newsdesk.openai")
ROUTES = {"/v1/models": "GET", "/v1/chat/completions": "POST"}


def api_error(exc: Exception) -> ApiError:
    """What an exception raised while answering becomes on the wire (a bug: 500, logged)."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, Busy):
        return ApiError(429, str(exc), code="server_busy")
    if isinstance(exc, ConfigError):
        return ApiError(400, str(exc))
    if isinstance(exc, NewsdeskError):
        return ApiError(503, str(exc), code="archive_unavailable")
    log.error("answering failed", exc_info=exc)
    return ApiError(500, f"unexpected error ({type(exc).__name__}); the server log has the details")


def sse(payload: dict[str, Any] | str) -> str:
    data = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"data: {data}\n\n"


class OpenAIFace:
    """The /v1 handlers over one Archive."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.created = int(time.time())

    def model_card(self) -> dict[str, Any]:
        return {"id": MODEL, "object": "model", "created": self.created, "owned_by": "newsdesk"}

    async def models(self, request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [self.model_card()]})

    async def model(self, request: Request) -> Response:
        try:
            check_model(request.path_params["model"])
        except ApiError as exc:
            return exc.response()
        return JSONResponse(self.model_card())

    async def elsewhere(self, request: Request) -> Response:
        """Any other /v1 path: 405 for a known path with the wrong method, else 404."""
        method = ROUTES.get(request.url.path.rstrip("/"))
        if method:
            return ApiError(405, f"{request.url.path} takes {method}, not {request.method}").response()
        return ApiError(404, f"no such endpoint: {request.method} {request.url.path}; see /v1/models, /v1/chat/completions").response()

    async def chat(self, request: Request) -> Response:
        try:
            chat = parse_chat(await read_body(request))
            turn = self.turn(chat)
        except Exception as exc:  # noqa: BLE001 - every failure goes out in OpenAI's shape (api_error logs bugs)
            return api_error(exc).response()
        ident, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if chat.stream:
            headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
            return StreamingResponse(self.chunks(turn, ident, created), media_type="text/event-stream", headers=headers)
        try:
            answer = await anyio.to_thread.run_sync(self.archive.answer, turn)
        except Exception as exc:  # noqa: BLE001
            return api_error(exc).response()
        return JSONResponse(completion(answer, ident, created))

    def turn(self, chat: ChatRequest) -> Turn:
        return self.archive.turn(
            chat.question, chat.history, since=chat.since, until=chat.until, sources=chat.source or (), asked=chat.asked
        )

    async def chunks(self, turn: Turn, ident: str, created: int) -> AsyncIterator[str]:
        """The SSE stream of one answer."""
        yield sse(chunk(ident, created, {"role": "assistant", "content": ""}))
        try:
            answer = await anyio.to_thread.run_sync(self.archive.answer, turn)
        except Exception as exc:  # noqa: BLE001
            yield sse(api_error(exc).body())
            yield sse("[DONE]")
            return
        for line in answer.render_text().splitlines(keepends=True):
            yield sse(chunk(ident, created, {"content": line}))
        yield sse({**chunk(ident, created, {}, finish_reason="stop"), **extras(answer)})
        yield sse("[DONE]")


def extras(answer: "Answer") -> dict[str, Any]:
    """The structured answer beside OpenAI's fields: `citations` and the whole `ask --json` object."""
    return {"citations": [c.to_dict() for c in answer.citations], "newsdesk": answer.to_dict()}


def chunk(ident: str, created: int, delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "id": ident,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }


def completion(answer: "Answer", ident: str, created: int) -> dict[str, Any]:
    message = {"role": "assistant", "content": answer.render_text(), "refusal": None}
    return {
        "id": ident,
        "object": "chat.completion",
        "created": created,
        "model": MODEL,
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}],
        **extras(answer),
    }


def openai_routes(archive: Archive) -> list[BaseRoute]:
    """The /v1 routes; `serve` puts them in front of the UI and behind the bearer key."""
    face = OpenAIFace(archive)
    return [
        Route("/v1/models", face.models, methods=["GET"]),
        Route("/v1/models/{model:path}", face.model, methods=["GET"]),
        Route("/v1/chat/completions", face.chat, methods=["POST"]),
        Route("/v1/{rest:path}", face.elsewhere, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        Route("/v1", face.elsewhere, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
    ]
