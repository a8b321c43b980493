"""Briefings before/after (issue 14): the briefing evaluation and brief latency, in one run.

    .venv/bin/python benchmarks/brief_eval.py --index /work/cache/<copy of rtqa> \
        [--topics eval/briefs/topics.jsonl] [--before-code DIR] [--cold 3]

`--before-code DIR` is a checkout of the code to compare with (e.g. `git archive 7040388 | tar -x
-C DIR`): it runs in a worker process with `PYTHONPATH=DIR`, so both versions use this venv's
packages and the same index.  Topic by topic, the worker briefs (before), then this process
(after): paired, warm timings (each process has briefed a warm-up topic first).  Both versions'
briefs are scored by this code's assistant/briefing/evaluation.py from their `--json` shape.

`--cold N` then times `newsdesk brief TOPIC --json` as a fresh process (model load included) for
the first N topics, alternating before and after.  Prints the Markdown tables and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from common import REPO, machine, p50

from assistant.api import Assistant
from assistant.briefing import BriefRequest, make_brief
from assistant.briefing.evaluation import BriefEvalReport, load_topics, render_markdown, score_brief
from ingest.settings import Settings

WARM_UP = "weather"
# The worker: the other code's make_brief on the same index, one JSON line per topic line.
WORKER = """
import json, sys, time
from assistant.api import Assistant
from assistant.briefing import BriefRequest, make_brief
from ingest.settings import Settings
assistant = Assistant(Settings.load(index=sys.argv[1]))
make_brief(assistant, BriefRequest(sys.argv[2]))
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    topic = json.loads(line)
    started = time.perf_counter()
    brief = make_brief(assistant, BriefRequest(topic["topic"], since=topic["since"], until=topic["until"]))
    ms = (time.perf_counter() - started) * 1000
    print(json.dumps({"ms": ms, "brief": brief.to_dict()}), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--topics", type=Path, default=REPO / "eval" / "briefs" / "topics.jsonl")
    parser.add_argument("--before-code", type=Path)
    parser.add_argument("--cold", type=int, default=0)
    parser.add_argument("--out", type=Path, help="write both reports as Markdown here")
    args = parser.parse_args()
    topics = load_topics(args.topics)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    worker = None
    if args.before_code:
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER, args.index, WARM_UP], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**env, "PYTHONPATH": str(args.before_code.resolve())}, cwd="/",
        )  # fmt: skip
        assert worker.stdout is not None and json.loads(worker.stdout.readline())["ready"]
    assistant = Assistant(Settings.load(index=args.index))
    make_brief(assistant, BriefRequest(WARM_UP))
    catalog, encode = assistant.index.catalog, assistant.index.embedder.encode
    before, after = BriefEvalReport([], "before"), BriefEvalReport([], "after")
    for topic in topics:
        if worker is not None:
            assert worker.stdin is not None and worker.stdout is not None
            worker.stdin.write(json.dumps({"topic": topic.topic, "since": topic.since, "until": topic.until}) + "\n")
            worker.stdin.flush()
            result = json.loads(worker.stdout.readline())
            before.rows.append(score_brief(result["brief"], topic, catalog, encode, result["ms"]))
        started = time.perf_counter()
        brief = make_brief(assistant, BriefRequest(topic.topic, since=topic.since, until=topic.until))
        after.rows.append(score_brief(brief.to_dict(), topic, catalog, encode, (time.perf_counter() - started) * 1000))
        print(f"{topic.id}: before {before.rows[-1].ms if worker else 0:.0f} ms, after {after.rows[-1].ms:.0f} ms", file=sys.stderr)
    if worker is not None:
        assert worker.stdin is not None
        worker.stdin.close()
        worker.wait(timeout=60)
    cold = cold_starts(topics[: args.cold], args.index, args.before_code, env)
    reports = [r for r in (before, after) if r.rows]
    command = "python benchmarks/brief_eval.py " + " ".join(sys.argv[1:])
    markdown = "\n".join(render_markdown(r, command) for r in reports)
    if args.out:
        args.out.write_text(markdown, encoding="utf-8")
    print(markdown)
    for label, times in cold.items():
        print(f"cold `newsdesk brief` ({label}): p50 {p50(times):.0f} ms over {len(times)} runs: {[round(t) for t in times]}")
    print(f"machine: {machine()}")
    print(json.dumps({r.label: r.summary() for r in reports} | {"cold_ms": cold, "machine": machine()}))


def cold_starts(topics: list, index: str, before_code: Path | None, env: dict[str, str]) -> dict[str, list[float]]:  # type: ignore[type-arg]
    """Wall time of `newsdesk brief TOPIC --json` in a fresh process, before and after alternating."""
    runs: dict[str, list[float]] = {"after": []}
    if before_code:
        runs["before"] = []
    for topic in topics:
        for label in runs:
            extra = {"PYTHONPATH": str(before_code.resolve())} if label == "before" and before_code else {}
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "assistant.cli", "brief", topic.topic, "--index", index, "--json"],
                env={**env, **extra}, cwd="/" if extra else str(REPO), check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            runs[label].append((time.perf_counter() - started) * 1000)
    return runs


if __name__ == "__main__":
    main()
