"""Session fixtures: the embedding model loads once; small indexes are built once and shared.

Tests index small subsets (the bundled sample, the seed, a few dozen corpus articles) so the
suite stays fast on 2 cores with the real model.  Full-corpus runs belong to benchmarks/.
Plain helpers (paths, build_index, corpus_subset, ...) are in support.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
for _name in [k for k in os.environ if k.startswith("NEWSDESK_") and k != "NEWSDESK_SHARED"]:
    del os.environ[_name]  # a developer's own settings must not leak into tests

from support import ARTIFACTS, EXAMPLES, READING_ARTICLES, SEED_NAME, build_index, corpus_subset, require_shared  # noqa: E402


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return require_shared(SEED_NAME)


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    """The embedder the indexes of this run use (the settings' default, NEWSDESK_EMBEDDER)."""
    from ingest.embedder import load_embedder
    from ingest.settings import Settings

    return load_embedder(Settings.load().embedder)


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory, embedder, seed_path):  # type: ignore[no-untyped-def]
    """The bundled sample articles plus the seed article."""
    return build_index(tmp_path_factory.mktemp("sample-index"), [EXAMPLES, seed_path])


@pytest.fixture(scope="session")
def sample_assistant(sample_settings):  # type: ignore[no-untyped-def]
    from assistant.api import Assistant

    return Assistant(sample_settings)


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


@pytest.fixture(scope="session")
def reading_settings(tmp_path_factory, embedder):  # type: ignore[no-untyped-def]
    """The reading set's 27 original articles (eval/reading/articles): answers past the lead."""
    return build_index(tmp_path_factory.mktemp("reading-index"), [READING_ARTICLES])


@pytest.fixture(scope="session")
def reading_assistant(reading_settings):  # type: ignore[no-untyped-def]
    from assistant.api import Assistant

    return Assistant(reading_settings)
