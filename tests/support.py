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


BRIEF_FIXTURES = REPO / "tests" / "fixtures" / "briefing"  # articles written for the briefing tests


def check_brief(payload: dict, catalog, extractive: bool = True) -> None:  # type: ignore[no-untyped-def, type-arg]
    """A brief's `--json` payload keeps its promises: one number per article, numbered by first
    use; every line cites the articles of its own quotes; every quote verbatim in its stored
    article; the timeline in order; no line dated after the publication of an article it cites."""
    from datetime import date

    cites = payload["citations"]
    numbers = [c["n"] for c in cites]
    assert numbers == sorted(numbers) and set(numbers) == set(range(1, len(set(numbers)) + 1))
    article_of: dict[int, str] = {}
    for c in cites:
        assert article_of.setdefault(c["n"], c["article_id"]) == c["article_id"], "two articles share a number"
    assert len(set(article_of.values())) == len(article_of), "one article under two numbers"
    lines = [*payload["summary"], *payload["timeline"], *payload.get("undated", [])]
    lines += [side for change in payload["changes"] for side in (change["before"], change["after"])]
    first_use: list[int] = []
    for p in lines:
        assert p["citations"] and p["quotes"], f"uncited line: {p['text']}"
        own = [cites[q - 1] for q in p["quotes"]]
        assert list(dict.fromkeys(c["n"] for c in own)) == p["citations"]
        if extractive:
            assert p["text"] == own[0]["quote"]
        first_use += [n for n in p["citations"] if n not in first_use]
        if p["date"]:
            assert p["date_basis"] in ("text", "published")
            start = date.fromisoformat((p["date"] + "-01-01")[:10])
            for c in cites:
                if c["n"] in p["citations"] and c["published"]:
                    assert start <= date.fromisoformat(c["published"]), f"dated after publication: {p}"
    assert first_use == sorted(set(numbers)), "sources are not numbered by first use"
    articles = catalog.articles(c["article_id"] for c in cites)
    for c in cites:
        assert articles[c["article_id"]].text[c["start"] : c["end"]] == c["quote"]
    keys = [((p["date"] + "-01-01")[:10], {"year": 0, "month": 1}.get(p["precision"], 2)) for p in payload["timeline"]]
    assert keys == sorted(keys), [p["date"] for p in payload["timeline"]]
