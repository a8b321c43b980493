"""The Article record: what every reader produces and everything downstream cites."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


def _digest(*parts: str) -> str:
    h = hashlib.sha1()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Article:
    """One news article as read from a file.

    `origin` is the stable key of where the article came from ("path" for one-article files,
    "path#record" for records inside .jsonl/.csv files); re-ingesting the same origin replaces
    the article if its content changed.  `path` is the file it came from, used by --prune.
    `published` is an ISO date ("2017-08-22") or "" when unknown; it is never invented.
    """

    title: str
    text: str
    published: str = ""
    source: str = ""
    authors: tuple[str, ...] = ()
    url: str = ""
    origin: str = ""
    path: str = ""

    @property
    def article_id(self) -> str:
        """Identity by text: the same text under another file name is the same article."""
        return _digest(" ".join(self.text.split()))

    @property
    def fingerprint(self) -> str:
        """Hash of everything we store, so a metadata edit also counts as a change."""
        return _digest(self.title, self.text, self.published, self.source, "|".join(self.authors), self.url)

    @property
    def authors_text(self) -> str:
        return ", ".join(self.authors)

