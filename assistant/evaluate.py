"""Score retrieval and answers on a question set, through the real chain (`newsdesk eval`).

The criterion (a gold answer as a substring) is assistant/metrics.py.  Citations are re-checked
here against the catalog, independently of the chain's own verifier.  Each miss is classified so
a person can see *why* it failed.  The command itself is assistant/cli/evaluate.py.

Question sets (one JSON object per line): RealTime QA's shape (id, asked, question, answers),
the reading set's (also `kind`, `article`), follow-ups (`history`), period questions (`window`),
and unanswerable questions: a line with `"answers": []`, or any line of a file loaded with
`unanswerable=True`, must be declined.  Beyond accuracy the report gives how often the answer's
first sentence carries the answer, abstention among questions whose gold is in the top 2
passages (the answer should not be withheld there), and abstention precision/recall when the set
mixes answerable and unanswerable questions.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Sequence

from assistant.answer import Answer
from assistant.api import Assistant
from assistant.chain import Turn
from assistant.filters import Filters, parse_day
from assistant.metrics import DEPTH, abstention_metrics, contains_gold, first_hit, gold_answers, retrieval_metrics
from ingest.errors import ConfigError

# RealTime QA's published baselines on the same 240 dev questions (Kasai et al., 2023): those
# systems were handed the 5 search results picked for each question; newsdesk searches all 2,388.
ANCHORS = [
    ("GPT-3 + Google search results, open generation", "43.8 %"),
    ("GPT-3 + Google search results, multiple choice", "64.6 %"),
    ("RAG + the same search results", "25.8 %"),
    ("GPT-3, no retrieval", "23.3 %"),
]


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answers: tuple[str, ...]
    asked: date | None = None
    choices: tuple[str, ...] = ()
    history: tuple[dict[str, object], ...] = ()
    answerable: bool = True  # False: the right outcome is to decline
    kind: str = ""  # what the question asks for (reading set) or why it cannot be answered
    window: tuple[str, str] | None = None  # period questions: where the evidence must come from


@dataclass
class QuestionResult:
    id: str
    question: str
    asked: str
    gold: list[str]
    answer: str
    abstained: bool
    hit_rank: int | None  # 1-based rank of the first passage containing a gold answer
    correct: bool
    citations: int
    citations_verbatim: int
    citations_with_gold: int
    latency_ms: float
    failure: str = ""
    gold_in_archive: bool = True
    generated_sentences: int = 0  # generative backends: sentences the model wrote ...
    generated_supported: int = 0  # ... and how many the verifier kept
    fell_back: bool = False  # nothing generated verified: the extractive answer was used
    answerable: bool = True
    kind: str = ""
    first_sentence_correct: bool = False  # the first sentence a reader meets carries a gold answer
    direct_answer: str = ""  # the short answer that led, if any ...
    direct_correct: bool = False  # ... and whether it carries a gold answer
    abstain_reason: str = ""
    missing_terms: list[str] = field(default_factory=list)
    period_covered: bool | None = None  # the question stated a period: does the archive cover it?
    first_citation_in_window: bool | None = None  # period questions: first source inside the window


@dataclass
class EvalReport:
    questions: int
    k: int
    backend: str
    metrics: dict[str, float]
    rows: list[QuestionResult] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    index: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "questions": self.questions,
            "k": self.k,
            "backend": self.backend,
            "index": self.index,
            "metrics": self.metrics,
            "failures": self.failures,
            "rows": [asdict(r) for r in self.rows],
        }


def load_questions(path: Path, unanswerable: bool = False, archive: str = "") -> list[EvalQuestion]:
    """One question per line: {"id", "asked", "question", "choices", "answers", "history", "kind",
    "window"}.  `"answers": []` marks a question to decline, as does `unanswerable` for the whole
    file; `archive` keeps only lines whose "archive" field names it (or "both", or none)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    out: list[EvalQuestion] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            answers = gold_answers(item)
            declined = unanswerable or item.get("answers") == []
            if not item.get("question") or not (answers or declined):
                raise ValueError("needs 'question' and 'answers' (an empty list for a question to decline)")
            if archive and item.get("archive", archive) not in (archive, "both"):
                continue
            window = item.get("window")
            out.append(
                EvalQuestion(
                    id=str(item.get("id", number)),
                    question=str(item["question"]),
                    answers=() if declined else answers,
                    asked=parse_day(item.get("asked"), "asked"),
                    choices=tuple(item.get("choices") or ()),
                    history=tuple(item.get("history") or ()),
                    answerable=not declined,
                    kind=str(item.get("kind") or ""),
                    window=(str(window[0]), str(window[1])) if window else None,
                )
            )
        except (json.JSONDecodeError, ValueError, ConfigError, TypeError, IndexError) as exc:
            raise ConfigError(f"{path} line {number}: {exc}") from exc
    return out


def classify(result: QuestionResult, k: int) -> str:
    """Why a question was missed, in the words a person debugging it would use."""
    if result.correct:
        return ""
    if not result.answerable:
        return "answered a question it should decline"
    if not result.gold_in_archive:
        return "gold answer not in the archive"
    if result.abstained:
        return "abstained wrongly" if result.hit_rank else "abstained (evidence not retrieved)"
    if result.hit_rank is None:
        return "retrieval miss"
    if result.hit_rank > k:
        return "evidence ranked too low"
    return "wrong sentence picked"


def verbatim_count(assistant: Assistant, answer: Answer) -> tuple[int, int]:
    """(citations all of whose quotes are verbatim at their offsets, citations).

    A citation is one source per article and may hold several quotes (`passages`): every one is
    re-read, not only the first (`quote/start/end`), or a bad second quote would pass unseen."""
    ok = 0
    for c in answer.citations:
        article = assistant.index.catalog.article(c.article_id)
        if article is not None and all(p.quote and article.text[p.start : p.end] == p.quote for p in c.passages):
            ok += 1
    return ok, len(answer.citations)


def evaluate(assistant: Assistant, questions: Sequence[EvalQuestion], k: int = 5, progress: bool = False) -> EvalReport:
    rows: list[QuestionResult] = []
    catalog = assistant.index.catalog
    for number, q in enumerate(questions, start=1):
        # The same chain as `newsdesk ask`: condense -> retrieve -> answer -> verify.  Choices
        # are deliberately not given to the retriever or the answerer.
        turn = Turn(q.question, list(q.history), Filters(), q.asked, max(k, DEPTH))  # type: ignore[arg-type]
        started = time.perf_counter()
        answer = assistant.chain.invoke(turn)
        latency = (time.perf_counter() - started) * 1000
        evidence = turn.retrieval.evidence if turn.retrieval else []
        verbatim, total = verbatim_count(assistant, answer)
        first = answer.sentences[0].text if answer.sentences and not answer.abstained else ""
        coverage = answer.period_coverage
        row = QuestionResult(
            id=q.id,
            question=q.question,
            asked=q.asked.isoformat() if q.asked else "",
            gold=list(q.answers),
            answer=answer.answer,
            abstained=answer.abstained,
            hit_rank=first_hit([ev.text for ev in evidence], q.answers) if q.answers else None,
            correct=answer.abstained if not q.answerable else (not answer.abstained) and contains_gold(answer.answer, q.answers),
            citations=total,
            citations_verbatim=verbatim,
            citations_with_gold=sum(1 for c in answer.citations if any(contains_gold(p.quote, q.answers) for p in c.passages)),
            latency_ms=latency,
            gold_in_archive=bool(q.answers) and catalog.any_article_contains(q.answers),  # the ceiling of extractive QA
            generated_sentences=answer.generated.sentences if answer.generated else 0,
            generated_supported=answer.generated.verified if answer.generated else 0,
            fell_back=answer.fell_back,
            answerable=q.answerable,
            kind=q.kind,
            first_sentence_correct=bool(first) and contains_gold(first, q.answers),
            direct_answer=answer.direct.text if answer.direct else "",
            direct_correct=bool(answer.direct) and contains_gold(answer.direct.text if answer.direct else "", q.answers),
            abstain_reason=answer.abstain_reason,
            missing_terms=list(answer.missing_terms),
            period_covered=coverage.covered if coverage else None,
            first_citation_in_window=(
                bool(answer.citations) and q.window[0] <= answer.citations[0].published <= q.window[1] if q.window else None
            ),
        )
        row.failure = classify(row, k)
        rows.append(row)
        if progress:
            print(f"\r{number}/{len(questions)} questions", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return summarise(rows, k, assistant.answerer.name, str(assistant.index.settings.index))


def summarise(rows: list[QuestionResult], k: int, backend: str, index: str = "") -> EvalReport:
    """Retrieval and answer metrics over the answerable rows; abstention over all of them."""
    answerable = [r for r in rows if r.answerable]
    n = max(len(answerable), 1)
    metrics = retrieval_metrics([r.hit_rank for r in answerable])
    latencies = sorted(r.latency_ms for r in rows) or [0.0]
    cited = sum(r.citations for r in rows)
    top2 = [r for r in answerable if r.hit_rank is not None and r.hit_rank <= 2]
    directs = [r for r in answerable if r.direct_answer]
    metrics.update(
        {
            "answer_accuracy": sum(r.correct for r in answerable) / n,
            "first_sentence_accuracy": sum(r.first_sentence_correct for r in answerable) / n,
            "direct_answer_rate": len(directs) / n,
            "direct_answer_precision": sum(r.direct_correct for r in directs) / len(directs) if directs else 0.0,
            "citation_verbatim": (sum(r.citations_verbatim for r in rows) / cited) if cited else 1.0,
            "citation_contains_gold": (sum(r.citations_with_gold for r in answerable) / cited) if cited else 0.0,
            "abstention_rate": sum(r.abstained for r in answerable) / n,
            "abstention_gold_in_top2": sum(r.abstained for r in top2) / len(top2) if top2 else 0.0,
            "gold_in_top2": len(top2) / n,
            "gold_in_archive": sum(r.gold_in_archive for r in answerable) / n,
            "latency_p50_ms": statistics.median(latencies),
            "latency_p95_ms": latencies[min(len(latencies) - 1, int(round(0.95 * (len(latencies) - 1))))],
        }
    )
    if len(answerable) < len(rows):
        metrics["unanswerable"] = float(len(rows) - len(answerable))
        metrics.update(abstention_metrics([r.abstained for r in rows], [not r.answerable for r in rows]))
    windowed = [r for r in answerable if r.first_citation_in_window is not None]
    if windowed:
        metrics["first_citation_in_window"] = sum(bool(r.first_citation_in_window) for r in windowed) / len(windowed)
    generated = sum(r.generated_sentences for r in rows)
    if generated:
        metrics["generated_sentences_verified"] = sum(r.generated_supported for r in rows) / generated
        metrics["fallback_rate"] = sum(r.fell_back for r in rows) / n
    failures: dict[str, int] = {}
    for r in rows:
        if r.failure:
            failures[r.failure] = failures.get(r.failure, 0) + 1
    return EvalReport(len(rows), k, backend, metrics, rows, dict(sorted(failures.items(), key=lambda x: -x[1])), index)


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def render_markdown(report: EvalReport, command: str = "") -> str:
    m = report.metrics
    lines = [
        "# newsdesk evaluation",
        "",
        f"{report.questions} questions, backend `{report.backend}`, answerer reads the top {report.k} passages; "
        f"retrieval scored at depth {DEPTH}.",
    ]
    if command:
        lines += ["", f"Regenerate: `{command}`"]
    lines += [
        "",
        "## Summary",
        "",
        "| metric | value |",
        "|---|---|",
        *(f"| retrieval {name} | {m[name]:.3f} |" for name in ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10")),
        f"| answer accuracy (gold answer in the answer text) | {pct(m['answer_accuracy'])} |",
        f"| the answer's first sentence carries the gold answer | {pct(m['first_sentence_accuracy'])} |",
        f"| a short direct answer led / it carried the gold answer | {pct(m['direct_answer_rate'])} / {pct(m['direct_answer_precision'])} |",
        f"| citations verbatim in the cited article | {pct(m['citation_verbatim'])} |",
        f"| citations whose quote contains the gold answer | {pct(m['citation_contains_gold'])} |",
        f"| abstention rate | {pct(m['abstention_rate'])} |",
        f"| abstention where the gold answer is in the top 2 passages ({pct(m['gold_in_top2'])} of questions) | {pct(m['abstention_gold_in_top2'])} |",
        *(
            [
                f"| unanswerable questions declined (abstention recall, {int(m['unanswerable'])} questions) | {pct(m['abstention_recall'])} |",
                f"| abstentions that were right (abstention precision) | {pct(m['abstention_precision'])} |",
            ]
            if "unanswerable" in m
            else []
        ),
        *([f"| period questions whose first source is inside the period | {pct(m['first_citation_in_window'])} |"] if "first_citation_in_window" in m else []),
        f"| gold answer occurs in the archive at all (ceiling) | {pct(m['gold_in_archive'])} |",
        f"| latency p50 / p95 (whole chain) | {m['latency_p50_ms']:.0f} ms / {m['latency_p95_ms']:.0f} ms |",
        *(
            [
                f"| generated sentences that passed verification | {pct(m['generated_sentences_verified'])} |",
                f"| answers that fell back to extractive quotes | {pct(m['fallback_rate'])} |",
            ]
            if "generated_sentences_verified" in m
            else []
        ),
        "",
        "## Next to the published anchors",
        "",
        "RealTime QA baselines on the same dev questions (Kasai et al., 2023). They were given the 5 search results "
        "chosen for each question; newsdesk searches the whole pooled archive, offline, and quotes.",
        "",
        "| system | answer accuracy |",
        "|---|---|",
        f"| **newsdesk ({report.backend})** | **{pct(m['answer_accuracy'])}** |",
        *(f"| {name} | {value} |" for name, value in ANCHORS),
        "",
        "## Why questions were missed",
        "",
        "| reason | questions |",
        "|---|---|",
        *(f"| {reason} | {count} |" for reason, count in report.failures.items()),
        "",
        "## Per question (failures first)",
        "",
        "| id | asked | question | gold | hit rank | result | answer |",
        "|---|---|---|---|---|---|---|",
    ]
    ordered = sorted(report.rows, key=lambda r: (r.correct, r.failure, r.id))
    for r in ordered:
        result = "correct" if r.correct else r.failure
        lines.append(
            f"| {r.id} | {r.asked} | {_cell(r.question)} | {_cell(' / '.join(r.gold))} | {r.hit_rank or '-'} | {result} | {_cell(r.answer, 300)} |"
        )
    return "\n".join(lines) + "\n"


def _cell(text: str, limit: int = 160) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"

