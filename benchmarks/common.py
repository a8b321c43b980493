"""Shared bits of the benchmark scripts: where the data is, percentiles, the machine line."""

from __future__ import annotations

import os
import platform
import statistics
import sys
from pathlib import Path
from typing import Iterable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CACHE = REPO / "benchmarks" / ".cache"


def shared(relative: str) -> Path:
    path = Path(os.environ.get("NEWSDESK_SHARED") or REPO.parent / "shared") / relative
    if not path.exists():
        sys.exit(f"{path}: missing (the shared data beside the repo)")
    return path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def p50(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def gold_rank(flags: Iterable[object]) -> int | None:
    """1-based position of the first passage holding a gold answer, in ranked order; None if none.

    `assistant.metrics.first_hit` stops at depth 10; the ceiling studies look deeper.
    """
    return next((i for i, flag in enumerate(flags, start=1) if flag), None)


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load avg {load:.1f}"
