"""How many answers and briefs one process computes at once, whichever face asked for them.

`newsdesk serve` runs the chat UI, the OpenAI-compatible `/v1` and the MCP transport in one
process over one Assistant.  They share one `Limits`: an answer asked through `/v1` takes the
same slot a chat answer would, so a burst from an agent cannot starve the page and the CPU is
never asked to run more answers than it has cores for.  The UI also keeps Gradio's own queue
(same limit) for its position display; the slots here are what bind the faces together.

    limits = Limits.for_backend("extractive")
    with limits.answers.hold():      # waits for a free slot; raises Busy when the queue is full
        answer = assistant.ask(...)

A slot is a counting semaphore, so a streamed answer may take it in one thread and give it back
in another (Starlette and Gradio step generators from a thread pool).
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from ingest.errors import NewsdeskError

# Answers run in parallel up to this many per process.  The extractive backend is CPU-bound
# (torch already uses both cores for one encode), so more than the core count only adds latency
# to every answer; the queue absorbs bursts.  Generative backends wait on a server: allow more.
DEFAULT_CONCURRENCY = {"extractive": max(1, min(4, os.cpu_count() or 1)), "openai": 8, "local": 1}
MAX_WAITING = 256  # requests waiting beyond this are refused at once instead of timing out


class Busy(NewsdeskError):
    """Every slot is taken and the waiting line is full: try again shortly."""


class Slots:
    """At most `size` holders at once; at most `max_waiting` callers waiting for a turn."""

    def __init__(self, name: str, size: int, max_waiting: int = MAX_WAITING) -> None:
        if size < 1:
            raise ValueError(f"{name}: a limit of {size} would never let anything run")
        self.name = name
        self.size = size
        self.max_waiting = max_waiting
        self._free = threading.Semaphore(size)
        self._lock = threading.Lock()
        self._waiting = 0
        self._held = 0

    @property
    def held(self) -> int:
        return self._held

    @property
    def waiting(self) -> int:
        return self._waiting

    @contextmanager
    def hold(self) -> Iterator[None]:
        """One slot for the duration of the block; waits while all are taken."""
        with self._lock:
            if self._waiting >= self.max_waiting and self._held >= self.size:
                raise Busy(f"the server is busy ({self.size} {self.name} running, {self._waiting} waiting); try again shortly")
            self._waiting += 1
        try:
            self._free.acquire()
        finally:
            with self._lock:
                self._waiting -= 1
        with self._lock:
            self._held += 1
        try:
            yield
        finally:
            with self._lock:
                self._held -= 1
            self._free.release()


@dataclass(frozen=True)
class Limits:
    """The process's slots: `answers` (questions and passage searches) and `briefs` (a brief keeps
    both cores busy for seconds: one at a time)."""

    answers: Slots
    briefs: Slots

    @classmethod
    def for_backend(cls, llm: str, concurrency: int | None = None) -> "Limits":
        """The default limits for an answer backend; `concurrency` overrides the answer limit."""
        return cls(Slots("answers", concurrency or DEFAULT_CONCURRENCY.get(llm, 2)), Slots("briefs", 1))
