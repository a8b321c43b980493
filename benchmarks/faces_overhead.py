"""The cost of the OpenAI-compatible face: `/v1/chat/completions` p50 against `Assistant.ask` p50.

    .venv/bin/python benchmarks/faces_overhead.py --index /work/cache/rtqa [--questions 60]

One process, one Assistant: the app `newsdesk serve` runs (chat UI, /v1, /mcp; no key) is served
by uvicorn on 127.0.0.1 in a thread, and the official `openai` client calls it from the main
thread, so both paths answer with the same models and index.  Per dev question (text and asking
date only: nothing is scored, nothing tuned), three timings in an order rotated per question:
`assistant.ask` directly, `/v1/chat/completions` non-streamed, and streamed (to the first content
chunk and to `[DONE]`).  Three warm-up questions first.  Also printed: the face's own share, the
wall time of a /v1 call minus the chain's `timings_ms.total` reported in its `newsdesk` field.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from typing import Any, Callable

from common import machine, p50, percentile, shared

from assistant.api import Assistant
from assistant.evaluate import load_questions
from assistant.faces.archive import Archive
from assistant.faces.serve import bind, build_server


def start_server(archive: Archive) -> tuple[str, Any]:
    import uvicorn

    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    app = build_server(archive, "127.0.0.1", port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    deadline = time.monotonic() + 120
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the server did not start in 120 s")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}/v1", server


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--questions", type=int, default=60)
    args = parser.parse_args()
    import openai

    questions = load_questions(shared("eval/realtimeqa-dev.jsonl"))[: args.questions]
    assistant = Assistant.open(index=args.index)
    base_url, server = start_server(Archive(assistant))
    client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0, timeout=300)

    def direct(q: Any) -> float:
        return timed(lambda: assistant.ask(q.question, asked=q.asked))[0]

    def v1(q: Any) -> float:
        ms, completion = timed(
            lambda: client.chat.completions.create(
                model="newsdesk", messages=[{"role": "user", "content": q.question}], extra_body={"asked": q.asked.isoformat() if q.asked else None}
            )
        )
        rows["face_ms"].append(ms - completion.newsdesk["timings_ms"]["total"])
        return ms

    def streamed(q: Any) -> float:
        started = time.perf_counter()
        first = 0.0
        stream = client.chat.completions.create(
            model="newsdesk", messages=[{"role": "user", "content": q.question}], extra_body={"asked": q.asked.isoformat() if q.asked else None}, stream=True
        )
        for chunk in stream:
            if not first and chunk.choices and chunk.choices[0].delta.content:
                first = (time.perf_counter() - started) * 1000
        rows["stream_first_ms"].append(first)
        return (time.perf_counter() - started) * 1000

    paths: dict[str, Callable[[Any], float]] = {"ask_ms": direct, "v1_ms": v1, "stream_ms": streamed}
    rows: dict[str, list[float]] = {name: [] for name in [*paths, "stream_first_ms", "face_ms"]}
    for q in questions[:3]:  # warm-up: models, caches, connections
        for path in paths.values():
            path(q)
    for name in rows:
        rows[name].clear()
    order = list(paths)
    for i, q in enumerate(questions):
        for name in order[i % 3 :] + order[: i % 3]:
            rows[name].append(paths[name](q))
    server.should_exit = True

    result: dict[str, Any] = {"index": args.index, "questions": len(questions)}
    result.update({f"{k}_p50": round(p50(v), 1) for k, v in rows.items()})
    result.update({f"{k}_p95": round(percentile(v, 0.95), 1) for k, v in rows.items()})
    result["v1_over_ask_p50"] = round(result["v1_ms_p50"] / result["ask_ms_p50"], 3)
    result["stream_over_ask_p50"] = round(result["stream_ms_p50"] / result["ask_ms_p50"], 3)
    result["machine"] = machine()
    print(json.dumps(result))
    print(
        f"| {len(questions)} | ask p50 {result['ask_ms_p50']} ms | /v1 p50 {result['v1_ms_p50']} ms "
        f"(**{result['v1_over_ask_p50']}x**) | stream p50 {result['stream_ms_p50']} ms ({result['stream_over_ask_p50']}x), "
        f"first content {result['stream_first_ms_p50']} ms | face share p50 {result['face_ms_p50']} ms |"
    )


if __name__ == "__main__":
    main()
