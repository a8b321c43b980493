"""Scoring briefs on a topic set (`newsdesk eval --briefs FILE`, benchmarks/brief_eval.py).

A topic file has one JSON object a line: `topic`, `on_topic` (regexes), optional `id`, `note`,
`since`, `until` (eval/briefs/README.md).  Each brief is scored from its `--json` shape, so briefs
of other code (the benchmark's "before") are scored by the same rules:

- **topic precision**: cited articles on topic / cited articles.  A quote is on topic when every
  `on_topic` pattern matches its context: its own line (paragraph) of the article and the two
  lines before it.  An article is on topic when every quote the brief cites from it is;
- **repeated lines**: pairs among the summary, timeline and undated lines that quote the same
  sentence (same text) or are near-duplicates (views.near_duplicate: >= 60 % and >= 4 of the
  shorter line's content stems shared, or MiniLM cosine >= 0.85);
- **dated lines**; **dated after publication**: lines (what-changed sides included) whose date
  starts after the publication of an article they cite (must be 0); **undated kept**: lines of
  the Undated section; **time**: wall time of the brief, in process (models loaded).
"""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from assistant.briefing.model import BriefConfig
from assistant.briefing.views import near_duplicate
from ingest.catalog import Catalog
from ingest.dates import as_date
from ingest.errors import ConfigError

if TYPE_CHECKING:
    from assistant.api import Assistant

CONTEXT_LINES = 2
PRECISION_TARGET = 0.97


@dataclass(frozen=True)
class BriefTopic:
    id: str
    topic: str
    on_topic: tuple[str, ...]
    note: str = ""
    since: str = ""
    until: str = ""


@dataclass
class TopicScore:
    id: str
    topic: str
    articles_cited: int = 0
    articles_on_topic: int = 0
    lines: int = 0
    dated_lines: int = 0
    after_publication: int = 0
    undated_kept: int = 0
    repeated: int = 0
    ms: float = 0.0
    off_topic: list[str] = field(default_factory=list)  # titles of the off-topic cited articles
    repeats: list[tuple[str, str]] = field(default_factory=list)
    late: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.articles_on_topic / self.articles_cited if self.articles_cited else 1.0


@dataclass
class BriefEvalReport:
    rows: list[TopicScore]
    label: str = ""

    def summary(self) -> dict[str, float]:
        times = [r.ms for r in self.rows]
        return {
            "topics": len(self.rows),
            "min_precision": min((r.precision for r in self.rows), default=1.0),
            "mean_precision": statistics.fmean([r.precision for r in self.rows]) if self.rows else 1.0,
            "below_target": sum(r.precision < PRECISION_TARGET for r in self.rows),
            "articles_cited": sum(r.articles_cited for r in self.rows),
            "repeated": sum(r.repeated for r in self.rows),
            "dated_lines": sum(r.dated_lines for r in self.rows),
            "after_publication": sum(r.after_publication for r in self.rows),
            "undated_kept": sum(r.undated_kept for r in self.rows),
            "p50_ms": statistics.median(times) if times else 0.0,
            "p90_ms": float(np.percentile(times, 90)) if times else 0.0,
        }

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "summary": self.summary(), "topics": [{**asdict(r), "precision": r.precision} for r in self.rows]}


def load_topics(path: Path) -> list[BriefTopic]:
    """The topic file; a bad line fails with one message naming the file, line and field."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the topic file ({exc.strerror or exc})") from exc
    topics = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            patterns = tuple(record["on_topic"])
            for pattern in patterns:
                re.compile(pattern)
            topic = str(record["topic"]).strip()
        except (json.JSONDecodeError, KeyError, TypeError, re.error) as exc:
            raise ConfigError(f"{path}:{number}: not a topic line ({type(exc).__name__}: {exc}); need topic and on_topic") from exc
        if not topic or not patterns:
            raise ConfigError(f"{path}:{number}: topic and on_topic must not be empty")
        topics.append(BriefTopic(str(record.get("id") or topic), topic, patterns, str(record.get("note", "")),
                                 str(record.get("since", "")), str(record.get("until", ""))))  # fmt: skip
    if not topics:
        raise ConfigError(f"{path}: no topics")
    return topics


def evaluate_briefs(assistant: "Assistant", topics: Sequence[BriefTopic], max_points: int = 12, label: str = "") -> BriefEvalReport:
    """Brief each topic with this code (models loaded: the first brief warms them) and score it."""
    from assistant.briefing.briefer import make_brief
    from assistant.briefing.request import BriefRequest

    catalog = assistant.index.catalog
    assistant.index.embedder.encode(["warm up"])
    rows = []
    for topic in topics:
        started = time.perf_counter()
        brief = make_brief(assistant, BriefRequest(topic.topic, since=topic.since, until=topic.until), max_points)
        ms = (time.perf_counter() - started) * 1000
        rows.append(score_brief(brief.to_dict(), topic, catalog, assistant.index.embedder.encode, ms))
    return BriefEvalReport(rows, label)


def score_brief(
    payload: dict[str, Any], topic: BriefTopic, catalog: Catalog, encode: Callable[[Sequence[str]], np.ndarray], ms: float
) -> TopicScore:
    """Score one brief's `--json` payload (this code's or an earlier version's)."""
    score = TopicScore(topic.id, topic.topic, ms=ms)
    citations = payload.get("citations", [])
    articles = catalog.articles(c["article_id"] for c in citations)
    patterns = [re.compile(p) for p in topic.on_topic]
    verdict: dict[str, bool] = {}
    for c in citations:
        article = articles.get(c["article_id"])
        ok = article is not None and all(p.search(quote_context(article.text, c["start"], c["end"])) for p in patterns)
        verdict[c["article_id"]] = verdict.get(c["article_id"], True) and ok
    score.articles_cited = len(verdict)
    score.articles_on_topic = sum(verdict.values())
    score.off_topic = [articles[a].title if a in articles else a for a, ok in verdict.items() if not ok]
    published = {c["article_id"]: as_date(c.get("published")) for c in citations}
    by_number: dict[int, list[str]] = {}
    for c in citations:
        by_number.setdefault(int(c["n"]), []).append(c["article_id"])
    lines = [*payload.get("summary", []), *payload.get("timeline", []), *payload.get("undated", [])]
    sides = [side for change in payload.get("changes", []) for side in (change["before"], change["after"])]
    score.lines = len(lines)
    score.undated_kept = len(payload.get("undated", []))
    score.dated_lines = sum(1 for p in lines if p.get("date"))
    for p in [*lines, *sides]:
        start = _start(p.get("date", ""), p.get("precision", ""))
        cited = {a for n in p.get("citations", []) for a in by_number.get(int(n), [])}
        if start and any(published.get(a) and start > published[a] for a in cited):  # type: ignore[operator]
            score.after_publication += 1
            score.late.append(f"{p['date']}: {p['text'][:80]}")
    texts = [p["text"] for p in lines]
    vectors = encode(texts) if texts else np.zeros((0, 1))
    cfg = BriefConfig()
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if near_duplicate(texts[i], texts[j], vectors[i], vectors[j], cfg):
                score.repeated += 1
                score.repeats.append((texts[i][:90], texts[j][:90]))
    return score


def quote_context(text: str, start: int, end: int) -> str:
    """The quote's line of the article and the `CONTEXT_LINES` lines before it (empty lines skipped)."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    index = next((i for i, (a, b) in enumerate(lines) if a <= start < b), None)
    if index is None:
        return text[start:end]
    first = max(0, index - CONTEXT_LINES)
    return text[lines[first][0] : max(lines[index][1], end)]


def render_markdown(report: BriefEvalReport, command: str = "") -> str:
    """The report as a Markdown table: one row per topic, then the totals."""
    s = report.summary()
    out = [f"# Briefing evaluation{': ' + report.label if report.label else ''}", ""]
    if command:
        out += [f"`{command}`", ""]
    out += [
        "| topic | articles cited | topic precision | repeated lines | dated lines | dated after publication | undated kept | ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in report.rows:
        out.append(
            f"| {r.topic} | {r.articles_cited} | {r.precision:.3f} | {r.repeated} | {r.dated_lines} | "
            f"{r.after_publication} | {r.undated_kept} | {r.ms:.0f} |"
        )
    out.append(
        f"| **all {s['topics']:.0f}** | {s['articles_cited']:.0f} | min {s['min_precision']:.3f}, mean {s['mean_precision']:.3f} | "
        f"{s['repeated']:.0f} | {s['dated_lines']:.0f} | {s['after_publication']:.0f} | {s['undated_kept']:.0f} | "
        f"p50 {s['p50_ms']:.0f}, p90 {s['p90_ms']:.0f} |"
    )
    details = [r for r in report.rows if r.off_topic or r.repeats or r.late]
    if details:
        out += ["", "## Details", ""]
        for r in details:
            out += [f"- **{r.topic}**: off topic: {r.off_topic or '—'}; repeated: {r.repeats or '—'}; dated after publication: {r.late or '—'}"]
    return "\n".join(out) + "\n"


def _start(iso: str, precision: str) -> date | None:
    """The first day of a line's date at its precision."""
    if not iso:
        return None
    if precision == "year" or re.fullmatch(r"\d{4}", iso):
        return date(int(iso[:4]), 1, 1)
    if precision == "month" or re.fullmatch(r"\d{4}-\d{2}", iso):
        return date(int(iso[:4]), int(iso[5:7]), 1)
    return as_date(iso)
