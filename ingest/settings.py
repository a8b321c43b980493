"""The index settings: where the index lives and how passages are embedded.

Values come from environment variables `NEWSDESK_*`; CLI flags override them by passing keyword
arguments to `Settings.load(...)`.  Nothing else in newsdesk reads the environment for its own
configuration, so a test or a script can build a Settings and know exactly what will run.  What
answers and who may see it are the assistant's settings (assistant/settings.py), declared the
same way with `env_field` and read by `from_env`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from ingest.errors import ConfigError

EMBEDDERS = ("auto", "fp32", "bf16")  # int8 was measured and rejected: docs/benchmarks.md
DATE_ORDERS = ("month-first", "day-first")  # how 03/04/2017 is read: ingest/dates.py
T = TypeVar("T")


def default_index_dir() -> Path:
    """Under the user's data dir (XDG), so an index survives a fresh checkout of the code."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "newsdesk" / "index"


def env_field(name: str, default: str = "") -> Any:
    """A settings field read from the environment variable NEWSDESK_<name> by `from_env`."""
    return field(default=default, metadata={"env": name})


def from_env(cls: type[T], overrides: dict[str, object]) -> T:
    """A `cls` from its defaults, then each `env_field` set in the environment, then every override
    that is not None (CLI flags pass None when unset)."""
    values: dict[str, object] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        name = f.metadata.get("env")
        value = os.environ.get(f"NEWSDESK_{name}", "").strip() if name else ""
        if value:
            values[f.name] = value
    values.update({k: v for k, v in overrides.items() if v is not None})
    return replace(cls(), **values)  # type: ignore[type-var]


@dataclass(frozen=True)
class Settings:
    """Everything that decides where data lives and how it is embedded.

    `index` always holds the article catalog and the lexical (FTS5 BM25) index; the vectors live
    in `index/chroma` (embedded Chroma) unless `chroma_url` names a Chroma server.
    """

    index: Path = field(default_factory=default_index_dir, metadata={"env": "INDEX"})
    chroma_url: str = env_field("CHROMA_URL")
    collection: str = env_field("COLLECTION", "newsdesk-passages")
    embedder: str = env_field("EMBEDDER", "auto")  # bf16 where the CPU does it in hardware (2.5x ingest), else fp32
    date_order: str = env_field("DATE_ORDER", "month-first")  # "day-first" for archives that write 03/04 as 3 April
    lock_wait: str = env_field("LOCK_WAIT", "600")  # seconds a writer waits for another one (ingest/lock.py)

    @classmethod
    def load(cls, **overrides: object) -> "Settings":
        """Environment first, then every override that is not None."""
        settings = from_env(cls, overrides)
        settings = replace(settings, index=Path(str(settings.index)).expanduser())
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.embedder not in EMBEDDERS:
            raise ConfigError(f"NEWSDESK_EMBEDDER={self.embedder!r}: use one of {', '.join(EMBEDDERS)}")
        if self.chroma_url:
            self.chroma_address()
        if self.date_order not in DATE_ORDERS:
            raise ConfigError(f"NEWSDESK_DATE_ORDER={self.date_order!r}: use one of {', '.join(DATE_ORDERS)}")
        self.lock_wait_seconds  # noqa: B018 - raises ConfigError for a bad value

    @property
    def lock_wait_seconds(self) -> float:
        try:
            seconds = float(self.lock_wait)
        except ValueError:
            seconds = -1.0
        if not 0 <= seconds < float("inf"):
            raise ConfigError(f"NEWSDESK_LOCK_WAIT={self.lock_wait!r}: give the seconds a writer may wait (0 or more)")
        return seconds

    @property
    def day_first(self) -> bool:
        return self.date_order == "day-first"

    def chroma_address(self) -> tuple[str, int, bool]:
        """(host, port, ssl) of the Chroma server named by chroma_url."""
        parsed = urlparse(self.chroma_url if "://" in self.chroma_url else f"http://{self.chroma_url}")
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ConfigError(f"--chroma-url {self.chroma_url!r}: expected http://host:port")
        ssl = parsed.scheme == "https"
        return parsed.hostname, parsed.port or (443 if ssl else 8000), ssl

    @property
    def catalog_path(self) -> Path:
        return self.index / "catalog.sqlite3"

    @property
    def chroma_path(self) -> Path:
        return self.index / "chroma"
