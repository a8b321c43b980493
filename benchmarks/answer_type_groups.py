"""Choose the answer-type prior's weights on the validation split's sentence groups (issue 13).

    NEWSDESK_SHARED=/work/shared .venv/bin/python benchmarks/answer_type_groups.py [--logits FILE]

The validation groups are the training command's own (training/relevance.py: the last 15 % of
quiz weeks, 1 answering sentence + 7 that do not, seed 1); every group is scored once by the
shipped model (cached in `--logits`), then logit + w_type * match - w_miss * (type known, absent)
(assistant/relevance/answertype.py) is evaluated for a grid of weights: top-1 and MRR within
groups, and top-1 where the positive is NOT its article's first sentence (the reading set's
case: the answer past the lead) and where it is (what the prior may cost).  The dev set is never
read.  Prints a table and the best (w_type, w_miss) by MRR over all groups.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from common import CACHE, shared  # noqa: F401  (sys.path: the repo first)

from assistant.relevance.answertype import TypePrior, expected_type, mentions_subject, type_match
from assistant.relevance.trained import DEFAULT_MODEL, load_pair_scorer, models_dir
from training.data import load_articles, load_questions, week_split
from training.groups import SentenceBank, build_groups

W_TYPE = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0)
W_MISS = (0.0, 0.5, 1.0, 2.0, 3.0)
GAPS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)


def metrics(scores: list[np.ndarray], mask: np.ndarray) -> tuple[float, float, int]:
    ranks = np.array([1 + int((s[1:] >= s[0]).sum()) for s in scores])[mask]
    return float(np.mean(ranks == 1)) if len(ranks) else float("nan"), float(np.mean(1 / ranks)) if len(ranks) else float("nan"), int(mask.sum())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--logits", type=Path, default=CACHE / "answer_type_val_logits.npz", help="cache of the model's group logits")
    args = parser.parse_args()
    started = time.perf_counter()
    data = shared("train/realtimeqa-train")
    questions = load_questions(data / "questions.jsonl")
    _, val_q = week_split(questions)
    articles = load_articles(data / "articles.jsonl.gz")
    bank = SentenceBank(articles)
    groups = build_groups(val_q, bank, 1)  # seed + 1, as training/relevance.py builds them
    firsts = {bank.of(k)[0].text for q in val_q for k in q.results if bank.of(k)}
    print(f"{len(val_q)} validation questions, {len(groups)} groups ({time.perf_counter() - started:.0f} s)", flush=True)
    texts = [[g.positive, *g.negatives] for g in groups]
    if args.logits.exists():
        logits = list(np.load(args.logits, allow_pickle=True)["logits"])
    else:
        scorer = load_pair_scorer((models_dir() / DEFAULT_MODEL).resolve())
        logits = scorer.score_many([(g.question, [(t.sentence, t.title) for t in ts]) for g, ts in zip(groups, texts)])
        args.logits.parent.mkdir(parents=True, exist_ok=True)
        np.savez(args.logits, logits=np.array(logits, dtype=object))
    print(f"scored ({time.perf_counter() - started:.0f} s)", flush=True)
    kinds = [expected_type(g.question) for g in groups]
    match = [np.array([type_match(g.question, t.sentence, k) for t in ts], dtype=float) for g, ts, k in zip(groups, texts, kinds)]
    known = np.array([k is not None for k in kinds])
    first = np.array([g.positive.sentence in firsts for g in groups])
    located = np.array([g.located for g in groups])
    every = np.ones(len(groups), dtype=bool)
    counts = {k: kinds.count(k) for k in sorted(set(kinds), key=str)}
    pos_match = {k: float(np.mean([m[0] for m, kk in zip(match, kinds) if kk == k])) for k in counts if k}
    neg_match = {k: float(np.mean([m[1:].mean() for m, kk in zip(match, kinds) if kk == k])) for k in counts if k}
    print("types:", counts)
    print("match rate, positive vs negatives:", {k: f"{pos_match[k]:.2f}/{neg_match[k]:.2f}" for k in pos_match})
    masks = {"all": every, "typed": known, "located": located, "past lead": located & ~first, "lead": located & first}
    print("| w_type | w_miss | " + " | ".join(f"{n} top-1 | {n} MRR" for n in masks) + " |")
    print("|---|---|" + "---|---|" * len(masks))
    best = None
    for wt in W_TYPE:
        for wm in W_MISS:
            scores = [s + np.where(m > 0, wt, -wm) * (k is not None) for s, m, k in zip(logits, match, kinds)]
            row = {n: metrics(scores, mask) for n, mask in masks.items()}
            print(f"| {wt:g} | {wm:g} | " + " | ".join(f"{row[n][0]:.3f} | {row[n][1]:.3f}" for n in masks) + " |", flush=True)
            if best is None or row["all"][1] > best[2]["all"][1]:
                best = (wt, wm, row)
    print("\nper expected type, top-1 (MRR) by the gap w_type + w_miss (only the gap orders a group):")
    print("| type | groups | " + " | ".join(f"gap {g:g}" for g in GAPS) + " |")
    print("|---|---|" + "---|" * len(GAPS))
    for kind in [k for k in counts if k]:
        mask = np.array([k == kind for k in kinds])
        cells = []
        for gap in GAPS:
            scores = [s + gap * m for s, m in zip(logits, match)]
            top1, mrr, _ = metrics(scores, mask)
            cells.append(f"{top1:.3f} ({mrr:.3f})")
        print(f"| {kind} | {int(mask.sum())} | " + " | ".join(cells) + " |")
    chosen = TypePrior()
    scores = [s + sum(chosen.weights(k)) * m for s, m, k in zip(logits, match, kinds)]
    row = {n: metrics(scores, mask) for n, mask in masks.items()}
    subject = [np.array([mentions_subject(g.question, t.sentence) for t in ts], dtype=float) for g, ts in zip(groups, texts)]
    both = [s + sum(chosen.weights(k)) * m * subj for s, m, subj, k in zip(logits, match, subject, kinds)]
    row_subject = {n: metrics(both, mask) for n, mask in masks.items()}
    print("\nthe shipped per-type gaps (TypePrior defaults); variant: a match counts only when the sentence also shares a content word with the question:")
    print("| variant | " + " | ".join(f"{n} top-1 | {n} MRR" for n in masks) + " |")
    for label, r in (("type match", row), ("type match and subject", row_subject)):
        print(f"| {label} | " + " | ".join(f"{r[n][0]:.3f} | {r[n][1]:.3f}" for n in masks) + " |")
    print("groups per column:", {n: int(m.sum()) for n, m in masks.items()})
    assert best is not None
    print(f"best by MRR over all groups: w_type {best[0]:g}, w_miss {best[1]:g} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
