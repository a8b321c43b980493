"""Dense vs BM25 vs hybrid vs hybrid + dates vs the shipped default, on the dev set, one run.

    .venv/bin/python benchmarks/retrieval_ablation.py --index benchmarks/.cache/rtqa

Scoring is `newsdesk eval`'s: a hit is a retrieved passage (top 10) containing a gold answer.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace

from common import machine, p50, shared

from assistant.evaluate import load_questions
from assistant.filters import Filters
from assistant.metrics import first_hit, retrieval_metrics
from assistant.retrieve import RetrievalConfig, Retriever
from ingest.embedder import use_threads
from ingest.index import Index
from ingest.settings import Settings

DEFAULT = RetrievalConfig()
CONFIGS = {
    "dense only (MiniLM, Chroma cosine)": replace(DEFAULT, lexical=False, use_period=False, asked_window_days=0),
    "BM25 only (FTS5)": replace(DEFAULT, dense=False, use_period=False, asked_window_days=0),
    "hybrid (RRF)": replace(DEFAULT, use_period=False, asked_window_days=0),
    "hybrid + question periods": replace(DEFAULT, asked_window_days=0),
    "hybrid + periods + asked-date window (default)": DEFAULT,
}


def score(retriever: Retriever, questions, use_asked: bool = True) -> dict[str, float]:  # type: ignore[no-untyped-def]
    ranks, latencies = [], []
    for q in questions:
        started = time.perf_counter()
        result = retriever.retrieve(q.question, Filters(), q.asked if use_asked else None, k=10)
        latencies.append((time.perf_counter() - started) * 1000)
        ranks.append(first_hit([ev.text for ev in result.evidence], q.answers))
    return {**{k: round(v, 3) for k, v in retrieval_metrics(ranks).items()}, "query_p50_ms": round(p50(latencies), 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--only", help="run only configs whose name contains this")
    args = parser.parse_args()
    questions = load_questions(shared("eval/realtimeqa-dev.jsonl"))
    index = Index.open(Settings.load(index=args.index))
    use_threads(1)  # as the serving side (assistant.api.Assistant) runs
    index.embedder.encode(["warm up"])
    print(f"{len(questions)} questions, {index.catalog.stats().articles} articles; {machine()}")
    print("| configuration | hit@1 | hit@3 | hit@5 | hit@10 | MRR@10 | query p50 |")
    print("|---|---|---|---|---|---|---|")
    for name, config in CONFIGS.items():
        if args.only and args.only not in name:
            continue
        m = score(Retriever(index, config), questions)
        print(f"| {name} | {m['hit@1']} | {m['hit@3']} | {m['hit@5']} | {m['hit@10']} | {m['mrr@10']} | {m['query_p50_ms']} ms |", flush=True)
        print(json.dumps({"config": name, **m}), flush=True)


if __name__ == "__main__":
    main()
