"""Ingest throughput vs a bare encoder, and re-ingest cost, measured in one run.

    .venv/bin/python benchmarks/ingest_throughput.py [--articles 300]
    NEWSDESK_EMBEDDER=fp32 .venv/bin/python benchmarks/ingest_throughput.py   # the fp32 path

Both sides use the embedder the settings select (default "auto": bf16 on a CPU with AMX or
AVX-512 BF16, else fp32), so the ratio is the pipeline's overhead, not a precision difference.

1. Bare `SentenceTransformer.encode` of exactly the texts the pipeline embeds (title + chunk).
2. `newsdesk ingest` of the same articles into a fresh embedded index (reading, chunking,
   embedding, Chroma, catalog + FTS5, journal), model already loaded, as in a long session.
3. The same ingest again (everything unchanged) as a fraction of the first.
Ratios are the figures to compare across machines; absolute speeds depend on the load.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from common import CACHE, machine, shared

from ingest.chunking import chunk_article
from ingest.embedder import BATCH_SIZE, load_embedder
from ingest.index import Index
from ingest.pipeline import ingest
from ingest.readers import read_articles
from ingest.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    corpus = shared("corpora/realtimeqa-2023q1/articles.jsonl")
    CACHE.mkdir(parents=True, exist_ok=True)
    subset = CACHE / f"ingest-subset-{args.articles}.jsonl"
    with corpus.open(encoding="utf-8") as lines, subset.open("w", encoding="utf-8") as out:
        for number, line in enumerate(lines):
            if number >= args.articles:
                break
            out.write(line)

    articles = [a for a in read_articles(subset) if not isinstance(a, Exception) and hasattr(a, "text")]
    texts = [f"{a.title}\n{c.text}" for a in articles for c in chunk_article(a)]
    work = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    settings = Settings.load(index=work / "index")  # NEWSDESK_EMBEDDER decides, as for a user
    embedder = load_embedder(settings.embedder)
    embedder.encode(texts[:64])  # warm-up
    model = embedder.model  # type: ignore[attr-defined]

    started = time.perf_counter()
    with embedder.autocast():  # type: ignore[attr-defined]
        model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False)
    bare_seconds = time.perf_counter() - started

    try:
        index = Index.open(settings)
        first = ingest(index, [subset])
        again = ingest(index, [subset])
    finally:
        shutil.rmtree(work, ignore_errors=True)

    bare_rate = len(texts) / bare_seconds
    pipeline_rate = first.chunks_written / first.seconds
    result = {
        "embedder": embedder.name,
        "articles": len(articles),
        "chunks": len(texts),
        "bare_encode_chunks_per_s": round(bare_rate, 2),
        "pipeline_chunks_per_s": round(pipeline_rate, 2),
        "pipeline_vs_bare": round(pipeline_rate / bare_rate, 3),
        "first_ingest_s": first.seconds,
        "reingest_s": again.seconds,
        "reingest_fraction": round(again.seconds / first.seconds, 4),
        "reingest_unchanged": again.unchanged,
        "machine": machine(),
    }
    print(json.dumps(result))
    print(
        f"| {len(articles)} articles, {len(texts)} chunks | bare encode {bare_rate:.1f} chunks/s | "
        f"pipeline {pipeline_rate:.1f} chunks/s | ratio {pipeline_rate / bare_rate:.2f} | "
        f"re-ingest {again.seconds:.2f} s = {100 * again.seconds / first.seconds:.2f} % of {first.seconds:.0f} s |"
    )


if __name__ == "__main__":
    main()
