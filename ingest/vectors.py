"""Passage vectors in Chroma: embedded PersistentClient by default, a Chroma server on request.

We always hand Chroma our own vectors (it must never fall back to its default embedding
function, which downloads a model), use cosine space to match the normalised MiniLM vectors,
and split writes to Chroma's max batch size.  Metadata carries what filters need (article id,
publication day as a number, lower-cased source) and the chunk's offsets.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from ingest.chunking import Chunk
from ingest.errors import REPAIR_HINT, IndexDamaged, IndexUnavailable, IndexWriteFailed
from ingest.scope import Scope, day_number
from ingest.settings import Settings


@dataclass(frozen=True)
class VectorHit:
    chunk_id: str
    article_id: str
    start: int
    end: int
    similarity: float  # cosine similarity, 1 = same direction
    published_day: int = 0
    source_key: str = ""


def chroma_where(scope: Scope) -> dict[str, Any] | None:
    """The Scope as a Chroma `where` (the rule is defined in ingest/scope.py)."""
    clauses: list[dict[str, Any]] = []
    if scope.since_day:
        clauses.append({"published_day": {"$gte": scope.since_day}})
    if scope.until_day:
        clauses.append({"published_day": {"$lte": scope.until_day}})
        clauses.append({"published_day": {"$gt": 0}})
    if scope.sources:
        clauses.append({"source_key": {"$in": sorted(scope.sources)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class VectorStore:
    """The Chroma collection of passage vectors.

    `writable=False` (every command that only reads) never creates anything: a missing folder or
    collection is damage (IndexDamaged, pointing to `newsdesk check --repair`), and an embedded
    Chroma on a folder we may not write is opened from a private temporary copy, because
    chromadb 1.5 cannot open its SQLite file read-only (it fails with "attempt to write a
    readonly database" even with migrations="none").
    """

    def __init__(self, settings: Settings, writable: bool = True) -> None:
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        self.read_only_copy: Path | None = None
        try:
            if settings.chroma_url:
                host, port, ssl = settings.chroma_address()
                self.client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
                self.client.heartbeat()
                self.where = f"Chroma server {settings.chroma_url}"
            else:
                path = settings.chroma_path
                if writable:
                    path.mkdir(parents=True, exist_ok=True)
                elif not path.is_dir():
                    raise IndexDamaged(f"{path}: the vectors folder is missing; {REPAIR_HINT}")
                elif not os.access(path, os.W_OK):
                    path = self.read_only_copy = _private_copy(path)
                self.client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
                self.where = str(settings.chroma_path)
            if writable:
                self.collection = self.client.get_or_create_collection(
                    settings.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
                )
            else:
                self.collection = self._existing(settings.collection)
            self.max_batch = int(self.client.get_max_batch_size())
        except IndexUnavailable:
            raise
        except Exception as exc:  # chromadb raises many unrelated types for "cannot reach/open"
            target = settings.chroma_url or settings.chroma_path
            raise IndexUnavailable(f"{target}: cannot open the Chroma collection ({exc})") from exc

    def _existing(self, name: str) -> Any:
        try:
            return self.client.get_collection(name, embedding_function=None)
        except Exception as exc:  # NotFoundError, or ValueError in older clients
            if "does not exist" in str(exc) or "not found" in str(exc).lower():
                raise IndexDamaged(f"{self.where}: the vector collection {name!r} is missing; {REPAIR_HINT}") from exc
            raise

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray, meta: dict[str, tuple[str, str, str]]) -> None:
        """Write chunks; `meta` maps article_id -> (published ISO, source, title)."""
        for i in range(0, len(chunks), self.max_batch):
            part = chunks[i : i + self.max_batch]
            with self._writing():
                self.collection.upsert(
                    ids=[c.chunk_id for c in part],
                    embeddings=vectors[i : i + len(part)].tolist(),
                    metadatas=[
                        {
                            "article_id": c.article_id,
                            "start": c.start,
                            "end": c.end,
                            "published_day": day_number(meta[c.article_id][0]),
                            "source_key": meta[c.article_id][1].lower(),
                            "title": meta[c.article_id][2][:500],
                        }
                        for c in part
                    ],
                )

    def delete_articles(self, article_ids: Sequence[str]) -> None:
        for i in range(0, len(article_ids), 100):
            part = list(article_ids[i : i + 100])
            with self._writing():
                self.collection.delete(where={"article_id": {"$in": part}})

    def delete_ids(self, chunk_ids: Sequence[str]) -> None:
        """Drop these passages' vectors (orphans found by `newsdesk check`)."""
        for i in range(0, len(chunk_ids), self.max_batch):
            with self._writing():
                self.collection.delete(ids=list(chunk_ids[i : i + self.max_batch]))

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Chroma's write errors (SQLite code 13 "database or disk is full", 778 "disk I/O
        error", ...) as one IndexWriteFailed line; the crash journal makes the retry safe."""
        try:
            yield
        except Exception as exc:  # chromadb.errors.InternalError and friends have no common base
            raise IndexWriteFailed(f"{self.where}: cannot write the vectors ({exc}): is the disk full? Free space and run it again") from exc

    def count(self) -> int:
        return int(self.collection.count())

    def query(self, vector: np.ndarray, k: int, scope: Scope = Scope()) -> list[VectorHit]:
        """Nearest passages in scope.  A scope makes Chroma filter exactly but costs ~80 ms on 29k
        passages (vs ~5 ms unfiltered), so the retriever post-filters a larger unfiltered pool first."""
        where = chroma_where(scope)
        try:
            return self._query(vector, k, where)
        except Exception:  # chromadb's InternalError over embedded Chroma, others over HTTP
            if where is None:
                raise
            # While another process writes, a filtered query can meet ids it deleted a moment ago
            # (Chroma: "Error finding id": its metadata filter and vector segment disagree until
            # this process catches up).  Unfiltered queries do not; post-filter a wide pool by the
            # same rule instead of failing the question.
            pool = self._query(vector, max(k * 20, 500), None)
            return [h for h in pool if scope.admits(h.published_day, h.source_key)][:k]

    def _query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None) -> list[VectorHit]:
        result = self.collection.query(
            query_embeddings=[vector.tolist()],
            n_results=max(k, 1),
            where=where,
            include=["metadatas", "distances"],
        )
        hits: list[VectorHit] = []
        for cid, meta, dist in zip(result["ids"][0], result["metadatas"][0], result["distances"][0]):
            hits.append(
                VectorHit(
                    cid,
                    str(meta["article_id"]),
                    int(meta["start"]),
                    int(meta["end"]),
                    1.0 - float(dist),
                    int(meta.get("published_day") or 0),
                    str(meta.get("source_key") or ""),
                )
            )
        return hits

    def all_ids(self) -> list[str]:
        return list(self.collection.get(include=[])["ids"])

    def passages(self) -> dict[str, tuple[str, int, int]]:
        """chunk_id -> (article_id, start, end) as the vectors' metadata records them."""
        found: dict[str, tuple[str, int, int]] = {}
        total = self.count()
        for offset in range(0, total, 5000):
            got = self.collection.get(include=["metadatas"], limit=5000, offset=offset)
            for cid, meta in zip(got["ids"], got["metadatas"]):
                meta = meta or {}
                found[cid] = (str(meta.get("article_id", "")), int(meta.get("start", -1)), int(meta.get("end", -1)))
        return found

    def titles_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """article_id -> the title its vectors carry (to name articles a damaged catalog lost)."""
        titles: dict[str, str] = {}
        for i in range(0, len(article_ids), 100):
            got = self.collection.get(where={"article_id": {"$in": list(article_ids[i : i + 100])}}, include=["metadatas"])
            for meta in got["metadatas"]:
                if meta:
                    titles.setdefault(str(meta.get("article_id")), str(meta.get("title", "")))
        return titles

    def dimensions(self) -> int | None:
        """Length of the stored vectors (None when there are none)."""
        got = self.collection.get(include=["embeddings"], limit=1)
        embeddings = got.get("embeddings")
        return None if embeddings is None or len(embeddings) == 0 else len(embeddings[0])


def _private_copy(path: Path) -> Path:
    """A copy of a read-only Chroma folder in a temporary folder, removed when the process ends."""
    copy = Path(tempfile.mkdtemp(prefix="newsdesk-readonly-chroma-"))
    atexit.register(shutil.rmtree, copy, True)
    shutil.copytree(path, copy / "chroma", copy_function=shutil.copyfile)
    for folder, _, files in os.walk(copy):  # copytree keeps the folders' read-only modes
        os.chmod(folder, 0o700)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o600)
    return copy / "chroma"
