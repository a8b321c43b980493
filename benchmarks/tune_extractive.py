"""Sweep the extractive answerer's weights on the dev set (retrieval cached, sentence vectors cached).

Issue 4's tuning, kept to document it: tuning on dev was later ruled out (issue 13), and the
thresholds are now calibrated on the validation split (benchmarks/calibrate_gates.py).

    .venv/bin/python benchmarks/tune_extractive.py --index benchmarks/.cache/rtqa

Prints accuracy / abstention / useful-outcome rate per setting, and the abstention calibration:
for each threshold, how many correct answers are lost vs how many unanswerable questions
(gold not retrieved in the top 10) are correctly declined.
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import replace

import numpy as np
from common import machine, shared

from assistant.evaluate import load_questions
from assistant.extractive import ExtractiveAnswerer, ExtractiveConfig
from assistant.gates import GateConfig
from assistant.relevance.heuristic import HeuristicConfig, HeuristicSentenceScorer
from assistant.filters import Filters
from assistant.metrics import contains_gold, first_hit
from assistant.retrieve import RetrievalConfig, Retriever
from ingest.index import Index
from ingest.settings import Settings


class CachedEmbedder:
    """Sentences recur across settings: embed each once."""

    name = "fp32-cached"

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.cache = inner, {}

    def encode(self, texts, progress=None):  # type: ignore[no-untyped-def]
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            for t, v in zip(missing, self.inner.encode(missing)):
                self.cache[t] = v
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--limit", type=int, default=240)
    parser.add_argument("--defaults-only", action="store_true", help="skip the sweep: calibrate the shipped defaults")
    args = parser.parse_args()
    questions = load_questions(shared("eval/realtimeqa-dev.jsonl"))[: args.limit]
    index = Index.open(Settings.load(index=args.index))
    retriever = Retriever(index, RetrievalConfig())
    retrievals = [retriever.retrieve(q.question, Filters(), q.asked, k=10) for q in questions]
    hits = [first_hit([ev.text for ev in r.evidence], q.answers) for r, q in zip(retrievals, questions)]
    embedder = CachedEmbedder(index.embedder)
    print(machine())
    grid = {
        "semantic_weight": [0.45, 0.55],
        "novelty_weight": [0.2, 0.3, 0.45],
        "rank_weight": [0.03, 0.1, 0.2],
        "keep_within": [0.2],
        "max_sentences": [3],
        "passages": [2, 3, 5],
    }
    if args.defaults_only:
        defaults = {**vars(HeuristicConfig()), **vars(ExtractiveConfig())}
        grid = {name: [defaults[name]] for name in grid}
    results = []
    for values in itertools.product(*grid.values()):
        params = dict(zip(grid, values))
        params["lexical_weight"] = 1 - params["semantic_weight"]
        # Issue 4's sweep: the scorer's weights, with the gates open (abstention is calibrated below).
        heuristic = {k: v for k, v in params.items() if k in vars(HeuristicConfig())}
        quoting = {k: v for k, v in params.items() if k in vars(ExtractiveConfig())}
        scorer = HeuristicSentenceScorer(embedder, replace(HeuristicConfig(), abstain_below=-1.0, **heuristic))
        config = replace(ExtractiveConfig(), answer_first=False, trim_datelines=False, gates=GateConfig(min_overlap=0.0, coverage=False), **quoting)
        answerer = ExtractiveAnswerer(embedder, config, scorer)
        best_scores, correct = [], []
        for q, r in zip(questions, retrievals):
            ranked = answerer.rank_sentences(q.question, r)
            chosen = answerer.select(ranked)
            best_scores.append(ranked[0].score if ranked else -1.0)
            correct.append(any(contains_gold(c.text, q.answers) for c in chosen))
        acc = sum(correct) / len(questions)
        results.append((acc, params, best_scores, correct))
        print(json.dumps({"accuracy": round(acc, 3), **params}), flush=True)
    results.sort(key=lambda x: -x[0])
    acc, params, best_scores, correct = results[0]
    print("best:", round(acc, 3), params)
    # Abstention calibration for the best setting: lost correct answers vs declined hopeless ones.
    hopeless = [h is None for h in hits]
    print("| abstain below | answered correctly | correct answers lost | hopeless questions declined | wrong answers declined |")
    for threshold in [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7]:
        lost = sum(1 for s, c in zip(best_scores, correct) if c and s < threshold)
        declined_hopeless = sum(1 for s, h in zip(best_scores, hopeless) if h and s < threshold)
        declined_wrong = sum(1 for s, c in zip(best_scores, correct) if not c and s < threshold)
        kept = sum(1 for s, c in zip(best_scores, correct) if c and s >= threshold)
        print(f"| {threshold} | {kept} | {lost} | {declined_hopeless} of {sum(hopeless)} | {declined_wrong} |")


if __name__ == "__main__":
    main()
