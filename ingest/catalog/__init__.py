"""The article catalog: SQLite beside the vectors, the source of truth for what is indexed.

It holds every indexed article's text and metadata (quotes are verified against it), each
chunk's offsets, the lexical BM25 index (SQLite FTS5, updated in the same transaction as the
articles, so it never drifts and is never rebuilt per query), the index's stamps (which
embedding model built the vectors), and a small journal that makes ingest crash-safe.

The crash journal: article ids, and the ids of the vectors about to be written, are journaled
(one transaction) before the vectors go to Chroma, and an article row exists only once its
vectors are in.  After a crash, `Index.recover()` deletes by id every journaled vector whose
passage the catalog does not hold, then the vectors of every journaled article it does not hold.
By id, not by a lookup: embedded Chroma appends a write to its log, then applies it to the
tables every process reads; a writer killed between the two leaves records that the recovering
writer cannot see (its lookup by article finds nothing) and that the next write by any process,
or the next process to open the collection, applies: orphans, once the journal is gone.  A
delete by id is a tombstone after them in Chroma's log: whoever applies it, they end deleted.  (Found by benchmarks/reliability_stress.py; tests/e2e/test_crash_windows.py.)

The writer lock: every write (ingest, prune, `check --repair`, the UI's uploads and deletions) runs while holding
the index-wide lock `<index>/writer.lock` (ingest/lock.py), so the journal only ever holds the
work of a writer that is gone, and recovery can never undo a live writer's vectors.  Readers
take no lock: SQLite WAL gives them the last committed state while a writer works.

One package, one job per module: connection.py (opening, read-only, SQLite errors -> newsdesk
errors), reading.py, writing.py, integrity.py (quick_check, FTS rebuild, salvage), records.py.
"""

from __future__ import annotations

from ingest.catalog.connection import SCHEMA_VERSION, guarded
from ingest.catalog.integrity import CatalogIntegrity
from ingest.catalog.records import CatalogStats, ChunkRow, LexicalHit, LibraryEntry, Salvage, StoredArticle

__all__ = [
    "SCHEMA_VERSION", "Catalog", "CatalogStats", "ChunkRow", "LexicalHit", "LibraryEntry", "Salvage", "StoredArticle",
]


@guarded
class Catalog(CatalogIntegrity):
    """SQLite catalog + FTS5 lexical index.  One writer at a time (under the writer lock); many
    readers.  `Catalog(path)` opens (or creates) it for writing, `Catalog(path, writable=False)`
    read-only.  Every SQLite error leaves its methods as a one-line newsdesk error."""
