"""What the chat UI's daily-use features cost on a real index (issue 15).

    .venv/bin/python benchmarks/ui_daily.py --index /work/cache/rtqa --questions FILE.jsonl [--limit 100]

For each question (a "question" per line; the answers are the assistant's own): the answer's
wall time, then what the chat adds after it: follow-up suggestions (assistant/followups.py), the
conversation saved to disk, the Markdown + JSON exports written, the chat messages rendered.
Then the example questions of the index (computed at start-up and on each page load).  Prints
p50/p95 in ms with CPU time, the follow-ups' share of the answer time, and one JSON line.
The index is only read: conversations and exports go to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from common import machine, p50, percentile


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()

    from assistant.api import Assistant
    from assistant.followups import suggest_followups
    from assistant.ui.conversations import ANSWER, Conversation, ConversationStore, Turn
    from assistant.ui.corpus import example_questions
    from assistant.ui.export import export_files, turn_text
    from ingest.settings import Settings

    assistant = Assistant(Settings.load(index=args.index))
    catalog = assistant.index.catalog
    questions = [json.loads(line)["question"] for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = questions[: args.limit]
    scratch = Path(tempfile.mkdtemp(prefix="newsdesk-ui-daily-"))
    store = ConversationStore(scratch / "conversations")
    timings: dict[str, list[float]] = {"answer": [], "followups": [], "save": [], "export": [], "copy text": []}
    cpu = {"followups": 0.0}
    suggested = 0
    assistant.ask(questions[0])  # warm-up, not measured
    conversation = Conversation()
    for question in questions:
        t = time.perf_counter()
        answer = assistant.ask(question)
        timings["answer"].append(time.perf_counter() - t)
        texts = {aid: a.text for aid, a in catalog.articles(c.article_id for c in answer.citations).items()}
        t, c = time.perf_counter(), time.process_time()
        followups = suggest_followups(answer.citations, texts, [*conversation.asked(), question])
        timings["followups"].append(time.perf_counter() - t)
        cpu["followups"] += time.process_time() - c
        suggested += len(followups)
        turn = Turn(question, ANSWER, answer=answer, followups=followups)
        conversation = conversation.add(turn) if len(conversation.turns) < 10 else Conversation().add(turn)
        t = time.perf_counter()
        store.save(conversation)
        timings["save"].append(time.perf_counter() - t)
        t = time.perf_counter()
        export_files(conversation, scratch / "exports")
        timings["export"].append(time.perf_counter() - t)
        t = time.perf_counter()
        turn_text(turn)
        timings["copy text"].append(time.perf_counter() - t)
    t = time.perf_counter()
    examples = example_questions(catalog, briefing=True)
    example_ms = (time.perf_counter() - t) * 1000

    rows = {name: (p50(v) * 1000, percentile(v, 0.95) * 1000) for name, v in timings.items()}
    share = sum(timings["followups"]) / sum(timings["answer"])
    print(f"{len(questions)} questions on {args.index} ({catalog.stats().articles:,} articles); {machine()}")
    print("| step | p50 ms | p95 ms |\n|---|---|---|")
    for name, (mid, high) in rows.items():
        print(f"| {name} | {mid:.1f} | {high:.1f} |")
    print(f"follow-ups: {suggested / len(questions):.2f} per answer, {share:.1%} of answer time, "
          f"CPU {cpu['followups'] / len(questions) * 1000:.1f} ms each")  # fmt: skip
    print(f"example questions: {example_ms:.0f} ms: {examples}")
    print(json.dumps({"questions": len(questions), "ms": rows, "followups_per_answer": round(suggested / len(questions), 2),
                      "followups_share": round(share, 4), "examples_ms": round(example_ms, 1), "examples": examples}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
