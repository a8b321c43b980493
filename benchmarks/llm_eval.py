"""Generative backends on the RealTime QA dev questions: accuracy, verification rate, latency.

    .venv/bin/python benchmarks/llm_eval.py --index benchmarks/.cache/rtqa --llm local --limit 30
    .venv/bin/python benchmarks/llm_eval.py --index ... --llm openai --url http://127.0.0.1:11434/v1 --model qwen2.5:1.5b

Runs the same chain as `newsdesk ask` / `newsdesk eval` (condense -> retrieve -> answer ->
verify) and adds what only a generative backend has: how many of the model's sentences the
verifier accepted, how often nothing survived (extractive fallback), and time to first token.
Accuracy is `newsdesk eval`'s: the answer text contains a gold answer.  Prints one JSON object;
`--out FILE.md` also writes a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

from common import machine, p50, percentile, shared

from assistant.api import Assistant
from assistant.chain import Turn
from assistant.evaluate import load_questions
from assistant.filters import Filters
from assistant.metrics import contains_gold
from assistant.settings import AssistantSettings
from ingest.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--llm", choices=("local", "openai", "extractive"), default="local")
    parser.add_argument("--url", default="")
    parser.add_argument("--model", default="")
    parser.add_argument("--api-key", default="")
    parser.add_argument("--gguf", default="")
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    questions = load_questions(shared("eval/realtimeqa-dev.jsonl"))[: args.limit]
    settings = AssistantSettings.load(
        llm=args.llm, llm_url=args.url or None, llm_model=args.model or None,
        llm_api_key=args.api_key or None, llm_gguf=args.gguf or None,
    )
    started = time.perf_counter()
    assistant = Assistant(Settings.load(index=args.index), settings)
    ready_s = time.perf_counter() - started
    if hasattr(assistant.answerer.config, "passages"):
        assistant.answerer.config = dataclasses.replace(assistant.answerer.config, passages=args.k)  # type: ignore[attr-defined]

    rows = []
    for q in questions:
        t = time.perf_counter()
        answer = assistant.chain.invoke(Turn(q.question, (), Filters(), q.asked, args.k))
        latency = (time.perf_counter() - t) * 1000
        generated = answer.generated
        articles = assistant.index.catalog.articles(c.article_id for c in answer.citations)
        rows.append(
            {
                "id": q.id,
                "correct": (not answer.abstained) and contains_gold(answer.answer, q.answers),
                "abstained": answer.abstained,
                "fell_back": answer.fell_back,
                "generated": generated.sentences if generated else 0,
                "supported": generated.verified if generated else 0,
                "citations": len(answer.citations),
                "verbatim": sum(1 for c in answer.citations if articles.get(c.article_id) and articles[c.article_id].text[c.start : c.end] == c.quote),
                "latency_ms": latency,
                "first_token_ms": generated.first_token_ms if generated else None,
                "answer": answer.answer,
            }
        )

    n = max(len(rows), 1)
    asked_model = [r for r in rows if not r["abstained"]]
    generated = sum(r["generated"] for r in rows)
    latencies = [r["latency_ms"] for r in rows]
    firsts = [r["first_token_ms"] for r in rows if r["first_token_ms"] is not None]
    cited = sum(r["citations"] for r in rows)
    result = {
        "backend": args.llm,
        "model": getattr(getattr(assistant.answerer, "client", None), "model", ""),
        "index": args.index,
        "questions": len(rows),
        "answer_accuracy": sum(r["correct"] for r in rows) / n,
        "abstention_rate": sum(r["abstained"] for r in rows) / n,
        "fallback_rate": (sum(r["fell_back"] for r in asked_model) / len(asked_model)) if asked_model else 0.0,
        "sentence_verification_rate": (sum(r["supported"] for r in rows) / generated) if generated else 0.0,
        "generated_sentences": generated,
        "citation_verbatim": (sum(r["verbatim"] for r in rows) / cited) if cited else 1.0,
        "latency_p50_ms": p50(latencies),
        "latency_p95_ms": percentile(latencies, 0.95),
        "first_token_p50_ms": p50(firsts),
        "ready_s": ready_s,
        "machine": machine(),
        "rows": rows,
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.out:
        args.out.write_text(markdown(result), encoding="utf-8")


def markdown(r: dict) -> str:  # type: ignore[type-arg]
    def pct(x: float) -> str:
        return f"{100 * x:.1f} %"

    return "\n".join(
        [
            f"| backend | questions | accuracy | abstained | sentences verified | fell back to quotes | quotes verbatim | p50 | p95 | first token p50 |",
            "|---|---|---|---|---|---|---|---|---|---|",
            f"| {r['backend']} {r['model']} | {r['questions']} | {pct(r['answer_accuracy'])} | {pct(r['abstention_rate'])} | "
            f"{pct(r['sentence_verification_rate'])} of {r['generated_sentences']} | {pct(r['fallback_rate'])} | {pct(r['citation_verbatim'])} | "
            f"{r['latency_p50_ms'] / 1000:.1f} s | {r['latency_p95_ms'] / 1000:.1f} s | {r['first_token_p50_ms'] / 1000:.1f} s |",
            "",
            f"Machine: {r['machine']}; index {r['index']}.",
            "",
        ]
    )


if __name__ == "__main__":
    main()
