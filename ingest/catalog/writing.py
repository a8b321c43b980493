"""The catalog's writes (ingest, prune, deletions, repair only; always under the index's writer lock)."""

from __future__ import annotations

import json
import time
from typing import Iterable, Mapping, Sequence

from ingest.article import Article
from ingest.catalog.reading import CatalogReading
from ingest.chunking import Chunk
from ingest.scope import day_number


class CatalogWriting(CatalogReading):
    def journal_add(self, article_ids: Iterable[str], vectors: Iterable[tuple[str, str]] = ()) -> None:
        """Record, durably and in one transaction, that vectors for these articles are about to
        change, and the ids of the vectors about to be written ((chunk_id, article_id) pairs):
        recovery deletes those by id, because a crashed writer's last Chroma write may not be
        visible to the recovering process yet (see ingest/catalog/__init__.py)."""
        now = time.time()
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO journal(article_id, since) VALUES (?, ?)", [(a, now) for a in article_ids]
            )
            self.db.executemany("INSERT OR REPLACE INTO journal_vectors(chunk_id, article_id) VALUES (?, ?)", list(vectors))

    def journal_clear(self, article_ids: Iterable[str]) -> None:
        ids = [(a,) for a in article_ids]
        with self.db:
            self.db.executemany("DELETE FROM journal WHERE article_id=?", ids)
            self.db.executemany("DELETE FROM journal_vectors WHERE article_id=?", ids)

    def journaled_vectors_without_passage(self) -> list[str]:
        """Ids of journaled vectors whose passage the catalog does not hold: what an interrupted
        write may have left in Chroma (the recovering writer's own view of Chroma may not show
        them yet, so they are deleted by id, never looked up)."""
        rows = self.db.execute(
            "SELECT chunk_id FROM journal_vectors WHERE chunk_id NOT IN (SELECT chunk_id FROM chunks) ORDER BY chunk_id"
        )
        return [r[0] for r in rows]

    def set_stamps(self, stamps: Mapping[str, str]) -> None:
        """Record what built the index (e.g. the embedding model), replacing earlier values."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", list(stamps.items()))

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
                self._insert_article(article, now)
                for chunk in chunks:
                    self._insert_chunk(chunk, article.title)

    def _insert_article(self, article: Article, indexed_at: float) -> None:
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
                indexed_at,
            ),
        )

    def _insert_chunk(self, chunk: Chunk, title: str) -> None:
        cursor = self.db.execute(
            "INSERT INTO chunks(chunk_id, article_id, start, end) VALUES (?,?,?,?)",
            (chunk.chunk_id, chunk.article_id, chunk.start, chunk.end),
        )
        self.db.execute("INSERT INTO chunks_fts(rowid, title, body) VALUES (?,?,?)", (cursor.lastrowid, title, chunk.text))

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
