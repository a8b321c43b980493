"""`newsdesk` command line: a thin layer over the Python API.

One module per command group, each adding its subcommands with `register(commands)` and naming
the function that runs one with `set_defaults(handler=...)`:

    index.py     ingest, stats
    check.py     check [--repair]
    ask.py       ask (one question, or --batch FILE.jsonl)
    chat.py      chat (the Gradio UI)
    serve.py     serve (the UI, /v1 and MCP on one port)
    mcp.py       mcp (MCP over stdio, or --http)
    brief.py     brief
    evaluate.py  eval
    train.py     train relevance (the trained relevance model)
    options.py   option groups, settings from flags, --json printing (shared)

A command module imports what loads models (torch, gradio) only inside its handler, so
`newsdesk --help` and `newsdesk stats` stay fast.  Errors a user can fix come out as one line on
stderr and exit code 2.  Human output passes through one sanitizer (ingest/safe_text.py), and a
closed pipe (`newsdesk stats | head -1`) ends the command quietly.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from assistant.cli import ask, brief, chat, check, evaluate, index, mcp, serve, train
from ingest.errors import NewsdeskError
from ingest.safe_text import one_line

COMMAND_GROUPS = (index, check, ask, chat, serve, mcp, brief, evaluate, train)  # the order `newsdesk --help` lists them in


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description="Offline, cited answers and briefings over your own news archive.")
    commands = parser.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except NewsdeskError as exc:
        print(f"newsdesk {args.command}: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"newsdesk {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`| head`): stop quietly, as cat and grep do.  Point
        # stdout at /dev/null so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
