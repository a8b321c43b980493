"""One article, one source number: a brief's citations, numbered and checked against the catalog.

A brief often quotes one article several times (two events, or the summary and an event).  The
reader sees one number per article, by first appearance: `[3]` is always the same article, and
the source list shows it once with each of its quotes under it.  `Brief.citations` keeps one
entry per quote (the keys of `ask` citations: `n`, `article_id`, ..., `quote`, `start`, `end`),
entries of one article sharing its `n`; each line's `quotes` gives the positions of its own
quotes, so a click on a line's [3] opens article 3 at that line's quote.

Answers keep their own numbering (assistant/citations.py); the quote check itself is shared:
`verify_brief` runs `check_quotes` over the brief's quotes and drops what is not verbatim.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from assistant.answer import Citation
from assistant.briefing.model import Brief, BriefPoint, Change
from assistant.citations import check_quotes
from ingest.catalog import Catalog


class ArticleNumbers:
    """Numbers articles by first appearance and keeps each distinct quote once."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.quotes: dict[tuple[str, int, int], int] = {}  # quote key -> provisional id (1, 2, ...)
        self.cited: list[Citation] = []

    def add(self, cites: Iterable[Citation]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(article numbers, provisional quote ids) of these citations, each once, in order."""
        numbers: list[int] = []
        quotes: list[int] = []
        for c in cites:
            n = self.numbers.setdefault(c.article_id, len(self.numbers) + 1)
            key = (c.article_id, c.start, c.end)
            if key not in self.quotes:
                self.cited.append(replace(c, n=n))
                self.quotes[key] = len(self.cited)
            if n not in numbers:
                numbers.append(n)
            if self.quotes[key] not in quotes:
                quotes.append(self.quotes[key])
        return tuple(numbers), tuple(quotes)

    def finish(self, brief: Brief) -> Brief:
        """Set `brief.citations` (ordered by article number, then first use) and turn every line's
        provisional quote ids into positions in that list."""
        order = sorted(range(len(self.cited)), key=lambda i: (self.cited[i].n, i))
        position = {old + 1: new + 1 for new, old in enumerate(order)}
        brief.citations = [self.cited[i] for i in order]

        def moved(p: BriefPoint) -> BriefPoint:
            return replace(p, quotes=tuple(position[q] for q in p.quotes))

        brief.summary = [moved(p) for p in brief.summary]
        brief.timeline = [moved(p) for p in brief.timeline]
        brief.undated = [moved(p) for p in brief.undated]
        brief.changes = [replace(c, before=moved(c.before), after=moved(c.after)) for c in brief.changes]
        return brief


def renumber(brief: Brief, kept: dict[int, Citation]) -> Brief:
    """The brief with only the quotes in `kept` (by position), lines left without one dropped,
    articles numbered from 1 again in reading order (summary, timeline, undated, changes)."""
    numbers = ArticleNumbers()

    def again(points: list[BriefPoint]) -> list[BriefPoint]:
        out = []
        for p in points:
            cites = [kept[q] for q in p.quotes if q in kept]
            if cites:
                ns, qs = numbers.add(cites)
                out.append(replace(p, citations=ns, quotes=qs))
        return out

    brief.summary = again(brief.summary)
    brief.timeline = again(brief.timeline)
    brief.undated = again(brief.undated)
    changes: list[Change] = []
    for change in brief.changes:
        if all(any(q in kept for q in p.quotes) for p in (change.before, change.after)):
            before, after = again([change.before, change.after])
            changes.append(replace(change, before=before, after=after))
    brief.changes = changes
    return numbers.finish(brief)


def verify_brief(brief: Brief, catalog: Catalog) -> Brief:
    """Every quote verbatim in its article (re-read from the catalog), or out; uncited lines go too.

    Articles are renumbered afterwards, so markers and sources still match.
    """
    by_position = [replace(c, n=i + 1) for i, c in enumerate(brief.citations)]
    check = check_quotes(by_position, catalog)
    brief.notes.extend(check.notes)
    if not check.changed:
        return brief
    kept = {position: replace(c, n=0) for position, c in check.kept.items()}
    return renumber(brief, kept)
