"""What each `newsdesk` subcommand does; each is a few lines over the Python API."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from assistant.cli import emit, settings_from
from assistant.progress import terminal_progress
from ingest.errors import ConfigError
from ingest.index import Index
from ingest.pipeline import ingest

if TYPE_CHECKING:
    from assistant.api import Assistant


def cmd_ingest(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    index = Index.open(settings)
    report = ingest(
        index,
        args.paths,
        prune=args.prune,
        on_problem=lambda line: print(line, file=sys.stderr, flush=True),
        progress=terminal_progress(quiet=args.json),
    )

    def human() -> str:
        parts = [
            f"{report.added} added",
            f"{report.updated} updated",
            f"{report.unchanged} unchanged",
            f"{report.failed} failed",
        ]
        if report.duplicates:
            parts.append(f"{report.duplicates} duplicates skipped")
        if report.moved:
            parts.append(f"{report.moved} moved")
        if report.pruned:
            parts.append(f"{report.pruned} pruned")
        if report.recovered:
            parts.append(f"{report.recovered} half-written articles from an interrupted run cleaned up")
        return f"{', '.join(parts)}; {report.chunks_written} passages written in {report.seconds:.1f} s -> {settings.index}"

    emit(args, {**report.to_dict(), "index": str(settings.index)}, human)
    return report.exit_code


def cmd_stats(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    index = Index.open(settings)
    stats = index.catalog.stats()
    vectors = index.vectors.count()
    payload = {
        "index": str(settings.index),
        "vectors": settings.chroma_url or str(settings.chroma_path),
        "articles": stats.articles,
        "chunks": stats.chunks,
        "vectors_stored": vectors,
        "first_published": stats.first_published,
        "last_published": stats.last_published,
        "undated": stats.undated,
        "sources": [{"source": s or "(unknown)", "articles": n} for s, n in stats.sources],
    }

    def human() -> str:
        lines = [
            f"{stats.articles} articles, {stats.chunks} passages ({vectors} vectors) in {settings.index}",
            f"published {stats.first_published or '?'} .. {stats.last_published or '?'}"
            + (f" ({stats.undated} undated)" if stats.undated else ""),
            f"{len(stats.sources)} sources: "
            + ", ".join(f"{s or '(unknown)'} ({n})" for s, n in stats.sources[:10])
            + (" ..." if len(stats.sources) > 10 else ""),
        ]
        return "\n".join(lines)

    emit(args, payload, human)
    return 0


def _ask_options(args: argparse.Namespace) -> dict[str, object]:
    return {"since": args.since, "until": args.until, "sources": args.source or (), "asked": args.asked}


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.api import Assistant

    if not args.question and not args.batch:
        raise ConfigError("give a QUESTION or --batch FILE.jsonl")
    assistant = Assistant(settings_from(args))
    if args.batch:
        return _ask_batch(assistant, args)
    answer = assistant.ask(args.question, **_ask_options(args))
    emit(args, answer.to_dict(), answer.render_text)
    return 0


def _ask_batch(assistant: "Assistant", args: argparse.Namespace) -> int:
    """One JSON object per input line, same `id`; a bad line gets an `error` object, not a crash."""
    from assistant.batch import run_batch

    failures = run_batch(assistant, args.batch, _ask_options(args), json_lines=args.json, out=sys.stdout)
    return 0 if not failures else 2 if failures == "all" else 0


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.ui.app import run_chat

    return run_chat(args, settings_from(args))


def cmd_brief(args: argparse.Namespace) -> int:
    from assistant.brief_cli import run_brief

    return run_brief(args, settings_from(args))


def cmd_eval(args: argparse.Namespace) -> int:
    from assistant.evaluate import run_eval

    return run_eval(args, settings_from(args))
