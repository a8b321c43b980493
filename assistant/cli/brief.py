"""`newsdesk brief TOPIC`: a dated, cited briefing as Markdown (stdout or -o FILE) or one JSON object."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.cli.options import (
    assistant_settings,
    filter_options,
    filters_from,
    index_options,
    index_settings,
    llm_option,
    open_assistant,
    say,
)
from ingest.errors import ConfigError
from ingest.safe_text import printable


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("brief", help="a dated, cited briefing on a topic")
    p.add_argument("topic")
    p.add_argument("--max-points", type=int, default=12)
    p.add_argument("-o", "--output", type=Path, help="write the briefing as Markdown")
    filter_options(p)
    llm_option(p)
    index_options(p)
    p.set_defaults(handler=run_brief)


def run_brief(args: argparse.Namespace) -> int:
    from assistant.briefing import BriefRequest, check_brief_backend, make_brief, render_brief_markdown

    # Everything a user can get wrong is checked before any model loads.
    settings = assistant_settings(args)
    check_brief_backend(settings)
    if args.max_points < 1:
        raise ConfigError(f"--max-points {args.max_points}: use 1 or more")
    filters = filters_from(args)
    output: Path | None = args.output
    if output is not None:
        prepare_output(output)

    request = BriefRequest(topic=args.topic, since=filters.since, until=filters.until, sources=filters.sources)
    assistant = open_assistant("brief", index_settings(args), settings)
    brief = make_brief(assistant, request, max_points=args.max_points)
    markdown = printable(render_brief_markdown(brief))  # a file is read on a terminal too
    if output is not None:
        write_markdown(output, markdown)
    if args.json:
        payload = brief.to_dict()
        if output is not None:
            payload["output"] = str(output)
        print(json.dumps(payload, ensure_ascii=False))
    elif output is not None:
        print(
            f"wrote {output}: {len(brief.summary)} summary points, {len(brief.timeline)} timeline entries, "
            f"{len(brief.changes)} changes, {len(brief.citations)} cited quotes"
        )
    else:
        say(markdown, end="")
    return 0


def prepare_output(path: Path) -> None:
    """Make the folder for -o now, so a bad path fails before the brief is built."""
    if path.is_dir():
        raise ConfigError(f"-o {path}: is a folder; give a file name such as {path / 'brief.md'}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"-o {path}: cannot write the briefing ({exc.strerror or exc})") from exc


def write_markdown(path: Path, markdown: str) -> None:
    try:
        path.write_text(markdown, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"-o {path}: cannot write the briefing ({exc.strerror or exc})") from exc
