"""A writer that dies at every point of a store, then the next writer's recovery (the follow-up
of issue 17's stress test, whose reader once saw "6 vectors belong to no passage" after a kill -9).

Each window is a real process that dies: os._exit right after each step of `Index.store`, or
SIGKILL inside Chroma's own write.  This process plays the other, long-running writer: its view
of Chroma was opened before the crash, and it recovers under the writer lock.  Then a fresh
process (Chroma replays its log into a process's view when it opens the collection) must find
one vector per passage and the article either before or after the store; so must this process
after its next write.  The last window is the one the stress test hit: killed after embedded
Chroma appended the vectors to its log but before it applied them, the writer left vectors the
recovering writer could not see (its lookup by article found nothing, and it cleared the
journal); its own next write, or the next process to open the collection, applied them:
orphans.  Nothing here waits on a clock: the kill waits for Chroma's log to grow, and the test
says so if the kill came too late.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from ingest.index import Index
from ingest.settings import Settings

from support import REPO, RandomVectors, cli_env, passages_article

CRASHING_WRITER = """
import os, sys
sys.path.insert(0, sys.argv[1])
from support import RandomVectors, passages_article
from ingest.catalog import Catalog
from ingest.index import Index
from ingest.settings import Settings
from ingest.vectors import VectorStore

index = Index.open(Settings.load(index=sys.argv[2]))
index.__dict__["embedder"] = RandomVectors()
window, passages = sys.argv[3], int(sys.argv[4])
HOOKS = {"journaled": (Catalog, "journal_add"), "vectors written": (VectorStore, "upsert"),
         "catalog committed": (Catalog, "commit_articles"), "old vectors deleted": (VectorStore, "delete_articles")}
if window in HOOKS:
    owner, name = HOOKS[window]
    step = getattr(owner, name)
    def step_then_die(self, *args, **kwargs):
        step(self, *args, **kwargs)
        os._exit(9)
    setattr(owner, name, step_then_die)
old, _ = passages_article("old", 5)
with index.writing("crash test"):
    index.vectors.count()
    print("writing", flush=True)
    index.store([passages_article("new", passages)], replaced=[old.article_id])
print("stored", flush=True)
"""

FRESH_LOOK = """
import json, sys
from ingest.index import Index
from ingest.integrity import check
from ingest.settings import Settings
settings = Settings.load(index=sys.argv[1])
index = Index.open(settings, writable=False)
print(json.dumps({"health": index.health(), "vectors": index.vectors.count(), "passages": index.catalog.counts()[0],
                  "titles": sorted(a.title for a in index.catalog.iter_articles()), "check": check(settings).problems}))
"""

BEFORE, AFTER = ["The kept report", "The old report"], ["The kept report", "The new report"]


def chroma_log(index_dir: Path) -> tuple[int, int]:
    """(the last record in Chroma's log, the last one applied to the tables Chroma reads)."""
    with closing(sqlite3.connect(f"file:{index_dir}/chroma/chroma.sqlite3?mode=ro", uri=True)) as db:
        logged = db.execute("SELECT max(seq_id) FROM embeddings_queue").fetchone()[0]
        applied = db.execute(
            "SELECT max(m.seq_id) FROM max_seq_id m JOIN segments s ON s.id = m.segment_id WHERE s.scope = 'METADATA'"
        ).fetchone()[0]
    return int(logged or 0), int(applied or 0)


def crash(index_dir: Path, window: str, passages: int) -> bool:
    """Run a writer that dies in `window`; True when it died there (inside Chroma's write:
    after its log grew and before the write was applied)."""
    writer = subprocess.Popen(
        [sys.executable, "-c", CRASHING_WRITER, str(REPO / "tests"), str(index_dir), window, str(passages)],
        cwd=REPO, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing", writer.communicate()
        if window != "inside Chroma's write":
            return writer.wait(timeout=300) == 9
        logged = chroma_log(index_dir)[0]
        while chroma_log(index_dir)[0] == logged:
            assert writer.poll() is None, writer.communicate()
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=60)
        logged, applied = chroma_log(index_dir)
        return applied < logged
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()


def fresh_look(index_dir: Path) -> dict:  # type: ignore[type-arg]
    run = subprocess.run([sys.executable, "-c", FRESH_LOOK, str(index_dir)], cwd=REPO, env=cli_env(),
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "window, passages, titles",
    [
        ("journaled", 20, BEFORE),
        ("vectors written", 20, BEFORE),
        ("catalog committed", 20, AFTER),
        ("old vectors deleted", 20, AFTER),
        ("inside Chroma's write", 2000, BEFORE),  # a write long enough for the kill to fall inside it
    ],
)
def test_a_writer_killed_anywhere_in_a_store_leaves_no_orphan_for_any_later_process(
    tmp_path: Path, window: str, passages: int, titles: list[str]
) -> None:
    index_dir = tmp_path / "index"
    index = Index.open(Settings.load(index=index_dir))
    index.__dict__["embedder"] = RandomVectors()
    with index.writing("test"):
        index.store([passages_article("old", 5), passages_article("kept", 3)])
    assert index.vectors.count() == 8  # this process's view of Chroma is open before the crash

    died_there = any(crash(index_dir, window, passages) for _ in range(3))
    assert died_there, f"the writer never died {window}"
    with index.writing("the next writer"):
        index.recover()

    seen = fresh_look(index_dir)
    assert seen["health"] == [] and seen["check"] == [], seen
    assert seen["vectors"] == seen["passages"] and seen["titles"] == titles
    with index.writing("the next writer"):  # its next write applies whatever Chroma's log still holds
        index.store([passages_article("later", 2)])
    assert index.health() == [] and index.vectors.count() == index.catalog.counts()[0] == seen["passages"] + 2
    index.close()
