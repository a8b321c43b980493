"""`newsdesk eval`: score retrieval and answers on question sets through the real chain (assistant/evaluate.py).

    newsdesk eval QUESTIONS.jsonl [MORE.jsonl ...] [--index DIR]
    newsdesk eval eval/reading/questions.jsonl eval/reading/followups.jsonl --articles eval/reading/articles
    newsdesk eval eval/answerable_twins.jsonl --unanswerable eval/unanswerable.jsonl --archive rtqa --index DIR
    newsdesk eval --briefs eval/briefs/topics.jsonl --index DIR

`--articles DIR` indexes that folder first (incrementally) into `--index`, or into a temporary
index when no `--index` is given, so a personal index (NEWSDESK_INDEX) never receives test
articles.  `--unanswerable FILE` adds questions that must be declined; the report then gives
abstention precision and recall, with the positional files as the answerable side.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli.options import assistant_settings, date_reader, index_options, index_settings, llm_option, open_assistant, say, warn
from ingest.errors import ConfigError

if TYPE_CHECKING:
    from assistant.api import Assistant


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("eval", help="score retrieval and answers on question sets, or briefs on a topic set")
    p.add_argument("questions", type=Path, nargs="*", help="question files (JSON lines with answers)")
    p.add_argument("--unanswerable", type=Path, action="append", default=[], metavar="FILE",
                   help="questions that must be declined (repeatable)")
    p.add_argument("--archive", metavar="NAME", default="",
                   help="keep only questions whose 'archive' field is NAME or 'both' (e.g. reading, rtqa)")
    p.add_argument("--articles", type=Path, metavar="DIR", help="index this folder first (a temporary index unless --index)")
    p.add_argument("--briefs", type=Path, metavar="TOPICS", help="score briefs on a topic set (eval/briefs/topics.jsonl)")
    p.add_argument("--k", type=int, help="passages the answerer reads (default: the answerer's own, 2 for extractive)")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--out", type=Path, help="write the Markdown report here")
    llm_option(p)
    index_options(p)
    p.set_defaults(handler=run_eval)


def run_eval(args: argparse.Namespace) -> int:
    if args.briefs is not None:
        if args.questions or args.unanswerable or args.articles:
            raise ConfigError("--briefs scores briefs alone: give no question files, --unanswerable or --articles with it")
        return run_brief_eval(args)
    from assistant.evaluate import load_questions

    if not args.questions and not args.unanswerable:
        raise ConfigError("give a question file (and/or --unanswerable FILE), or --briefs TOPICS")
    # A question's "asked" date is read like every date a user types: in the index's
    # NEWSDESK_DATE_ORDER ("07/08/2017" is 7 August day first), not always month first.
    with date_reader(args).reading():
        questions = [q for path in args.questions for q in load_questions(path, archive=args.archive)]
        questions += [q for path in args.unanswerable for q in load_questions(path, unanswerable=True, archive=args.archive)]
    if args.limit:
        questions = questions[: args.limit]
    if not questions:
        raise ConfigError(f"{', '.join(str(p) for p in [*args.questions, *args.unanswerable])}: no questions")
    if args.articles is None:
        return _evaluate(args, questions)
    if not args.articles.is_dir():
        raise ConfigError(f"--articles {args.articles}: not a folder")
    if args.index:
        _index_folder(args, args.articles)
        return _evaluate(args, questions)
    with tempfile.TemporaryDirectory(prefix="newsdesk-eval-") as scratch:
        args.index = scratch
        _index_folder(args, args.articles)
        return _evaluate(args, questions)


def _index_folder(args: argparse.Namespace, folder: Path) -> None:
    from ingest.index import Index
    from ingest.pipeline import ingest

    index = Index.open(index_settings(args))
    try:
        report = ingest(index, [folder])
    finally:
        index.close()
    for problem in report.problems:
        warn("eval", problem)


def _evaluate(args: argparse.Namespace, questions: list) -> int:  # type: ignore[type-arg]
    from assistant.evaluate import evaluate, pct, render_markdown

    assistant = non_empty_assistant(args)
    config = getattr(assistant.answerer, "config", None)
    if args.k and config is not None and hasattr(config, "passages"):
        assistant.answerer.config = replace(config, passages=args.k)  # type: ignore[attr-defined]
    k = args.k or int(getattr(config, "passages", 5))
    report = evaluate(assistant, questions, k=k, progress=not args.json and sys.stderr.isatty())
    command = "newsdesk eval " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else ""
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(render_markdown(report, command), encoding="utf-8")
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
        return 0
    m = report.metrics
    answerable = report.questions - int(m.get("unanswerable", 0))
    line = f"{report.questions} questions"
    if answerable:
        line += (
            f": answer accuracy {pct(m['answer_accuracy'])}, first sentence carries it {pct(m['first_sentence_accuracy'])}, "
            f"hit@5 {m['hit@5']:.3f}, MRR@10 {m['mrr@10']:.3f}, abstained {pct(m['abstention_rate'])} "
            f"({pct(m['abstention_gold_in_top2'])} where the gold is in the top 2 passages)"
        )
    if "unanswerable" in m:
        line += (
            f"; {int(m['unanswerable'])} to decline: recall {pct(m['abstention_recall'])}, "
            f"precision {pct(m['abstention_precision'])}"
        )
    line += f"; citations verbatim {pct(m['citation_verbatim'])}, p50 {m['latency_p50_ms']:.0f} ms"
    print(line + (f"; report -> {args.out}" if args.out else ""))
    return 0


def run_brief_eval(args: argparse.Namespace) -> int:
    """`newsdesk eval --briefs TOPICS`: brief every topic, score it (assistant/briefing/evaluation.py)."""
    from assistant.briefing.evaluation import evaluate_briefs, load_topics, render_markdown

    topics = load_topics(args.briefs)
    if args.limit:
        topics = topics[: args.limit]
    report = evaluate_briefs(non_empty_assistant(args), topics)
    command = "newsdesk eval " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else ""
    markdown = render_markdown(report, command)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(markdown, encoding="utf-8")
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        say(markdown, end="")  # topics and cited titles come from outside: made safe for a terminal
    return 0


def non_empty_assistant(args: argparse.Namespace) -> "Assistant":
    """The Assistant to evaluate (models load here); an empty index has nothing to score."""
    assistant = open_assistant("eval", index_settings(args), assistant_settings(args))
    if assistant.index.catalog.stats().articles == 0:
        raise ConfigError(f"{assistant.index.settings.index}: the index is empty; run `newsdesk ingest` first")
    return assistant
