"""Which articles a search may return: a publication-day range and a set of sources.

The one definition of the filter rule, in the index's own terms.  A day is a number (2017-08-22
is 20170822, 0 when unknown) so SQLite and Chroma compare numbers, not strings; sources compare
lower-cased.  An upper bound excludes undated articles (their day is 0), a lower bound does by
itself.  The catalog renders a Scope as SQL, the vector store as a Chroma `where`, and `admits`
tests one passage's metadata in Python (the retriever post-filters an unfiltered pool with it):
three renderings of this one rule, so the three can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


def day_number(iso_date: str) -> int:
    """'2017-08-22' -> 20170822 (0 when unknown): Chroma and SQLite filter numbers, not dates."""
    return int(iso_date.replace("-", "")) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso_date or "") else 0


def day_date(day: int) -> date | None:
    """20170822 -> date(2017, 8, 22); None for 0 or a number that is not a calendar day."""
    try:
        return date(day // 10000, day // 100 % 100, day % 100) if day else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Scope:
    """Publication days `since_day..until_day` (0: open) and lower-cased `sources` (empty: all)."""

    since_day: int = 0
    until_day: int = 0
    sources: frozenset[str] = frozenset()

    @classmethod
    def of(cls, since: str = "", until: str = "", sources: tuple[str, ...] | list[str] = ()) -> "Scope":
        """From ISO dates ('' for open) and publication names as the user wrote them."""
        return cls(day_number(since), day_number(until), frozenset(s.lower() for s in sources if s))

    @property
    def unlimited(self) -> bool:
        return not (self.since_day or self.until_day or self.sources)

    def admits(self, published_day: int, source_key: str) -> bool:
        """Whether a passage with this metadata (day number, lower-cased source) is in scope."""
        return (
            (not self.since_day or published_day >= self.since_day)
            and (not self.until_day or 0 < published_day <= self.until_day)
            and (not self.sources or source_key in self.sources)
        )
