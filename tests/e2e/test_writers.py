"""Issue 17: one writer at a time, and what happens when the disk fills up.

Real processes: a writer paused between its Chroma write and its catalog commit (the moment an
unlocked second ingest's recovery used to delete its vectors), two ingests of the same text
started together, questions asked while an ingest is mid-way, and ingests that run out of
space.  "Out of space" is RLIMIT_FSIZE set in the child process (SIGXFSZ ignored, so a write
past the limit fails with EFBIG like a full disk fails with ENOSPC): it needs no root and no
mount, hits the real write calls of SQLite and of Chroma's Rust core, and is the same on every
machine (a tmpfs would need root; a monkeypatched write would not be SQLite's own error path).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.cli import main
from ingest.errors import IndexBusy
from ingest.index import Index
from ingest.lock import writer_lock
from ingest.pipeline import ingest
from ingest.settings import Settings

from support import REPO, SAMPLE_ARTICLES, cli_env, consistent, copy_index

PAUSED_WRITER = """
import pathlib, sys, time
from ingest.catalog import Catalog
commit = Catalog.commit_articles
def paused(self, *args, **kwargs):
    pathlib.Path(sys.argv[3]).touch()  # its vectors are in Chroma, its journal says so
    while not pathlib.Path(sys.argv[4]).exists():
        time.sleep(0.05)
    return commit(self, *args, **kwargs)
Catalog.commit_articles = paused
from assistant.cli import main
sys.exit(main(["ingest", sys.argv[1], "--index", sys.argv[2], "--json"]))
"""

LIMITED_WRITER = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
import ingest.pipeline
ingest.pipeline.FLUSH_CHUNKS = 16  # many small commits, so the limit falls mid-ingest
from assistant.cli import main
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.exit(main(["ingest", sys.argv[2], "--index", sys.argv[3]]))
"""


def reports(folder: Path, count: int, topic: str = "council") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        body = " ".join(
            f"Paragraph {j} of the {topic} report {i} says the {topic} of town {i} met on day {j} and agreed on line {i * j}."
            for j in range(30)
        )
        (folder / f"{topic}-{i:03d}.txt").write_text(
            f"The {topic} report number {i}\nDate: 2021-05-{1 + i % 28:02d}\nSource: Gazette {i % 3}\n\n{body}\n", encoding="utf-8"
        )
    return folder


def wait_for(path: Path, proc: subprocess.Popen, seconds: float = 600) -> None:  # type: ignore[type-arg]
    deadline = time.time() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.time() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def test_a_second_writer_waits_and_recovery_never_touches_the_live_writers_work(tmp_path: Path, sample_settings) -> None:  # type: ignore[no-untyped-def]
    """Before the lock: B's start-up recovery deleted A's not-yet-committed vectors, for good."""
    settings = copy_index(sample_settings, tmp_path / "index")
    first, second = reports(tmp_path / "a", 6, "harbour"), reports(tmp_path / "b", 4, "railway")
    ready, go = tmp_path / "ready", tmp_path / "go"
    writer = subprocess.Popen(
        [sys.executable, "-c", PAUSED_WRITER, str(first), str(settings.index), str(ready), str(go)],
        cwd=REPO, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wait_for(ready, writer)
        notes: list[str] = []
        done: dict[str, object] = {}
        second_writer = threading.Thread(
            target=lambda: done.update(report=ingest(Index.open(settings), [second], on_note=notes.append))
        )
        second_writer.start()
        deadline = time.time() + 60
        while not notes and time.time() < deadline:
            time.sleep(0.05)
        assert notes and notes[0].startswith(f"waiting for the index's writer lock: pid {writer.pid} (")
        # Questions keep being answered while both writers are at work.
        answer = Assistant(settings).ask("What did Tillerson require in March?")
        assert not answer.abstained and answer.citations
        assert second_writer.is_alive()  # still waiting: it did not run recovery under A's feet
        go.touch()
        out, err = writer.communicate(timeout=600)
        second_writer.join(timeout=600)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == 0, err
    assert json.loads(out)["added"] == 6
    report = done["report"]
    assert report.added == 4 and report.recovered == 0  # type: ignore[attr-defined]
    articles, _ = consistent(settings.index)  # every passage has its vector: none stranded
    assert articles == SAMPLE_ARTICLES + 1 + 10


def test_two_ingests_of_the_same_text_at_once_both_tell_the_truth(tmp_path: Path, embedder) -> None:
    index = tmp_path / "index"
    one, two = reports(tmp_path / "one", 3, "ferry"), tmp_path / "two"
    two.mkdir()
    for path in one.iterdir():  # the same texts under other names
        (two / f"copy-{path.name}").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    runs = [
        subprocess.Popen([sys.executable, "-m", "assistant.cli", "ingest", str(folder), "--index", str(index), "--json"],
                         cwd=REPO, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for folder in (one, two)
    ]  # fmt: skip
    results = [(run.communicate(timeout=600), run.returncode) for run in runs]
    reports_ = [json.loads(out) for (out, _), _ in results]
    assert sorted(r["added"] for r in reports_) == [0, 3]
    later = next(r for r in reports_ if r["added"] == 0)
    assert later["duplicates"] == 3 and all("same text as" in line for line in later["problems"])
    assert consistent(index)[0] == 3  # nothing silently replaced, nothing duplicated


def test_a_writer_that_waits_too_long_gets_one_clear_line(tmp_path: Path, capsys, embedder, monkeypatch) -> None:
    index = tmp_path / "index"
    folder = reports(tmp_path / "a", 1, "tide")
    monkeypatch.setenv("NEWSDESK_LOCK_WAIT", "0.3")
    with writer_lock(index, "test holder", 0):
        code = main(["ingest", str(folder), "--index", str(index)])
        err = capsys.readouterr().err.splitlines()
        with pytest.raises(IndexBusy):
            ingest(Index.open(Settings.load(index=index)), [folder])
    assert code == 2 and len(err) == 2
    assert err[0].startswith("newsdesk ingest: waiting for the index's writer lock: pid ")
    assert "is still writing to this index after 0.3 s of waiting" in err[1]
    assert main(["ingest", str(folder), "--index", str(index)]) == 0  # free again once the holder is gone


def test_the_ui_uploads_take_the_same_lock(tmp_path: Path, sample_settings) -> None:  # type: ignore[no-untyped-def]
    from assistant.ui.uploads import IndexWriter, stage_uploads

    settings = copy_index(sample_settings, tmp_path / "index")
    upload = reports(tmp_path / "up", 1, "canal") / "canal-000.txt"
    reader = Index.open(Settings.load(index=settings.index, lock_wait="0.3"), writable=False)
    staged = stage_uploads([upload], settings.index)
    with writer_lock(settings.index, "test holder", 0):
        lines = [str(line) for line in IndexWriter(reader).run(staged)]
    assert lines[0].startswith("canal-000.txt: waiting for the index's writer lock")
    assert "is still writing to this index after 0.3 s" in lines[-1]
    assert not (settings.index / "uploads" / "canal-000.txt").exists()  # nothing indexed: the copy is gone


# The limits fall mid-ingest, in the second flush's Chroma write (Chroma's file passes 280 kB while
# the catalog's WAL is at ~264 kB) and in the third flush's catalog commit (the WAL passes 400 kB).
@pytest.mark.parametrize(("limit", "where"), [(280_000, "cannot write the vectors"), (400_000, "cannot write the catalog")])
def test_a_full_disk_stops_the_ingest_in_one_line_and_a_rerun_completes_it(
    tmp_path: Path, capsys, embedder, limit: int, where: str
) -> None:
    folder, index = reports(tmp_path / "a", 12), tmp_path / "index"
    run = subprocess.run(
        [sys.executable, "-c", LIMITED_WRITER, str(limit), str(folder), str(index)],
        cwd=REPO, env=cli_env(), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    (line,) = run.stderr.strip().splitlines()
    assert where in line and "is the disk full?" in line and "written before it are kept" in line
    assert main(["ingest", str(folder), "--index", str(index), "--json"]) == 0  # space is back
    report = json.loads(capsys.readouterr().out)
    assert report["added"] + report["unchanged"] == 12
    assert consistent(index)[0] == 12  # nothing lost, nothing half-written left behind
