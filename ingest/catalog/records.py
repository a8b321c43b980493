"""The records the catalog hands out: stored articles, lexical hits, statistics, check findings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ingest.article import Article


@dataclass(frozen=True)
class StoredArticle:
    """An article as the catalog holds it (what citations point at)."""

    article_id: str
    origin: str
    path: str
    fingerprint: str
    title: str
    text: str
    published: str
    source: str
    authors: tuple[str, ...]
    url: str

    def as_article(self) -> Article:
        """The Article it was stored from (to chunk it again when the catalog is rebuilt)."""
        return Article(self.title, self.text, self.published, self.source, self.authors, self.url, self.origin, self.path)


@dataclass(frozen=True)
class LexicalHit:
    chunk_id: str
    article_id: str
    start: int
    end: int
    score: float  # higher is better (negated FTS5 bm25)


@dataclass(frozen=True)
class CatalogStats:
    articles: int
    chunks: int
    first_published: str
    last_published: str
    undated: int
    sources: list[tuple[str, int]]


@dataclass(frozen=True)
class LibraryEntry:
    """One row of the library: an article and how many passages it is indexed as."""

    article_id: str
    title: str
    source: str
    published: str
    path: str
    passages: int


@dataclass(frozen=True)
class ChunkRow:
    """A passage as the catalog lists it for a consistency check."""

    chunk_id: str
    article_id: str
    start: int
    end: int


@dataclass
class Salvage:
    """What could be read out of a damaged catalog file."""

    articles: list[StoredArticle] = field(default_factory=list)
    chunks: dict[str, list[ChunkRow]] = field(default_factory=dict)  # article_id -> its passages
    unreadable: int = 0  # rows (or ranges of rows) SQLite could not read


ARTICLE_COLUMNS = "article_id, origin, path, fingerprint, title, text, published, source, authors, url"


def stored(row: tuple) -> StoredArticle:  # type: ignore[type-arg]
    """A row of ARTICLE_COLUMNS -> StoredArticle."""
    return StoredArticle(
        article_id=row[0],
        origin=row[1],
        path=row[2],
        fingerprint=row[3],
        title=row[4],
        text=row[5],
        published=row[6],
        source=row[7],
        authors=tuple(json.loads(row[8])),
        url=row[9],
    )
