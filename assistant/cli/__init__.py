"""`newsdesk` command line: a thin layer over the Python API.

One module per command group, each adding its subcommands with `register(commands)` and naming
the function that runs one with `set_defaults(handler=...)`:

    index.py     ingest, stats
    ask.py       ask (one question, or --batch FILE.jsonl)
    chat.py      chat (the Gradio UI)
    brief.py     brief
    evaluate.py  eval
    train.py     train relevance (the trained relevance model)
    options.py   option groups, settings from flags, --json printing (shared)

A command module imports what loads models (torch, gradio) only inside its handler, so
`newsdesk --help` and `newsdesk stats` stay fast.  Errors a user can fix come out as one line on
stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from assistant.cli import ask, brief, chat, evaluate, index, train
from ingest.errors import NewsdeskError

COMMAND_GROUPS = (index, ask, chat, brief, evaluate, train)  # the order `newsdesk --help` lists them in


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
        print(f"newsdesk {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"newsdesk {args.command}: interrupted", file=sys.stderr)
        return 130
