"""What the commands share: option groups, settings from flags, and printing a result.

Every command that prints a result can print it as one JSON object (`--json`), so scripts and
tests go through the same code path as people.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Callable, TextIO

from assistant.filters import Filters
from assistant.settings import LLM_BACKENDS, AssistantSettings
from ingest.safe_text import one_line, printable
from ingest.settings import Settings


def index_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", metavar="DIR", help="index folder (env NEWSDESK_INDEX)")
    parser.add_argument("--chroma-url", metavar="URL", help="use a Chroma server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE", help="only articles published on/after DATE")
    parser.add_argument("--until", metavar="DATE", help="only articles published on/before DATE")
    parser.add_argument("--source", metavar="S", action="append", help="only this publication (repeatable)")


def llm_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--llm", choices=LLM_BACKENDS, help="answer backend (env NEWSDESK_LLM)")


def index_settings(args: argparse.Namespace) -> Settings:
    """Where the index is: env NEWSDESK_INDEX / NEWSDESK_CHROMA_URL, overridden by the flags."""
    return Settings.load(index=getattr(args, "index", None), chroma_url=getattr(args, "chroma_url", None))


def assistant_settings(args: argparse.Namespace) -> AssistantSettings:
    """How answers are written and guarded: env NEWSDESK_LLM* / NEWSDESK_AUTH, overridden by the flags."""
    return AssistantSettings.load(llm=getattr(args, "llm", None), auth=getattr(args, "auth", None))


def filters_from(args: argparse.Namespace) -> Filters:
    return Filters.parse(args.since, args.until, args.source or ())


def emit(args: argparse.Namespace, payload: dict[str, object], human: Callable[[], str]) -> None:
    """Print `payload` as JSON with --json, else the human rendering (made safe for a terminal)."""
    if args.json:
        print(json.dumps(payload, ensure_ascii=False))
    else:
        say(human())


def say(text: str, out: TextIO | None = None, end: str = "\n") -> None:
    """Print human text that may hold article data: escape sequences and control characters out
    (ingest/safe_text.py), newlines and tabs kept."""
    print(printable(text), file=out or sys.stdout, end=end, flush=out is sys.stderr)


def warn(command: str, line: str) -> None:
    """One line on stderr, e.g. "newsdesk ask: warning: the index ... is damaged: ..."."""
    print(f"newsdesk {command}: {one_line(line)}", file=sys.stderr, flush=True)
