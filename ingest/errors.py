"""One error family for newsdesk, with messages a reader can act on.

Every failure a user can cause (a bad file, a bad date, an unreachable server) is raised or
reported as a NewsdeskError whose str() is one line naming the place and the reason, e.g.
"articles/x.csv line 14: no 'text' column; skipped".  `assistant/` reuses these types, so the
family lives here where ingest (which never imports assistant) can see it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.safe_text import one_line


class NewsdeskError(Exception):
    """Base of every error newsdesk reports to a user."""


class ConfigError(NewsdeskError):
    """A setting, flag or environment variable is missing or wrong."""


class IndexUnavailable(NewsdeskError):
    """The index (catalog, Chroma collection or lexical index) cannot be opened or used."""


REPAIR_HINT = "run `newsdesk check --repair`"


class IndexDamaged(IndexUnavailable):
    """The index is damaged (a corrupt catalog page, passages without vectors, a lost folder).

    Its message says what is wrong and ends by pointing to `newsdesk check --repair`."""


class IndexWriteFailed(IndexUnavailable):
    """A write to the index failed: the disk is full, a size limit was hit, or it is read-only.

    What was committed before stays; the crash journal (ingest/catalog) cleans up the rest."""


class IndexBusy(NewsdeskError):
    """Another process holds the index's writer lock for longer than we may wait."""


@dataclass(frozen=True)
class ReadProblem:
    """One input that could not be read: where it is and why.  Rendered as one line."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        # A file name may hold a newline or an escape sequence: the problem stays one safe line.
        where = one_line(self.path) + (f" line {self.line}" if self.line is not None else "")
        return f"{where}: {one_line(self.reason)}"


class ReadError(NewsdeskError):
    """Raised by a reader for a whole-file failure; carries the ReadProblem to report."""

    def __init__(self, problem: ReadProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem
