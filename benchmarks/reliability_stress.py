"""Two writers and a reader on one index for a bounded time, then `newsdesk check` (issue 17).

    python benchmarks/reliability_stress.py --seconds 60 --kill-every 20 [--index DIR] [--json]

Each writer is its own process: in a loop it adds articles to its folder, edits one, deletes
one, writes an article whose text the other writer also writes (two ingests of the same text at
once), and ingests its folder with --prune, all through `ingest.pipeline.ingest` (so through the
writer lock).  The reader process asks questions the whole time, checks every citation against
the catalog (`article.text[start:end] == quote`) and, between writes, that the counts agree
(`Index.health`).  With --kill-every, a random writer gets kill -9 that often and is started
again (its next ingest recovers the journal).  The clock starts once every process has loaded
its model.  At the end one more ingest of both folders runs (the user re-running after a crash),
then `check`, and every article text on disk is looked up in the catalog: the figures are
tracebacks, passages without a vector, articles lost, and what each process did.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from common import REPO, machine

QUESTIONS = (
    "What did Tillerson require in March?",
    "What did the council of the town agree on?",
    "What happened to the ferry routes?",
    "Who met at the harbour last week?",
)


def article(writer: str, number: int, topic: str, extra: str = "") -> str:
    body = " ".join(
        f"Sentence {j} of {topic} {number} says the council of {writer} town met on day {j} and agreed on line {number * j}."
        for j in range(12)
    )
    return f"The {topic} report {writer}-{number}\nDate: 2021-06-{1 + number % 28:02d}\nSource: Stress {writer}\n\n{body} {extra}\n"


def deadline(ready: Path, deadline_file: Path) -> float:
    """Say this process is ready, then wait for the harness to start the clock (every process
    has loaded its model by then); a writer started again after a kill finds it set."""
    ready.touch()
    while not deadline_file.exists():
        time.sleep(0.05)
    return float(deadline_file.read_text())


def run_writer(name: str, folder: Path, index_dir: Path, ready: Path, deadline_file: Path) -> dict[str, object]:
    from ingest.errors import NewsdeskError
    from ingest.index import Index
    from ingest.pipeline import ingest
    from ingest.settings import Settings

    settings = Settings.load(index=index_dir)
    index = Index.open(settings)
    index.embedder.encode(["warm up"])
    until = deadline(ready, deadline_file)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{name}-{os.getpid()}")
    totals = {"ingests": 0, "added": 0, "updated": 0, "unchanged": 0, "duplicates": 0, "pruned": 0, "recovered": 0, "errors": []}
    number = len(list(folder.glob("*.txt")))
    while True:
        for _ in range(2):
            (folder / f"{name}-{number:04d}.txt").write_text(article(name, number, "harbour"), encoding="utf-8")
            number += 1
        existing = sorted(folder.glob(f"{name}-*.txt"))
        if existing:
            edited = rng.choice(existing)
            edited.write_text(edited.read_text(encoding="utf-8") + f"Edited at {time.time():.3f}.\n", encoding="utf-8")
        if len(existing) > 4 and rng.random() < 0.4:
            rng.choice(existing).unlink()
        shared_number = int(time.time()) // 3  # both writers write this text within the same seconds
        (folder / f"same-{shared_number}.txt").write_text(article("shared", shared_number, "ferry"), encoding="utf-8")
        try:
            report = ingest(index, [folder], prune=True)
        except NewsdeskError as exc:
            totals["errors"].append(str(exc))  # type: ignore[union-attr]
        else:
            totals["ingests"] += 1  # type: ignore[operator]
            done = {key: getattr(report, key) for key in ("added", "updated", "unchanged", "duplicates", "pruned", "recovered")}
            for key, value in done.items():
                totals[key] += value  # type: ignore[operator]
            with (folder.parent / f"{name}-ingests.jsonl").open("a", encoding="utf-8") as log:
                log.write(json.dumps(done) + "\n")  # survives a kill -9, unlike the totals
        if time.time() >= until:
            return totals


def run_reader(index_dir: Path, ready: Path, deadline_file: Path) -> dict[str, object]:
    from assistant.api import Assistant
    from ingest.errors import NewsdeskError
    from ingest.settings import Settings

    assistant = Assistant(Settings.load(index=index_dir))
    assistant.ask(QUESTIONS[0])
    until = deadline(ready, deadline_file)
    totals: dict[str, object] = {"answered": 0, "citations_checked": 0, "misquoted": 0, "health_checks": 0, "damage_seen": [], "errors": []}
    rng = random.Random(7)
    while time.time() < until:
        try:
            answer = assistant.ask(rng.choice(QUESTIONS))
            totals["answered"] += 1  # type: ignore[operator]
            for cited in answer.citations:
                stored = assistant.index.catalog.article(cited.article_id)
                totals["citations_checked"] += 1  # type: ignore[operator]
                # An article edited after the answer was built may have changed: only a quote
                # of an article still held with other text at that place is a misquote.
                if stored is not None and stored.text[cited.start : cited.end] != cited.quote and cited.quote in stored.text:
                    totals["misquoted"] += 1  # type: ignore[operator]
            problems = assistant.index.health()
            totals["health_checks"] += 1  # type: ignore[operator]
            if problems:
                totals["damage_seen"].append(problems)  # type: ignore[union-attr]
        except NewsdeskError as exc:
            totals["errors"].append(str(exc))  # type: ignore[union-attr]
    return totals


def role_main(args: argparse.Namespace) -> int:
    """A writer or the reader, as a child process: its totals as one JSON line on stdout."""
    try:
        if args.role == "reader":
            totals = run_reader(args.index, args.ready, args.deadline)
        else:
            totals = run_writer(args.role, args.folder, args.index, args.ready, args.deadline)
    except Exception:  # counted by the harness as a traceback
        traceback.print_exc()
        return 1
    print(json.dumps(totals))
    return 0


def spawn(role: str, index: Path, work: Path, log: list[Path]) -> tuple[subprocess.Popen[str], Path]:
    ready = work / f"ready-{role}-{time.time_ns()}"
    stderr = work / f"stderr-{role}-{time.time_ns()}.log"
    log.append(stderr)
    command = [sys.executable, __file__, "--role", role, "--index", str(index), "--deadline", str(work / "deadline"),
               "--ready", str(ready), "--folder", str(work / role)]  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr.open("w"), text=True, env=env, cwd=REPO)
    return process, ready


def kill_point(index: Path, writers: dict[str, subprocess.Popen[str]], rng: random.Random) -> str:
    """kill -9 a writer, preferably the one between its Chroma write and its catalog commit (the
    journal is not empty and the lock file names it): the worst moment to die.  Returns its role,
    with "*" when it was caught mid-write."""
    from ingest.catalog import Catalog
    from ingest.lock import lock_path

    catalog = Catalog(index / "catalog.sqlite3", writable=False)
    pids = {p.pid: role for role, p in writers.items() if p.poll() is None}
    deadline = time.time() + 10
    try:
        while time.time() < deadline and pids:
            if catalog.journal_entries():
                fields = dict(line.split("=", 1) for line in lock_path(index).read_text().splitlines() if "=" in line)
                role = pids.get(int(fields.get("pid", "0") or 0))
                if role:
                    os.kill(writers[role].pid, signal.SIGKILL)
                    return role + "*"
            time.sleep(0.01)
    finally:
        catalog.close()
    role = rng.choice(sorted(writers))
    os.kill(writers[role].pid, signal.SIGKILL)
    return role


def wait_ready(ready: list[Path], processes: list[subprocess.Popen[str]]) -> None:
    while not all(path.exists() for path in ready):
        if any(p.poll() is not None for p in processes):
            raise SystemExit("a stress process ended before it was ready; see its stderr log")
        time.sleep(0.1)


def harness(seconds: float, kill_every: float, index: Path, work: Path) -> dict[str, object]:
    from ingest.integrity import check
    from ingest.pipeline import ingest
    from ingest.index import Index
    from ingest.readers import read_articles
    from ingest.settings import Settings

    settings = Settings.load(index=index)
    ingest(Index.open(settings), [REPO / "examples" / "articles"])
    logs: list[Path] = []
    roles = {role: spawn(role, index, work, logs) for role in ("w1", "w2", "reader")}
    wait_ready([ready for _, ready in roles.values()], [p for p, _ in roles.values()])
    started = time.time()
    until = started + seconds
    (work / "deadline.tmp").write_text(str(until))
    os.replace(work / "deadline.tmp", work / "deadline")
    results: dict[str, list[dict[str, object]]] = {role: [] for role in roles}
    kills = mid_write = 0
    rng = random.Random(11)
    next_kill = time.time() + kill_every if kill_every else float("inf")
    while time.time() < until:
        time.sleep(0.2)
        if time.time() >= next_kill:
            caught = kill_point(index, {role: p for role, (p, _) in roles.items() if role != "reader"}, rng)
            victim = caught.rstrip("*")
            roles[victim][0].wait()
            kills += 1
            mid_write += caught.endswith("*")
            roles[victim] = spawn(victim, index, work, logs)
            next_kill = time.time() + kill_every
    for role, (process, _) in roles.items():
        out, _ = process.communicate(timeout=900)
        if out.strip():
            results[role].append(json.loads(out.strip().splitlines()[-1]))
    elapsed = time.time() - started
    final = ingest(Index.open(settings), [work / "w1", work / "w2"])  # the user's re-run after the crashes
    report = check(settings)
    catalog = Index.open(settings, writable=False).catalog
    texts_on_disk = {a.article_id for folder in ("w1", "w2") for path in sorted((work / folder).glob("*.txt"))
                     for a in read_articles(path) if hasattr(a, "article_id")}  # fmt: skip
    lost = sorted(aid for aid in texts_on_disk if not catalog.holds(aid))
    tracebacks = sum(path.read_text(encoding="utf-8", errors="replace").count("Traceback") for path in logs)
    writers = [r for role in ("w1", "w2") for r in results[role]]
    ingests = [json.loads(line) for role in ("w1", "w2") if (work / f"{role}-ingests.jsonl").exists()
               for line in (work / f"{role}-ingests.jsonl").read_text(encoding="utf-8").splitlines()]  # fmt: skip
    reader = results["reader"][0] if results["reader"] else {}
    return {
        "seconds": round(elapsed, 1),
        "kills": kills,
        "kills_mid_write": mid_write,
        "writer_ingests": len(ingests),
        **{key: sum(int(i[key]) for i in ingests) for key in ("added", "updated", "unchanged", "duplicates", "pruned")},
        "recovered": sum(int(i["recovered"]) for i in ingests) + final.recovered,
        "writer_errors": [e for w in writers for e in w["errors"]],  # type: ignore[attr-defined]
        "answered": reader.get("answered", 0),
        "citations_checked": reader.get("citations_checked", 0),
        "misquoted": reader.get("misquoted", 0),
        "health_checks": reader.get("health_checks", 0),
        "damage_seen": reader.get("damage_seen", []),
        "reader_errors": reader.get("errors", []),
        "tracebacks": tracebacks,
        "final_ingest": {"added": final.added, "recovered": final.recovered, "repaired": final.repaired},
        "check_ok": report.ok,
        "check_problems": report.problems,
        "articles": report.articles,
        "passages": report.passages,
        "vectors": report.vectors,
        "texts_on_disk": len(texts_on_disk),
        "lost": len(lost),
        "machine": machine(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kill-every", type=float, default=20, help="kill -9 a writer this often (0: never)")
    parser.add_argument("--index", type=Path, help="default: a fresh index in a temporary folder")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--role", help=argparse.SUPPRESS)
    parser.add_argument("--deadline", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ready", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role:
        return role_main(args)
    work = Path(tempfile.mkdtemp(prefix="newsdesk-stress-"))
    figures = harness(args.seconds, args.kill_every, args.index or work / "index", work)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    sound = figures["check_ok"] and not figures["lost"] and not figures["tracebacks"] and not figures["misquoted"]
    return 0 if sound else 1


if __name__ == "__main__":
    sys.exit(main())
