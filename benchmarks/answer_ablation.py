"""Issue 13's non-learned fixes, each on its own and all together, on every question set: one table, one run.

    .venv/bin/python benchmarks/answer_ablation.py --index /work/cache/<you>-rtqa \\
        --validation /work/cache/<you>-val-index [--scorer heuristic|trained|trained-plain] [--reranker identity|trained]
        [--novelty W] [--miss-share S] [--only NAME] [--validation-only]

(Both indexes are copies: opening Chroma may write.)  Rows (ExtractiveConfig / GateConfig /
RetrievalConfig switches; every row runs with the `--scorer` sentence scorer and `--reranker`):

- "all off": no gate at all, quotes in story order, datelines kept, periods only preferred;
- "main (issue 12)": all off but the relevance gate (main's only abstention: the best sentence
  under the scorer's `abstain_below`, or no sentence sharing a question word);
- each fix added on its own to main's behaviour: answer-first ordering, dateline trimming,
  key-term coverage abstention, period enforcement; the relevance gate on its own is "all off"
  -> "main"; the coverage gate also without the relevance gate;
- "all on (shipped)": the defaults; with a scorer that leads with short direct answers (a finite
  `confident_above`), also all on without them;
- "all on, no relevance gate": the scorer's own abstention off (for the trained scorer: its
  learned gate off, the key-term coverage gate still on).
- validation-only rows (variants chosen there): period enforcement including "this week".
One source per article is not switchable: it changes the numbering of sources, none of the
figures here (every quote stays in the answer text and the first sentence is the same).

Columns.  Dev (the 240 RealTime QA questions, TEST ONLY: nothing is tuned on them; 2 passages
read): hit@1/3/5/10, MRR@10, answer accuracy, abstention, abstention on questions whose gold is in
the top 2 passages (issue target <= 10 %), citations verbatim (every quote of every citation
re-read).  Our eval sets (eval/README.md): reading set (136 questions + 12 follow-ups on an index
of its 27 articles): first sentence carries the answer (target >= 90 %); unanswerable (46, each
counted once: declined only if declined on every archive it targets; target >= 90 %); abstention
precision/recall pooled over every labelled row of our sets (unanswerable on their archives = 48
rows, reading questions and the 21 answerable twins as the answerable side); twins abstained;
periods (16 covered: first source inside the period; 7 uncovered: said so = declined).
Validation (440 questions of the training data's last weeks; benchmarks/calibrate_gates.py): hit@1/3/5/10,
MRR@10, accuracy, abstention, abstention with gold in the top 2, citations verbatim, for the rows
marked so.  Last: the warm `ask` p50 of the dev run and the pairs the trained model scored per dev question.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import dataclass, replace
from pathlib import Path

from calibrate_gates import validation_questions
from common import CACHE, REPO, machine, shared

from assistant.api import Assistant
from assistant.evaluate import EvalQuestion, EvalReport, evaluate, load_questions
from assistant.extractive import ExtractiveConfig
from assistant.gates import GateConfig
from assistant.metrics import abstention_metrics
from assistant.relevance.registry import RERANKERS, SENTENCE_SCORERS
from assistant.relevance.trained import TrainedSentenceScorer
from assistant.retrieve import RetrievalConfig
from assistant.settings import AssistantSettings
from ingest.index import Index
from ingest.pipeline import ingest
from ingest.settings import Settings

EVAL = REPO / "eval"


@dataclass(frozen=True)
class Fixes:
    """Issue 13's non-learned fixes, each a switch of the shipped code (True = as shipped)."""

    answer_first: bool = True
    trim_datelines: bool = True
    relevance: bool = True
    coverage: bool = True
    enforce_period: bool = True
    enforce_relative: str = "last"  # which relative periods are enforced (RetrievalConfig)
    direct_answers: bool = True
    validation: bool = False  # also run on the validation split
    dev: bool = True  # run on dev and our eval sets (False: a variant measured on validation only)


ALL_OFF = Fixes(False, False, False, False, False, validation=True)
MAIN = replace(ALL_OFF, relevance=True)
CONFIGS: dict[str, Fixes] = {
    "all off": ALL_OFF,
    "main (issue 12): relevance gate only": MAIN,
    "main + answer-first ordering": replace(MAIN, answer_first=True, validation=False),
    "main + dateline trimming": replace(MAIN, trim_datelines=True, validation=False),
    "main + coverage abstention": replace(MAIN, coverage=True, validation=False),
    "coverage abstention only (no relevance gate)": replace(ALL_OFF, coverage=True, validation=False),
    "main + period enforcement": replace(MAIN, enforce_period=True),
    "main + period enforcement incl. \"this week\"": replace(MAIN, enforce_period=True, enforce_relative="all", dev=False),
    "all on (shipped)": Fixes(validation=True),
    "all on, no direct answers": Fixes(direct_answers=False),
    "all on, no relevance gate": Fixes(relevance=False, validation=True),
}


def assistant_for(index: str | Path, fixes: Fixes, scorer: str, reranker: str, novelty: float = 0.0, miss_share: float | None = None) -> Assistant:
    assistant = Assistant(
        Settings.load(index=index),
        AssistantSettings.load(sentence_scorer=scorer, reranker=reranker),
        retrieval=RetrievalConfig(enforce_period=fixes.enforce_period, enforce_relative=fixes.enforce_relative),
        extractive=ExtractiveConfig(
            answer_first=fixes.answer_first,
            trim_datelines=fixes.trim_datelines,
            direct_answers=fixes.direct_answers,
            gates=GateConfig(relevance=fixes.relevance, coverage=fixes.coverage),
        ),
    )
    if novelty:  # the trained scorer's validation-only variant: logits added for bringing what the question lacks
        trained = assistant.scorer
        assert isinstance(trained, TrainedSentenceScorer), "--novelty applies to the trained scorer"
        trained.config = replace(trained.config, novelty_weight=novelty)
    if miss_share is not None:  # the answer-type prior's split of its gap into miss penalty / match bonus
        trained = assistant.scorer
        assert isinstance(trained, TrainedSentenceScorer) and trained.config.type_prior, "--miss-share needs the prior"
        trained.config = replace(trained.config, type_prior=replace(trained.config.type_prior, miss_share=miss_share))
    return assistant


def pairs_scored(assistant: Assistant) -> int:
    """Pairs the trained model has scored so far (0 for another scorer)."""
    return assistant.scorer.pairs_scored if isinstance(assistant.scorer, TrainedSentenceScorer) else 0


def reading_index() -> Path:
    """An index of the reading set's 27 articles (re-ingest is incremental: cheap when unchanged)."""
    path = CACHE / "reading-index"
    index = Index.open(Settings.load(index=path))
    report = ingest(index, [EVAL / "reading" / "articles"])
    index.close()
    assert report.failed == 0, report.problems
    return path


def validation_set(limit: int = 0) -> list[EvalQuestion]:
    """The validation split of the training questions (benchmarks/calibrate_gates.py)."""
    return [EvalQuestion(q.qid, q.question, q.answers, q.asked) for q in validation_questions()][: limit or None]


VAL_KEYS = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "answer_accuracy", "abstention_rate", "abstention_gold_in_top2", "citation_verbatim")


def run_validation(assistant: Assistant, limit: int = 0) -> dict[str, float]:
    m = evaluate(assistant, validation_set(limit), k=2).metrics
    return {f"val {k}": m[k] for k in VAL_KEYS}


def run(dev_assistant: Assistant, read_assistant: Assistant, limit: int = 0) -> dict[str, float]:
    """Dev and our eval sets; `limit` cuts every set to its first N questions (a smoke run)."""
    def cut(questions: list[EvalQuestion]) -> list[EvalQuestion]:
        return questions[: limit or None]

    out: dict[str, float] = {}
    dev_questions = cut(load_questions(shared("eval/realtimeqa-dev.jsonl")))
    scored = pairs_scored(dev_assistant)
    dev = evaluate(dev_assistant, dev_questions, k=2).metrics
    out["dev pairs scored per question"] = (pairs_scored(dev_assistant) - scored) / max(len(dev_questions), 1)
    for key in ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "answer_accuracy", "abstention_rate", "abstention_gold_in_top2",
                "gold_in_top2", "citation_verbatim", "first_sentence_accuracy", "latency_p50_ms", "latency_p95_ms"):
        out[f"dev {key}"] = dev[key]
    twins = evaluate(dev_assistant, cut(load_questions(EVAL / "answerable_twins.jsonl")), k=2)
    ua_rtqa = evaluate(dev_assistant, cut(load_questions(EVAL / "unanswerable.jsonl", unanswerable=True, archive="rtqa")), k=2)
    periods = evaluate(dev_assistant, cut(load_questions(EVAL / "periods.jsonl")), k=2).metrics
    reading = cut(load_questions(EVAL / "reading" / "questions.jsonl") + load_questions(EVAL / "reading" / "followups.jsonl"))
    read = evaluate(read_assistant, reading, k=2)
    ua_read = evaluate(read_assistant, cut(load_questions(EVAL / "unanswerable.jsonl", unanswerable=True, archive="reading")), k=2)
    # A question of both archives counts once: declined only if declined on both.
    once: dict[str, bool] = {}
    for row in ua_rtqa.rows + ua_read.rows:
        once[row.id] = once.get(row.id, True) and row.abstained
    labelled = ua_rtqa.rows + ua_read.rows + twins.rows + read.rows
    pr = abstention_metrics([r.abstained for r in labelled], [not r.answerable for r in labelled])
    out.update({
        "reading first sentence": read.metrics["first_sentence_accuracy"],
        "reading correct": read.metrics["answer_accuracy"],
        "reading abstained": read.metrics["abstention_rate"],
        "reading verbatim": read.metrics["citation_verbatim"],
        "unanswerable declined": sum(once.values()) / max(len(once), 1),
        "unanswerable declined (reading archive)": _recall(ua_read),
        "unanswerable declined (rtqa archive)": _recall(ua_rtqa),
        "abstention precision": pr["abstention_precision"],
        "abstention recall": pr["abstention_recall"],
        "twins abstained": twins.metrics["abstention_rate"],
        "twins correct": twins.metrics["answer_accuracy"],
        "periods covered first source in period": periods.get("first_citation_in_window", 0.0),
        "periods covered correct": periods["answer_accuracy"],
        "periods uncovered declined": periods.get("abstention_recall", 0.0),
    })
    return out


def _recall(report: EvalReport) -> float:
    return sum(r.abstained for r in report.rows) / max(len(report.rows), 1)


COLUMNS = [
    ("dev hit@1", "{:.3f}"), ("dev hit@3", "{:.3f}"), ("dev hit@5", "{:.3f}"), ("dev hit@10", "{:.3f}"), ("dev mrr@10", "{:.3f}"),
    ("dev answer_accuracy", "pct"), ("dev abstention_rate", "pct"), ("dev abstention_gold_in_top2", "pct"),
    ("dev citation_verbatim", "pct"), ("dev first_sentence_accuracy", "pct"),
    ("reading first sentence", "pct"), ("reading correct", "pct"), ("reading abstained", "pct"),
    ("unanswerable declined", "pct"), ("abstention precision", "pct"), ("abstention recall", "pct"), ("twins abstained", "pct"),
    ("periods covered first source in period", "pct"), ("periods covered correct", "pct"), ("periods uncovered declined", "pct"),
    ("val hit@1", "{:.3f}"), ("val hit@3", "{:.3f}"), ("val hit@5", "{:.3f}"), ("val hit@10", "{:.3f}"), ("val mrr@10", "{:.3f}"),
    ("val answer_accuracy", "pct"), ("val abstention_rate", "pct"), ("val abstention_gold_in_top2", "pct"), ("val citation_verbatim", "pct"),
    ("dev latency_p50_ms", "{:.0f} ms"), ("dev pairs scored per question", "{:.1f}"),
]
HEADERS = [
    "dev hit@1", "hit@3", "hit@5", "hit@10", "MRR@10", "answer acc.", "abstained", "abstained, gold in top 2 (≤ 10 %)",
    "citations verbatim", "first sentence right", "reading: first sentence carries answer (≥ 90 %)", "reading correct",
    "reading abstained", "unanswerable declined (≥ 90 %)", "abstention precision", "abstention recall", "twins abstained",
    "periods: first source in period", "periods covered correct", "periods uncovered: said so", "val hit@1", "val hit@3",
    "val hit@5", "val hit@10", "val MRR@10", "val answer acc.", "val abstained", "val abstained, gold in top 2",
    "val citations verbatim", "dev warm ask p50", "pairs scored per dev question",
]


def cell(result: dict[str, float], key: str, fmt: str) -> str:
    if key not in result:
        return "–"
    value = result[key]
    return f"{100 * value:.1f} %" if fmt == "pct" else fmt.format(value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True, help="a copy of the 2,388-article rtqa index (Chroma may write)")
    parser.add_argument("--validation", metavar="INDEX", help="a copy of the validation index: run the rows marked for it there too")
    parser.add_argument("--scorer", default="heuristic", choices=sorted(SENTENCE_SCORERS), help="the sentence scorer of every row")
    parser.add_argument("--reranker", default="identity", choices=sorted(RERANKERS), help="the passage reranker of every row")
    parser.add_argument("--only", action="append", default=[], help="only rows whose name contains this (repeatable)")
    parser.add_argument("--validation-only", action="store_true", help="only the validation split (rows marked for it)")
    parser.add_argument("--limit", type=int, default=0, help="first N questions of every set (a smoke run, not a figure)")
    parser.add_argument("--novelty", type=float, default=0.0, help="trained scorer only: its novelty_weight (a validation variant)")
    parser.add_argument("--miss-share", type=float, help="trained scorer's answer-type prior: share of its gap taken as a miss penalty")
    args = parser.parse_args()
    if args.validation_only and not args.validation:
        parser.error("--validation-only needs --validation INDEX")
    started = time.perf_counter()
    reading = reading_index()
    label = "" if (args.scorer, args.reranker) == ("heuristic", "identity") else f" [{args.scorer}, {args.reranker}]"
    label += f" [novelty {args.novelty:g}]" if args.novelty else ""
    label += f" [miss share {args.miss_share:g}]" if args.miss_share is not None else ""
    print(f"{machine()}; rtqa index {args.index}, reading index {reading}, validation index {args.validation or '-'}; "
          f"scorer {args.scorer}, reranker {args.reranker}" + (f"; LIMIT {args.limit} (smoke run)" if args.limit else ""), flush=True)
    rows: list[str] = []
    for name, fixes in CONFIGS.items():
        if args.only and not any(o in name for o in args.only):
            continue
        result: dict[str, float] = {}
        if fixes.dev and not args.validation_only:
            dev_assistant = assistant_for(args.index, fixes, args.scorer, args.reranker, args.novelty, args.miss_share)
            if not fixes.direct_answers and math.isinf(dev_assistant.scorer.thresholds.confident_above):
                print(f"skipped {name!r}: scorer {args.scorer} never leads with a direct answer (confident_above = inf)", flush=True)
                continue
            result.update(run(dev_assistant, assistant_for(reading, fixes, args.scorer, args.reranker, args.novelty, args.miss_share), args.limit))
        if fixes.validation and args.validation:
            result.update(run_validation(assistant_for(args.validation, fixes, args.scorer, args.reranker, args.novelty, args.miss_share), args.limit))
        if not result:
            continue  # a validation-only row without --validation, or a dev row under --validation-only
        rows.append(f"| {name}{label} | " + " | ".join(cell(result, key, fmt) for key, fmt in COLUMNS) + " |")
        print(json.dumps({"config": name + label, "fixes": fixes.__dict__, "load": machine(),
                          **{k: round(v, 4) for k, v in result.items()}}), flush=True)
    print()
    print("| configuration | " + " | ".join(HEADERS) + " |")
    print("|---|" + "---|" * len(HEADERS))
    print("\n".join(rows))
    print(f"\n{time.perf_counter() - started:.0f} s; {machine()}")


if __name__ == "__main__":
    main()
