"""Issue 17's stress test, short: two writers (one killed -9 mid-write) and a reader on one
index for 12 seconds, then `check` must find every passage with its vector and every article
text on disk in the catalog.  benchmarks/reliability_stress.py is the harness (60 s for
docs/benchmarks.md); this runs the same script, so the harness itself stays honest."""

from __future__ import annotations

import json
import subprocess
import sys

from support import REPO, cli_env


def test_two_writers_and_a_reader_leave_every_passage_findable() -> None:
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "reliability_stress.py"), "--seconds", "12", "--kill-every", "6", "--json"],
        cwd=REPO, env=cli_env(), capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert run.returncode in (0, 1), run.stderr
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["tracebacks"] == 0 and figures["writer_errors"] == [] and figures["reader_errors"] == []
    assert figures["kills"] >= 1 and figures["writer_ingests"] >= 1 and figures["answered"] >= 1
    assert figures["misquoted"] == 0 and figures["damage_seen"] == []
    assert figures["check_ok"], figures["check_problems"]
    assert figures["passages"] == figures["vectors"] and figures["lost"] == 0
    assert run.returncode == 0
