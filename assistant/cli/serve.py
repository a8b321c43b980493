"""`newsdesk serve`: the chat UI, the OpenAI-compatible /v1 and MCP over HTTP on one port, until Ctrl-C.

How the three share one process, one Assistant and one set of answer slots, and how the key and
the login guard them: assistant/faces/serve.py; client set-ups: docs/clients.md.
"""

from __future__ import annotations

import argparse

from assistant.cli.options import (
    assistant_settings,
    holdings,
    index_options,
    listen_options,
    llm_option,
    log_to_stderr,
    open_assistant,
    ui_index_settings,
)


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("serve", help="the chat UI, /v1 (OpenAI-compatible) and /mcp on one port")
    listen_options(p, port=7860)  # /v1 and /mcp take the key from NEWSDESK_API_KEY (never a flag: ps shows flags)
    llm_option(p)
    index_options(p)
    p.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from assistant.faces.serve import bind, check_exposure, url_of

    settings = assistant_settings(args)
    login = check_exposure(args.host, settings)  # refused before the port is taken or any model loads
    sock = bind(args.host, args.port)
    try:
        from assistant.faces.archive import Archive
        from assistant.faces.serve import build_server, run_server

        where = ui_index_settings(args)
        log_to_stderr("serve")
        archive = Archive(open_assistant("serve", where, settings))
        app = build_server(archive, args.host, args.port, api_key=settings.api_key, login=login)
    except BaseException:
        sock.close()
        raise
    url = url_of(args.host, args.port)
    holds = holdings(archive.catalog, where)
    guards = [g for g, on in (("UI login", login), ("API key", settings.api_key)) if on]

    def ready() -> None:
        print(
            f"newsdesk serve: serving {url} (chat), {url}v1 (OpenAI-compatible), {url}mcp (MCP) "
            f"[{', '.join(guards) or 'no login, no key: loopback only'}] ({holds}); Ctrl-C to stop",
            flush=True,
        )

    run_server(app, sock, ready)
    print("newsdesk serve: stopped", flush=True)
    return 0
