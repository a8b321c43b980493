"""The views of a brief, chosen from its facts so that no line says what another says.

- **timeline**: the most relevant dated events (never a plan: "will vote on Friday"), in
  chronological order, at most `per_article_points` led by one article and `per_day_points` on
  one day (a timeline that spends half its lines on one day tells less);
- **summary**: a short overview from the facts the timeline did not take: what it is (the most
  relevant fact), the latest state (the newest relevant fact), key numbers (relevant facts with
  figures); undated facts may serve;
- **undated**: the most relevant facts of undated articles, which cannot be placed on a timeline
  but are often the best evidence.

Chosen in that order, each skipping any fact that is a near-duplicate of a line already chosen
(`near_duplicate`, also the evaluation's criterion): a near-duplicate of a timeline event joins
that event as another source instead of becoming a second line.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable

import numpy as np

from assistant.briefing.event_dates import without_dates
from assistant.briefing.facts import Fact, normal_text
from assistant.briefing.model import BriefConfig, WeekCoverage
from assistant.text import content_words, stem
from ingest.dates import as_date

_FIGURE = re.compile(r"\b\d[\d,.]*\b")


def near_duplicate(a: str, b: str, va: np.ndarray | None, vb: np.ndarray | None, cfg: BriefConfig) -> bool:
    """Two lines say the same: the same words, or >= `duplicate_overlap` of the shorter line's
    content stems (and at least 4) shared, or MiniLM cosine >= `duplicate_cosine`."""
    if normal_text(a) == normal_text(b):
        return True
    sa, sb = stems(a), stems(b)
    shared = len(sa & sb)
    if sa and sb and shared >= 4 and shared / min(len(sa), len(sb)) >= cfg.duplicate_overlap:
        return True
    return va is not None and vb is not None and float(va @ vb) >= cfg.duplicate_cosine


@lru_cache(maxsize=8192)
def stems(text: str) -> frozenset[str]:
    """The text's content-word stems."""
    return frozenset(stem(w) for w in content_words(text))


def timeline_facts(facts: list[Fact], max_points: int, cfg: BriefConfig) -> list[Fact]:
    """The most relevant dated events, in chronological order.

    A fact whose own text dates it ("on Monday", "in March") is an event placed where it
    happened; one dated only by publication is more often background or comment, so it ranks
    lower (`published_date_factor`).
    """

    def rank(f: Fact) -> float:
        return f.score * (1.0 if f.when and f.when.basis == "text" else cfg.published_date_factor)

    dated = sorted((f for f in facts if f.when and not f.planned), key=rank, reverse=True)
    chosen = _pick(dated, [], max_points, cfg.per_article_points, cfg, absorb=True, per_day=cfg.per_day_points)
    return sorted(chosen, key=lambda f: (f.when.sort_key, -f.score))  # type: ignore[union-attr]


def summary_facts(facts: list[Fact], taken: list[Fact], cfg: BriefConfig) -> list[Fact]:
    """What it is, the latest state, key numbers: from the facts not already lines.

    Facts are ranked by how well they serve an overview (`overview_scores`); the summary takes
    the best, the newest of the eight best, and up to two of the best that give figures, then
    the rest in rank order, none repeating a line.
    """
    pool = [f for f in facts if not any(f is t for t in taken)]
    if not pool:
        return []
    score = overview_scores(pool, facts)
    ranked = sorted(pool, key=lambda f: score[id(f)], reverse=True)
    dated = [f for f in ranked[:8] if f.when]
    latest = [max(dated, key=lambda f: (f.when.start, score[id(f)]))] if dated else []  # type: ignore[union-attr]
    figures = [f for f in ranked[:8] if _FIGURE.search(without_dates(f.lead.quote))][:2]
    ordered = list({id(f): f for f in [*ranked[:1], *latest, *figures, *ranked]}.values())
    return _pick(ordered, taken, cfg.summary_max, 2, cfg)


def overview_scores(pool: list[Fact], facts: list[Fact]) -> dict[int, float]:
    """How well each fact serves a summary: 0.5 x relevance (the fact's score relative to the
    best) + 0.5 x centrality (mean cosine to the ten closest other facts: what much of the
    evidence is about) + the lead's `overview` bonus (a story's lead, in the reporter's words),
    scaled down for a sentence of fewer than 12 content words (it says little)."""
    best = max(f.score for f in facts) or 1.0
    vectors = [f.lead.vector for f in facts]
    central: dict[int, float] = {}
    if len(facts) > 1 and all(v is not None for v in vectors):
        matrix = np.stack(vectors)  # type: ignore[arg-type]
        sims = matrix @ matrix.T
        np.fill_diagonal(sims, -1.0)
        top = np.sort(sims, axis=1)[:, -min(10, len(facts) - 1) :]
        central = {id(f): float(top[i].mean()) for i, f in enumerate(facts)}
    out = {}
    for f in pool:
        words = len(stems(f.lead.quote))
        value = 0.5 * f.score / best + 0.5 * central.get(id(f), 0.0) + (f.lead.overview - f.lead.relevance)
        out[id(f)] = value * min(1.0, words / 12)
    return out


def undated_facts(facts: list[Fact], taken: list[Fact], cfg: BriefConfig) -> list[Fact]:
    """The most relevant facts no dated report places, not already lines."""
    pool = [f for f in facts if f.undated and not any(f is t for t in taken)]
    return _pick(pool, taken, cfg.undated_max, cfg.undated_max, cfg)


def _pick(
    ranked: list[Fact], taken: list[Fact], limit: int, per_article: int, cfg: BriefConfig,
    absorb: bool = False, per_day: int = 0,
) -> list[Fact]:  # fmt: skip
    """Up to `limit` facts in rank order, `per_article` led by one article (and `per_day` on one
    day, if given), none a near-duplicate of a line chosen before (in `taken` or here).  With
    `absorb`, a near-duplicate's reports join the line it repeats (when their articles were
    published by its date)."""
    chosen: list[Fact] = []
    used: dict[str, int] = {}
    days: dict[object, int] = {}
    for fact in ranked:
        twin = next((t for t in [*taken, *chosen] if _same_line(fact, t, cfg)), None)
        if twin is not None:
            if absorb:
                _absorb(twin, fact)
            continue
        aid = fact.lead.article.article_id
        day = (fact.when.start, fact.when.precision) if fact.when else None
        if used.get(aid, 0) >= per_article or len(chosen) >= limit or (per_day and days.get(day, 0) >= per_day):
            continue
        used[aid] = used.get(aid, 0) + 1
        days[day] = days.get(day, 0) + 1
        chosen.append(fact)
    return chosen


def _same_line(a: Fact, b: Fact, cfg: BriefConfig) -> bool:
    return near_duplicate(a.lead.quote, b.lead.quote, a.lead.vector, b.lead.vector, cfg)


def _absorb(into: Fact, other: Fact) -> None:
    start = into.when.start if into.when else None
    for s in other.statements:
        if s.article.article_id in into.article_ids:
            continue
        if start is not None and s.published is not None and s.published < start:
            continue  # published before the event: not a report of it
        into.statements.append(s)


def weekly_coverage(published: Iterable[str]) -> list[WeekCoverage]:
    """Articles per week (weeks start on Monday), with empty weeks in between filled with 0."""
    counts: dict[date, int] = {}
    for value in published:
        day = as_date(value)
        if day is None:
            continue
        monday = day - timedelta(days=day.weekday())
        counts[monday] = counts.get(monday, 0) + 1
    if not counts:
        return []
    week, last = min(counts), max(counts)
    out: list[WeekCoverage] = []
    while week <= last:
        out.append(WeekCoverage(week.isoformat(), counts.get(week, 0)))
        week += timedelta(days=7)
    return out


def ranked_for_summary(facts: list[Fact]) -> list[Fact]:
    """Facts by score, recency breaking near-ties (what an LLM is shown to condense)."""
    dated = [f.when.start for f in facts if f.when]
    newest = max(dated) if dated else None

    def weight(f: Fact) -> float:
        if newest is None or f.when is None:
            return f.score
        return f.score * (1.0 + 0.1 * math.exp(-max(0, (newest - f.when.start).days) / 30))

    return sorted(facts, key=weight, reverse=True)
