"""`newsdesk check [--repair]`: is every passage in the index findable (ingest/integrity.py)?

Exit 0 when the index is sound (after --repair: when it is sound again), 1 when problems
remain, 2 for errors (no index, a read-only index given --repair, ...).
"""

from __future__ import annotations

import argparse

from assistant.cli.options import emit, index_options, index_settings, warn
from ingest.errors import REPAIR_HINT
from ingest.integrity import CheckReport, check


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("check", help="verify the index (catalog, full-text index, vectors); --repair fixes it")
    p.add_argument("--repair", action="store_true", help="re-embed missing vectors, drop orphans, rebuild what is damaged")
    index_options(p)
    p.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    report = check(index_settings(args), repair=args.repair, on_note=lambda line: warn("check", line))
    emit(args, report.to_dict(), lambda: render(report, args.repair))
    return 0 if report.ok else 1


def render(report: CheckReport, repaired: bool) -> str:
    lines = [f"index {report.index}: {report.articles} articles, {report.passages} passages, {report.vectors} vectors"]
    lines += [f"repaired: {line}" for line in report.repairs]
    lines += [f"note: {line}" for line in report.notes]
    lines += [f"problem: {line}" for line in report.problems]
    if report.ok:
        lines.append("ok: the catalog is sound, every passage has exactly one vector, the full-text index matches")
    elif not repaired:
        lines.append(f"to fix it: {REPAIR_HINT}")
    return "\n".join(lines)
