"""The training loop: one softmax per group (+ a pointwise BCE term), bf16 autocast, fixed steps.

Why both losses: the group softmax teaches the ranking that matters (the answering sentence
above its on-topic neighbours); the pointwise term keeps logits comparable across questions,
which the abstention threshold needs.  Why a fixed number of steps (not a time budget): the
result must not depend on how loaded the machine is.  The checkpoint kept is the one with the
best validation group MRR, evaluated every `eval_every` steps (the validation split only).
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from assistant.relevance.model import META_FILE, WEIGHTS_FILE, WORD_EMBEDDINGS, ModelConfig, RelevanceModel, load_tokenizer, sentence_side
from assistant.relevance.pairs import PairScorer
from training.groups import Group


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 1320  # 0.75 epoch of the 7,034 training groups at 4 groups per step (the research best: step 1,320)
    lr: float = 3e-5
    batch_groups: int = 4  # x (1 + 7) sequences per step
    warmup: int = 50
    bce_weight: float = 0.5
    eval_every: int = 440
    seed: int = 0
    threads: int = 1  # one thread: on a shared 2-core machine two threads measured several times slower
    # Template reading groups (training/synthetic.py: answer past the lead) added to the quiz's
    # groups; 0 = the quiz alone (the first shipped model).
    reading_groups: int = 3000


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Probability a random positive outscores a random negative (ties count half)."""
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    values = np.concatenate([pos, neg])
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    ranks = (ends - (counts - 1) / 2.0)[inverse]  # average 1-based rank of each tie block
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def group_metrics(scorer: PairScorer, groups: list[Group]) -> dict[str, float]:
    """AUC over all pairs, top-1 and MRR within groups (article-sentence positives separately)."""
    requests = [(g.question, [(t.sentence, t.title) for t in (g.positive, *g.negatives)]) for g in groups]
    top1, rr, top1_located, top1_past_lead, pos, neg = [], [], [], [], [], []
    for g, s in zip(groups, scorer.score_many(requests)):
        rank = 1 + int((s[1:] >= s[0]).sum())
        top1.append(rank == 1)
        rr.append(1 / rank)
        if g.located:
            top1_located.append(rank == 1)
            if g.positive.position >= 1:  # the answer is not the article's first sentence
                top1_past_lead.append(rank == 1)
        pos.append(s[0])
        neg.extend(s[1:])
    return {
        "auc": auc(np.array(pos), np.array(neg)),
        "top1": float(np.mean(top1)) if top1 else float("nan"),
        "mrr": float(np.mean(rr)) if rr else float("nan"),
        "top1_located": float(np.mean(top1_located)) if top1_located else float("nan"),
        "top1_past_lead": float(np.mean(top1_past_lead)) if top1_past_lead else float("nan"),
        "past_lead_groups": len(top1_past_lead),
    }


def save(model: RelevanceModel, directory: Path, extra: dict[str, object]) -> int:
    """Everything but the frozen word embeddings as fp16 safetensors, and model.json; returns bytes."""
    from safetensors.torch import save_file

    state = {f"encoder.{k}": v for k, v in model.encoder.state_dict().items() if k != WORD_EMBEDDINGS}
    state.update({f"head.{k}": v for k, v in model.head.state_dict().items()})
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / WEIGHTS_FILE
    save_file({k: v.detach().to(torch.float16).contiguous() for k, v in state.items()}, str(path))
    meta = {"config": asdict(model.config_), "word_embeddings_sha256": model.word_embeddings_sha256(), **extra}
    (directory / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return path.stat().st_size


def group_loss(model: RelevanceModel, tokenizer, config: TrainConfig, batch: list[Group]) -> torch.Tensor:  # type: ignore[no-untyped-def]
    sizes = [1 + len(g.negatives) for g in batch]
    mc: ModelConfig = model.config_
    sides = [sentence_side(t.sentence, t.title, mc) for g in batch for t in (g.positive, *g.negatives)]
    questions = [g.question for g, n in zip(batch, sizes) for _ in range(n)]
    with torch.autocast("cpu", dtype=torch.bfloat16):
        enc = tokenizer(questions, sides, truncation=True, max_length=mc.max_tokens, padding=True, return_tensors="pt")
        logits = model.logits(enc).float()
    loss = torch.zeros(())
    pos = 0
    for n in sizes:  # one softmax per group: the positive is its first member
        loss = loss + torch.nn.functional.cross_entropy(logits[pos : pos + n].unsqueeze(0), torch.zeros(1, dtype=torch.long))
        pos += n
    loss = loss / len(sizes)
    if config.bce_weight:
        labels = torch.cat([torch.tensor([1.0] + [0.0] * (n - 1)) for n in sizes])
        loss = loss + config.bce_weight * torch.nn.functional.binary_cross_entropy_with_logits(logits, labels)
    return loss


def train(
    model_config: ModelConfig,
    config: TrainConfig,
    train_groups: list[Group],
    val_groups: list[Group],
    out: Path,
    log: Callable[[str], None] = print,
    reading_val: list[Group] | None = None,
) -> dict[str, object]:
    """Train for `config.steps` steps; the best validation checkpoint is written to `out`.

    `reading_val` (template reading groups of the validation weeks) is scored and logged at
    every evaluation, but the checkpoint is chosen on the real questions' MRR alone."""
    random.seed(config.seed)
    np.random.seed(config.seed)
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    rng = random.Random(config.seed)
    model = RelevanceModel(model_config)
    tokenizer = load_tokenizer()
    scorer = PairScorer(model, bf16=True)
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=config.lr, weight_decay=0.01)
    steps = config.steps
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda i: min(1.0, (i + 1) / config.warmup) * max(0.0, 1 - i / steps))
    history: list[dict[str, float]] = []
    best: dict[str, float] = {"mrr": -1.0}
    started = time.perf_counter()

    def evaluate(step: int) -> None:
        metrics = group_metrics(scorer, val_groups)
        if reading_val:
            reading = group_metrics(scorer, reading_val)
            metrics.update(reading_top1=reading["top1"], reading_mrr=reading["mrr"])
        metrics.update(step=step, seconds=round(time.perf_counter() - started, 1))
        history.append(metrics)
        log(json.dumps(metrics))
        if metrics["mrr"] > best["mrr"]:
            best.clear()
            best.update(metrics)
            save(model, out, {"train": asdict(config), "validation": metrics})

    order: list[Group] = []
    seen = 0
    model.train()
    for step in range(1, steps + 1):
        if len(order) < config.batch_groups:
            order = list(train_groups)
            rng.shuffle(order)
        batch, order = order[: config.batch_groups], order[config.batch_groups :]
        loss = group_loss(model, tokenizer, config, batch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        seen += sum(1 + len(g.negatives) for g in batch)
        if step % 50 == 0:
            elapsed = time.perf_counter() - started
            log(f"step {step}/{steps} loss {loss.item():.4f} {seen / elapsed:.1f} seq/s {elapsed:.0f}s")
        if step % config.eval_every == 0 or step == steps:
            evaluate(step)
    return {"best": best, "history": history, "seconds": round(time.perf_counter() - started, 1), "steps": steps}
