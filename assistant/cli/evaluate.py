"""`newsdesk eval QUESTIONS.jsonl`: score retrieval and answers through the real chain (assistant/evaluate.py)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli.options import assistant_settings, index_options, index_settings, llm_option, open_assistant, say
from ingest.errors import ConfigError

if TYPE_CHECKING:
    from assistant.api import Assistant


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("eval", help="score retrieval and answers on a question set, or briefs on a topic set")
    p.add_argument("questions", type=Path, nargs="?")
    p.add_argument("--briefs", type=Path, metavar="TOPICS", help="score briefs on a topic set (eval/briefs/topics.jsonl)")
    p.add_argument("--k", type=int, help="passages the answerer reads (default: the answerer's own, 2 for extractive)")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--out", type=Path, help="write the Markdown report here")
    llm_option(p)
    index_options(p)
    p.set_defaults(handler=run_eval)


def run_eval(args: argparse.Namespace) -> int:
    if args.briefs is not None:
        return run_brief_eval(args)
    if args.questions is None:
        raise ConfigError("newsdesk eval: give a question file, or --briefs TOPICS")
    from assistant.evaluate import evaluate, load_questions, pct, render_markdown

    questions = load_questions(args.questions)
    if args.limit:
        questions = questions[: args.limit]
    if not questions:
        raise ConfigError(f"{args.questions}: no questions")
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
    else:
        m = report.metrics
        print(
            f"{report.questions} questions: answer accuracy {pct(m['answer_accuracy'])}, "
            f"hit@5 {m['hit@5']:.3f}, MRR@10 {m['mrr@10']:.3f}, citations verbatim {pct(m['citation_verbatim'])}, "
            f"abstained {pct(m['abstention_rate'])}, p50 {m['latency_p50_ms']:.0f} ms"
            + (f"; report -> {args.out}" if args.out else "")
        )
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
