"""The UI's writes to the index: files dropped in the Library tab -> copies under
`<index>/uploads/` -> ingested articles; and articles deleted from the library.

An upload is copied under a sanitised base name only (the browser's file name is never used as a
path), refused when over the size limit or of a kind ingest cannot read, and ingested one file
at a time so the user sees a line per file as it finishes.  Uploading a file of the same name
again replaces the copy, and ingest then updates that article instead of adding another.
Deleting goes through ingest's own `remove_articles` (what `--prune` uses), so the catalog, its
BM25 index and Chroma lose the article together; an uploaded copy no article uses any more goes
too.
"""

from __future__ import annotations

import re
import shutil
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from ingest.errors import NewsdeskError
from ingest.index import Index
from ingest.pipeline import IngestReport, Progress, ingest, remove_articles

UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".json", ".jsonl", ".csv")
MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def sanitise_name(name: str) -> str:
    """A browser-supplied file name -> a safe base name ("../../etc/x.txt" -> "x.txt")."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _UNSAFE.sub("_", stem).strip("._-")[:80] or "upload"
    suffix = _UNSAFE.sub("", suffix).lower()
    return f"{stem}.{suffix}" if suffix else stem


@dataclass
class UploadLine:
    """One line of the upload log: which file, and what happened to it."""

    name: str
    message: str
    ok: bool

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


@dataclass
class StagedUploads:
    accepted: list[tuple[str, Path]] = field(default_factory=list)  # (shown name, copy)
    refused: list[UploadLine] = field(default_factory=list)


def stage_uploads(files: Sequence[str | Path], index_dir: Path) -> StagedUploads:
    """Copy acceptable uploads into `<index_dir>/uploads/`; refuse the rest with a reason."""
    target_dir = (index_dir / "uploads").resolve()
    target_dir.mkdir(parents=True, exist_ok=True)
    staged = StagedUploads()
    for file in files:
        source = Path(file)
        # Gradio stores each upload under a random folder with the browser's name for it.
        shown = sanitise_name(source.name)
        suffix = Path(shown).suffix
        if suffix not in UPLOAD_SUFFIXES:
            kinds = ", ".join(UPLOAD_SUFFIXES)
            staged.refused.append(UploadLine(shown, f"{suffix or 'no extension'} files are not articles here; use {kinds}", False))
            continue
        try:
            size = source.stat().st_size
        except OSError as exc:
            staged.refused.append(UploadLine(shown, f"cannot read the upload ({exc.strerror or exc})", False))
            continue
        if size > MAX_UPLOAD_BYTES:
            too_big = f"{size / 1024 / 1024:.1f} MB is over the {MAX_UPLOAD_MB} MB limit per file"
            staged.refused.append(UploadLine(shown, f"{too_big}; split it or use `newsdesk ingest`", False))
            continue
        destination = (target_dir / shown).resolve()
        if destination.parent != target_dir:  # cannot happen after sanitise_name; checked anyway
            staged.refused.append(UploadLine(shown, "refused: the name points outside the uploads folder", False))
            continue
        try:
            shutil.copyfile(source, destination)
        except OSError as exc:
            staged.refused.append(UploadLine(shown, f"cannot copy into {target_dir} ({exc.strerror or exc})", False))
            continue
        staged.accepted.append((shown, destination))
    return staged


def summary(report: IngestReport) -> str:
    parts = []
    for count, label in (
        (report.added, "added"),
        (report.updated, "updated"),
        (report.unchanged, "already indexed"),
        (report.duplicates, "duplicate"),
        (report.failed, "failed"),
    ):
        if count:
            parts.append(f"{count} {label}")
    written = report.chunks_written
    return (", ".join(parts) or "no article in it") + (
        f" ({written} passage{'s' if written != 1 else ''})" if written else ""
    )


class IndexWriter:
    """The UI's one writer: ingests staged uploads and deletes articles through its own writable
    Index (its own SQLite connection).

    The assistant keeps reading through its read-only connection; SQLite WAL shows it each
    batch as soon as it is committed, so new articles are answerable right after, and a question
    asked during an upload never sees half an article.  One write (an upload or a deletion) runs
    at a time in the app, and each holds the index's writer lock (ingest/lock.py) like any other
    writer: an upload or a deletion started while `newsdesk ingest` runs waits for it (an upload
    says so in the progress bar and the log).  A copy from which nothing could be indexed is
    removed from `uploads/` again.
    """

    def __init__(self, reader: Index) -> None:
        self.settings = reader.settings
        self._index: Index | None = None  # opened on the first upload: the chat only reads until then
        self.lock = threading.Lock()

    @property
    def index(self) -> Index:
        if self._index is None:
            self._index = Index.open(self.settings)  # load_embedder() is per process: no second model
        return self._index

    def run(
        self, staged: StagedUploads, progress: Callable[[str, int, int], None] | None = None
    ) -> Iterator[UploadLine]:
        """Ingest each accepted file; yield one line per file (and per problem inside it)."""
        yield from staged.refused
        with self.lock:
            for number, (shown, path) in enumerate(staged.accepted, start=1):
                yield from self._one(shown, path, number, len(staged.accepted), progress)

    def _one(
        self, shown: str, path: Path, number: int, files: int, progress: Callable[[str, int, int], None] | None
    ) -> Iterator[UploadLine]:
        problems: list[str] = []
        waited: list[str] = []

        def waiting(line: str) -> None:
            waited.append(line)
            if progress:
                progress(f"{shown}: {line}", 0, 1)

        try:
            report = ingest(
                self.index,
                [path],
                on_problem=problems.append,
                progress=_ChunkProgress(shown, number, files, progress) if progress else None,
                on_note=waiting,
            )
        except NewsdeskError as exc:  # the index is busy, full or read-only: say so, keep serving
            yield from (UploadLine(shown, line, True) for line in waited)
            yield UploadLine(shown, _named(str(exc), path, shown), False)
            self._forget(path)
            return
        yield from (UploadLine(shown, line, True) for line in waited)
        for line in problems:
            yield UploadLine(shown, _named(line, path, shown).removeprefix(f"{shown}: "), False)
        indexed = report.ingested_anything
        if indexed or not problems:  # a file that only failed has said why already
            yield UploadLine(shown, summary(report), indexed)
        if not indexed:
            self._forget(path)

    def _forget(self, path: Path) -> None:
        """Remove a copy that gave no article, unless an earlier upload of that name is indexed."""
        try:
            if not self.index.catalog.path_held(str(path.resolve())):
                path.unlink(missing_ok=True)
        except (OSError, NewsdeskError):
            pass  # the copy stays; the next upload of the same name replaces it


    def remove(self, article_ids: Sequence[str]) -> int:
        """Delete articles everywhere (catalog, BM25, Chroma) under the writer lock; returns how
        many there were.  An uploaded copy that no article comes from any more is deleted too.
        A busy, full or read-only index raises its one-line NewsdeskError."""
        with self.lock:
            catalog = self.index.catalog
            paths = {a.path for a in catalog.articles(article_ids).values()}
            removed = remove_articles(self.index, article_ids)
            uploads = (self.settings.index / "uploads").resolve()
            for path in paths:
                copy = Path(path)
                if copy.parent == uploads and not catalog.path_held(path):
                    copy.unlink(missing_ok=True)
            return removed


def _named(line: str, path: Path, shown: str) -> str:
    """Problems name the copy's absolute path; the user knows the file by its name."""
    return line.replace(str(path), shown)


class _ChunkProgress(Progress):
    """ingest's chunk progress -> (description, done, total) for the UI's progress bar."""

    def __init__(self, name: str, number: int, files: int, report: Callable[[str, int, int], None]) -> None:
        self.label = f"{name} ({number}/{files}): embedding passages"
        self.report = report
        self.done = 0
        self.total = 0

    def start(self, total_chunks: int) -> None:
        self.total = total_chunks
        self.report(self.label, 0, total_chunks)

    def advance(self, chunks: int) -> None:
        self.done += chunks
        self.report(self.label, self.done, self.total)

    def finish(self) -> None:
        self.report(self.label, self.total, self.total)
