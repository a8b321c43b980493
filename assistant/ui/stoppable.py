"""Answers the user can stop: Stop ends the answer at once, and the answer ends normally.

Gradio's own `cancels=` kills the running event, but its page then drops a question sent with
Enter while the cancel is under way (a deferred trigger of a cancelled event is never run), and
a briefing's seconds-long computation cannot be interrupted between two yields anyway.  So Stop
only raises a flag for the browser session; the answer is produced in a worker thread, and the
handler, waiting on it in short steps, sees the flag, says "stopped" and returns like any other
answer.  The work already started finishes in the background and is thrown away.

The answer slot (assistant/limits.py) is held by the worker, the thread that does the work, not
by the handler: a stopped answer gives its slot back when its computation has really ended, so
the next question (or a /v1 or MCP call) never runs beside the abandoned one on the same cores,
and a worker whose user stopped while it waited for a slot gives the slot back untouched.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterator, TypeVar

from assistant.limits import Slots

T = TypeVar("T")
POLL_SECONDS = 0.1
_DONE = object()
# A few long-lived workers, not a thread per answer: each thread that reads the catalog keeps
# its own SQLite connection for good (ingest/catalog/connection.py), so threads must be reused.
_WORKERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="newsdesk-answer")


class Stopped(Exception):
    """The user pressed Stop."""


class StopFlags:
    """The running answer of each browser session, and whether its user pressed Stop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[str, threading.Event] = {}

    def start(self, session: str) -> threading.Event:
        """A new answer runs for the session: the event Stop sets (its worker stops early too)."""
        run = threading.Event()
        with self._lock:
            self._runs[session] = run
        return run

    def finish(self, session: str, run: threading.Event) -> None:
        with self._lock:
            if self._runs.get(session) is run:
                del self._runs[session]

    def stop(self, session: str) -> bool:
        """Ask the session's running answer to stop; False when none is running."""
        with self._lock:
            run = self._runs.get(session)
        if run is None:
            return False
        run.set()
        return True


def until_stopped(items: Iterator[T], stopped: Callable[[], bool], slot: Slots) -> Iterator[T]:
    """`items`, produced in a worker thread that holds one of `slot` while it waits for and
    produces them; raises Stopped as soon as `stopped()` says so, even while the worker is busy
    on one item or still waiting for its slot.  An exception of `items` (or Busy: no slot and the
    waiting line full) is raised here."""
    handoff: queue.Queue[object] = queue.Queue()

    def produce() -> None:
        try:
            with slot.hold():
                try:
                    for item in items if not stopped() else ():
                        handoff.put(item)
                        if stopped():
                            break
                finally:
                    close = getattr(items, "close", None)
                    if close is not None:
                        close()  # an abandoned generator ends here, inside the slot, not whenever it is collected
        except BaseException as exc:  # handed over to the consumer, raised there
            handoff.put(exc)
        handoff.put(_DONE)

    _WORKERS.submit(produce)
    while True:
        if stopped():
            raise Stopped()
        try:
            item = handoff.get(timeout=POLL_SECONDS)
        except queue.Empty:
            continue
        if item is _DONE:
            return
        if isinstance(item, BaseException):
            raise item
        yield item  # type: ignore[misc]


def one(compute: Callable[[], T]) -> Iterator[T]:
    """A single result as an iterator, so a long computation can be waited on `until_stopped`."""
    yield compute()
