"""Issue 13's fixes and learned parts, each alone and all together, on every question set, in one run.

    .venv/bin/python benchmarks/answer_ablation.py --index /work/cache/<you>-rtqa [--only NAME] [--validation VAL_INDEX]

Configurations (ExtractiveConfig / RetrievalConfig / HeuristicConfig knobs):
- before: issue 12's behaviour (story order, datelines kept, relevance gate at the dev-tuned
  0.65, no coverage gate, periods only preferred);
- each fix alone on top of "before": answer-first ordering, dateline trimming, coverage-based
  abstention, period enforcement (also with "this week" enforced, the variant validation rejected);
  the relevance threshold, recalibrated on validation, stays 0.65;
- after: all of them, with the heuristic sentence scorer (the answers branch as it was);
- the learned parts (assistant/relevance/trained.py): the trained sentence scorer with its own
  validation-calibrated thresholds (shipped), with its relevance gate off, with the trained
  passage reranker on, and on top of "before" (no non-learned fix).
One source per article is not switchable (it changes numbering, not any figure here); direct
answers stay off for the heuristic scorer (no validation setting reached 80 % right).

With `--validation INDEX` the same configurations first run on the validation split of the
training questions (benchmarks/calibrate_gates.py), where choices between variants are made.

Question sets: the 240 RealTime QA dev questions (TEST ONLY: never tuned on), our reading set
(eval/reading: 136 questions + 12 follow-ups, on an index of its 27 articles built here), our
unanswerable questions (eval/unanswerable.jsonl, on the archive each targets) with the answerable
twins (eval/answerable_twins.jsonl), and the period questions (eval/periods.jsonl).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, replace
from pathlib import Path

from calibrate_gates import validation_questions
from common import CACHE, REPO, machine, shared

from assistant.api import Assistant
from assistant.evaluate import EvalQuestion, EvalReport, evaluate, load_questions
from assistant.extractive import ExtractiveConfig
from assistant.gates import GateConfig
from assistant.relevance.heuristic import HeuristicConfig, HeuristicSentenceScorer
from assistant.relevance.trained import TrainedSentenceScorer
from assistant.retrieve import RetrievalConfig
from assistant.settings import AssistantSettings
from ingest.index import Index
from ingest.pipeline import ingest
from ingest.settings import Settings

EVAL = REPO / "eval"


@dataclass(frozen=True)
class Fixes:
    answer_first: bool = True
    trim_datelines: bool = True
    coverage: bool = True
    enforce_period: bool = True
    abstain_below: float = HeuristicConfig().abstain_below
    enforce_relative: str = "last"
    scorer: str = "heuristic"  # "trained": its own calibrated thresholds (TrainedConfig); abstain_below is the heuristic's
    relevance_gate: bool = True
    reranker: str = "identity"
    novelty_weight: float = 0.0  # trained scorer: logits added for bringing what the question lacks


BEFORE = Fixes(False, False, False, False, 0.65)
TRAINED = Fixes(scorer="trained")
CONFIGS = {
    "before (issue 12)": BEFORE,
    "+ answer-first ordering": replace(BEFORE, answer_first=True),
    "+ dateline trimming": replace(BEFORE, trim_datelines=True),
    "+ coverage abstention": replace(BEFORE, coverage=True),
    "+ period enforcement": replace(BEFORE, enforce_period=True),
    "+ period enforcement, also \"this week\"": replace(BEFORE, enforce_period=True, enforce_relative="all"),
    "after (all fixes, heuristic scorer)": Fixes(),
    "trained scorer + all fixes (shipped)": TRAINED,
    "trained scorer, its relevance gate off": replace(TRAINED, relevance_gate=False),
    "trained scorer + trained reranker": replace(TRAINED, reranker="trained"),
    "trained scorer + novelty nudge (1 logit)": replace(TRAINED, novelty_weight=1.0),
    "trained scorer, no non-learned fix": replace(BEFORE, scorer="trained"),
}


def assistant_for(index: str | Path, fixes: Fixes) -> Assistant:
    assistant = Assistant(
        Settings.load(index=index),
        AssistantSettings.load(sentence_scorer=fixes.scorer, reranker=fixes.reranker),
        retrieval=RetrievalConfig(enforce_period=fixes.enforce_period, enforce_relative=fixes.enforce_relative),
        extractive=ExtractiveConfig(
            answer_first=fixes.answer_first, trim_datelines=fixes.trim_datelines,
            gates=GateConfig(coverage=fixes.coverage, relevance=fixes.relevance_gate),
        ),
    )
    if fixes.scorer == "heuristic":
        scorer = HeuristicSentenceScorer(assistant.index.embedder, replace(HeuristicConfig(), abstain_below=fixes.abstain_below))
        assistant.answerer.scorer = scorer  # type: ignore[attr-defined]
    elif fixes.novelty_weight:
        trained = assistant.answerer.scorer  # type: ignore[attr-defined]
        trained.config = replace(trained.config, novelty_weight=fixes.novelty_weight)
    return assistant


def pairs_scored(assistant: Assistant) -> int:
    scorer = getattr(assistant.answerer, "scorer", None)
    return scorer.pairs_scored if isinstance(scorer, TrainedSentenceScorer) else 0


def reading_index() -> Path:
    """An index of the reading set's 27 articles (re-ingest is incremental: cheap when unchanged)."""
    path = CACHE / "reading-index"
    index = Index.open(Settings.load(index=path))
    report = ingest(index, [EVAL / "reading" / "articles"])
    index.close()
    assert report.failed == 0, report.problems
    return path


def declined(report: EvalReport) -> dict[str, bool]:
    return {r.id: r.abstained for r in report.rows}


def validation_set() -> list[EvalQuestion]:
    """The validation split of the training questions (benchmarks/calibrate_gates.py)."""
    return [EvalQuestion(q.qid, q.question, q.answers, q.asked) for q in validation_questions()]


VAL_KEYS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "answer_accuracy", "abstention_rate", "abstention_gold_in_top2", "citation_verbatim")


def run_validation(fixes: Fixes, index: str) -> dict[str, float]:
    m = evaluate(assistant_for(index, fixes), validation_set(), k=2).metrics
    return {f"val {k}": m[k] for k in VAL_KEYS}


def run(fixes: Fixes, rtqa: str, reading: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    dev_assistant = assistant_for(rtqa, fixes)
    dev_questions = load_questions(shared("eval/realtimeqa-dev.jsonl"))
    before = pairs_scored(dev_assistant)
    dev = evaluate(dev_assistant, dev_questions, k=2)
    m = dev.metrics
    out.update({f"dev {k}": m[k] for k in (*VAL_KEYS, "first_sentence_accuracy", "latency_p50_ms", "latency_p95_ms")})
    out["dev pairs scored per question"] = (pairs_scored(dev_assistant) - before) / len(dev_questions)
    twins = evaluate(dev_assistant, load_questions(EVAL / "answerable_twins.jsonl"), k=2)
    out["twins abstained"] = twins.metrics["abstention_rate"]
    out["twins correct"] = twins.metrics["answer_accuracy"]
    ua_rtqa = evaluate(dev_assistant, load_questions(EVAL / "unanswerable.jsonl", unanswerable=True, archive="rtqa"), k=2)
    periods = evaluate(dev_assistant, load_questions(EVAL / "periods.jsonl"), k=2)
    out["periods covered correct"] = periods.metrics["answer_accuracy"]
    out["periods covered first source in window"] = periods.metrics.get("first_citation_in_window", 0.0)
    out["periods uncovered declined"] = periods.metrics.get("abstention_recall", 0.0)
    read_assistant = assistant_for(reading, fixes)
    questions = load_questions(EVAL / "reading" / "questions.jsonl") + load_questions(EVAL / "reading" / "followups.jsonl")
    read = evaluate(read_assistant, questions, k=2)
    out["reading first sentence"] = read.metrics["first_sentence_accuracy"]
    out["reading correct"] = read.metrics["answer_accuracy"]
    out["reading abstained"] = read.metrics["abstention_rate"]
    ua_read = evaluate(read_assistant, load_questions(EVAL / "unanswerable.jsonl", unanswerable=True, archive="reading"), k=2)
    # A question of both archives counts once: declined only if declined on both.
    both = {**declined(ua_rtqa)}
    for qid, flag in declined(ua_read).items():
        both[qid] = both.get(qid, True) and flag
    out["unanswerable declined"] = sum(both.values()) / len(both)
    out["unanswerable declined (reading archive)"] = ua_read.metrics["abstention_recall"]
    out["unanswerable declined (rtqa archive)"] = ua_rtqa.metrics["abstention_recall"]
    out["unanswerable questions"] = float(len(both))
    # Abstention precision on the rtqa archive: of the declined questions, the share that were
    # unanswerable (the answerable side: the twins, each an answerable sibling of one of them).
    declined_ua = sum(declined(ua_rtqa).values())
    declined_twins = sum(declined(twins).values())
    out["abstention precision (rtqa, with twins)"] = declined_ua / max(declined_ua + declined_twins, 1)
    return out


COLUMNS = [
    ("dev hit@1", "{:.3f}"), ("dev hit@3", "{:.3f}"), ("dev hit@5", "{:.3f}"), ("dev hit@10", "{:.3f}"), ("dev mrr@10", "{:.3f}"), ("dev answer_accuracy", "pct"), ("dev abstention_rate", "pct"),
    ("dev abstention_gold_in_top2", "pct"), ("dev citation_verbatim", "pct"), ("dev first_sentence_accuracy", "pct"),
    ("reading first sentence", "pct"), ("reading correct", "pct"), ("reading abstained", "pct"),
    ("unanswerable declined", "pct"), ("abstention precision (rtqa, with twins)", "pct"), ("twins abstained", "pct"), ("periods covered first source in window", "pct"),
    ("periods uncovered declined", "pct"), ("dev latency_p50_ms", "{:.0f} ms"), ("dev pairs scored per question", "{:.1f}"),
]


def cell(value: float, fmt: str) -> str:
    return f"{100 * value:.1f} %" if fmt == "pct" else fmt.format(value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True, help="the 2,388-article rtqa index (a copy: Chroma may write)")
    parser.add_argument("--only", help="run only configurations whose name contains this")
    parser.add_argument("--validation", metavar="INDEX", help="also (or with --validation-only: only) the validation split on this index")
    parser.add_argument("--validation-only", action="store_true")
    args = parser.parse_args()
    if args.validation:
        print(f"{machine()}; validation index {args.validation}")
        print("| configuration | " + " | ".join(f"val {k}" for k in VAL_KEYS) + " |")
        print("|---|" + "---|" * len(VAL_KEYS))
        for name, fixes in CONFIGS.items():
            if args.only and args.only not in name:
                continue
            v = run_validation(fixes, args.validation)
            print(f"| {name} | " + " | ".join(cell(v[f"val {k}"], "{:.3f}" if k.startswith(("hit", "mrr")) else "pct") for k in VAL_KEYS) + " |", flush=True)
        if args.validation_only:
            return
    started = time.perf_counter()
    reading = reading_index()
    print(f"{machine()}; rtqa index {args.index}, reading index {reading}")
    print("| configuration | " + " | ".join(name for name, _ in COLUMNS) + " |")
    print("|---|" + "---|" * len(COLUMNS))
    for name, fixes in CONFIGS.items():
        if args.only and args.only not in name:
            continue
        result = run(fixes, args.index, reading)
        print(f"| {name} | " + " | ".join(cell(result[c], f) for c, f in COLUMNS) + " |", flush=True)
        print(json.dumps({"config": name, **{k: round(v, 4) for k, v in result.items()}}), flush=True)
    print(f"{time.perf_counter() - started:.0f} s; {machine()}")


if __name__ == "__main__":
    main()
