"""Crash safety (kill -9 mid-ingest, failures between the two stores) and Chroma as a server."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.api import Assistant
from ingest.index import Index
from ingest.pipeline import ingest
from ingest.settings import Settings

from support import EXAMPLES, REPO, SAMPLE_ARTICLES, consistent, corpus_subset, free_port


def _done_articles(catalog: Path) -> int:
    try:
        with sqlite3.connect(str(catalog), timeout=1) as db:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_9_mid_ingest_then_rerun_is_consistent(tmp_path: Path, embedder) -> None:
    subset = corpus_subset(tmp_path / "subset.jsonl", count=60)
    index = tmp_path / "index"
    exe = Path(sys.executable).with_name("newsdesk")
    env = {**os.environ, "NEWSDESK_INDEX": str(index)}
    proc = subprocess.Popen([str(exe), "ingest", str(subset), "--json"], env=env, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 600
    try:
        # Kill as soon as the first flush committed: the ingest is then certainly mid-way.
        while _done_articles(index / "catalog.sqlite3") == 0:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.time() < deadline
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    partial = _done_articles(index / "catalog.sqlite3")
    assert 0 < partial < 60
    done = subprocess.run([str(exe), "ingest", str(subset), "--json"], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["unchanged"] >= partial  # committed articles were not embedded again
    articles, _ = consistent(index)
    assert articles == report["added"] + report["unchanged"] + report["updated"]


def test_failure_after_vectors_before_catalog_is_recovered(tmp_path: Path, embedder, monkeypatch) -> None:
    """Simulate a crash between the Chroma write and the catalog commit."""
    settings = Settings.load(index=tmp_path / "index")
    index = Index.open(settings)

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("power cut")

    monkeypatch.setattr(index.catalog, "commit_articles", boom)
    with pytest.raises(RuntimeError):
        ingest(index, [EXAMPLES])
    assert index.vectors.count() > 0  # vectors were written, the catalog holds nothing
    assert index.catalog.stats().articles == 0 and index.catalog.journal_entries()
    monkeypatch.undo()
    report = ingest(Index.open(settings), [EXAMPLES])
    assert report.recovered > 0 and report.added == SAMPLE_ARTICLES
    assert consistent(tmp_path / "index")[0] == SAMPLE_ARTICLES



@pytest.fixture
def chroma_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real `chroma run` on 127.0.0.1, stopped by PID."""
    port = free_port()
    exe = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen([str(exe), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "server-data")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    import urllib.request

    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                break
        except OSError:
            assert proc.poll() is None, "chroma run exited"
            assert time.time() < deadline, "chroma server did not come up"
            time.sleep(0.2)
    yield url
    os.kill(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


@pytest.mark.server
def test_chroma_server_ingest_filters_and_answers(tmp_path: Path, chroma_server: str, seed_path: Path, embedder) -> None:
    settings = Settings.load(index=tmp_path / "catalog", chroma_url=chroma_server)
    report = ingest(Index.open(settings), [EXAMPLES, seed_path])
    assert report.added == SAMPLE_ARTICLES + 1
    assert not (tmp_path / "catalog" / "chroma").exists()  # vectors went to the server
    again = ingest(Index.open(settings), [EXAMPLES, seed_path])
    assert again.unchanged == SAMPLE_ARTICLES + 1 and again.chunks_written == 0
    assistant = Assistant(settings)
    answer = assistant.ask("What did Tillerson require in March?")
    assert not answer.abstained and answer.citations
    for c in answer.citations:
        assert assistant.index.catalog.article(c.article_id).text[c.start : c.end] == c.quote
    filtered = assistant.ask("What did Tillerson require?", since="2017-09-01")
    assert all(c.published >= "2017-09-01" for c in filtered.citations)


def test_unreachable_chroma_server_is_one_clear_line(tmp_path: Path, capsys) -> None:
    from assistant.cli import main

    port = free_port()
    code = main(["ingest", str(EXAMPLES), "--index", str(tmp_path / "i"), "--chroma-url", f"http://127.0.0.1:{port}"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and f"127.0.0.1:{port}" in err[0] and "cannot open the Chroma collection" in err[0]
