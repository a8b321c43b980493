"""The three views of a brief, chosen from its facts, and the weekly coverage picture's counts.

- summary: 3-5 facts that best describe the current state: relevant, reported by many
  articles, recent;
- timeline: the most relevant dated facts in chronological order;
- what changed: pairs of facts on the same subject, weeks apart, that say different things.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from typing import Iterable

from assistant.briefing.facts import Fact, word_overlap
from assistant.briefing.model import BriefConfig, WeekCoverage
from ingest.dates import as_date

_CHANGE_CUES = re.compile(
    r"\b(?:soften\w*|harden\w*|shift\w*|revers\w*|no longer|instead|now|for the first time|u-turn|"
    r"eas(?:e|ed|ing)|tighten\w*|toughen\w*|relax\w*|lift(?:ed|ing)?|drop(?:ped)?|chang\w*|"
    r"back(?:ed)? down|retreat\w*|abandon\w*|reversal|turnaround|come down|came down)\b",
    re.I,
)


def ranked_for_summary(facts: list[Fact], cfg: BriefConfig) -> list[Fact]:
    """The current state: relevant facts, weighted by how many outlets reported them and how recent.

    Recency halves the weight every quarter of the period the evidence covers (at least
    `recency_half_life_days`), so "recent" means the same thing for a week and for a year.
    """
    dated = [f.when.start for f in facts if f.when]
    if dated:
        newest, oldest = max(dated), min(dated)
        half_life = max(cfg.recency_half_life_days, (newest - oldest).days / 4)

    def weight(f: Fact) -> float:
        if not dated or f.when is None:
            return f.score * 0.25
        return f.score * 0.5 ** (max(0, (newest - f.when.start).days) / half_life)

    return sorted(facts, key=weight, reverse=True)


def summary_facts(facts: list[Fact], cfg: BriefConfig) -> list[Fact]:
    """The summary: the leading facts (two at most led by one article), newest first."""
    chosen = _limit_per_article(ranked_for_summary(facts, cfg), cfg.summary_max, 2)
    return sorted(chosen, key=lambda f: (f.when.sort_key if f.when else (date.min, 0)), reverse=True)


def timeline_facts(facts: list[Fact], max_points: int, cfg: BriefConfig) -> list[Fact]:
    """The most relevant dated facts, in chronological order.

    A fact whose own text dates it ("on Monday", "in March") is an event placed where it
    happened; one dated only by publication is more often background or comment, so it
    ranks lower (`published_date_factor`).
    """

    def rank(f: Fact) -> float:
        return f.score * (1.0 if f.when and f.when.basis == "text" else cfg.published_date_factor)

    dated = sorted((f for f in facts if f.when), key=rank, reverse=True)
    chosen = _limit_per_article(dated, max_points, cfg.per_article_points)
    return sorted(chosen, key=lambda f: (f.when.sort_key, -f.score))  # type: ignore[union-attr]


def changed_facts(facts: list[Fact], cfg: BriefConfig) -> list[tuple[Fact, Fact, float]]:
    """Same subject (cosine), said differently (few shared words), weeks apart, and either both
    events dated by their own text or a change named in the words ("softening", "no longer")."""
    dated = [f for f in facts if f.when and f.lead.vector is not None][:60]
    pairs: list[tuple[float, Fact, Fact, float]] = []
    for i, a in enumerate(dated):
        for b in dated[i + 1 :]:
            early, late = (a, b) if a.when.sort_key <= b.when.sort_key else (b, a)  # type: ignore[union-attr]
            gap = (late.when.start - early.when.end).days  # type: ignore[union-attr]
            if gap < cfg.change_min_gap_days:
                continue
            cued = bool(_CHANGE_CUES.search(late.lead.quote) or _CHANGE_CUES.search(early.lead.quote))
            if not cued and (early.when.basis != "text" or late.when.basis != "text"):  # type: ignore[union-attr]
                continue  # "then" and "later" must be events the text dates, unless it names the change
            cosine = float(early.lead.vector @ late.lead.vector)  # type: ignore[operator]
            overlap = word_overlap(early.lead.quote, late.lead.quote)
            if cosine < cfg.change_min_cosine or overlap > cfg.change_max_overlap:
                continue
            score = cosine * (1.0 - overlap) * min(1.0, math.log1p(gap / 7) / math.log1p(26))
            score *= math.sqrt(early.score * late.score)
            if cued:
                score += cfg.change_cue_bonus * math.sqrt(early.score * late.score)
            pairs.append((score, early, late, cosine))
    pairs.sort(key=lambda p: p[0], reverse=True)
    chosen: list[tuple[Fact, Fact, float]] = []
    used: set[int] = set()
    for _, early, late, cosine in pairs:
        if id(early) in used or id(late) in used:
            continue
        used.update((id(early), id(late)))
        chosen.append((early, late, cosine))
        if len(chosen) >= cfg.max_changes:
            break
    return sorted(chosen, key=lambda p: p[1].when.sort_key)  # type: ignore[union-attr]


def _limit_per_article(ranked: list[Fact], limit: int, per_article: int) -> list[Fact]:
    chosen: list[Fact] = []
    used: dict[str, int] = {}
    for fact in ranked:
        aid = fact.lead.article.article_id
        if used.get(aid, 0) >= per_article:
            continue
        used[aid] = used.get(aid, 0) + 1
        chosen.append(fact)
        if len(chosen) >= limit:
            break
    return chosen


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
