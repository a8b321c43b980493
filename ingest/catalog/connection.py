"""Opening the catalog file (for writing, read-only, or on a read-only disk) and turning SQLite's
errors into newsdesk's.

Every public method of the Catalog is `guarded`: a `sqlite3.Error` leaves it as an IndexDamaged
("database disk image is malformed": run `newsdesk check --repair`), an IndexWriteFailed (disk
full, file size limit, read-only) or an IndexUnavailable, each one line naming the file, so no
SQLite traceback reaches a user and no code outside the catalog needs to know sqlite3.
"""

from __future__ import annotations

import functools
import inspect
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from ingest.errors import REPAIR_HINT, IndexDamaged, IndexUnavailable, IndexWriteFailed, NewsdeskError

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles(
    article_id TEXT PRIMARY KEY,
    origin TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    published TEXT NOT NULL,
    published_day INTEGER NOT NULL,
    source TEXT NOT NULL,
    authors TEXT NOT NULL,
    url TEXT NOT NULL,
    indexed_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_path ON articles(path);
CREATE INDEX IF NOT EXISTS articles_day ON articles(published_day);
CREATE TABLE IF NOT EXISTS chunks(
    rowid INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL REFERENCES articles(article_id),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(title, body, tokenize='porter unicode61');
CREATE TABLE IF NOT EXISTS journal(article_id TEXT PRIMARY KEY, since REAL NOT NULL);
CREATE TABLE IF NOT EXISTS journal_vectors(chunk_id TEXT PRIMARY KEY, article_id TEXT NOT NULL) WITHOUT ROWID;
"""
TABLES = ("meta", "articles", "chunks", "chunks_fts", "journal")  # journal_vectors: made by the first writer (a newer table)

# What a newsdesk index folder may hold besides the catalog (a folder with anything else in it
# is not an index, and is never silently turned into one).
INDEX_ENTRIES = {"catalog.sqlite3", "catalog.sqlite3-wal", "catalog.sqlite3-shm", "catalog.sqlite3-journal",
                 "chroma", "uploads", "conversations", "writer.lock"}

_CREATION_GRACE_SECONDS = 2.0

_DAMAGED = ("malformed", "not a database", "corrupt", "no such table", "no such column", "fts5")
_FULL = ("disk is full", "disk i/o error", "i/o error")
_READ_ONLY = ("readonly", "read-only")


def translate(exc: sqlite3.Error, path: Path) -> NewsdeskError:
    """A SQLite error as the one-line newsdesk error a user can act on."""
    text = str(exc)
    lower = text.lower()
    if any(word in lower for word in _READ_ONLY):
        return IndexWriteFailed(f"{path}: the index is read-only ({text}); only questions can be asked of it")
    if any(word in lower for word in _FULL):
        return IndexWriteFailed(f"{path}: cannot write the catalog ({text}): is the disk full? Free space and run it again")
    if isinstance(exc, sqlite3.OperationalError) and "locked" in lower:
        return IndexUnavailable(f"{path}: the catalog is busy ({text}); try again")
    if not isinstance(exc, sqlite3.OperationalError) or any(word in lower for word in _DAMAGED):
        return IndexDamaged(f"{path}: the catalog is damaged ({text}); {REPAIR_HINT}")
    return IndexUnavailable(f"{path}: cannot use the catalog ({text})")


F = TypeVar("F", bound=Callable[..., Any])


def _guard(method: F) -> F:
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def generator(self: "CatalogConnection", *args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise translate(exc, self.path) from exc

        return generator  # type: ignore[return-value]

    @functools.wraps(method)
    def call(self: "CatalogConnection", *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    return call  # type: ignore[return-value]


C = TypeVar("C", bound=type)


def guarded(cls: C) -> C:
    """Wrap every public method of `cls` (and of its bases) so SQLite errors leave translated."""
    seen: set[str] = set(getattr(cls, "_unguarded", ()))
    for klass in cls.__mro__:  # the most derived definition of each name comes first
        for name, value in vars(klass).items():
            if name in seen or name.startswith("_") or not inspect.isfunction(value):
                continue
            seen.add(name)
            setattr(cls, name, _guard(value))
    return cls


class CatalogConnection:
    """The catalog file and one SQLite connection per thread.

    Each thread gets its own connection (`db`): the chat UI answers, uploads and refreshes its
    status line from different threads, and the retriever scores BM25 in a worker thread.  With
    a connection per thread, WAL gives every reader the last committed state.

    `writable=False` opens the file read-only (`mode=ro`): what every command that only reads
    uses, so a reader can never change the index.  On a read-only disk SQLite cannot even create
    the WAL's shared-memory file, so the file is then opened as immutable (it cannot change
    under us: nobody can write there).
    """

    _unguarded = ("close",)

    def __init__(self, path: Path, writable: bool = True) -> None:
        self.path = path
        self.writable = writable
        self.immutable = False
        self._local = threading.local()
        self._open: list[sqlite3.Connection] = []
        self._open_lock = threading.Lock()
        try:
            if writable:
                self._create()
            else:
                self._open_existing()
        except sqlite3.Error as exc:
            raise translate(exc, path) from exc
        except OSError as exc:
            raise IndexUnavailable(f"{path}: cannot open the catalog ({exc.strerror or exc})") from exc

    def _create(self) -> None:
        folder = self.path.parent
        if folder.is_dir():
            others = sorted(set(os.listdir(folder)) - INDEX_ENTRIES)
            if others and not self.path.exists():
                raise IndexUnavailable(
                    f"{folder}: not a newsdesk index (it holds {', '.join(others[:3])}{' ...' if len(others) > 3 else ''}); "
                    "give an empty or new folder for the index"
                )
        folder.mkdir(parents=True, exist_ok=True)
        self._refuse_empty_file()
        db = self.db
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(SCHEMA)
        db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        db.commit()

    def _open_existing(self) -> None:
        if not self.path.exists():
            raise IndexUnavailable(f"{self.path.parent}: no index here yet; run `newsdesk ingest FOLDER` first")
        self._refuse_empty_file()
        try:
            self._tables_missing()
        except sqlite3.OperationalError as exc:
            if os.access(self.path.parent, os.W_OK) or "readonly" not in str(exc) and "unable to open" not in str(exc):
                raise
            self.close()
            self.immutable = True  # a read-only disk: nobody can change the file while we read it
        missing = self._tables_missing()
        if missing:
            raise IndexDamaged(f"{self.path}: not a complete newsdesk catalog (no {', '.join(missing)}); {REPAIR_HINT}")

    def _refuse_empty_file(self) -> None:
        """SQLite would take a 0-byte file for a new database; here it is a catalog that was lost.

        Another process creating the index holds a 0-byte file for the few milliseconds between
        its connect and its first write, so an empty file is given a moment to fill; a writer
        also goes on when nothing was ever embedded beside it (a creation that died early)."""
        deadline = time.monotonic() + _CREATION_GRACE_SECONDS
        while self._empty() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self._empty() and (not self.writable or (self.path.parent / "chroma").exists()):
            raise IndexDamaged(f"{self.path}: the catalog file is empty (0 bytes): it was lost or truncated; {REPAIR_HINT}")

    def _empty(self) -> bool:
        return self.path.exists() and self.path.stat().st_size == 0

    def missing_tables(self) -> list[str]:
        """The catalog's tables this file lacks (none for a sound catalog)."""
        return self._tables_missing()

    def _tables_missing(self) -> list[str]:
        have = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        return [name for name in TABLES if name not in have]

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection to the catalog (opened on first use)."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            # check_same_thread=False only so that close() may close every thread's connection.
            if self.writable:
                connection = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
                connection.execute("PRAGMA synchronous=NORMAL")
            else:
                flags = "mode=ro&immutable=1" if self.immutable else "mode=ro"
                uri = f"{self.path.resolve().as_uri()}?{flags}"
                connection = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
            self._local.connection = connection
            with self._open_lock:
                self._open.append(connection)
        return connection

    def close(self) -> None:
        with self._open_lock:
            for connection in self._open:
                connection.close()
            self._open.clear()
        self._local = threading.local()
