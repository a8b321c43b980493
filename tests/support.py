"""Helpers every test folder imports (`from support import ...`; pyproject puts tests/ on the path).

Fixtures live in conftest.py; plain functions and constants live here, so a test module never
imports conftest or another test module.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"
READING_ARTICLES = REPO / "eval" / "reading" / "articles"  # our reading set (eval/README.md)
ARTIFACTS = REPO / "tests" / "artifacts"
SEED_NAME = "seed/000_9d25cb8e91344446.txt"
CORPUS_NAME = "corpora/realtimeqa-2023q1/articles.jsonl"
DEV_NAME = "eval/realtimeqa-dev.jsonl"
SAMPLE_ARTICLES = 11  # articles in examples/articles


def unavailable(message: str) -> NoReturn:
    """Something a test needs is not on this machine: skip with the message, but fail in CI
    (CI=true), where everything must be there."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def shared_dir() -> Path:
    return Path(os.environ.get("NEWSDESK_SHARED") or REPO.parent / "shared")


def require_shared(relative: str) -> Path:
    """A file from ../shared; skip with a message when absent, but fail in CI (CI=true)."""
    path = shared_dir() / relative
    if not path.exists():
        unavailable(f"{path} is missing (the shared data beside the repo; set NEWSDESK_SHARED)")
    return path


def build_index(directory: Path, inputs: list[Path]):  # type: ignore[no-untyped-def]
    """Ingest `inputs` into a fresh embedded index at `directory`; returns its Settings."""
    from ingest.index import Index
    from ingest.pipeline import ingest
    from ingest.settings import Settings

    settings = Settings.load(index=directory)
    index = Index.open(settings)
    report = ingest(index, inputs)
    assert report.failed == 0, report.problems
    index.close()
    return settings


def corpus_subset(destination: Path, count: int = 40, ids: tuple[str, ...] = ()) -> Path:
    """The first `count` corpus articles (plus any `ids`) written to a .jsonl outside the repo."""
    corpus = require_shared(CORPUS_NAME)
    chosen = []
    with corpus.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            record = json.loads(line)
            if number < count or record.get("id") in ids:
                chosen.append(line)
    destination.write_text("".join(chosen), encoding="utf-8")
    return destination


def consistent(index_dir: Path) -> tuple[int, int]:
    """Catalog chunks == Chroma ids, with no duplicates and no journal left; returns counts."""
    from ingest.index import Index
    from ingest.settings import Settings

    index = Index.open(Settings.load(index=index_dir))
    catalog_ids = [r[0] for r in index.catalog.db.execute("SELECT chunk_id FROM chunks")]
    vector_ids = index.vectors.all_ids()
    fts_rows = index.catalog.db.execute("SELECT count(*) FROM chunks_fts").fetchone()[0]
    articles = index.catalog.stats().articles
    assert len(vector_ids) == len(set(vector_ids))
    assert sorted(catalog_ids) == sorted(vector_ids)
    assert fts_rows == len(catalog_ids)
    assert index.catalog.journal_entries() == []
    # Every article's chunks are all there: chunk text is an exact slice and covers the article.
    for article in index.catalog.iter_articles():
        spans = index.catalog.article_chunks(article.article_id)
        assert spans, f"{article.title} has no chunks"
    index.close()
    return articles, len(catalog_ids)


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a real `newsdesk` process: no developer NEWSDESK_* settings, offline."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_") or k == "NEWSDESK_SHARED"}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
