"""What the commands share: option groups, settings from flags, and printing a result.

Every command that prints a result can print it as one JSON object (`--json`), so scripts and
tests go through the same code path as people.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import TYPE_CHECKING, Callable, TextIO

from assistant.filters import DateReader, Filters
from assistant.settings import LLM_BACKENDS, AssistantSettings
from ingest.catalog import Catalog
from ingest.safe_text import one_line, printable
from ingest.settings import Settings

if TYPE_CHECKING:
    from assistant.api import Assistant


def index_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", metavar="DIR", help="index folder (env NEWSDESK_INDEX)")
    parser.add_argument("--chroma-url", metavar="URL", help="use a Chroma server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE", help="only articles published on/after DATE")
    parser.add_argument("--until", metavar="DATE", help="only articles published on/before DATE")
    parser.add_argument("--source", metavar="S", action="append", help="only this publication (repeatable)")


def listen_options(parser: argparse.ArgumentParser, port: int, auth: bool = True) -> None:
    """--host and --port of a serving command, and the UI's --auth when it serves the UI."""
    parser.add_argument("--host", default="127.0.0.1", help="any non-loopback host needs credentials")
    parser.add_argument("--port", type=int, default=port)
    if auth:
        parser.add_argument("--auth", metavar="USER:PASSWORD", help="the chat UI's login, required when --host is not loopback (env NEWSDESK_AUTH)")


def llm_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--llm", choices=LLM_BACKENDS, help="answer backend (env NEWSDESK_LLM)")


def index_settings(args: argparse.Namespace) -> Settings:
    """Where the index is: env NEWSDESK_INDEX / NEWSDESK_CHROMA_URL, overridden by the flags."""
    return Settings.load(index=getattr(args, "index", None), chroma_url=getattr(args, "chroma_url", None))


def ui_index_settings(args: argparse.Namespace) -> Settings:
    """`index_settings` for a command that serves the UI: a folder with no index yet gets a new,
    empty one, to upload articles into (the assistant itself only ever opens it read-only)."""
    from ingest.index import Index

    where = index_settings(args)
    if not where.catalog_path.exists():
        Index.open(where).close()
    return where


def open_assistant(command: str, where: Settings, settings: AssistantSettings) -> "Assistant":
    """The Assistant over the index (models load here).  An index showing signs of damage is
    said in one warning line on stderr, pointing to `newsdesk check --repair`; answers go on."""
    from assistant.api import Assistant

    assistant = Assistant(where, settings)
    damage = assistant.damage()
    if damage:
        warn(command, f"warning: {damage}")
    return assistant


def assistant_settings(args: argparse.Namespace) -> AssistantSettings:
    """How answers are written and guarded: env NEWSDESK_LLM* / NEWSDESK_AUTH, overridden by the flags."""
    return AssistantSettings.load(llm=getattr(args, "llm", None), auth=getattr(args, "auth", None))


def date_reader(args: argparse.Namespace) -> DateReader:
    """How the command reads the dates a user gives it: in the index's NEWSDESK_DATE_ORDER."""
    return DateReader(index_settings(args).day_first)


def filters_from(args: argparse.Namespace) -> Filters:
    """--since/--until/--source, read before any model loads, in the index's NEWSDESK_DATE_ORDER."""
    return date_reader(args).filters(args.since, args.until, args.source or ())


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


def holdings(catalog: Catalog, settings: Settings) -> str:
    """What a serving command answers from, for its start-up line: "12 articles from 6 sources,
    2017-03-17 to 2017-11-30; index DIR", or how to fill an empty index.  Source names come from
    articles: the line is made safe for a terminal."""
    from assistant.ui.corpus import corpus_status

    status = corpus_status(catalog)
    what = status.line() if status.articles else "no articles yet: run `newsdesk ingest PATH` with this index first"
    return one_line(f"{what}; index {settings.index}")


class _OneLineFormatter(logging.Formatter):
    """"newsdesk COMMAND: message", the message as one printable line (it may quote a question
    or an article); a bug's traceback, appended after it, keeps its lines."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return one_line(super().formatMessage(record))


def log_to_stderr(command: str) -> None:
    """The app's own messages, one line each on stderr ("newsdesk COMMAND: ..."): a user's mistake
    in the UI (a bad date, an empty question) is a line saying so, not a traceback; a bug still
    logs its traceback."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLineFormatter(f"newsdesk {command}: %(message)s"))
    logger = logging.getLogger("newsdesk")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
