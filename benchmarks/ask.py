"""Warm `ask` latency (retrieve + answer) on a built index, p50/p95.

    .venv/bin/python benchmarks/ask.py --index benchmarks/.cache/rtqa [--questions 240] [--scorers heuristic,trained]

Questions are the RealTime QA dev questions (text and asking date).  One warm-up question
first; then every question once, timed by the chain itself (timings_ms).  With `--scorers A,B`
the same process asks every question once per sentence scorer, alternating which goes first, so
the ratio of their p50s is an A/B on one loaded machine.
"""

from __future__ import annotations

import argparse
import json
import resource

from common import machine, p50, percentile, shared

from assistant.api import Assistant
from assistant.evaluate import load_questions
from assistant.relevance.registry import make_sentence_scorer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--questions", type=int, default=240)
    parser.add_argument("--chroma-url")
    parser.add_argument("--scorers", help="A,B: time both sentence scorers in this process, alternating (an A/B)")
    args = parser.parse_args()
    questions = load_questions(shared("eval/realtimeqa-dev.jsonl"))[: args.questions]
    assistant = Assistant.open(index=args.index, chroma_url=args.chroma_url)
    if args.scorers:
        return ab(assistant, questions, args.scorers.split(","))
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


def ab(assistant: Assistant, questions: list, names: list[str]) -> None:  # type: ignore[type-arg]
    """Every question once per scorer, the first scorer alternating; p50s and their ratio."""
    scorers = {name: make_sentence_scorer(name, assistant.index) for name in names}
    totals: dict[str, list[float]] = {name: [] for name in names}
    for name in names:  # warm each once
        assistant.answerer.scorer = scorers[name]  # type: ignore[attr-defined]
        assistant.ask("What happened this week?", asked=questions[0].asked)
    for number, q in enumerate(questions):
        for name in names if number % 2 == 0 else names[::-1]:
            assistant.answerer.scorer = scorers[name]  # type: ignore[attr-defined]
            totals[name].append(assistant.ask(q.question, asked=q.asked).timings_ms["total"])
    result = {f"{name}_p50_ms": round(p50(v), 1) for name, v in totals.items()}
    result.update({f"{name}_p95_ms": round(percentile(v, 0.95), 1) for name, v in totals.items()})
    result[f"ratio_{names[1]}_over_{names[0]}"] = round(p50(totals[names[1]]) / p50(totals[names[0]]), 2)
    print(json.dumps({"questions": len(questions), **result, "machine": machine()}))


if __name__ == "__main__":
    main()
