"""`newsdesk ask QUESTION`, and `newsdesk ask --batch FILE.jsonl`: many questions, models loaded once.

Batch input lines: {"id", "question", "history"?, "asked"?, "since"?, "until"?, "source"?}.  Output:
one line per input line with the same `id` (JSON with --json, else a readable block).  A malformed
line yields {"id", "error"} naming the line, and the batch goes on.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from assistant.cli.options import (
    assistant_settings,
    emit,
    filter_options,
    index_options,
    index_settings,
    llm_option,
    open_assistant,
    say,
)
from ingest.errors import ConfigError, NewsdeskError

if TYPE_CHECKING:
    from assistant.api import Assistant


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("ask", help="answer a question with cited passages")
    p.add_argument("question", nargs="?")
    p.add_argument("--batch", metavar="FILE.jsonl", type=Path, help='one {"id", "question", "history"?, "asked"?} per line')
    p.add_argument("--asked", metavar="DATE", help="the date the question is asked (resolves 'this week')")
    filter_options(p)
    llm_option(p)
    index_options(p)
    p.set_defaults(handler=run_ask)


def run_ask(args: argparse.Namespace) -> int:
    if not args.question and not args.batch:
        raise ConfigError("give a QUESTION or --batch FILE.jsonl")
    # loads the models: only once the arguments are known good
    assistant = open_assistant("ask", index_settings(args), assistant_settings(args))
    options = {"since": args.since, "until": args.until, "sources": args.source or (), "asked": args.asked}
    if args.batch:
        failures = run_batch(assistant, args.batch, options, json_lines=args.json, out=sys.stdout)
        return 2 if failures == "all" else 0
    answer = assistant.ask(args.question, **options)
    emit(args, answer.to_dict(), answer.render_text)
    return 0


def run_batch(
    assistant: "Assistant", path: Path, defaults: dict[str, object], json_lines: bool, out: TextIO
) -> int | Literal["all"]:
    """Answer every line; returns the number of failed lines, or "all" when none succeeded.

    Each line stands alone: a line that is not a question object, has a field of the wrong type,
    or repeats an earlier line's id gets one {"id", "error"} line (its id, else its line number)
    and the batch goes on."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the batch file ({exc})") from exc
    failed = done = 0
    first_line: dict[str, int] = {}  # id (as JSON) -> the line it was first seen on
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item_id: object = number
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ConfigError("needs a JSON object with a non-empty 'question'")
            item_id = item.get("id", number)
            key = json.dumps(item_id, sort_keys=True)
            if key in first_line:
                raise ConfigError(f"duplicate id {item_id!r} (first on line {first_line[key]}); not answered")
            first_line[key] = number
            question = item.get("question")
            if not isinstance(question, str) or not question.strip():
                raise ConfigError("needs a non-empty 'question' (text)")
            options = dict(defaults)
            for key in ("asked", "since", "until"):
                if item.get(key):
                    options[key] = item[key]
            if item.get("source"):
                options["sources"] = item["source"]
            answer = assistant.ask(question, history=item.get("history") or (), **options)
            payload = {"id": item_id, **answer.to_dict()}
            done += 1
            if json_lines:
                out.write(json.dumps(payload, ensure_ascii=False) + "\n")
            else:
                say(f"## {item_id}\n{answer.render_text()}\n", out)
        except (json.JSONDecodeError, NewsdeskError) as exc:
            failed += 1
            reason = f"{path} line {number}: {exc}"
            if json_lines:
                out.write(json.dumps({"id": item_id, "error": reason}, ensure_ascii=False) + "\n")
            else:
                say(f"## {item_id}\nerror: {reason}\n", out)
        out.flush()
    return "all" if failed and not done else failed
