"""Helpers every test folder imports (`from support import ...`; pyproject puts tests/ on the path).

Fixtures live in conftest.py; plain functions and constants live here, so a test module never
imports conftest or another test module.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Iterator, NoReturn, Sequence

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"
READING_ARTICLES = REPO / "eval" / "reading" / "articles"  # our reading set (eval/README.md)
ARTIFACTS = REPO / "tests" / "artifacts"
SEED_NAME = "seed/000_9d25cb8e91344446.txt"
CORPUS_NAME = "corpora/realtimeqa-2023q1/articles.jsonl"
REUTERS_NAME = "corpora/reuters21578/articles.jsonl"
DEV_NAME = "eval/realtimeqa-dev.jsonl"
SAMPLE_ARTICLES = 11  # articles in examples/articles
NEWSDESK = Path(sys.executable).with_name("newsdesk")  # the venv's console script, as users run it
FACES_KEY = "nd-test-key-4f1c9a"  # NEWSDESK_API_KEY of the served_faces fixture
FACES_LOGIN = ("ann", "s3cret")  # its NEWSDESK_AUTH


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


class RandomVectors:
    """Stands in for the embedding model where only how vectors are stored matters (the crash
    windows of tests/e2e/test_crash_windows.py): unit vectors of the model's size, in seconds
    for thousands of passages, in any process, without loading the model."""

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None):  # type: ignore[no-untyped-def]
        import numpy as np

        from ingest.embedder import DIMENSIONS

        rows = np.random.default_rng(len(texts)).normal(size=(len(texts), DIMENSIONS)).astype(np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def passages_article(name: str, passages: int):  # type: ignore[no-untyped-def]
    """(Article, its chunks): an article of our own words cut into `passages` one-sentence
    passages, as Index.store takes it."""
    from ingest.article import Article
    from ingest.chunking import Chunk

    sentences = [f"Line {i} of the {name} report names the harbour board's decision {i}. " for i in range(passages)]
    article = Article(title=f"The {name} report", text="".join(sentences), published="2021-06-01", source="Test",
                      origin=f"/synthetic/{name}.txt", path=f"/synthetic/{name}.txt")
    aid, chunks, start = article.article_id, [], 0  # (article_id hashes the whole text)
    for sentence in sentences:
        end = start + len(sentence) - 1
        chunks.append(Chunk(f"{aid}:{start}", aid, start, end, article.text[start:end]))
        start += len(sentence)
    return article, chunks


def catalog_only(path: Path, inputs: list[Path]):  # type: ignore[no-untyped-def]
    """A catalog of `inputs` without vectors (articles read and chunked, nothing embedded): all
    that what reads only the catalog needs (example questions, the library), in seconds even
    for the 19k Reuters items.  Returns the Catalog; duplicates are skipped as ingest does."""
    from ingest.catalog import Catalog
    from ingest.chunking import chunk_article
    from ingest.errors import ReadProblem
    from ingest.readers import find_article_files, read_articles

    catalog = Catalog(path)
    seen: set[str] = set()
    batch = []
    for source in find_article_files(inputs):
        if isinstance(source, ReadProblem):
            continue
        for article in read_articles(source):
            if isinstance(article, ReadProblem) or article.article_id in seen:
                continue
            seen.add(article.article_id)
            batch.append((article, chunk_article(article)))
            if len(batch) >= 2000:
                catalog.commit_articles(batch, [])
                batch = []
    catalog.commit_articles(batch, [])
    return catalog


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


# -- the browser tests: Debian's chromium through Playwright, with the network cut ------------------

CHROMIUM = Path("/usr/bin/chromium")
# Every host but 127.0.0.1 maps to NOTFOUND, so a page that needed the network (fonts, CDNs,
# analytics) would show it; `open_page` also records every request that leaves 127.0.0.1.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]
BOT = '#chatbot [data-testid="bot"]'


def open_page(browser, url: str, ready: str = "#question textarea", **context_options):  # type: ignore[no-untyped-def]
    """A fresh browser context (its own storage: a new user) on `url`, once `ready` shows (the
    question box; a login form's field behind a login); `page.outside` lists every request that
    left 127.0.0.1.  Close it with `page.context.close()`."""
    context = browser.new_context(viewport={"width": 1400, "height": 950}, **context_options)
    page = context.new_page()
    page.outside = []
    page.on(
        "request",
        lambda r: page.outside.append(r.url)
        if not r.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:"))
        else None,
    )
    page.goto(url)
    page.wait_for_selector(ready)
    return page


def wait_answer(page, number: int, timeout_s: float = 90) -> str:  # type: ignore[no-untyped-def]
    """Wait until answer `number` (1-based) has stopped streaming; its text."""
    page.wait_for_function(
        """n => { const m = document.querySelectorAll('#chatbot [data-testid="bot"]');
                 return m.length >= n && !m[n - 1].innerText.includes('\u258d'); }""",
        arg=number,
        timeout=timeout_s * 1000,
    )
    return str(page.locator(BOT).nth(number - 1).inner_text())


def ask(page, question: str, number: int, timeout_s: float = 90) -> str:  # type: ignore[no-untyped-def]
    """Type a question, press Enter, wait until answer `number` (1-based) is done; its text."""
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    return wait_answer(page, number, timeout_s)


def listed(page, newest: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    """The conversation list, once `newest` (a question) is the first entry."""
    if newest:
        page.wait_for_function(
            "q => (document.querySelector('#conversation-list label')?.innerText || '').trim().startsWith(q)", arg=newest
        )
    return [t.strip() for t in page.locator("#conversation-list label").all_inner_texts()]


def save_shot(page, name: str, full_page: bool = False) -> Path:  # type: ignore[no-untyped-def]
    """A screenshot in tests/artifacts/ (`full_page`: the whole page, not only the viewport); with
    UPDATE_DOCS_SCREENSHOTS=1 also in docs/screenshots/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        docs = REPO / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, docs / name)
    return path


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds (for what other threads do)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_CTRL_C_RESTORED = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"


class Served:
    """A `newsdesk` command run as a user runs it (a real process), output collected line by line,
    stopped by its PID with SIGINT (what Ctrl-C sends)."""

    def __init__(self, args: Sequence[str], env: dict[str, str] | None = None) -> None:
        # A suite started in the background (`cmd &` in a script) inherits an ignored SIGINT, and an
        # exec keeps it ignored: the command is exec'd from a one-line launcher that gives Ctrl-C
        # back its default first (same PID; no preexec_fn, which is unsafe in a threaded process).
        self.process = subprocess.Popen(
            [sys.executable, "-c", _CTRL_C_RESTORED, str(NEWSDESK), *args],
            env=env or cli_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.lines: list[str] = []
        self._queue: "queue.Queue[str]" = queue.Queue()
        self._reader = threading.Thread(target=lambda: [self._queue.put(line) for line in self.process.stdout or []], daemon=True)
        self._reader.start()

    @property
    def output(self) -> str:
        while not self._queue.empty():
            self.lines.append(self._queue.get())
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float = 180) -> str:
        """The first output line containing `text`; fails if the process ends or time runs out."""
        deadline = time.monotonic() + timeout
        while True:
            found = next((line for line in self.lines if text in line), None)
            if found:
                return found
            assert self.process.poll() is None, f"exited {self.process.returncode}:\n{self.output}"
            assert time.monotonic() < deadline, f"no {text!r} in {timeout} s:\n{self.output}"
            try:
                self.lines.append(self._queue.get(timeout=1))
            except queue.Empty:
                pass

    def stop(self, timeout: float = 20) -> int:
        """SIGINT, then the exit code, once `output` holds every line the process wrote; a process
        that ignores SIGINT is killed and the test fails."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            pytest.fail(f"{self.process.args} did not stop on SIGINT within {timeout} s")
        self._reader.join(timeout=10)  # the pipe's last lines
        return code


class McpSession:
    """An `mcp` SDK Client used from synchronous tests: its event loop runs in an anyio portal thread."""

    def __init__(self, portal: Any, client: Any) -> None:
        self.portal = portal
        self.client = client

    def tools(self) -> list[Any]:
        return list(self.portal.call(self.client.list_tools).tools)

    def call(self, name: str, arguments: dict[str, Any]) -> Any:
        return self.portal.call(self.client.call_tool, name, arguments)


@asynccontextmanager
async def mcp_http_transport(url: str, key: str = "") -> AsyncIterator[Any]:
    """The SDK's streamable-HTTP transport with a bearer key."""
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client

    headers = {"Authorization": f"Bearer {key}"} if key else None
    async with create_mcp_http_client(headers=headers) as http:
        async with streamable_http_client(url, http_client=http) as streams:
            yield streams


@contextmanager
def mcp_session(server: Any) -> Iterator[McpSession]:
    """A connected MCP client session; `server` is whatever `mcp.Client` takes (stdio parameters,
    a transport)."""
    from anyio.from_thread import start_blocking_portal
    from mcp import Client

    with start_blocking_portal() as portal:
        client = Client(server)
        with portal.wrap_async_context_manager(client):
            yield McpSession(portal, client)


def copy_index(settings, destination: Path):  # type: ignore[no-untyped-def]
    """A private copy of a built index (to damage or write to); returns its Settings."""
    import shutil

    from ingest.settings import Settings

    shutil.copytree(settings.index, destination)
    return Settings.load(index=destination)


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
