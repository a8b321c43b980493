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

from support import (  # noqa: E402
    ARTIFACTS,
    BRIEF_FIXTURES,
    CHROMIUM,
    CHROMIUM_ARGS,
    EXAMPLES,
    FACES_KEY,
    FACES_LOGIN,
    READING_ARTICLES,
    SEED_NAME,
    Served,
    build_index,
    cli_env,
    corpus_subset,
    free_port,
    require_shared,
    unavailable,
)


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
def day_first_assistant(sample_settings):  # type: ignore[no-untyped-def]
    """The sample index opened with NEWSDESK_DATE_ORDER=day-first: "01/09/2017" is 1 September."""
    from assistant.api import Assistant

    return Assistant.open(index=sample_settings.index, date_order="day-first")


@pytest.fixture(scope="session")
def served_faces(sample_settings):  # type: ignore[no-untyped-def]
    """`newsdesk serve` on the sample + seed index as a real process, with the API key and the UI
    login configured, so both are enforced although it listens on 127.0.0.1.  One per session:
    the MCP and OpenAI face tests share it.  `.url` ends in "/"; `.process` is the Served."""
    from types import SimpleNamespace

    port = free_port()
    env = cli_env(NEWSDESK_API_KEY=FACES_KEY, NEWSDESK_AUTH=":".join(FACES_LOGIN))
    served = Served(["serve", "--index", str(sample_settings.index), "--port", str(port)], env)
    try:
        served.wait_for("newsdesk serve: serving")
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}/", key=FACES_KEY, login=FACES_LOGIN, process=served)
    finally:
        code = served.stop()
    assert code == 0 and "newsdesk serve: stopped" in served.output, served.output


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's chromium, once per run (never `playwright install`: nothing is downloaded)."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium; never `playwright install`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def harbor_assistant(tmp_path_factory, embedder):  # type: ignore[no-untyped-def]
    """A ferry disaster told by four outlets (written for the briefing tests), a look-alike
    ("Harbor Town") and an unrelated Harbor City story; one article undated."""
    from assistant.api import Assistant

    return Assistant(build_index(tmp_path_factory.mktemp("harbor-index"), [BRIEF_FIXTURES / "harbor"]))


@pytest.fixture(scope="session")
def korea_assistant(tmp_path_factory, embedder):  # type: ignore[no-untyped-def]
    """Short articles on North and South Korea (written for the briefing tests): names and aliases."""
    from assistant.api import Assistant

    return Assistant(build_index(tmp_path_factory.mktemp("korea-index"), [BRIEF_FIXTURES / "korea"]))


@pytest.fixture(scope="session")
def reading_settings(tmp_path_factory, embedder):  # type: ignore[no-untyped-def]
    """The reading set's 27 original articles (eval/reading/articles): answers past the lead."""
    return build_index(tmp_path_factory.mktemp("reading-index"), [READING_ARTICLES])


@pytest.fixture(scope="session")
def reading_assistant(reading_settings):  # type: ignore[no-untyped-def]
    from assistant.api import Assistant

    return Assistant(reading_settings)
