"""Warm `ask` latency (retrieve + answer) on a built index, p50/p95.

    .venv/bin/python benchmarks/ask.py --index benchmarks/.cache/rtqa [--questions 240]

Questions are the RealTime QA dev questions (text and asking date).  One warm-up question
first; then every question once, timed by the chain itself (timings_ms).
"""

from __future__ import annotations

import argparse
import json
import resource

from common import machine, p50, percentile, shared

from assistant.api import Assistant
from assistant.evaluate import load_questions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--questions", type=int, default=240)
    parser.add_argument("--chroma-url")
    args = parser.parse_args()
    questions = load_questions(shared("eval/realtimeqa-dev.jsonl"))[: args.questions]
    assistant = Assistant.open(index=args.index, chroma_url=args.chroma_url)
    assistant.ask("What happened this week?", asked=questions[0].asked)
    timings: dict[str, list[float]] = {"retrieve": [], "answer": [], "total": []}
    for q in questions:
        answer = assistant.ask(q.question, asked=q.asked)
        for key in timings:
            timings[key].append(answer.timings_ms[key])
    stats = assistant.index.catalog.stats()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "index": args.index,
        "articles": stats.articles,
        "chunks": stats.chunks,
        "questions": len(questions),
        **{f"{k}_p50_ms": round(p50(v), 1) for k, v in timings.items()},
        **{f"{k}_p95_ms": round(percentile(v, 0.95), 1) for k, v in timings.items()},
        "max_rss_mb": round(rss_mb),
        "machine": machine(),
    }
    print(json.dumps(result))
    print(
        f"| {stats.articles} articles / {stats.chunks} chunks | retrieve p50 {result['retrieve_p50_ms']} ms, "
        f"p95 {result['retrieve_p95_ms']} ms | answer p50 {result['answer_p50_ms']} ms | total p50 "
        f"{result['total_p50_ms']} ms, p95 {result['total_p95_ms']} ms | RSS {result['max_rss_mb']} MB |"
    )


if __name__ == "__main__":
    main()
