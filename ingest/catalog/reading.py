"""The catalog's read queries: articles, passages, BM25 search, statistics."""

from __future__ import annotations

from datetime import date
from typing import Iterable, Iterator, Sequence

from ingest.catalog.connection import CatalogConnection
from ingest.catalog.records import ARTICLE_COLUMNS, CatalogStats, LexicalHit, LibraryEntry, StoredArticle, stored
from ingest.scope import Scope, day_date, day_number


class CatalogReading(CatalogConnection):
    """What every face reads: safe on a read-only catalog."""

    def fingerprint_of(self, origin: str) -> tuple[str, str] | None:
        """(article_id, fingerprint) stored for an origin, or None."""
        row = self.db.execute("SELECT article_id, fingerprint FROM articles WHERE origin=?", (origin,)).fetchone()
        return (row[0], row[1]) if row else None

    def origin_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT origin FROM articles WHERE article_id=?", (article_id,)).fetchone()
        return row[0] if row else None

    def holds(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE article_id=?", (article_id,)).fetchone() is not None

    def article(self, article_id: str) -> StoredArticle | None:
        row = self.db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE article_id=?", (article_id,)).fetchone()
        return stored(row) if row else None

    def articles(self, article_ids: Iterable[str]) -> dict[str, StoredArticle]:
        ids = list(dict.fromkeys(article_ids))
        found: dict[str, StoredArticle] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            rows = self.db.execute(
                f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE article_id IN ({','.join('?' * len(part))})", part
            ).fetchall()
            found.update((r[0], stored(r)) for r in rows)
        return found

    def iter_articles(self, ordered: bool = True) -> Iterator[StoredArticle]:
        """Every article, oldest first (`ordered=False`: in storage order, which costs no sort)."""
        cursor = self.db.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles" + (" ORDER BY published_day, article_id" if ordered else "")
        )
        for row in cursor:
            yield stored(row)

    def newest_day(self, not_after: date | None = None) -> date | None:
        """The newest publication date in the archive (None when nothing is dated).

        `not_after` (today, for the anchor of time words) leaves out dates after it: an article
        misdated 2099-12-31 keeps its date as metadata but must not become "now"."""
        limit = day_number(not_after.isoformat()) if not_after else 99999999
        row = self.db.execute("SELECT max(published_day) FROM articles WHERE published_day <= ?", (limit,)).fetchone()
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

    def path_held(self, path: str) -> bool:
        """Whether any indexed article came from this file."""
        return self.db.execute("SELECT 1 FROM articles WHERE path=? LIMIT 1", (path,)).fetchone() is not None

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
        return self.articles_matching([[t] for t in terms if t], scope)

    def articles_matching(
        self, groups: Sequence[Sequence[str]], scope: Scope = Scope(), limit: int | None = None
    ) -> dict[str, str]:
        """article_id -> published for the articles in scope holding, for every group, one of its
        phrases ("north korea" is a phrase: its words in a row); newest first when `limit` cuts."""
        groups = [[p for p in group if p.strip()] for group in groups]
        if not groups or not all(groups):
            return {}
        where, params = _matching([_any_of(g) for g in groups], " AND ", scope, quoted=True)
        sql = (
            "SELECT DISTINCT a.article_id, a.published, a.published_day FROM chunks_fts "
            "JOIN chunks c ON c.rowid = chunks_fts.rowid "
            f"JOIN articles a ON a.article_id = c.article_id WHERE {where}"
        )
        if limit is not None:
            sql += " ORDER BY a.published_day DESC LIMIT ?"
            params.append(limit)
        return {aid: published for aid, published, _ in self.db.execute(sql, params).fetchall()}

    def passages_mentioning(self, term: str, cap: int = 20) -> int:
        """How many passages hold the word (FTS, porter stems), counted up to `cap`: 0 means the
        archive never uses it; the cap keeps a common word as cheap as a rare one."""
        if not term.strip():
            return 0
        row = self.db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?)", (_phrase(term), cap)
        ).fetchone()
        return int(row[0]) if row else 0

    def passage_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM chunks").fetchone()[0])

    def dated_range(self, scope: Scope = Scope()) -> tuple[int, str, str]:
        """(dated articles the scope admits, the first and the last publication date among them)."""
        where, params = _scope_clause(scope)
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

    def journal_entries(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT article_id FROM journal")]

    def stamp(self) -> dict[str, str]:
        """The index's stamps (meta table): schema version, and the embedding model that built its
        vectors (absent in indexes built before stamps existed)."""
        return {str(k): str(v) for k, v in self.db.execute("SELECT key, value FROM meta")}

    def counts(self) -> tuple[int, int]:
        """(passages, FTS rows): equal in a sound catalog, whose one transaction writes both."""
        chunks = self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        fts = self.db.execute("SELECT count(*) FROM chunks_fts").fetchone()[0]
        return int(chunks), int(fts)

    # -- the library: what the chat UI lists, opens and deletes (issue 15) --------------------

    def library(self, query: str = "", limit: int = 100) -> list[LibraryEntry]:
        """Articles whose title or source contains `query` (any case), newest first, undated last."""
        where, params = _library_match(query)
        rows = self.db.execute(
            "SELECT a.article_id, a.title, a.source, a.published, a.path, "
            "(SELECT count(*) FROM chunks c WHERE c.article_id = a.article_id) "
            f"FROM articles a {where} ORDER BY a.published_day DESC, a.title, a.article_id LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [LibraryEntry(*row) for row in rows]

    def library_size(self, query: str = "") -> int:
        """How many articles `library(query)` would list without a limit."""
        where, params = _library_match(query)
        return int(self.db.execute(f"SELECT count(*) FROM articles a {where}", params).fetchone()[0])


def _library_match(query: str) -> tuple[str, list[object]]:
    text = " ".join((query or "").split()).lower()
    if not text:
        return "", []
    return "WHERE instr(lower(a.title), ?) > 0 OR instr(lower(a.source), ?) > 0", [text, text]


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _any_of(phrases: Sequence[str]) -> str:
    """An FTS5 expression matching any of the phrases."""
    return "(" + " OR ".join(_phrase(p) for p in phrases) + ")"


def _matching(terms: Sequence[str], joiner: str, scope: Scope, quoted: bool = False) -> tuple[str, list[object]]:
    """WHERE clause and parameters: the FTS query (each term quoted, or already an FTS expression
    when `quoted`, joined by OR/AND) within the scope."""
    where, params = _scope_clause(scope)
    match = joiner.join(t if quoted else _phrase(t) for t in terms if t)
    return " AND ".join(["chunks_fts MATCH ?", *where]), [match, *params]


def _scope_clause(scope: Scope) -> tuple[list[str], list[object]]:
    """The scope's conditions on the articles table `a` (the rule of ingest/scope.py) and their
    parameters."""
    where: list[str] = []
    params: list[object] = []
    if scope.since_day:
        where.append("a.published_day >= ?")
        params.append(scope.since_day)
    if scope.until_day:
        where.append("a.published_day <= ? AND a.published_day > 0")
        params.append(scope.until_day)
    if scope.sources:
        where.append(f"lower(a.source) IN ({','.join('?' * len(scope.sources))})")
        params.extend(sorted(scope.sources))
    return where, params
