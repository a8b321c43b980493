"""Statements and facts: one event, one line, with every article that reported it.

A **statement** is one quotable sentence of one on-topic article, with its event date
(event_dates.py) and its relevance.  A **fact** is the statements that report the same event:

- the same sentence (a reprint, an updated live page): one fact; nearly the same (MiniLM cosine
  >= 0.92) too, unless both sentences date themselves (then their dates must agree: "capsized on
  Saturday" and "capsized on Wednesday" are two events);
- a report of an undated article (no date to compare): cosine >= 0.80;
- otherwise the dates must be one event's: day dates at most a day apart, coarser dates (a
  week, a month) overlapping, a publication date standing for the week before it; a weekday
  said on its own ("Saturday afternoon") matches the same weekday a week off, since a live page
  keeps its first publication date while its "Saturday" moves on;
- no conflicting figures ("flew 53 minutes" is not "flew 47 minutes");
- and the same actors and action: cosine >= 0.80, or >= 0.55 when the two main clauses (the
  sentence up to its first comma or "after", "as", "when" ... past its sixth word, a short opening
  clause such as "On Saturday," skipped) share at least 40 % of their content stems (the
  topic's, times of day and figures left out) and do not name different actors (both name people, places or bodies
  besides the topic, and none in common).  Measured on the balloon's shoot-down: "A U.S. warplane
  shot down the suspected Chinese spy balloon off the South Carolina coast Saturday afternoon"
  and "The United States on Saturday downed a suspected Chinese spy balloon off the Carolina
  coast" have cosine 0.68 and main clauses sharing 50 %; the Pentagon's revelation of earlier
  balloons the same day shares 14-20 % with either.

Greedy, best statement first: a statement joins the first fact whose lead it matches (matching
the lead, not any member, so two events never chain through a third).  Two statements of one
article join only when nearly the same (cosine >= 0.85): an article that retells its lead lower
down.  The fact's date is the date most of its reports give (the later one on a tie: the fresher
report), and it is never after a cited article's publication: a report published before the
fact's date cannot be of it (a stale live page) and is dropped from it.  The line quotes the
clearest report of that date (`Statement.clarity`; of two as clear, the one published nearest
the event).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import Sequence

import numpy as np

from assistant.answer import Citation
from assistant.briefing.event_dates import PRECISIONS, EventDate, without_dates
from assistant.briefing.model import BriefConfig
from assistant.retrieve import Evidence
from assistant.text import STOPWORDS, content_words, stem
from ingest.catalog import StoredArticle
from ingest.dates import as_date

_NUMBER = re.compile(r"\d[\d,.]*")
_NAME_RUN = re.compile(r"(?<![\w’'.&-])[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)*")
_PRONOUN_START = re.compile(r"^[\"“‘']?(?:It|He|She|They|This|That|These|Those|His|Her|Their|Its|The move|The decision)\b")
_OPENING = re.compile(r"^[\"“]?[A-Z][^,]{0,30},\s+")
_DANGLING = re.compile(r"\b(?:on|in|at|by|since|until|from|early|late)\b(?=\s*(?:[,;.]|$))", re.I)  # a date's preposition left alone
_TIMES_OF_DAY = frozenset("morning afternoon evening night overnight midday noon midnight dawn".split())
_CLAUSE_END = frozenset({"after", "as", "when", "while", "because", "before", "—", "sending", "which", "who", "where"})
_WEEKDAY_ONLY = re.compile(r"^(?:(?:on|late on|early on)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$", re.I)


@dataclass
class Statement:
    """One quotable sentence of one article, with its event date and relevance to the topic."""

    article: StoredArticle
    start: int
    end: int
    when: EventDate | None
    lead: bool = False
    named: bool = False  # the sentence itself names the topic (it reads on its own)
    subject: bool = False  # ... within its first eight words: the sentence is about the topic
    article_relevance: float = 0.0
    planned: bool = False  # it speaks of the future: dated by its publication, not a timeline event
    relevance: float = 0.0
    vector: np.ndarray | None = None

    @property
    def quote(self) -> str:
        return self.article.text[self.start : self.end]

    @property
    def published(self) -> date | None:
        return as_date(self.article.published)

    def citation(self) -> Citation:
        return Citation.of(self.article, self.quote, self.start, self.end)

    @cached_property
    def core(self) -> frozenset[str]:
        """Content-word stems of the main clause (see the module docstring), times of day and
        figures left out ("Saturday afternoon": the date says when; figures are compared apart)."""
        words = content_words(main_clause(self.quote))
        return frozenset(stem(w) for w in words if w not in _TIMES_OF_DAY and not any(c.isdigit() for c in w))

    @cached_property
    def figures(self) -> frozenset[str]:
        return frozenset(n.strip(".,") for n in _NUMBER.findall(without_dates(self.quote))) - {""}

    @cached_property
    def normal(self) -> str:
        return normal_text(self.quote)

    @property
    def clarity(self) -> float:
        """How well the sentence reads on its own: relevant, a story's lead, names the topic, dates
        itself, does not open on a pronoun or a quotation, not too long."""
        words = len(self.quote.split())
        return (
            0.5 * self.relevance  # all reports of one event are about it: how they read matters more
            + (0.1 if self.lead else 0.0)
            + (0.08 if self.named else 0.0)
            + (0.06 if self.when and self.when.basis == "text" else 0.0)
            - (0.08 if _PRONOUN_START.match(self.quote) else 0.0)
            - (0.1 if self.quote[:1] in "\"“‘'" else 0.0)  # somebody's words, not the reporter's
            - 0.004 * max(0, words - 35)
        )

    @property
    def overview(self) -> float:
        """How well the sentence serves a summary: clear, a story's lead, about the topic (named in
        its first eight words), from an article about it, in the reporter's words."""
        quoted = self.quote[:1] in "\"“‘'" or bool(re.search(r"[,.]?[”\"] (?:he|she|they|\w+) (?:said|says|wrote|added)\b", self.quote))
        return (
            self.clarity
            + (0.15 if self.lead else 0.0)
            + (0.1 if self.subject else 0.0)
            + 0.1 * self.article_relevance
            - (0.15 if quoted else 0.0)
        )

    def as_evidence(self, rank: int) -> Evidence:
        """The statement as a passage of its own (what an LLM is shown to condense a summary)."""
        a = self.article
        return Evidence(rank, f"{a.article_id}:{self.start}", a.article_id, a.title, a.url, a.published, a.source,
                        self.start, self.end, self.quote, self.relevance)  # fmt: skip


@dataclass
class Fact:
    """Statements that report the same event; `lead` is the one quoted."""

    statements: list[Statement]
    when: EventDate | None = None
    score: float = 0.0
    planned: bool = False

    @property
    def lead(self) -> Statement:
        return self.statements[0]

    @property
    def article_ids(self) -> set[str]:
        return {s.article.article_id for s in self.statements}

    @property
    def undated(self) -> bool:
        return self.when is None


def cluster_facts(statements: list[Statement], cfg: BriefConfig, topic_words: set[str] = frozenset()) -> tuple[list[Fact], int]:  # type: ignore[assignment]
    """Facts, best first, and how many reports were dropped as dated after their publication."""
    ordered = sorted(statements, key=lambda s: s.relevance, reverse=True)
    vectors = [s.vector for s in ordered]
    cosines = np.stack(vectors) @ np.stack(vectors).T if ordered and all(v is not None for v in vectors) else None
    row = {id(s): i for i, s in enumerate(ordered)}

    def cosine(a: Statement, b: Statement) -> float:
        return float(cosines[row[id(a)], row[id(b)]]) if cosines is not None else _cosine(a, b)

    facts: list[Fact] = []
    for s in ordered:
        home = None
        for fact in facts:
            lead = fact.lead
            c = cosine(s, lead)
            if same_event(s, lead, cfg, topic_words, c) and (
                s.article.article_id not in fact.article_ids or c >= cfg.same_article_cosine
            ):
                home = fact
                break
        if home is None:
            facts.append(Fact([s]))
        else:
            home.statements.append(s)
    stale = 0
    for fact in facts:
        fact.when = fact_date(fact.statements)
        if fact.when is not None and fact.when.basis == "text":
            kept = [s for s in fact.statements if s.published is None or s.published >= fact.when.start]
            stale += len(fact.statements) - len(kept)
            fact.statements = kept or fact.statements
        same_date = [s for s in fact.statements if s.when == fact.when]
        rest = [s for s in fact.statements if s.when != fact.when]
        fact.statements = sorted(same_date, key=lambda s: _quality(s, fact), reverse=True) + sorted(
            rest, key=lambda s: _quality(s, fact), reverse=True
        )
        fact.planned = all(s.planned for s in fact.statements)
        outlets = len({s.article.source or s.article.article_id for s in fact.statements})
        fact.score = max(s.relevance for s in fact.statements) * (1.0 + 0.25 * math.log2(outlets))
    facts.sort(key=lambda f: f.score, reverse=True)
    return facts, stale


def _quality(s: Statement, fact: Fact) -> float:
    """Which report to quote: the clearest, and of two as clear the one published nearest the
    event (it states it as news; later ones mention it in passing)."""
    late = (s.published - fact.when.start).days if s.published and fact.when else 0
    return s.clarity - 0.01 * min(max(late, 0), 10)


def same_event(
    a: Statement, b: Statement, cfg: BriefConfig, topic_words: set[str] = frozenset(), cosine: float | None = None  # type: ignore[assignment]
) -> bool:
    """Do two statements report one event?  (The rules of the module docstring.)"""
    if a.vector is None or b.vector is None:
        return False
    if a.normal == b.normal:
        return True
    if a.figures and b.figures and not (a.figures & b.figures):
        return False  # "flew 53 minutes" is not "flew 47 minutes"
    cosine = _cosine(a, b) if cosine is None else cosine
    if cosine >= cfg.near_verbatim_cosine and not (_stated(a.when) and _stated(b.when)):
        return True  # the same sentence printed again: its own words give it no date to compare
    if a.when is None or b.when is None:
        return cosine >= cfg.same_fact_cosine  # an undated report: no date to compare, a close match
    if cosine < cfg.related_cosine or not dates_compatible(a.when, b.when, cfg):
        return False
    if cosine >= cfg.same_fact_cosine:
        return True
    core_a, core_b = a.core - topic_words, b.core - topic_words
    shared = len(core_a & core_b)
    if not shared or shared / max(min(len(core_a), len(core_b)), 1) < cfg.same_fact_overlap:
        return False
    return not _actors_conflict(main_clause(a.quote), main_clause(b.quote), topic_words)


@lru_cache(maxsize=8192)
def main_clause(sentence: str) -> str:
    """The sentence up to the end of its main clause, a short opening clause skipped (see above)."""
    text = _DANGLING.sub("", " ".join(without_dates(sentence).split()))  # "Tillerson on , , praised" -> "Tillerson praised"
    text = re.sub(r"\s*([,;])(?:\s*[,;])+", r"\1", text)
    text = re.sub(r"\s+([,;.])", r"\1", text)
    opening = _OPENING.match(text)
    if opening and len(opening.group(0).split()) <= 5:
        text = text[opening.end() :]
    words = text.split()
    for i, word in enumerate(words):
        if i >= 6 and (word.endswith((",", ";")) or word.lower() in _CLAUSE_END):
            return " ".join(words[: i + 1] if word.endswith((",", ";")) else words[:i])
    return " ".join(words)


def fact_date(statements: Sequence[Statement]) -> EventDate | None:
    """The date most reports' own words give (the finest precision first; the later date on a
    tie); else the earliest publication (the first report bounds when it happened)."""
    stated = [s.when for s in statements if s.when and s.when.basis == "text"]
    if stated:
        finest = min(PRECISIONS.index(w.precision) for w in stated)
        votes = Counter((w.start, w.end, w.precision) for w in stated if PRECISIONS.index(w.precision) == finest)
        start, end, precision = max(votes, key=lambda k: (votes[k], k[0]))
        lead = statements[0].when
        if lead and (lead.start, lead.end, lead.precision) == (start, end, precision) and lead.basis == "text":
            return lead
        return next(w for w in stated if (w.start, w.end, w.precision) == (start, end, precision))
    published = [s.when for s in statements if s.when]
    return min(published, key=lambda w: w.start) if published else None


def dates_compatible(a: EventDate, b: EventDate, cfg: BriefConfig) -> bool:
    """Could both dates be one event's?  See the module docstring."""
    if weekday_only(a) and weekday_only(b) and a.start.weekday() == b.start.weekday():
        return abs((a.start - b.start).days) <= 7
    (a0, a1), (b0, b1) = _span(a, cfg, slack=True), _span(b, cfg)
    return a0 <= b1 and b0 <= a1


@lru_cache(maxsize=4096)
def actors(sentence: str) -> frozenset[str]:
    """Names in the sentence (runs of capitalised words), as lower-case stems.  A run that opens
    the sentence counts only with two or more words ("Mr. Tillerson", "Damar Hamlin"), the
    leading capital of a sentence ("The", "Officials") being no sign of a name."""
    text = without_dates(sentence)
    found = set()
    for match in _NAME_RUN.finditer(text):
        words = match.group(0).split()
        if match.start() == len(text) - len(text.lstrip("\"“‘'( ")):
            while words and words[0].lower().strip(".") in STOPWORDS:
                words = words[1:]
            if len(words) < 2:
                continue
        for word in words:
            token = stem(word.strip(".,’'").lower())
            if len(token) > 1 and word.lower() not in {"mr.", "ms.", "mrs.", "dr."}:
                found.add(token)
    return frozenset(found)


def _actors_conflict(a: str, b: str, ignore: set[str]) -> bool:
    xa, xb = actors(a) - ignore, actors(b) - ignore
    return bool(xa and xb) and not (xa & xb)


def _span(w: EventDate, cfg: BriefConfig, slack: bool = False) -> tuple[date, date]:
    """The days the event may have taken place; `slack` widens a day by a day each side (applied
    to one of the two dates compared: "the same date, give or take a day")."""
    if w.basis == "published":
        return w.start - timedelta(days=cfg.published_slack_days), w.end
    margin = timedelta(days=cfg.day_slack_days if slack and w.precision == "day" else 0)
    return w.start - margin, w.end + margin


def _stated(w: EventDate | None) -> bool:
    return w is not None and w.basis == "text"


def weekday_only(w: EventDate) -> bool:
    """A day given by its weekday alone ("on Saturday"): a week's uncertainty on a live page."""
    return w.basis == "text" and w.precision == "day" and bool(_WEEKDAY_ONLY.match(w.phrase.strip()))


def _cosine(a: Statement, b: Statement) -> float:
    return float(a.vector @ b.vector) if a.vector is not None and b.vector is not None else 0.0


def normal_text(text: str) -> str:
    """Lower case, punctuation out, spaces folded: the same sentence however it was typeset."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
