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
from typing import TYPE_CHECKING

from ingest.errors import ConfigError

if TYPE_CHECKING:
    import gradio as gr

    from assistant.api import Assistant

MAX_QUEUE = 256  # waiting requests beyond this are refused at once instead of timing out


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


def build_app(assistant: "Assistant", concurrency: int | None = None) -> "gr.Blocks":
    from assistant.ui.page import build_page

    return build_page(assistant, concurrency)


def launch_app(
    assistant: "Assistant",
    host: str = "127.0.0.1",
    port: int | None = 7860,
    auth: tuple[str, str] | None = None,
    concurrency: int | None = None,
) -> tuple["gr.Blocks", str]:
    """Start the app without blocking; returns (app, local url).  `app.close()` stops it."""
    from assistant.ui.theme import CSS, THEME
    from assistant.ui.uploads import MAX_UPLOAD_MB

    app = build_app(assistant, concurrency)
    app.queue(default_concurrency_limit=1, max_size=MAX_QUEUE)
    try:
        _, url, _ = app.launch(
            server_name=host,
            server_port=port,
            auth=auth,
            share=False,
            ssr_mode=False,
            prevent_thread_lock=True,
            quiet=True,
            show_error=True,
            inbrowser=False,
            enable_monitoring=False,
            pwa=False,
            mcp_server=False,
            max_file_size=f"{MAX_UPLOAD_MB}mb",
            footer_links=["api"],
            theme=THEME,
            css=CSS,
        )
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port} ({exc}); pick another --port") from exc
    return app, url

