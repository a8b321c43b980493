"""Score relevance model folders on the validation sentence groups (training data only, never dev).

    NEWSDESK_SHARED=/work/shared .venv/bin/python benchmarks/scorer_groups.py models/relevance [other model folders]

Why: comparing two trained models needs the same groups for both; this rebuilds the training
command's validation groups (seed 0; the 400-group sample it scores) and the 300 template reading
groups of the validation weeks, and prints AUC / top-1 / MRR, top-1 where the answer is past the
lead, and the reading groups' top-1 per model (training/loop.group_metrics: what training logs).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import torch
from common import machine, shared

from assistant.relevance.model import RelevanceModel
from assistant.relevance.pairs import PairScorer
from training.loop import group_metrics
from training.relevance import VALIDATION_GROUPS, sentence_groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", type=Path, help="model folders (model.safetensors + model.json)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    # reading=1: the reading validation groups are built only when reading groups are asked for
    # (the one training group it adds is not used here).
    _, validation, reading, _ = sentence_groups(shared("train/realtimeqa-train"), 0, lambda line: None, reading=1)
    validation = random.Random(0).sample(validation, min(VALIDATION_GROUPS, len(validation)))
    for folder in args.models:
        scorer = PairScorer(RelevanceModel.load(folder))
        quiz, read = group_metrics(scorer, validation), group_metrics(scorer, reading)
        print(json.dumps({"model": str(folder), "quiz": quiz, "reading": {"top1": read["top1"], "mrr": read["mrr"]}}))
    print(machine())


if __name__ == "__main__":
    main()
