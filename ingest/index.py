"""The index: catalog (articles, chunks, BM25) + Chroma vectors + the embedder that fills them.

Ingest writes through it; the assistant opens the same object to read.  The embedder loads on
first use, so `newsdesk stats` or a re-ingest with nothing new never pays for the model.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from ingest.catalog import Catalog
from ingest.embedder import Embedder, load_embedder
from ingest.settings import Settings
from ingest.vectors import VectorStore


class Index:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog = Catalog(settings.catalog_path)
        self._vectors: VectorStore | None = None

    @classmethod
    def open(cls, settings: Settings) -> "Index":
        return cls(settings)

    @property
    def vectors(self) -> VectorStore:
        if self._vectors is None:
            self._vectors = VectorStore(self.settings)
        return self._vectors

    @cached_property
    def embedder(self) -> Embedder:
        return load_embedder(self.settings.embedder)

    def recover(self) -> list[str]:
        """Undo vector writes of articles whose ingest did not finish (see Catalog docstring)."""
        pending = self.catalog.journal_entries()
        orphans = [aid for aid in pending if not self.catalog.holds(aid)]
        if orphans:
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

    def close(self) -> None:
        self.catalog.close()
