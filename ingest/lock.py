"""One writer at a time: the index-wide writer lock, `<index>/writer.lock`.

Every write to an index (`newsdesk ingest` and its --prune, uploads and deletions in the chat
UI's Library, `newsdesk check --repair`) holds this lock from before it reads the catalog until
it is done.
A second writer waits for it, saying once on its progress channel who holds it ("waiting for
pid 4242 (newsdesk ingest), writing since 13:02:11"), and gives up with IndexBusy after
`Settings.lock_wait` seconds (NEWSDESK_LOCK_WAIT, default 600).  Questions take no lock: SQLite
WAL shows readers the last committed state while a writer works.

It is an flock(2) on the file, so the kernel releases it when its holder exits in any way,
kill -9 included: a crashed writer never leaves a stale lock.  Because the crash journal's
recovery runs under the lock, it only ever undoes the work of writers that are gone.  The
file's content (pid, command, start time) is only for the waiting message.

Readers that compare counts across the catalog and the vectors (`Index.health`) take the lock
shared and without waiting: if a writer holds it, counts may legitimately differ for a moment
and are not compared.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ingest.errors import IndexBusy, IndexWriteFailed

LOCK_NAME = "writer.lock"
_POLL_SECONDS = 0.2


def lock_path(index_dir: Path) -> Path:
    return index_dir / LOCK_NAME


def holder(index_dir: Path) -> str:
    """Who holds (or last held) the lock, as the waiting message names them."""
    try:
        fields = dict(
            line.split("=", 1) for line in lock_path(index_dir).read_text(encoding="utf-8").splitlines() if "=" in line
        )
    except OSError:
        return "another newsdesk process"
    since = time.strftime("%H:%M:%S", time.localtime(float(fields.get("since", "0") or 0)))
    return f"pid {fields.get('pid', '?')} ({fields.get('command', 'newsdesk')}), writing since {since}"


@contextmanager
def writer_lock(
    index_dir: Path, purpose: str, wait_seconds: float, on_wait: Callable[[str], None] = lambda line: None
) -> Iterator[None]:
    """Hold the index's writer lock for the block, waiting up to `wait_seconds` for it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(lock_path(index_dir), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise IndexWriteFailed(f"{index_dir}: the index is read-only ({exc.strerror or exc}); only questions can be asked of it") from exc
    try:
        deadline = time.monotonic() + max(0.0, wait_seconds)
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told:
                    on_wait(f"waiting for the index's writer lock: {holder(index_dir)} ...")
                    told = True
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        f"{index_dir}: {holder(index_dir)} is still writing to this index after {wait_seconds:g} s "
                        "of waiting; run this again when it is done (NEWSDESK_LOCK_WAIT sets the wait)"
                    ) from None
                time.sleep(_POLL_SECONDS)
        os.ftruncate(fd, 0)
        program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "newsdesk"
        command = " ".join(["newsdesk" if program == "__main__.py" else program, *sys.argv[1:2]])
        os.write(fd, f"pid={os.getpid()}\ncommand={command} ({purpose})\nsince={time.time()}\n".encode())
        yield
    finally:
        os.close(fd)  # releases the flock


@contextmanager
def no_writer(index_dir: Path) -> Iterator[bool]:
    """True (for the block) when no writer is at work: the lock is taken shared, without waiting;
    False when a writer holds it.  An index nobody can write (read-only) has no writer."""
    try:
        fd = os.open(lock_path(index_dir), os.O_RDONLY)
    except OSError:
        yield True  # no lock file: nobody has written since it was made, or nobody can
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
