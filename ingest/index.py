"""The index: catalog (articles, chunks, BM25) + Chroma vectors + the embedder that fills them.

Ingest writes through it (`Index.open(settings)`, then `with index.writing(...)`: the writer
lock of ingest/lock.py); every command that only reads opens it with `writable=False`, which
never creates or changes a file, and works on a read-only index.  The embedder loads on first
use, so `newsdesk stats` or a re-ingest with nothing new never pays for the model.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cached_property
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from ingest.article import Article
from ingest.catalog import Catalog
from ingest.chunking import Chunk
from ingest.embedder import MODEL_STAMP, Embedder, load_embedder, passage_input
from ingest.errors import REPAIR_HINT, IndexDamaged, IndexUnavailable
from ingest.lock import no_writer, writer_lock
from ingest.scope import Scope
from ingest.settings import Settings
from ingest.vectors import VectorHit, VectorStore

STAMP_KEY = "embedding_model"


class Index:
    def __init__(self, settings: Settings, writable: bool = True) -> None:
        self.settings = settings
        self.writable = writable
        self.catalog = Catalog(settings.catalog_path, writable=writable)
        self._vectors: VectorStore | NoVectors | None = None
        self._lock_held = False

    @classmethod
    def open(cls, settings: Settings, writable: bool = True) -> "Index":
        return cls(settings, writable)

    @property
    def vectors(self) -> "VectorStore | NoVectors":
        if self._vectors is None:
            try:
                self._vectors = VectorStore(self.settings, writable=self.writable)
            except IndexDamaged:
                if self.writable or self.catalog.counts()[0]:
                    raise
                self._vectors = NoVectors()  # nothing was ever embedded: an empty index, not a damaged one
        return self._vectors

    @cached_property
    def embedder(self) -> Embedder:
        return load_embedder(self.settings.embedder)

    @contextmanager
    def writing(self, purpose: str, on_wait: Callable[[str], None] = lambda line: None) -> Iterator[None]:
        """Hold the index's writer lock (waiting for another writer, see ingest/lock.py) and make
        sure the index's vectors are of this newsdesk's embedding model."""
        with writer_lock(self.settings.index, purpose, self.settings.lock_wait_seconds, on_wait):
            self._lock_held = True
            try:
                yield
            finally:
                self._lock_held = False

    def stamp_model(self) -> None:
        """Record the embedding model on an index that has none (built before stamps existed, or
        new); refuse to mix another model's vectors into an index."""
        stamped = self.catalog.stamp().get(STAMP_KEY)
        if stamped is None:
            self.catalog.set_stamps({STAMP_KEY: MODEL_STAMP})
        elif stamped != MODEL_STAMP:
            raise IndexUnavailable(model_mismatch(stamped) + "; `newsdesk check --repair` embeds every passage again")

    def recover(self, locked: bool = False) -> list[str]:
        """Undo vector writes of articles whose ingest did not finish (see ingest/catalog): the
        journaled vectors without a passage by id, then the articles the catalog does not hold.

        Only under the writer lock (`with index.writing(...)`, or `locked=True` from a caller that
        holds it itself): the journal then holds nothing but the work of writers that are gone,
        so recovery can never delete the vectors of a live one."""
        if not (self._lock_held or locked):
            raise RuntimeError("Index.recover() needs the writer lock: use `with index.writing(...)`")
        pending = self.catalog.journal_entries()
        orphans = [aid for aid in pending if not self.catalog.holds(aid)]
        strays = self.catalog.journaled_vectors_without_passage()
        if strays:  # by id: a tombstone after the crashed write in Chroma's log, seen or not
            self.vectors.delete_ids(strays)
        if orphans:  # replaced or removed articles' older vectors, which every view shows
            self.vectors.delete_articles(orphans)
        self.catalog.journal_clear(pending)
        return orphans

    def describe(self) -> dict[str, Any]:
        """What the index holds, as `newsdesk stats --json` prints it and MCP's `archive_stats` returns it."""
        stats = self.catalog.stats()
        return {
            "index": str(self.settings.index),
            "vectors": self.settings.chroma_url or str(self.settings.chroma_path),
            "articles": stats.articles,
            "chunks": stats.chunks,
            "vectors_stored": self.vectors.count(),
            "first_published": stats.first_published,
            "last_published": stats.last_published,
            "undated": stats.undated,
            "sources": [{"source": s or "(unknown)", "articles": n} for s, n in stats.sources],
        }

    def store(self, written: Sequence[tuple[Article, Sequence[Chunk]]], replaced: Sequence[str] = (),
              progress: Callable[[int], None] | None = None) -> None:
        """Embed and write articles with their passages, by the journal protocol (ingest/catalog):
        journal (articles and vector ids), vectors, one catalog transaction, old vectors out,
        journal cleared.  A crash at any point leaves either nothing or a journal naming what to undo."""
        chunks = [c for _, cs in written for c in cs]
        titles = {a.article_id: a.title for a, _ in written}
        vectors = self.embedder.encode([passage_input(titles[c.article_id], c.text) for c in chunks], progress=progress)
        new_ids = [a.article_id for a, _ in written]
        gone = [r for r in replaced if r not in new_ids]
        # An article stored again under the same id (the same words, spaced otherwise) may be cut
        # at other offsets: its old passages' vectors go too, or they would be orphans.
        cut = {c.chunk_id for c in chunks}
        recut = [(cid, aid) for aid in new_ids for cid, _, _ in self.catalog.article_chunks(aid) if cid not in cut]
        self.catalog.journal_add(new_ids + gone, [(c.chunk_id, c.article_id) for c in chunks] + recut)
        self.vectors.upsert(chunks, vectors, {a.article_id: (a.published, a.source, a.title) for a, _ in written})
        self.catalog.commit_articles(written, gone)
        if recut:
            self.vectors.delete_ids([cid for cid, _ in recut])
        if gone:
            self.vectors.delete_articles(gone)
        self.catalog.journal_clear(new_ids + gone)

    def health(self) -> list[str]:
        """Cheap signs of damage for every command that reads (a few counts, no full scan):
        passages without a vector, a full-text index out of step, vectors of another model.
        Counts are compared only while no writer is at work (a writer's vectors land a moment
        before its catalog commit).  `newsdesk check` does the full comparison."""
        problems: list[str] = []
        stamped = self.catalog.stamp().get(STAMP_KEY)
        if stamped and stamped != MODEL_STAMP:
            problems.append(model_mismatch(stamped))
        with no_writer(self.settings.index) as idle:
            if idle:
                chunks, fts = self.catalog.counts()
                vectors = self.vectors.count()
                if vectors < chunks:
                    problems.append(f"{chunks - vectors} of {chunks} passages have no vector")
                elif vectors > chunks and not self.catalog.journal_entries():
                    problems.append(f"{vectors - chunks} vectors belong to no passage")
                if fts != chunks:
                    problems.append(f"the full-text index has {fts} rows for {chunks} passages")
        return problems

    def close(self) -> None:
        self.catalog.close()


def model_mismatch(stamped: str) -> str:
    return f"its vectors were made by {stamped}, but this newsdesk embeds with {MODEL_STAMP}"


def damage_line(where: object, problems: list[str]) -> str:
    """The one line every reading command shows for a damaged index."""
    return f"the index {where} is damaged: {'; '.join(problems)}; {REPAIR_HINT}"


class NoVectors:
    """The vectors of an index nothing was ever embedded into (read-only: nothing is created)."""

    where = "(no vectors yet)"

    def count(self) -> int:
        return 0

    def query(self, vector: np.ndarray, k: int, scope: Scope = Scope()) -> list[VectorHit]:
        return []

    def all_ids(self) -> list[str]:
        return []

    def passages(self) -> dict[str, tuple[str, int, int]]:
        return {}

    def dimensions(self) -> int | None:
        return None
