"""The catalog's own health: SQLite's quick_check, passages vs the FTS index, rebuilding the FTS
index and the indexes, and reading what can still be read out of a damaged file.

`newsdesk check` (ingest/integrity.py) uses these to compare the catalog with the vectors;
every statement of it lives here because the catalog owns every SQL statement.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Iterator

from ingest.catalog.records import ARTICLE_COLUMNS, ChunkRow, Salvage, stored
from ingest.catalog.writing import CatalogWriting

_FTS_TABLE = "CREATE VIRTUAL TABLE chunks_fts USING fts5(title, body, tokenize='porter unicode61')"
# Rows a page can hold at most, to bound the probing of a table whose max(rowid) is unreadable.
_ROWS_PER_PAGE = 200


class CatalogIntegrity(CatalogWriting):
    def quick_check(self) -> list[str]:
        """SQLite's `PRAGMA quick_check`: [] when the file is sound, else what it found (or the
        error that stopped it)."""
        try:
            rows = [str(r[0]) for r in self.db.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        return [] if rows == ["ok"] else rows

    def fts_problems(self) -> list[str]:
        """Where the FTS index and the passages disagree: rows missing on either side, or (on a
        writable catalog) FTS5's own integrity-check failing."""
        problems: list[str] = []
        missing = self.db.execute(
            "SELECT count(*) FROM chunks WHERE rowid NOT IN (SELECT rowid FROM chunks_fts)"
        ).fetchone()[0]
        extra = self.db.execute("SELECT count(*) FROM chunks_fts WHERE rowid NOT IN (SELECT rowid FROM chunks)").fetchone()[0]
        if missing:
            problems.append(f"{missing} passages missing from the full-text index")
        if extra:
            problems.append(f"{extra} full-text rows of passages that no longer exist")
        if self.writable and not problems:
            try:
                self.db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as exc:
                problems.append(f"full-text index inconsistent ({exc})")
        return problems

    def chunk_rows(self) -> list[ChunkRow]:
        return [ChunkRow(*row) for row in self.db.execute("SELECT chunk_id, article_id, start, end FROM chunks")]

    def chunk_rows_of(self, article_ids: list[str]) -> list[tuple[ChunkRow, str, str]]:
        """(passage, its text, its article's title) for the passages of these articles."""
        found: list[tuple[ChunkRow, str, str]] = []
        for i in range(0, len(article_ids), 500):
            part = article_ids[i : i + 500]
            rows = self.db.execute(
                "SELECT c.chunk_id, c.article_id, c.start, c.end, substr(a.text, c.start + 1, c.end - c.start), a.title "
                f"FROM chunks c JOIN articles a ON a.article_id = c.article_id WHERE c.article_id IN ({','.join('?' * len(part))})",
                part,
            ).fetchall()
            found.extend((ChunkRow(r[0], r[1], r[2], r[3]), str(r[4]), str(r[5])) for r in rows)
        return found

    def articles_without_chunks(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT article_id FROM articles WHERE article_id NOT IN (SELECT article_id FROM chunks)"
        )]  # fmt: skip

    def rebuild_fts(self) -> int:
        """Drop the FTS index and fill it again from the passages; returns the rows written."""
        with self.db:
            self.db.execute("DROP TABLE IF EXISTS chunks_fts")
            self.db.execute(_FTS_TABLE)
            self.db.execute(
                "INSERT INTO chunks_fts(rowid, title, body) "
                "SELECT c.rowid, a.title, substr(a.text, c.start + 1, c.end - c.start) "
                "FROM chunks c JOIN articles a ON a.article_id = c.article_id"
            )
        return int(self.db.execute("SELECT count(*) FROM chunks_fts").fetchone()[0])

    def reindex(self) -> None:
        """Rebuild every ordinary index from its table (fixes "row missing from index")."""
        self.db.execute("REINDEX")
        self.db.commit()

    def salvage(self) -> Salvage:
        """Every article and passage row that can still be read, skipping unreadable ones."""
        out = Salvage()
        for row in self._readable_rows("articles", ARTICLE_COLUMNS, out):
            try:
                out.articles.append(stored(row))
            except (TypeError, ValueError, json.JSONDecodeError):
                out.unreadable += 1
        for row in self._readable_rows("chunks", "chunk_id, article_id, start, end", out):
            try:
                chunk = ChunkRow(str(row[0]), str(row[1]), int(row[2]), int(row[3]))
            except (TypeError, ValueError):
                out.unreadable += 1
                continue
            out.chunks.setdefault(chunk.article_id, []).append(chunk)
        return out

    def _readable_rows(self, table: str, columns: str, out: Salvage) -> Iterator[tuple]:  # type: ignore[type-arg]
        """Rows of `table` in rowid order; once a scan hits a damaged page, each remaining rowid
        is probed alone, so one bad page costs only the rows on it."""
        last = 0
        try:
            for row in self.db.execute(f"SELECT rowid, {columns} FROM {table} ORDER BY rowid"):
                last = row[0]
                yield row[1:]
            return
        except sqlite3.DatabaseError:
            out.unreadable += 1
        for rowid in range(last + 1, self._rowid_bound(table) + 1):
            try:
                row = self.db.execute(f"SELECT {columns} FROM {table} WHERE rowid=?", (rowid,)).fetchone()
            except sqlite3.DatabaseError:
                out.unreadable += 1
                continue
            if row is not None:
                yield row

    def _rowid_bound(self, table: str) -> int:
        try:
            top = self.db.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
            if top is not None:
                return int(top)
        except sqlite3.DatabaseError:
            pass
        pages = int(self.db.execute("PRAGMA page_count").fetchone()[0])
        return pages * _ROWS_PER_PAGE
