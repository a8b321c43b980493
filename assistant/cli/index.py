"""`newsdesk ingest` and `newsdesk stats`: fill the index, and say what it holds.

Neither loads the answer models: `stats` never imports torch, and `ingest` loads the embedder
only when there is something new to embed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli.options import emit, index_options, index_settings, warn
from assistant.cli.progress import terminal_progress
from ingest.index import Index, damage_line
from ingest.pipeline import ingest
from ingest.safe_text import one_line


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("ingest", help="add articles (files or folders) to the index")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--prune", action="store_true", help="drop articles whose files disappeared")
    index_options(p)
    p.set_defaults(handler=run_ingest)

    p = commands.add_parser("stats", help="what the index holds")
    index_options(p)
    p.set_defaults(handler=run_stats)


def run_ingest(args: argparse.Namespace) -> int:
    settings = index_settings(args)
    index = Index.open(settings)
    report = ingest(
        index,
        args.paths,
        prune=args.prune,
        on_problem=lambda line: print(one_line(line), file=sys.stderr, flush=True),
        progress=terminal_progress(quiet=args.json),
        on_note=lambda line: warn("ingest", line),
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
        if report.repaired:
            parts.append(f"{report.repaired} passages that had no vector embedded again")
        return f"{', '.join(parts)}; {report.chunks_written} passages written in {report.seconds:.1f} s -> {settings.index}"

    emit(args, {**report.to_dict(), "index": str(settings.index)}, human)
    return report.exit_code


def run_stats(args: argparse.Namespace) -> int:
    settings = index_settings(args)
    index = Index.open(settings, writable=False)
    damaged = [f"SQLite quick_check: {line}" for line in index.catalog.quick_check()[:3]] + index.health()
    payload = {**index.describe(), "damaged": damaged}

    def human() -> str:
        sources = [(s["source"], s["articles"]) for s in payload["sources"]]
        lines = [
            f"{payload['articles']} articles, {payload['chunks']} passages ({payload['vectors_stored']} vectors) in {settings.index}",
            f"published {payload['first_published'] or '?'} .. {payload['last_published'] or '?'}"
            + (f" ({payload['undated']} undated)" if payload["undated"] else ""),
            f"{len(sources)} sources: "
            + ", ".join(f"{s} ({n})" for s, n in sources[:10])
            + (" ..." if len(sources) > 10 else ""),
        ]
        if damaged:
            lines.append(damage_line(settings.index, damaged))
        return "\n".join(lines)

    emit(args, payload, human)
    return 1 if damaged else 0
