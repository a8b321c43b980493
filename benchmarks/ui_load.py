"""Load on the chat app's API: N gradio_client threads asking different questions for T seconds.

    .venv/bin/python benchmarks/ui_load.py                      # sample + seed, 20 clients, 60 s
    .venv/bin/python benchmarks/ui_load.py --index DIR --questions FILE.jsonl --concurrency 4
    .venv/bin/python benchmarks/ui_load.py --url http://127.0.0.1:7860/   # an app already running

The app runs in its own process (as `newsdesk chat` does), so the clients' threads do not share
its interpreter.  Every client cycles through the questions from its own offset, so at any moment
the app answers different questions.  Prints requests, errors, throughput and p50/p95/max latency
(and one JSON line with --json).  The default index (the bundled sample plus the seed) is built
once under benchmarks/.cache/.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "benchmarks" / ".cache"
SEED = Path(os.environ.get("NEWSDESK_SHARED") or REPO.parent / "shared") / "seed" / "000_9d25cb8e91344446.txt"

# Different questions about the sample + seed: some quote at once, some abstain, some are follow-up-free
# rewrites, so retrieval and answering both vary.
SAMPLE_QUESTIONS = [
    "What did Tillerson require in March?",
    "What did Tillerson say about North Korea's restraint?",
    "When did North Korea test the Hwasong-15?",
    "How far can the Hwasong-15 fly?",
    "What did the UN Security Council ban in August?",
    "Which imports did China halt from North Korea?",
    "What did Trump threaten with fire and fury?",
    "What did North Korea say about Guam?",
    "What sanctions did the Treasury announce?",
    "Which Chinese and Russian firms were targeted?",
    "How much aid did South Korea plan to send to the North?",
    "What did President Moon say at the UN?",
    "What cap did the UN put on oil imports?",
    "When did North Korea conduct its sixth nuclear test?",
    "What did North Korea claim about a hydrogen bomb?",
    "What range did the second ICBM test show?",
    "Which US cities are within range of North Korean missiles?",
    "Who met Tillerson in South Korea and China?",
    "What preconditions for talks did the US set?",
    "What did analysts say about the July missile test?",
    "How did Japan react to the missile launch?",
    "What did the sanctions do to North Korea's exports?",
    "Why did the UN cap refined petroleum?",
    "What did Tillerson suggest would be enough for talks?",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def default_index() -> Path:
    index = CACHE / "ui-load-index"
    if not (index / "catalog.sqlite3").exists():
        from ingest.index import Index
        from ingest.pipeline import ingest
        from ingest.settings import Settings

        print(f"building {index} (sample + seed) ...", file=sys.stderr, flush=True)
        report = ingest(Index.open(Settings.load(index=index)), [REPO / "examples" / "articles", SEED])
        if report.failed:
            raise SystemExit(f"cannot build the benchmark index: {report.problems}")
    return index


def load_questions(path: Path | None) -> list[str]:
    if path is None:
        return SAMPLE_QUESTIONS
    questions = [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not questions:
        raise SystemExit(f"{path}: no questions")
    return questions


def serve(index: Path, port: int, concurrency: int | None) -> None:
    """Child process: the app alone, until SIGINT/SIGTERM."""
    from assistant.api import Assistant
    from assistant.ui.app import launch_app
    from ingest.settings import Settings

    app, url = launch_app(Assistant(Settings.load(index=index)), "127.0.0.1", port, concurrency=concurrency)
    print(f"serving {url}", flush=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM stops it like Ctrl-C
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        app.close()


def start_server(index: Path, concurrency: int | None) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    command = [sys.executable, __file__, "--serve", "--index", str(index), "--port", str(port)]
    if concurrency:
        command += ["--concurrency", str(concurrency)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("serving "):
            return process, line.split()[1]
    raise SystemExit(f"the app did not start (exit {process.wait()})")


def run_clients(url: str, questions: list[str], clients: int, seconds: float) -> dict[str, object]:
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    abstained = [0]
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]
    active: set[int] = set()

    def worker(number: int) -> None:
        client = Client(url, verbose=False)
        start.wait()
        i = number * 7  # each client starts elsewhere in the list
        while time.perf_counter() < stop_at[0]:
            question = questions[i % len(questions)]
            i += 1
            t = time.perf_counter()
            active.add(number)
            try:
                result = client.predict(question, api_name="/ask")
                elapsed = time.perf_counter() - t
                with lock:
                    latencies.append(elapsed)
                    abstained[0] += bool(result.get("abstained"))
            except Exception as exc:  # every failure is a data point here, not a crash
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")

    Client(url, verbose=False).predict(questions[0], api_name="/ask")  # warm-up, not measured
    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at[0] = began + seconds  # set before the barrier opens, or early workers see 0 and quit
    start.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began

    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] if ordered else float("nan")

    return {
        "clients": clients,
        "clients_that_asked": len(active),
        "seconds": round(wall, 1),
        "requests": len(latencies) + len(errors),
        "ok": len(latencies),
        "errors": len(errors),
        "abstained": abstained[0],
        "throughput_per_s": round(len(latencies) / wall, 2),
        "p50_s": round(pct(0.50), 2),
        "p95_s": round(pct(0.95), 2),
        "max_s": round(ordered[-1], 2) if ordered else None,
        "mean_s": round(statistics.fmean(ordered), 2) if ordered else None,
        "first_errors": sorted(set(errors))[:5],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, help="index folder (default: sample + seed, built once)")
    parser.add_argument("--questions", type=Path, help='.jsonl with a "question" per line (default: sample questions)')
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, help="the app's answer concurrency limit (default: the app's)")
    parser.add_argument("--url", help="benchmark an app that is already running")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))

    index = args.index or (None if args.url else default_index())
    if args.serve:
        serve(index, args.port, args.concurrency)
        return 0
    questions = load_questions(args.questions)
    process = None
    url = args.url
    if url is None:
        process, url = start_server(index, args.concurrency)
    try:
        result = run_clients(url, questions, args.clients, args.seconds)
    finally:
        if process is not None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    result.update(index=str(index or url), concurrency=args.concurrency or "app default", cpus=os.cpu_count())
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['clients']} clients x {result['seconds']} s against {url} (concurrency {result['concurrency']}, "
            f"{result['cpus']} CPUs)\n"
            f"requests {result['requests']}  ok {result['ok']}  errors {result['errors']}  "
            f"abstained {result['abstained']}  throughput {result['throughput_per_s']}/s\n"
            f"latency p50 {result['p50_s']} s  p95 {result['p95_s']} s  max {result['max_s']} s"
        )
        for line in result["first_errors"]:  # type: ignore[union-attr]
            print(f"  error: {line}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
