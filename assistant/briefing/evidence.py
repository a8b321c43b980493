"""Evidence for a brief: the articles that name the topic, and their statements anchored to it.

1. **Articles** (the topic gate): the catalog's full-text index finds the articles holding every
   name of the topic (or a global alias) and one of its other words (every word for a topic
   without names); each is then checked as written (topic.py: case, whole words), so "North
   Korea" is never found in an article that only says "South Korea".  They are ranked by how
   much they are about the topic (the topic in the title, mentions of its names), and the
   period they cover is cut into equal windows that each get their share, so early coverage is
   not crowded out by the latest.
2. **Statements** (the anchor gate): whole declarative sentences of those articles whose context
   names the topic: the sentence itself, or the lines just before it in the same section (its
   paragraph and the two before, never across a heading), so a roundup's paragraph on another
   story is not quoted because the article mentions the topic elsewhere.  With names, the
   context must hold one of them and, if the topic has other words, one of those.
   Each gets its event date (event_dates.py), except that a plan ("will vote on Friday") is
   dated by publication and kept off the timeline, and on a live page ("live", "updates" in its
   title or address: updated for days under its first date) a bare weekday five or six days
   back is as likely a later update's, so it is dated by publication too.
3. Only the most promising statements (topic words, a name in the sentence itself, the article's
   rank) go on to the relevance gate and the embedding (`max_statements`): the latency budget.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Sequence

from assistant.briefing.event_dates import publication_event, resolve_event_date
from assistant.briefing.facts import Statement, weekday_only
from assistant.briefing.model import BriefConfig
from assistant.briefing.relevance import term_overlap
from assistant.briefing.topic import Mentions, TopicTerms
from assistant.filters import Filters
from assistant.quotes import dateline_end
from ingest.catalog import Catalog, StoredArticle
from ingest.dates import as_date
from ingest.sentences import sentence_spans

_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")
_CONDITIONAL = re.compile(r"[\"“‘']?(?:If|Unless|Whether|Should)\b")
# Not the reporter's statements: notes to the reader, links, photo credits and captions.
_META = re.compile(
    r"^(?:Editor['’]s note|Correction|Clarification|Follow (?:every|our|along)|Sign up|Subscribe|Read more|More:|Related:|"
    r"Watch:|Contributing:|Photos?:|Video:|Listen:)|Getty Images|\bAP Photo\b|/AP\b|/AFP\b|\bvia Getty\b|Reuters/|/Shutterstock",
    re.I,
)
_CUT_NAME = re.compile(r"\b[A-Z]\.(?:[A-Z]\.)+$")  # "... as Pittsburgh native T.J." (the splitter stopped inside a name)
_LINE = re.compile(r"[^\n]+")
_LIVE = re.compile(r"\b(?:live|updates?)\b", re.I)  # a live page: updated for days under its first date
LIVE_WEEKDAY_DAYS = 5  # on a live page, a bare weekday this far back may be a later update's


@dataclass
class Gathered:
    """What the gates let through: statements to score, and every on-topic article in scope."""

    statements: list[Statement] = field(default_factory=list)
    on_topic: dict[str, str] = field(default_factory=dict)  # article id -> published
    articles_read: int = 0


def gather(terms: TopicTerms, catalog: Catalog, filters: Filters, cfg: BriefConfig) -> Gathered:
    """The on-topic articles in scope and their anchored statements (steps 1-3 above)."""
    found = Gathered()
    if terms.empty:
        return found
    ids = catalog.articles_matching(terms.fts_groups(), filters.scope, limit=cfg.max_scan)
    ranked: list[tuple[float, StoredArticle, Mentions]] = []
    for article in catalog.articles(ids).values():
        mentions = terms.mentions(article.text)
        if not mentions.on_topic():
            continue
        found.on_topic[article.article_id] = article.published
        ranked.append((_about(article, terms, mentions), article, mentions))
    chosen = _spread(ranked, filters, cfg)
    found.articles_read = len(chosen)
    best = max((score for score, _, _ in chosen), default=1.0) or 1.0
    for score, article, mentions in chosen:
        found.statements += article_statements(article, mentions, score / best, cfg)
    found.statements = _most_promising(found.statements, terms, cfg)
    return found


def article_statements(article: StoredArticle, mentions: Mentions, rank: float, cfg: BriefConfig) -> list[Statement]:
    """The article's quotable sentences whose context names the topic (step 2)."""
    text = article.text
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    headings = [i for i, (a, b) in enumerate(lines) if _is_heading(text[a:b])]
    first_body = _first_body_sentence(text, cfg)
    published = as_date(article.published)
    live = bool(_LIVE.search(article.title) or _LIVE.search(article.url.replace("-", " ")))
    out: list[Statement] = []
    line = 0
    for start, end in sentence_spans(text):
        while line + 1 < len(lines) and lines[line + 1][0] <= start:
            line += 1
        first = max([line - cfg.context_lines] + [h for h in headings if h <= line])
        context_start = lines[max(first, 0)][0] if lines else 0
        if not mentions.within(context_start, end).anchored():
            continue
        start = dateline_end(text, start, end)
        quote = text[start:end]
        words = len(quote.split())
        if words < cfg.min_words or words > cfg.max_words or not is_statement(quote):
            continue
        if _CUT_NAME.search(quote) and re.match(r"\s+[A-Z][a-z]", text[end : end + 20]):
            continue
        when = resolve_event_date(quote, article.published)
        planned = bool(when and published and when.start > published)
        if planned:
            when = publication_event(published)  # a plan or a forecast: news of that day, not an event yet
        elif live and when and published and weekday_only(when) and (published - when.start).days >= LIVE_WEEKDAY_DAYS:
            when = publication_event(published)  # "early Wednesday" on a page first published Tuesday: unsure
        inside = mentions.within(start, end)
        first = min((o for spots in inside.offsets for o in spots), default=None)
        out.append(
            Statement(
                article=article,
                start=start,
                end=end,
                when=when,
                lead=start == first_body,
                named=inside.name_count > 0 or (not mentions.names and inside.anchored()),
                subject=first is not None and len(text[start:first].split()) < 8,
                article_relevance=rank,
                planned=planned,
            )
        )
    return out


def is_statement(quote: str) -> bool:
    """A whole declarative sentence: ends like one, is not a question (subheads often are) nor a
    conditional ("If the United States bans ..." states no fact), is not a note to the reader or
    a photo caption ("Editor's note: ...", "... Getty Images"), and does not open or close a
    quotation it does not contain (a fragment of a longer quote)."""
    if not _ENDS_SENTENCE.search(quote) or quote.rstrip("\"'”’)]").endswith("?") or _CONDITIONAL.match(quote):
        return False
    if _META.search(quote):
        return False
    return quote.count("“") == quote.count("”") and quote.count('"') % 2 == 0


def date_windows(days: Sequence[date], filters: Filters, count: int) -> list[tuple[date, date]]:
    """Split the covered period (filters, else the dates seen) into `count` equal windows (>= 1 week)."""
    if count < 1 or not days and not (filters.since and filters.until):
        return []
    first = date.fromisoformat(filters.since) if filters.since else min(days)
    last = date.fromisoformat(filters.until) if filters.until else max(days)
    if days:
        first = max(first, min(days)) if filters.since else first
        last = min(last, max(days)) if filters.until else last
    span = (last - first).days + 1
    if span <= 0:
        return []
    count = max(1, min(count, span // 7))
    step = span / count
    return [
        (first + timedelta(days=round(i * step)), first + timedelta(days=round((i + 1) * step) - 1)) for i in range(count)
    ]


def _about(article: StoredArticle, terms: TopicTerms, mentions: Mentions) -> float:
    """How much an article is about the topic: the topic in its title, then its mentions."""
    title = terms.mentions(article.title)
    in_title = title.on_topic() or (bool(terms.names) and title.name_count > 0)
    return (1.5 if in_title else 0.0) + math.log1p(mentions.count) / math.log1p(max(len(article.text) / 1500, 1.0) + 1)


def _spread(ranked: list[tuple[float, StoredArticle, Mentions]], filters: Filters, cfg: BriefConfig) -> list[tuple[float, StoredArticle, Mentions]]:
    """At most `max_articles`, each date window its share first (best first within it), then the best of the rest."""
    ranked = sorted(ranked, key=lambda r: (-r[0], r[1].article_id))
    if len(ranked) <= cfg.max_articles:
        return ranked
    days = [d for d in (as_date(a.published) for _, a, _ in ranked) if d]
    windows = date_windows(days, filters, cfg.windows)
    chosen: dict[str, tuple[float, StoredArticle, Mentions]] = {}
    share = max(1, cfg.max_articles // max(len(windows), 1) // 2)
    for lo, hi in windows:
        inside = [r for r in ranked if (d := as_date(r[1].published)) and lo <= d <= hi]
        for r in inside[:share]:
            chosen[r[1].article_id] = r
    for r in ranked:
        if len(chosen) >= cfg.max_articles:
            break
        chosen.setdefault(r[1].article_id, r)
    return sorted(chosen.values(), key=lambda r: (-r[0], r[1].article_id))


def _most_promising(statements: list[Statement], terms: TopicTerms, cfg: BriefConfig) -> list[Statement]:
    """The `max_statements` best by a cheap score, at most `per_article_statements` per article."""
    if not statements:
        return []
    lexical = term_overlap([[g.label, *(a.form for a in g.aliases)] for g in terms.groups], [s.quote for s in statements])

    def cheap(s: Statement, lex: float) -> float:
        dated = 0.1 if s.when and s.when.basis == "text" else 0.0
        return lex + (0.4 if s.named else 0.0) + 0.4 * s.article_relevance + (0.1 if s.lead else 0.0) + dated

    order = sorted(zip(statements, lexical), key=lambda p: cheap(*p), reverse=True)
    kept: list[Statement] = []
    per_article: dict[str, int] = {}
    for s, _ in order:
        aid = s.article.article_id
        if per_article.get(aid, 0) >= cfg.per_article_statements:
            continue
        per_article[aid] = per_article.get(aid, 0) + 1
        kept.append(s)
        if len(kept) >= cfg.max_statements:
            break
    return kept


def _is_heading(line: str) -> bool:
    """A headline, section heading or byline: short, and does not end like a sentence."""
    line = line.strip()
    return bool(line) and not _ENDS_SENTENCE.search(line) and len(line.split()) <= 14


def _first_body_sentence(text: str, cfg: BriefConfig) -> int | None:
    """Where the story's first real sentence starts (not a headline, byline or heading)."""
    for start, end in sentence_spans(text):
        quote = text[start:end]
        if len(quote.split()) >= cfg.min_words and _ENDS_SENTENCE.search(quote):
            return dateline_end(text, start, end)
    return None
