"""Launching the Gradio app on 127.0.0.1 (or elsewhere, only behind a login).

    login = check_exposure(host, settings.auth)                    # refuses an open non-loopback host
    app, url = launch_app(Assistant.open(index=...), port=7861)   # returns at once; app.close()

`newsdesk chat` (assistant/cli/chat.py) does both and serves until Ctrl-C.  Gradio is imported
only once the host and login are known to be acceptable, so a refusal costs no start-up time.
Nothing reaches the network: analytics are off before gradio is imported (assistant/ui/__init__),
the theme uses system fonts, share links are never made.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from ingest.errors import ConfigError

if TYPE_CHECKING:
    import gradio as gr

    from assistant.api import Assistant
    from assistant.limits import Limits


def parse_auth(value: str) -> tuple[str, str]:
    user, sep, password = (value or "").partition(":")
    if not sep or not user or not password:
        raise ConfigError("--auth / NEWSDESK_AUTH must be USER:PASSWORD")
    return user, password


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, auth: str) -> tuple[str, str] | None:
    """The login to require; refuses a non-loopback host without one (ConfigError, one line)."""
    login = parse_auth(auth) if auth else None
    if login is None and not is_loopback(host):
        raise ConfigError(
            f"--host {host} would expose your archive to the network; "
            "refusing to start without --auth USER:PASSWORD (or NEWSDESK_AUTH)"
        )
    return login


def build_app(assistant: "Assistant", concurrency: int | None = None, limits: "Limits | None" = None) -> "gr.Blocks":
    """The app's Blocks with its queue set up; answers and briefs take slots of `limits` (made
    from the backend's defaults, or `concurrency`, when not given: `newsdesk serve` passes the
    one its /v1 and MCP share)."""
    from assistant.limits import MAX_WAITING, Limits
    from assistant.ui.page import build_page

    app = build_page(assistant, limits or Limits.for_backend(assistant.settings.llm, concurrency))
    app.queue(default_concurrency_limit=1, max_size=MAX_WAITING)  # the same line length as the slots'
    return app


def page_options() -> dict[str, Any]:
    """What the page needs however it is served (`launch_app`, or mounted by `newsdesk serve`):
    no SSR, no monitoring, no PWA, no Gradio MCP (newsdesk has its own), the upload limit, the theme."""
    from assistant.ui.theme import CSS, THEME
    from assistant.ui.uploads import MAX_UPLOAD_MB

    return dict(
        ssr_mode=False,
        show_error=True,
        enable_monitoring=False,
        pwa=False,
        mcp_server=False,
        max_file_size=f"{MAX_UPLOAD_MB}mb",
        footer_links=["api"],
        theme=THEME,
        css=CSS,
    )


def launch_app(
    assistant: "Assistant",
    host: str = "127.0.0.1",
    port: int | None = 7860,
    auth: tuple[str, str] | None = None,
    concurrency: int | None = None,
) -> tuple["gr.Blocks", str]:
    """Start the app without blocking; returns (app, local url).  `app.close()` stops it."""
    app = build_app(assistant, concurrency)
    try:
        _, url, _ = app.launch(
            server_name=host,
            server_port=port,
            auth=auth,
            share=False,
            prevent_thread_lock=True,
            quiet=True,
            inbrowser=False,
            **page_options(),
        )
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port} ({exc}); pick another --port") from exc
    return app, url

