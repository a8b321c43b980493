"""`newsdesk train relevance`: rebuild the answer-sentence scorer from the training data only.

Data -> by-week split (last 15 % of quiz weeks = validation) -> sentence groups (the validation
weeks' articles never enter training groups) -> a fixed number of steps from MiniLM-L6 with a
fresh 1-logit head -> the best validation checkpoint in `out` (model.safetensors, model.json)
plus metrics.json (every validation point, timings, the exact configuration).

The dev set (eval/realtimeqa-dev.jsonl) is never read: it is the test.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from assistant.relevance.model import ModelConfig
from training.data import load_articles, load_questions, week_split
from training.groups import Group, SentenceBank, build_groups
from training.loop import TrainConfig, train
from training.synthetic import reading_groups

VALIDATION_GROUPS = 400  # a seeded sample of the 880 validation groups: ~40 s per evaluation on one core
READING_VALIDATION = 300  # template reading groups from the validation weeks' articles (logged, not used to choose)


def sentence_groups(
    data: Path, seed: int, log: Callable[[str], None], reading: int = 0
) -> tuple[list[Group], list[Group], list[Group], dict[str, int]]:
    """(train, validation, reading validation) groups and the split's sizes.

    `reading` template reading groups (training/synthetic.py) from training-week articles are
    added to the training groups; as many as READING_VALIDATION come from the validation weeks'."""
    started = time.perf_counter()
    questions = load_questions(data / "questions.jsonl")
    articles = load_articles(data / "articles.jsonl.gz")
    train_q, val_q = week_split(questions)
    excluded = frozenset(k for q in val_q for k in q.results)
    bank = SentenceBank(articles)
    train_groups = build_groups(train_q, bank, seed, excluded)
    val_groups = build_groups(val_q, bank, seed + 1)
    reading_train: list[Group] = []
    reading_val: list[Group] = []
    if reading:
        reading_train = reading_groups([k for k in articles if k not in excluded], bank, reading, seed, "reading", log)
        reading_val = reading_groups(excluded, bank, READING_VALIDATION, seed + 1, "reading-val", log)
    sizes = {
        "questions": len(questions), "articles": len(articles), "train_questions": len(train_q),
        "validation_questions": len(val_q), "validation_weeks": len({q.week for q in val_q}),
        "train_groups": len(train_groups), "validation_groups": len(val_groups),
        "train_questions_with_groups": len({g.qid for g in train_groups}),
        "reading_train_groups": len(reading_train), "reading_validation_groups": len(reading_val),
    }
    log(f"groups built in {time.perf_counter() - started:.0f}s: {json.dumps(sizes)}")
    return train_groups + reading_train, val_groups, reading_val, sizes


def run(
    data: Path,
    out: Path,
    config: TrainConfig = TrainConfig(),
    model_config: ModelConfig = ModelConfig(),
    validation_groups: int = VALIDATION_GROUPS,
    limit_groups: int = 0,
    log: Callable[[str], None] = print,
) -> dict[str, object]:
    """Build the model in `out`; `limit_groups` > 0 trains on that many groups (the smoke test)."""
    started = time.perf_counter()
    train_groups, val_groups, reading_val, sizes = sentence_groups(data, config.seed, log, config.reading_groups)
    if limit_groups:
        train_groups = train_groups[:limit_groups]
    if validation_groups and len(val_groups) > validation_groups:
        val_groups = random.Random(config.seed).sample(val_groups, validation_groups)
    if not train_groups or not val_groups:
        raise ValueError(f"{data}: no usable training or validation groups (train {len(train_groups)}, validation {len(val_groups)})")
    log(json.dumps({"model": asdict(model_config), "train": asdict(config), "train_groups": len(train_groups), "val_groups": len(val_groups)}))
    result = train(model_config, config, train_groups, val_groups, out, log, reading_val)
    result.update(data=sizes, total_seconds=round(time.perf_counter() - started, 1))
    (out / "metrics.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    log(json.dumps({"done": str(out), "best": result["best"], "total_seconds": result["total_seconds"]}))
    return result
