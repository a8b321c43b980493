"""Terminal progress for long ingests: a rich bar on a TTY, nothing in --json mode or in pipes."""

from __future__ import annotations

import sys

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


class ChunkProgress:
    """Implements ingest.pipeline.Progress with a rich bar on stderr."""

    def __init__(self, label: str = "embedding passages") -> None:
        self.label = label
        self.bar: Progress | None = None
        self.task = None

    def start(self, total_chunks: int) -> None:
        self.bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task(self.label, total=total_chunks)

    def advance(self, chunks: int) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task, chunks)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def terminal_progress(quiet: bool) -> ChunkProgress | None:
    """A bar only when a person is watching: stderr is a terminal and output is not JSON."""
    return None if quiet or not sys.stderr.isatty() else ChunkProgress()
