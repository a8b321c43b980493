"""The one settings object: where the index lives and which answer backend runs.

Values come from environment variables `NEWSDESK_*`; CLI flags override them by passing keyword
arguments to `Settings.load(...)`.  Nothing else in newsdesk reads the environment for its own
configuration, so a test or a script can build a Settings and know exactly what will run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

from ingest.errors import ConfigError

EMBEDDERS = ("auto", "fp32", "bf16")  # int8 was measured and rejected: docs/benchmarks.md
LLM_BACKENDS = ("extractive", "openai", "local")


def default_index_dir() -> Path:
    """Under the user's data dir (XDG), so an index survives a fresh checkout of the code."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "newsdesk" / "index"


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"NEWSDESK_{name}", default).strip()


@dataclass(frozen=True)
class Settings:
    """Everything that decides where data lives and what answers.

    `index` always holds the article catalog and the lexical (FTS5 BM25) index; the vectors live
    in `index/chroma` (embedded Chroma) unless `chroma_url` names a Chroma server.
    """

    index: Path = field(default_factory=default_index_dir)
    chroma_url: str = ""
    collection: str = "newsdesk-passages"
    embedder: str = "auto"  # bf16 where the CPU does it in hardware (2.5x ingest), else fp32
    llm: str = "extractive"
    llm_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_gguf: str = ""
    auth: str = ""

    @classmethod
    def load(cls, **overrides: object) -> "Settings":
        """Environment first, then every override that is not None (CLI flags pass None when unset)."""
        env = cls(
            index=Path(_env("INDEX")).expanduser() if _env("INDEX") else default_index_dir(),
            chroma_url=_env("CHROMA_URL"),
            collection=_env("COLLECTION", "newsdesk-passages"),
            embedder=_env("EMBEDDER", "auto"),
            llm=_env("LLM", "extractive"),
            llm_url=_env("LLM_URL"),
            llm_model=_env("LLM_MODEL"),
            llm_api_key=_env("LLM_API_KEY"),
            llm_gguf=_env("LLM_GGUF"),
            auth=_env("AUTH"),
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        if "index" in given:
            given["index"] = Path(str(given["index"])).expanduser()
        settings = replace(env, **given)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.embedder not in EMBEDDERS:
            raise ConfigError(f"NEWSDESK_EMBEDDER={self.embedder!r}: use one of {', '.join(EMBEDDERS)}")
        if self.llm not in LLM_BACKENDS:
            raise ConfigError(f"--llm {self.llm!r}: use one of {', '.join(LLM_BACKENDS)}")
        if self.chroma_url:
            self.chroma_address()

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
