"""files -> articles -> chunks -> vectors -> index, incrementally and crash-safely.

An article is re-embedded only when its fingerprint changed; the same text under another file
name is reported as a duplicate; every unreadable file or record becomes one ReadProblem line
and the rest of the batch goes on.  The whole run holds the index's writer lock (ingest/lock.py),
so two ingests never interleave: the second waits, then finds the first one's articles
"unchanged" or "duplicate", and both reports are true.  Writes follow the journal protocol in
ingest/catalog; a write that fails (disk full) stops the run with one line, keeping every
article committed before it.  Passages found without a vector are embedded again.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Protocol, Sequence

from ingest.article import Article
from ingest.chunking import Chunk, chunk_article
from ingest.dates import date_order
from ingest.errors import IndexWriteFailed, ReadError, ReadProblem
from ingest.index import Index
from ingest.integrity import embed_missing
from ingest.readers import find_article_files, read_articles

FLUSH_CHUNKS = 256  # chunks embedded and committed together: a crash loses at most one flush


class Progress(Protocol):
    def start(self, total_chunks: int) -> None: ...
    def advance(self, chunks: int) -> None: ...
    def finish(self) -> None: ...


@dataclass
class IngestReport:
    """What one ingest run did; printed as the CLI summary and as `--json`."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    duplicates: int = 0
    failed: int = 0
    pruned: int = 0
    recovered: int = 0
    repaired: int = 0  # passages that had no vector (a damaged index) and were embedded again
    chunks_written: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ingested_anything(self) -> bool:
        return (self.added + self.updated + self.unchanged + self.moved) > 0

    @property
    def exit_code(self) -> int:
        """0 when anything is indexed from these inputs, 2 when nothing could be."""
        return 2 if (self.failed or self.duplicates) and not self.ingested_anything else 0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class _Plan:
    todo: list[tuple[Article, str | None]] = field(default_factory=list)  # (article, replaced id)
    seen_origins: set[str] = field(default_factory=set)
    fully_read_paths: set[str] = field(default_factory=set)


def ingest(
    index: Index,
    paths: Sequence[Path],
    *,
    prune: bool = False,
    on_problem: Callable[[str], None] = lambda line: None,
    progress: Progress | None = None,
    on_note: Callable[[str], None] = lambda line: None,
) -> IngestReport:
    """Ingest files/folders into the index and return what happened.

    `on_problem` gets one line per bad input, `on_note` says why the run waits (another writer).
    A failed write raises IndexWriteFailed saying what was kept."""
    started = time.perf_counter()
    report = IngestReport()

    def problem(p: ReadProblem | str) -> None:
        line = str(p)
        report.failed += 1
        report.problems.append(line)
        on_problem(line)

    with index.writing("ingest", on_note):
        try:
            index.stamp_model()
            report.recovered = len(index.recover())
            report.repaired = embed_missing(index)
            with date_order(index.settings.day_first):
                plan = _plan(index, paths, report, problem, on_problem)
            _write(index, plan.todo, report, progress)
            if prune:
                report.pruned = _prune(index, plan)
        except IndexWriteFailed as exc:
            kept = report.added + report.updated
            raise IndexWriteFailed(
                f"{exc}. {kept} article{'s' if kept != 1 else ''} written before it are kept; "
                "running the same ingest again continues from there"
            ) from exc
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _plan(
    index: Index,
    paths: Sequence[Path],
    report: IngestReport,
    problem: Callable[[ReadProblem | str], None],
    note: Callable[[str], None],
) -> _Plan:
    """Read everything and decide per article: unchanged, new, changed, moved or duplicate."""
    plan = _Plan()
    claimed: dict[str, str] = {}  # article_id -> origin, for duplicates within this run
    for found in find_article_files(paths):
        if isinstance(found, ReadProblem):
            problem(found)
            continue
        file_ok = True
        try:
            for item in read_articles(found):
                if isinstance(item, ReadProblem):
                    problem(item)
                    file_ok = False  # --prune must not drop the indexed version of a bad record
                    continue
                plan.seen_origins.add(item.origin)
                _classify(index, item, claimed, plan, report, note)
        except ReadError as exc:
            problem(exc.problem)
            file_ok = False
        except OSError as exc:
            problem(ReadProblem(str(found), f"cannot read ({exc.strerror or exc}); skipped"))
            file_ok = False
        except (RecursionError, MemoryError, ValueError, TypeError, LookupError) as exc:
            # A reader's unforeseen failure on one hostile file must not stop the batch.
            problem(ReadProblem(str(found), f"cannot be read ({type(exc).__name__}: {exc}); skipped"))
            file_ok = False
        if file_ok:
            plan.fully_read_paths.add(str(found.resolve()))
    return plan


def _classify(
    index: Index,
    article: Article,
    claimed: dict[str, str],
    plan: _Plan,
    report: IngestReport,
    note: Callable[[str], None],
) -> None:
    catalog = index.catalog
    aid = article.article_id
    stored = catalog.fingerprint_of(article.origin)
    if stored and stored[1] == article.fingerprint:
        report.unchanged += 1
        claimed.setdefault(aid, article.origin)
        return
    if aid in claimed and claimed[aid] != article.origin:
        report.duplicates += 1
        line = f"{_display(article.origin)}: same text as {_display(claimed[aid])}; skipped as a duplicate"
        report.problems.append(line)
        note(line)
        return
    other_origin = catalog.origin_of(aid)
    if other_origin and other_origin != article.origin:
        other_path = other_origin.split("#", 1)[0]
        if not os.path.exists(other_path) and stored is None:
            # The file was renamed or moved: re-point the record, keep its vectors.
            catalog.move_article(aid, article.origin, article.path)
            report.moved += 1
            claimed[aid] = article.origin
            return
        report.duplicates += 1
        line = f"{_display(article.origin)}: same text as {_display(other_origin)} (already indexed); skipped as a duplicate"
        report.problems.append(line)
        note(line)
        return
    claimed[aid] = article.origin
    plan.todo.append((article, stored[0] if stored else None))


def _display(origin: str) -> str:
    """Origins are absolute; show them relative to the working directory when shorter."""
    try:
        rel = os.path.relpath(origin)
        return rel if len(rel) < len(origin) else origin
    except ValueError:
        return origin


def _write(index: Index, todo: list[tuple[Article, str | None]], report: IngestReport, progress: Progress | None) -> None:
    """Chunk, embed and commit the planned articles in flushes of ~FLUSH_CHUNKS chunks."""
    if not todo:
        return
    chunked = [(article, replaced, chunk_article(article)) for article, replaced in todo]
    if progress:
        progress.start(sum(len(c) for _, _, c in chunked))
    batch: list[tuple[Article, str | None, list[Chunk]]] = []
    size = 0
    for item in chunked:
        batch.append(item)
        size += len(item[2])
        if size >= FLUSH_CHUNKS:
            _flush(index, batch, report, progress)
            batch, size = [], 0
    if batch:
        _flush(index, batch, report, progress)
    if progress:
        progress.finish()


def _flush(
    index: Index, batch: list[tuple[Article, str | None, list[Chunk]]], report: IngestReport, progress: Progress | None
) -> None:
    index.store([(a, cs) for a, _, cs in batch], [r for _, r, _ in batch if r], progress.advance if progress else None)
    for _, r, _ in batch:
        if r:
            report.updated += 1
        else:
            report.added += 1
    report.chunks_written += sum(len(cs) for _, _, cs in batch)


def _prune(index: Index, plan: _Plan) -> int:
    """Remove articles whose file is gone, and records no longer in a file read in full."""
    doomed: list[str] = []
    for path, entries in index.catalog.origins_by_path().items():
        if not os.path.exists(path):
            doomed.extend(aid for _, aid in entries)
        elif path in plan.fully_read_paths:
            doomed.extend(aid for origin, aid in entries if origin not in plan.seen_origins)
    return _remove(index, doomed)


def remove_articles(index: Index, article_ids: Sequence[str], on_note: Callable[[str], None] = lambda line: None) -> int:
    """Remove articles from the catalog, its BM25 index and Chroma, crash-safely and under the
    index's writer lock (waiting for another writer, saying so to `on_note`); returns how many the
    catalog held.  The UI's library deletes through here; `--prune` does the same inside its
    ingest's hold of the lock."""
    with index.writing("delete", on_note):
        return _remove(index, article_ids)


def _remove(index: Index, article_ids: Sequence[str]) -> int:
    """The removal itself, by a writer that holds the lock.  The ids are journaled first, so a
    crash between the catalog and Chroma leaves vectors that the next `recover()` removes, never
    an article half there."""
    held = [aid for aid in dict.fromkeys(article_ids) if index.catalog.holds(aid)]
    if held:
        index.catalog.journal_add(held)
        index.catalog.delete_articles(held)
        index.vectors.delete_articles(held)
        index.catalog.journal_clear(held)
    return len(held)
