"""`newsdesk check [--repair]`: is every passage findable, and if not, make it so.

What is checked, in order:
1. the catalog file: SQLite's quick_check, the tables it must have (a 0-byte or foreign file is
   damage, never taken for a new index);
2. the full-text (BM25) index against the passages: a row for each, none extra;
3. the vectors against the passages: exactly one vector per passage, none for a passage the
   catalog does not hold, the same article and offsets on both sides, the right dimensions;
4. the stamps: which embedding model made the vectors (must be this newsdesk's);
5. the crash journal: articles an interrupted ingest left half-written.

`--repair` fixes each in place and says what it did: a damaged catalog is rebuilt from every
row that can still be read (the damaged file is kept beside it as catalog.sqlite3.damaged-<time>,
and the titles of articles it lost are named so their files can be ingested again); the FTS
index is rebuilt; missing vectors are embedded again and orphan vectors dropped.  Everything runs
under the writer lock (ingest/lock.py); on a read-only index only the check runs.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from ingest.catalog import Catalog, ChunkRow, StoredArticle
from ingest.chunking import Chunk, chunk_article
from ingest.embedder import DIMENSIONS, MODEL_STAMP, passage_input
from ingest.errors import REPAIR_HINT, IndexUnavailable, IndexWriteFailed
from ingest.index import STAMP_KEY, Index, model_mismatch
from ingest.lock import writer_lock
from ingest.settings import Settings

EMBED_BATCH = 256


@dataclass
class CheckReport:
    """What `newsdesk check` found and (with --repair) did; printed as text or `--json`."""

    index: str
    articles: int = 0
    passages: int = 0
    vectors: int = 0
    problems: list[str] = field(default_factory=list)  # what is wrong now
    repairs: list[str] = field(default_factory=list)  # what --repair did
    notes: list[str] = field(default_factory=list)  # worth knowing, not wrong

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "ok": self.ok}


def check(settings: Settings, repair: bool = False, on_note: Callable[[str], None] = lambda line: None) -> CheckReport:
    """Check the index (and with `repair`, fix it, then check again)."""
    report = CheckReport(str(settings.index))
    if not settings.index.is_dir():
        report.problems.append(f"no index at {settings.index}: run `newsdesk ingest FOLDER` to make one")
        return report
    try:
        with writer_lock(settings.index, "check --repair" if repair else "check", settings.lock_wait_seconds, on_note):
            if repair:
                _repair(settings, report)
                report.problems.clear()
            _inspect(settings, report)
    except IndexWriteFailed:
        if repair:
            raise  # a read-only index cannot be repaired: that is the one line to show
        report.notes.append("the index is read-only: checked without the writer lock")
        _inspect(settings, report)
    return report


def _inspect(settings: Settings, report: CheckReport) -> None:
    """Fill `report` with every problem found, changing nothing."""
    damaged = _catalog_damage(settings)
    if damaged:
        report.problems.extend(damaged)
        return
    index = Index(settings, writable=False)
    try:
        catalog = index.catalog
        stats = catalog.stats()
        report.articles, report.passages = stats.articles, stats.chunks
        report.problems.extend(catalog.fts_problems())
        stamped = catalog.stamp().get(STAMP_KEY)
        if stamped is None:
            report.notes.append(f"no embedding-model stamp (an index from before stamps); the next ingest or repair records {MODEL_STAMP}")
        elif stamped != MODEL_STAMP:
            report.problems.append(model_mismatch(stamped))
        hollow = catalog.articles_without_chunks()
        if hollow:
            report.problems.append(f"{len(hollow)} articles have no passages")
        journal = catalog.journal_entries()
        if journal:
            report.problems.append(f"an interrupted ingest left {len(journal)} articles half-written")
        try:
            vectors = index.vectors.passages()
        except IndexUnavailable as exc:
            report.problems.append(str(exc).removesuffix(f"; {REPAIR_HINT}"))
            return
        report.vectors = len(vectors)
        missing, orphans, moved = compare(catalog.chunk_rows(), vectors)
        if missing:
            report.problems.append(f"{len(missing)} of {report.passages} passages have no vector")
        if orphans:
            report.problems.append(f"{len(orphans)} vectors belong to no passage")
        if moved:
            report.problems.append(f"{len(moved)} vectors disagree with their passage's article or offsets")
        dims = index.vectors.dimensions()
        if dims is not None and dims != DIMENSIONS:
            report.problems.append(f"the vectors have {dims} dimensions, this newsdesk's model {DIMENSIONS}")
    finally:
        index.close()


def _catalog_damage(settings: Settings) -> list[str]:
    """Why the catalog file cannot be used as it is ([] when it is sound)."""
    if not settings.catalog_path.exists():
        return [f"{settings.catalog_path}: the catalog is missing"]
    try:
        catalog = Catalog(settings.catalog_path, writable=False)
    except IndexUnavailable as exc:
        return [str(exc).removesuffix(f"; {REPAIR_HINT}")]
    try:
        found = catalog.quick_check()
        return [f"{settings.catalog_path}: SQLite quick_check: {line}" for line in found[:5]] + (
            [f"... and {len(found) - 5} more"] if len(found) > 5 else []
        )
    finally:
        catalog.close()


def compare(
    chunks: list[ChunkRow], vectors: dict[str, tuple[str, int, int]]
) -> tuple[list[ChunkRow], list[str], list[ChunkRow]]:
    """(passages without a vector, vectors without a passage, vectors whose article or offsets
    disagree with their passage).  Chroma ids are unique, so "one vector each" is these three."""
    held = {c.chunk_id for c in chunks}
    missing = [c for c in chunks if c.chunk_id not in vectors]
    orphans = [cid for cid in vectors if cid not in held]
    moved = [c for c in chunks if c.chunk_id in vectors and vectors[c.chunk_id] != (c.article_id, c.start, c.end)]
    return missing, orphans, moved


def _repair(settings: Settings, report: CheckReport) -> None:
    damage = _catalog_damage(settings)
    if damage:
        report.problems.extend(damage)
        _rebuild_catalog(settings, report)
    index = Index(settings, writable=True)
    try:
        recovered = index.recover(locked=True)  # check() holds the writer lock around the whole repair
        if recovered:
            report.repairs.append(f"removed the vectors of {len(recovered)} articles an interrupted ingest left half-written")
        if index.catalog.fts_problems():
            rows = index.catalog.rebuild_fts()
            report.repairs.append(f"rebuilt the full-text index ({rows} rows)")
        stamped = index.catalog.stamp().get(STAMP_KEY)
        if stamped != MODEL_STAMP:
            if stamped is not None:  # another model's vectors: every one must be made again
                index.vectors.delete_ids(index.vectors.all_ids())
                report.repairs.append(f"dropped every vector of {stamped}")
            index.catalog.set_stamps({STAMP_KEY: MODEL_STAMP})
        _rechunk_hollow(index, report)
        _reconcile_vectors(index, report, bool(damage))
    finally:
        index.close()


def embed_missing(index: Index) -> int:
    """Embed every passage that has no vector (or one that disagrees with it); how many it did.

    Ingest calls it on every run: on a sound index it costs one count comparison."""
    if index.vectors.count() == index.catalog.counts()[0]:
        return 0
    missing, _, moved = compare(index.catalog.chunk_rows(), index.vectors.passages())
    embed_passages(index, missing + moved)
    return len(missing) + len(moved)


def embed_passages(index: Index, passages: list[ChunkRow]) -> None:
    """Embed these catalog passages and write their vectors (their articles are committed, so
    no journal is needed: a crash half-way leaves vectors of held articles only)."""
    for i in range(0, len(passages), EMBED_BATCH):
        part = passages[i : i + EMBED_BATCH]
        wanted = {c.chunk_id for c in part}
        rows = [r for r in index.catalog.chunk_rows_of(sorted({c.article_id for c in part})) if r[0].chunk_id in wanted]
        vectors = index.embedder.encode([passage_input(title, text) for _, text, title in rows])
        stored = index.catalog.articles({row.article_id for row, _, _ in rows})
        meta = {aid: (a.published, a.source, a.title) for aid, a in stored.items()}
        index.vectors.upsert([Chunk(r.chunk_id, r.article_id, r.start, r.end, text) for r, text, _ in rows], vectors, meta)


def _reconcile_vectors(index: Index, report: CheckReport, damaged: bool) -> None:
    """One vector per passage: embed the missing, drop the orphans (naming lost articles)."""
    vectors = index.vectors.passages()
    missing, orphans, moved = compare(index.catalog.chunk_rows(), vectors)
    embed_passages(index, missing + moved)
    if missing:
        report.repairs.append(f"embedded {len(missing)} passages that had no vector")
    if moved:
        report.repairs.append(f"embedded again {len(moved)} passages whose vector disagreed with them")
    if not orphans:
        return
    lost_ids = sorted({vectors[cid][0] for cid in orphans} - {""})
    titles = index.vectors.titles_of(lost_ids) if damaged else {}
    index.vectors.delete_ids(orphans)
    report.repairs.append(f"dropped {len(orphans)} vectors that belonged to no passage")
    lost = [title for aid, title in titles.items() if not index.catalog.holds(aid)]
    if lost:
        shown = "; ".join(repr(t) for t in lost[:5]) + (" ..." if len(lost) > 5 else "")
        report.repairs.append(
            f"{len(lost)} articles could not be read back from the damaged catalog ({shown}): ingest their files again"
        )


def _rechunk_hollow(index: Index, report: CheckReport) -> None:
    hollow = index.catalog.articles_without_chunks()
    if not hollow:
        return
    articles = [a.as_article() for a in index.catalog.articles(hollow).values()]
    for i in range(0, len(articles), 50):
        part = articles[i : i + 50]
        index.store([(a, chunk_article(a)) for a in part])
    report.repairs.append(f"cut {len(articles)} articles without passages into passages again and embedded them")


def _rebuild_catalog(settings: Settings, report: CheckReport) -> None:
    """A new catalog from every row the damaged one still gives; the damaged file kept aside."""
    path = settings.catalog_path
    salvaged: list[StoredArticle] = []
    chunks: dict[str, list[ChunkRow]] = {}
    unreadable = 0
    stamps: dict[str, str] = {}
    if path.exists() and path.stat().st_size > 0:
        try:
            old = Catalog(path, writable=False)
            try:
                found = old.salvage()
                salvaged, chunks, unreadable = found.articles, found.chunks, found.unreadable
                stamps = old.stamp()
            finally:
                old.close()
        except IndexUnavailable as exc:
            report.notes.append(f"nothing could be read from the damaged catalog ({exc})")
    fresh_path = path.with_name(f"{path.name}.rebuilding")
    _remove_catalog_files(fresh_path)
    fresh = Catalog(fresh_path)
    try:
        for i in range(0, len(salvaged), 200):
            fresh.commit_articles([_with_chunks(a, chunks.get(a.article_id, [])) for a in salvaged[i : i + 200]], [])
        kept_stamps = {k: v for k, v in stamps.items() if k == STAMP_KEY}
        if kept_stamps:
            fresh.set_stamps(kept_stamps)
    finally:
        fresh.close()
    damaged = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    if path.exists():
        os.replace(path, damaged)
    for suffix in ("-wal", "-shm", "-journal"):
        leftover = Path(f"{path}{suffix}")
        if leftover.exists():
            os.replace(leftover, Path(f"{damaged}{suffix}"))
    os.replace(fresh_path, path)
    kept = f"; the damaged file is kept as {damaged.name}" if damaged.exists() else ""
    report.repairs.append(
        f"rebuilt the catalog from what could still be read: {len(salvaged)} articles"
        + (f" ({unreadable} unreadable rows or pages skipped)" if unreadable else "")
        + kept
    )


def _with_chunks(article: StoredArticle, rows: list[ChunkRow]) -> tuple:  # type: ignore[type-arg]
    """The article with its salvaged passages, or cut again when they are gone or do not fit."""
    text = article.text
    passages = [Chunk(r.chunk_id, r.article_id, r.start, r.end, text[r.start : r.end]) for r in sorted(rows, key=lambda r: r.start)]
    fits = passages and all(0 <= p.start < p.end <= len(text) for p in passages)
    plain = article.as_article()
    return plain, passages if fits else chunk_article(plain)


def _remove_catalog_files(path: Path) -> None:
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        if candidate.exists():
            candidate.unlink()
