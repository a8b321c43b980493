"""The article catalog: SQLite beside the vectors, the source of truth for what is indexed.

It holds every indexed article's text and metadata (quotes are verified against it), each
chunk's offsets, the lexical BM25 index (SQLite FTS5, updated in the same transaction as the
articles, so it never drifts and is never rebuilt per query), and a small journal that makes
ingest crash-safe: article ids are journaled before their vectors are written to Chroma, and
an article row exists only once its vectors are in.  After a crash, `recover()` removes the
vectors of every journaled article the catalog does not hold.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ingest.article import Article
from ingest.chunking import Chunk
from ingest.errors import IndexUnavailable
from ingest.scope import Scope, day_date, day_number

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles(
    article_id TEXT PRIMARY KEY,
    origin TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    published TEXT NOT NULL,
    published_day INTEGER NOT NULL,
    source TEXT NOT NULL,
    authors TEXT NOT NULL,
    url TEXT NOT NULL,
    indexed_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_path ON articles(path);
CREATE INDEX IF NOT EXISTS articles_day ON articles(published_day);
CREATE TABLE IF NOT EXISTS chunks(
    rowid INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL REFERENCES articles(article_id),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(title, body, tokenize='porter unicode61');
CREATE TABLE IF NOT EXISTS journal(article_id TEXT PRIMARY KEY, since REAL NOT NULL);
"""


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


class Catalog:
    """SQLite catalog + FTS5 lexical index.  One writer at a time (ingest); many readers.

    Each thread gets its own connection (`db`): the chat UI answers, uploads and refreshes its
    status line from different threads, and the retriever scores BM25 in a worker thread.
    Sharing one connection across them let one thread's statement hold a read snapshot while
    another expected the latest commit; with a connection per thread, WAL gives every reader
    the last committed state.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._open: list[sqlite3.Connection] = []
        self._open_lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = self.db
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise IndexUnavailable(f"{path}: cannot open the catalog ({exc})") from exc

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection to the catalog (opened on first use)."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            # check_same_thread=False only so that close() may close every thread's connection.
            connection = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
            with self._open_lock:
                self._open.append(connection)
        return connection

    def close(self) -> None:
        with self._open_lock:
            for connection in self._open:
                connection.close()
            self._open.clear()
        self._local = threading.local()

    # -- reading ---------------------------------------------------------------------------

    def fingerprint_of(self, origin: str) -> tuple[str, str] | None:
        """(article_id, fingerprint) stored for an origin, or None."""
        row = self.db.execute("SELECT article_id, fingerprint FROM articles WHERE origin=?", (origin,)).fetchone()
        return (row[0], row[1]) if row else None

    def origin_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT origin FROM articles WHERE article_id=?", (article_id,)).fetchone()
        return row[0] if row else None

    def article(self, article_id: str) -> StoredArticle | None:
        row = self.db.execute(
            "SELECT article_id, origin, path, fingerprint, title, text, published, source, authors, url "
            "FROM articles WHERE article_id=?",
            (article_id,),
        ).fetchone()
        return _stored(row) if row else None

    def articles(self, article_ids: Iterable[str]) -> dict[str, StoredArticle]:
        ids = list(dict.fromkeys(article_ids))
        found: dict[str, StoredArticle] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            rows = self.db.execute(
                "SELECT article_id, origin, path, fingerprint, title, text, published, source, authors, url "
                f"FROM articles WHERE article_id IN ({','.join('?' * len(part))})",
                part,
            ).fetchall()
            found.update((r[0], _stored(r)) for r in rows)
        return found

    def iter_articles(self, ordered: bool = True) -> Iterator[StoredArticle]:
        """Every article, oldest first (`ordered=False`: in storage order, which costs no sort)."""
        cursor = self.db.execute(
            "SELECT article_id, origin, path, fingerprint, title, text, published, source, authors, url "
            "FROM articles" + (" ORDER BY published_day, article_id" if ordered else "")
        )
        for row in cursor:
            yield _stored(row)

    def newest_day(self) -> date | None:
        """The newest publication date in the archive (None when nothing is dated)."""
        row = self.db.execute("SELECT max(published_day) FROM articles").fetchone()
        return day_date(row[0]) if row and row[0] else None

    def any_article_contains(self, phrases: Iterable[str]) -> bool:
        """Whether any article's text contains one of the phrases (case-insensitive substring)."""
        return any(
            self.db.execute("SELECT 1 FROM articles WHERE instr(lower(text), lower(?)) > 0 LIMIT 1", (p,)).fetchone()
            for p in phrases
        )

    def origins_by_path(self) -> dict[str, list[tuple[str, str]]]:
        """path -> [(origin, article_id)], for pruning."""
        out: dict[str, list[tuple[str, str]]] = {}
        for origin, path, aid in self.db.execute("SELECT origin, path, article_id FROM articles"):
            out.setdefault(path, []).append((origin, aid))
        return out

    def chunk_spans(self, chunk_ids: Sequence[str]) -> dict[str, tuple[str, int, int]]:
        """chunk_id -> (article_id, start, end) for chunks the catalog holds."""
        out: dict[str, tuple[str, int, int]] = {}
        for i in range(0, len(chunk_ids), 500):
            part = list(chunk_ids[i : i + 500])
            rows = self.db.execute(
                f"SELECT chunk_id, article_id, start, end FROM chunks WHERE chunk_id IN ({','.join('?' * len(part))})",
                part,
            ).fetchall()
            out.update((r[0], (r[1], r[2], r[3])) for r in rows)
        return out

    def article_chunks(self, article_id: str) -> list[tuple[str, int, int]]:
        return self.db.execute(
            "SELECT chunk_id, start, end FROM chunks WHERE article_id=? ORDER BY start", (article_id,)
        ).fetchall()

    def lexical_search(self, terms: Sequence[str], limit: int, scope: Scope = Scope()) -> list[LexicalHit]:
        """BM25 over chunk bodies and titles (title matches weigh double) for any of the terms."""
        if not any(terms):
            return []
        where, params = _matching(terms, " OR ", scope)
        sql = (
            "SELECT c.chunk_id, c.article_id, c.start, c.end, bm25(chunks_fts, 2.0, 1.0) AS s "
            "FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
            "JOIN articles a ON a.article_id = c.article_id "
            f"WHERE {where} ORDER BY s LIMIT ?"
        )
        rows = self.db.execute(sql, [*params, limit]).fetchall()
        return [LexicalHit(r[0], r[1], r[2], r[3], -float(r[4])) for r in rows]

    def articles_with_all_terms(self, terms: Sequence[str], scope: Scope = Scope()) -> dict[str, str]:
        """article_id -> published for the articles in scope holding every term (FTS, porter stems)."""
        if not any(terms):
            return {}
        where, params = _matching(terms, " AND ", scope)
        rows = self.db.execute(
            "SELECT DISTINCT a.article_id, a.published FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
            f"JOIN articles a ON a.article_id = c.article_id WHERE {where}",
            params,
        ).fetchall()
        return {aid: published for aid, published in rows}

    def passages_mentioning(self, term: str, cap: int = 20) -> int:
        """How many passages hold the word (FTS, porter stems), counted up to `cap`: 0 means the
        archive never uses it; the cap keeps a common word as cheap as a rare one."""
        if not term.strip():
            return 0
        row = self.db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?)",
            ('"' + term.replace('"', '""') + '"', cap),
        ).fetchone()
        return int(row[0]) if row else 0

    def passage_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM chunks").fetchone()[0])

    def dated_range(self, scope: Scope = Scope()) -> tuple[int, str, str]:
        """(dated articles the scope admits, the first and the last publication date among them)."""
        where, params = _scope_clause(scope, "a")
        sql = f"SELECT count(*), min(a.published), max(a.published) FROM articles a WHERE {' AND '.join(['a.published_day > 0', *where])}"
        count, first, last = self.db.execute(sql, params).fetchone()
        return int(count), first or "", last or ""

    def stats(self) -> CatalogStats:
        articles, first, last = self.db.execute(
            "SELECT count(*), min(NULLIF(published, '')), max(NULLIF(published, '')) FROM articles"
        ).fetchone()
        undated = self.db.execute("SELECT count(*) FROM articles WHERE published=''").fetchone()[0]
        chunks = self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        sources = self.db.execute(
            "SELECT source, count(*) FROM articles GROUP BY source ORDER BY count(*) DESC, source"
        ).fetchall()
        return CatalogStats(articles, chunks, first or "", last or "", undated, [(s, n) for s, n in sources])

    def recent_headlines(self, limit: int, lead_chars: int = 1500) -> list[tuple[str, str, str]]:
        """(title, published, start of text) of the newest articles, undated last; reads no full texts."""
        rows = self.db.execute(
            "SELECT title, published, substr(text, 1, ?) FROM articles ORDER BY published_day DESC, article_id LIMIT ?",
            (lead_chars, limit),
        ).fetchall()
        return [(str(t), str(p), str(lead)) for t, p, lead in rows]

    def sources(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT source FROM articles WHERE source!='' ORDER BY 1")]

    # -- writing (ingest only) ---------------------------------------------------------------

    def journal_add(self, article_ids: Iterable[str]) -> None:
        """Record, durably, that vectors for these articles are about to change."""
        now = time.time()
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO journal(article_id, since) VALUES (?, ?)", [(a, now) for a in article_ids]
            )

    def journal_entries(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT article_id FROM journal")]

    def journal_clear(self, article_ids: Iterable[str]) -> None:
        with self.db:
            self.db.executemany("DELETE FROM journal WHERE article_id=?", [(a,) for a in article_ids])

    def holds(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE article_id=?", (article_id,)).fetchone() is not None

    def commit_articles(
        self, written: Sequence[tuple[Article, Sequence[Chunk]]], replaced_ids: Sequence[str]
    ) -> None:
        """In one transaction: drop replaced articles, insert the new ones with chunks and FTS rows."""
        now = time.time()
        with self.db:
            for aid in replaced_ids:
                self._delete_article(aid)
            for article, chunks in written:
                self._delete_article(article.article_id)  # a metadata-only edit keeps the same id
                self.db.execute(
                    "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        article.article_id,
                        article.origin,
                        article.path,
                        article.fingerprint,
                        article.title,
                        article.text,
                        article.published,
                        day_number(article.published),
                        article.source,
                        json.dumps(list(article.authors)),
                        article.url,
                        now,
                    ),
                )
                for chunk in chunks:
                    cursor = self.db.execute(
                        "INSERT INTO chunks(chunk_id, article_id, start, end) VALUES (?,?,?,?)",
                        (chunk.chunk_id, chunk.article_id, chunk.start, chunk.end),
                    )
                    self.db.execute(
                        "INSERT INTO chunks_fts(rowid, title, body) VALUES (?,?,?)",
                        (cursor.lastrowid, article.title, chunk.text),
                    )

    def move_article(self, article_id: str, origin: str, path: str) -> None:
        """The same text now lives in another file: re-point it, keep its chunks and vectors."""
        with self.db:
            self.db.execute("UPDATE articles SET origin=?, path=? WHERE article_id=?", (origin, path, article_id))

    def delete_articles(self, article_ids: Sequence[str]) -> None:
        with self.db:
            for aid in article_ids:
                self._delete_article(aid)

    def _delete_article(self, article_id: str) -> None:
        rowids = [r[0] for r in self.db.execute("SELECT rowid FROM chunks WHERE article_id=?", (article_id,))]
        self.db.executemany("DELETE FROM chunks_fts WHERE rowid=?", [(r,) for r in rowids])
        self.db.execute("DELETE FROM chunks WHERE article_id=?", (article_id,))
        self.db.execute("DELETE FROM articles WHERE article_id=?", (article_id,))


def _matching(terms: Sequence[str], joiner: str, scope: Scope) -> tuple[str, list[object]]:
    """WHERE clause and parameters: the FTS query (each term quoted, joined by OR/AND) within the
    scope (the rule of ingest/scope.py, on the articles table `a`)."""
    where, params = _scope_clause(scope, "a")
    return " AND ".join(["chunks_fts MATCH ?", *where]), [joiner.join('"' + t.replace('"', '""') + '"' for t in terms if t), *params]


def _scope_clause(scope: Scope, table: str) -> tuple[list[str], list[object]]:
    """The scope's conditions on the articles table (aliased `table`) and their parameters."""
    where: list[str] = []
    params: list[object] = []
    if scope.since_day:
        where.append(f"{table}.published_day >= ?")
        params.append(scope.since_day)
    if scope.until_day:
        where.append(f"{table}.published_day <= ? AND {table}.published_day > 0")
        params.append(scope.until_day)
    if scope.sources:
        where.append(f"lower({table}.source) IN ({','.join('?' * len(scope.sources))})")
        params.extend(sorted(scope.sources))
    return where, params


def _stored(row: tuple) -> StoredArticle:  # type: ignore[type-arg]
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
