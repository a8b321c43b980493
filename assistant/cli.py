"""`newsdesk` command line: a thin layer over the Python API.

Every command that prints a result can print it as one JSON object (`--json`), so scripts and
tests go through the same code path as people.  Errors a user can fix come out as one line on
stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from ingest.errors import NewsdeskError
from ingest.settings import LLM_BACKENDS, Settings


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", metavar="DIR", help="index folder (env NEWSDESK_INDEX)")
    parser.add_argument("--chroma-url", metavar="URL", help="use a Chroma server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE", help="only articles published on/after DATE")
    parser.add_argument("--until", metavar="DATE", help="only articles published on/before DATE")
    parser.add_argument("--source", metavar="S", action="append", help="only this publication (repeatable)")


def _llm(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--llm", choices=LLM_BACKENDS, help="answer backend (env NEWSDESK_LLM)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description="Offline, cited answers and briefings over your own news archive.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="add articles (files or folders) to the index")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--prune", action="store_true", help="drop articles whose files disappeared")
    _common(p)

    p = sub.add_parser("stats", help="what the index holds")
    _common(p)

    p = sub.add_parser("ask", help="answer a question with cited passages")
    p.add_argument("question", nargs="?")
    p.add_argument("--batch", metavar="FILE.jsonl", type=Path, help='one {"id", "question", "history"?, "asked"?} per line')
    p.add_argument("--asked", metavar="DATE", help="the date the question is asked (resolves 'this week')")
    _filters(p)
    _llm(p)
    _common(p)

    p = sub.add_parser("chat", help="open the chat UI in your browser")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth", metavar="USER:PASSWORD", help="required when --host is not loopback (env NEWSDESK_AUTH)")
    _llm(p)
    _common(p)

    p = sub.add_parser("brief", help="a dated, cited briefing on a topic")
    p.add_argument("topic")
    p.add_argument("--max-points", type=int, default=12)
    p.add_argument("-o", "--output", type=Path, help="write the briefing as Markdown")
    _filters(p)
    _llm(p)
    _common(p)

    p = sub.add_parser("eval", help="score retrieval and answers on a question set")
    p.add_argument("questions", type=Path)
    p.add_argument("--k", type=int, help="passages the answerer reads (default: the answerer's own, 2 for extractive)")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--out", type=Path, help="write the Markdown report here")
    _llm(p)
    _common(p)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings.load(
        index=getattr(args, "index", None),
        chroma_url=getattr(args, "chroma_url", None),
        llm=getattr(args, "llm", None),
        auth=getattr(args, "auth", None),
    )


def emit(args: argparse.Namespace, payload: dict[str, object], human: Callable[[], str]) -> None:
    """Print `payload` as JSON with --json, else the human rendering."""
    if args.json:
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print(human())


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = build_parser().parse_args(argv)
    from assistant import commands

    handler = getattr(commands, f"cmd_{args.command}")
    try:
        return int(handler(args) or 0)
    except NewsdeskError as exc:
        print(f"newsdesk {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"newsdesk {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
