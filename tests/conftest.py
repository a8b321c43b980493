"""Session fixtures: the embedding model loads once; small indexes are built once and shared.

Tests index small subsets (the bundled sample, the seed, a few dozen corpus articles) so the
suite stays fast on 2 cores with the real model.  Full-corpus runs belong to benchmarks/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
for _name in [k for k in os.environ if k.startswith("NEWSDESK_") and k != "NEWSDESK_SHARED"]:
    del os.environ[_name]  # a developer's own settings must not leak into tests

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"
ARTIFACTS = REPO / "tests" / "artifacts"
SEED_NAME = "seed/000_9d25cb8e91344446.txt"
CORPUS_NAME = "corpora/realtimeqa-2023q1/articles.jsonl"
DEV_NAME = "eval/realtimeqa-dev.jsonl"
SAMPLE_ARTICLES = 11  # articles in examples/articles


def shared_dir() -> Path:
    return Path(os.environ.get("NEWSDESK_SHARED") or REPO.parent / "shared")


def require_shared(relative: str) -> Path:
    """A file from ../shared; skip with a message when absent, but fail in CI (CI=true)."""
    path = shared_dir() / relative
    if not path.exists():
        message = f"{path} is missing (the shared data beside the repo)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return require_shared(SEED_NAME)


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    """The embedder the indexes of this run use (the settings' default, NEWSDESK_EMBEDDER)."""
    from ingest.embedder import load_embedder
    from ingest.settings import Settings

    return load_embedder(Settings.load().embedder)


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


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory, embedder, seed_path):  # type: ignore[no-untyped-def]
    """The bundled sample articles plus the seed article."""
    return build_index(tmp_path_factory.mktemp("sample-index"), [EXAMPLES, seed_path])


@pytest.fixture(scope="session")
def sample_assistant(sample_settings):  # type: ignore[no-untyped-def]
    from assistant.api import Assistant

    return Assistant(sample_settings)


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


@pytest.fixture(scope="session")
def mixed_settings(tmp_path_factory, embedder, seed_path):  # type: ignore[no-untyped-def]
    """Sample + seed + 40 real corpus articles: enough distractors to make retrieval honest."""
    work = tmp_path_factory.mktemp("mixed")
    subset = corpus_subset(work / "subset.jsonl")
    return build_index(work / "index", [EXAMPLES, seed_path, subset])


@pytest.fixture(scope="session")
def mixed_assistant(mixed_settings):  # type: ignore[no-untyped-def]
    from assistant.api import Assistant

    return Assistant(mixed_settings)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def seed_corpus_assistant(tmp_path_factory, embedder, seed_path):  # type: ignore[no-untyped-def]
    """The seed among 40 real corpus articles, without the sample: answers must come from the seed."""
    from assistant.api import Assistant

    work = tmp_path_factory.mktemp("seed-corpus")
    subset = corpus_subset(work / "subset.jsonl")
    return Assistant(build_index(work / "index", [seed_path, subset]))
