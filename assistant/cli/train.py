"""`newsdesk train relevance`: rebuild the trained relevance model (training/relevance.py).

    newsdesk train relevance [--data DIR] [--out DIR] [--steps N] [--eval-every N] [--threads N] [--seed N]

Reads only the training data (../shared/train/realtimeqa-train by default, or $NEWSDESK_SHARED/
train/realtimeqa-train); writes model.safetensors, model.json and metrics.json to --out
(models/relevance, the folder the assistant loads by default).  A fixed seed and a fixed number
of steps: the same command gives the same model on any machine, however loaded.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ingest.errors import ConfigError


def default_data() -> Path:
    shared = Path(os.environ.get("NEWSDESK_SHARED") or Path.cwd().parent / "shared")
    return shared / "train" / "realtimeqa-train"


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("train", help="rebuild a trained model from the training data")
    p.add_argument("model", choices=["relevance"], help="which model (relevance: the answer-sentence scorer)")
    p.add_argument("--data", type=Path, help="training data folder (questions.jsonl, articles.jsonl.gz)")
    p.add_argument("--out", type=Path, default=Path("models/relevance"), help="where the model is written")
    p.add_argument("--steps", type=int, default=1320, help="training steps of 4 groups (default 0.75 epoch)")
    p.add_argument("--eval-every", type=int, default=440, help="validate (and keep the best checkpoint) every N steps")
    p.add_argument("--threads", type=int, default=1, help="CPU threads for training (1: fastest on a shared machine)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--limit-groups", type=int, default=0, help="train on only the first N groups (smoke runs)")
    p.add_argument("--reading-groups", type=int, default=3000, help="template reading groups added (answer past the lead; 0: the quiz alone)")
    p.add_argument("--validation-groups", type=int, default=400, help="validation groups sampled (0: all)")
    p.set_defaults(handler=run_train)


def run_train(args: argparse.Namespace) -> int:
    data = args.data or default_data()
    for name in ("questions.jsonl", "articles.jsonl.gz"):
        if not (data / name).is_file():
            raise ConfigError(f"{data / name}: training data missing (set --data or NEWSDESK_SHARED)")
    if args.steps < 1 or args.eval_every < 1:
        raise ConfigError("--steps and --eval-every must be at least 1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from training.loop import TrainConfig
    from training.relevance import run

    config = TrainConfig(steps=args.steps, eval_every=args.eval_every, threads=args.threads, seed=args.seed, reading_groups=args.reading_groups)
    try:
        run(data, args.out, config, validation_groups=args.validation_groups, limit_groups=args.limit_groups,
            log=lambda line: print(line, flush=True))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    print(f"newsdesk train: model written to {args.out}", file=sys.stderr)
    return 0
