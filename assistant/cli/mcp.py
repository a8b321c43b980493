"""`newsdesk mcp`: the archive as an MCP server, over stdio (what Claude Desktop and IDE agents
launch) or, with --http, over streamable HTTP at http://127.0.0.1:8765/mcp.

Over stdio, stdout carries the protocol and nothing else: the models load with stdout pointed at
stderr, and while serving the SDK keeps it there (assistant/faces/mcp_server.py has the tools).
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager, nullcontext
from typing import Iterator

from assistant.cli.options import (
    assistant_settings,
    holdings,
    index_options,
    index_settings,
    listen_options,
    llm_option,
    open_assistant,
)


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("mcp", help="serve the archive to MCP clients (stdio; --http for streamable HTTP)")
    p.add_argument("--http", action="store_true", help="streamable HTTP at http://HOST:PORT/mcp instead of stdio")
    listen_options(p, port=8765, auth=False)  # with --http; the key comes from NEWSDESK_API_KEY
    llm_option(p)
    index_options(p)
    p.set_defaults(handler=run_mcp)


@contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """File descriptor 1 points at stderr inside the block, so nothing a library prints while
    loading (a progress bar, a warning) lands on the protocol's stream."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def run_mcp(args: argparse.Namespace) -> int:
    from assistant.faces.serve import bind, check_exposure, url_of

    settings = assistant_settings(args)
    sock = None
    if args.http:
        check_exposure(args.host, settings, faces=("mcp",))
        sock = bind(args.host, args.port)
    try:
        from assistant.faces.archive import Archive

        with nullcontext() if args.http else stdout_to_stderr():
            archive = Archive(open_assistant("mcp", index_settings(args), settings))
    except BaseException:
        if sock is not None:
            sock.close()
        raise
    # Where an MCP host keeps the server's stderr (Claude Desktop: its mcp*.log), this line says
    # which archive answers: an empty or mistyped NEWSDESK_INDEX shows at once.
    holds = holdings(archive.catalog, archive.assistant.index.settings)
    if sock is None:
        from assistant.faces.mcp_server import build_mcp

        print(f"newsdesk mcp: serving over stdio ({holds})", file=sys.stderr, flush=True)
        build_mcp(archive).run("stdio")
        return 0
    from assistant.faces.serve import build_server, run_server

    app = build_server(archive, args.host, args.port, faces=("mcp",), api_key=settings.api_key)
    url = f"{url_of(args.host, args.port)}mcp"
    key = "bearer key required" if settings.api_key else "no key: loopback only"
    run_server(app, sock, lambda: print(f"newsdesk mcp: serving {url} [{key}] ({holds}); Ctrl-C to stop", flush=True))
    print("newsdesk mcp: stopped", flush=True)
    return 0
