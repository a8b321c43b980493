"""`newsdesk serve`: the chat UI, `/v1` and MCP in one process on one port, over one Assistant.

The design: one ASGI app, run by uvicorn on a socket bound before anything loads.

    BearerGuard                  /v1 and /mcp need `Authorization: Bearer <NEWSDESK_API_KEY>` once a key is set
      FastAPI
        /v1/...                  openai_api.py (Starlette routes: errors stay in OpenAI's shape)
        /mcp                     the MCP SDK's streamable-HTTP endpoint; its session manager runs
                                 in this app's lifespan (a mounted app's own lifespan never runs)
        /                        the Gradio app, gr.mount_gradio_app, behind its login (NEWSDESK_AUTH)

Why one FastAPI app rather than three servers: one port to open and to secure, one Assistant in
memory (the models load once), and one `Limits` for every face, so answers asked through /v1 or
MCP wait for the same slots as the chat page's and the two cores are never oversubscribed.  The
routes of /v1 and /mcp come before Gradio's mount at "/", which would otherwise take every path.

Exposure: loopback by default.  On any other host `serve` refuses to start unless both
credentials are set (the UI login and the API key); `newsdesk mcp --http` needs the key.  A
credential that is set is enforced on loopback too.  The key is compared in constant time.
"""

from __future__ import annotations

import hmac
import signal
import socket
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Collection

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.faces.archive import Archive
from assistant.faces.openai_request import ApiError
from assistant.settings import AssistantSettings
from assistant.ui.app import is_loopback, parse_auth
from ingest.errors import ConfigError

if TYPE_CHECKING:
    import uvicorn

FACES = ("ui", "v1", "mcp")
PROTECTED = ("/v1", "/mcp")


def check_exposure(host: str, settings: AssistantSettings, faces: Collection[str] = FACES) -> tuple[str, str] | None:
    """The UI login to require; refuses (ConfigError, one line) a non-loopback host that would
    leave a face open: the UI without NEWSDESK_AUTH, /v1 or MCP without NEWSDESK_API_KEY."""
    login = parse_auth(settings.auth) if settings.auth and "ui" in faces else None
    if is_loopback(host):
        return login
    missing = []
    if "ui" in faces and login is None:
        missing.append("--auth USER:PASSWORD (or NEWSDESK_AUTH) for the chat UI")
    keyed = [name for face, name in (("v1", "/v1"), ("mcp", "MCP")) if face in faces]
    if keyed and not settings.api_key.strip():
        missing.append(f"NEWSDESK_API_KEY for {' and '.join(keyed)}")
    if missing:
        raise ConfigError(f"--host {host} would expose your archive to the network; refusing to start without {' and '.join(missing)}")
    return login


class BearerGuard:
    """ASGI middleware: requests under PROTECTED need the bearer key (when one is configured)."""

    def __init__(self, app: ASGIApp, key: str, prefixes: tuple[str, ...] = PROTECTED) -> None:
        self.app = app
        self.key = key.strip().encode()
        self.prefixes = prefixes

    def guards(self, path: str) -> str | None:
        return next((p for p in self.prefixes if path == p or path.startswith(p + "/")), None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        prefix = self.guards(scope.get("path", "")) if scope["type"] == "http" and self.key else None
        if prefix is None:
            await self.app(scope, receive, send)
            return
        header = dict(scope["headers"]).get(b"authorization", b"")
        scheme, _, token = header.partition(b" ")
        if scheme.lower() == b"bearer" and hmac.compare_digest(token.strip(), self.key):
            await self.app(scope, receive, send)
            return
        reason = "invalid API key" if token.strip() else "missing API key: send the header Authorization: Bearer <NEWSDESK_API_KEY>"
        if prefix == "/v1":
            response = ApiError(401, reason, code="invalid_api_key").response()
        else:
            challenge = 'Bearer realm="newsdesk", error="invalid_token"'
            response = JSONResponse({"error": "invalid_token", "error_description": reason}, 401, {"WWW-Authenticate": challenge})
        await response(scope, receive, send)


def build_server(
    archive: Archive,
    host: str,
    port: int,
    *,
    faces: Collection[str] = FACES,
    api_key: str = "",
    login: tuple[str, str] | None = None,
) -> ASGIApp:
    """The ASGI app of `newsdesk serve` (all faces) or `newsdesk mcp --http` (faces=("mcp",))."""
    from fastapi import FastAPI

    from assistant.faces.mcp_server import build_mcp
    from assistant.faces.openai_api import openai_routes

    mcp = build_mcp(archive) if "mcp" in faces else None
    # host= turns on the SDK's DNS-rebinding check (Host/Origin must be loopback) on loopback binds.
    mcp_app = mcp.streamable_http_app(streamable_http_path="/mcp", host=host) if mcp else None

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        if mcp is None:
            yield
            return
        async with mcp.session_manager.run():
            yield

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    if "v1" in faces:
        app.router.routes.extend(openai_routes(archive))
    if mcp_app is not None:
        app.router.routes.extend(mcp_app.routes)
    if "ui" in faces:
        import gradio as gr

        from assistant.ui.app import build_app, page_options

        blocks = build_app(archive.assistant, limits=archive.limits)
        gr.mount_gradio_app(app, blocks, path="/", server_name=host, server_port=port, auth=login, **page_options())
    return BearerGuard(app, api_key)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound now so a taken port is one clear line before any model loads."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); pick another --port") from exc
    sock.set_inheritable(True)
    return sock


def url_of(host: str, port: int) -> str:
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def run_server(app: ASGIApp, sock: socket.socket, on_ready: Callable[[], None]) -> None:
    """Serve until SIGINT/SIGTERM (Ctrl-C and `kill` both stop it cleanly, returning here);
    `on_ready` runs once the app has started and the port listens."""
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                on_ready()

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=3)
    server: "uvicorn.Server" = Server(config)
    # uvicorn shuts down gracefully on a signal, then raises it again: SIGTERM as Ctrl-C, so both
    # end in the KeyboardInterrupt caught here instead of killing the process mid-way.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
