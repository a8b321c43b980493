"""Issue 17: `newsdesk check [--repair]`, and what every reading command says on a damaged index.

Each test damages a private copy of the sample index the way it was found damaged in the field
(vectors lost, orphan vectors, a corrupted catalog page, a 0-byte catalog, a deleted chroma/
folder, a drifted FTS index, another model's stamp) and checks the one line users see, what
`check` reports, that `check --repair` restores an index where every passage has exactly one
vector, and that a re-ingest never calls a damaged index "unchanged" silently.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.cli import main
from ingest.chunking import Chunk
from ingest.index import STAMP_KEY, Index
from ingest.settings import Settings

from support import EXAMPLES, SAMPLE_ARTICLES, consistent, copy_index

QUESTION = "What did Tillerson require in March?"


@pytest.fixture
def index_copy(tmp_path: Path, sample_settings) -> Settings:  # type: ignore[no-untyped-def]
    return copy_index(sample_settings, tmp_path / "index")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def check_json(capsys: pytest.CaptureFixture[str], index: Path, *flags: str) -> tuple[int, dict]:
    code, out, _ = run(capsys, "check", "--index", str(index), "--json", *flags)
    return code, json.loads(out)


def test_a_sound_index_checks_ok(capsys, index_copy: Settings) -> None:
    code, report = check_json(capsys, index_copy.index)
    assert code == 0 and report["ok"] and report["problems"] == []
    assert report["articles"] == SAMPLE_ARTICLES + 1 and report["passages"] == report["vectors"] > 0
    code, out, _ = run(capsys, "check", "--index", str(index_copy.index))
    assert code == 0 and out.strip().endswith("every passage has exactly one vector, the full-text index matches")


def test_lost_vectors_are_said_by_ask_and_stats_reembedded_by_ingest_and_repair(capsys, index_copy: Settings) -> None:
    index = Index.open(index_copy)
    lost = index.vectors.all_ids()[:5]
    index.vectors.delete_ids(lost)
    index.close()
    code, out, err = run(capsys, "ask", QUESTION, "--index", str(index_copy.index))
    assert code == 0 and "[1]" in out  # still answers, and says the index is damaged, in one line
    (warning,) = err.splitlines()
    assert "is damaged: 5 of" in warning and "passages have no vector" in warning and "newsdesk check --repair" in warning
    code, out, _ = run(capsys, "stats", "--index", str(index_copy.index))
    assert code == 1 and "passages have no vector; run `newsdesk check --repair`" in out.splitlines()[-1]
    code, report = check_json(capsys, index_copy.index)
    assert code == 1 and any("5 of" in p and "have no vector" in p for p in report["problems"])
    # A re-ingest of the same articles does not say "unchanged" and stop: it embeds them again.
    code, out, err = run(capsys, "ingest", str(EXAMPLES), "--index", str(index_copy.index))
    assert code == 0 and "5 passages that had no vector embedded again" in out
    consistent(index_copy.index)
    index = Index.open(index_copy)
    index.vectors.delete_ids(lost)
    index.close()
    code, report = check_json(capsys, index_copy.index, "--repair")
    assert code == 0 and report["ok"] and report["repairs"] == ["embedded 5 passages that had no vector"]
    consistent(index_copy.index)


def test_orphan_vectors_and_a_drifted_fts_index_are_repaired(capsys, index_copy: Settings) -> None:
    index = Index.open(index_copy)
    orphan = Chunk("0123456789abcdef:0", "0123456789abcdef", 0, 10, "gone")
    index.vectors.upsert([orphan], np.ones((1, 384), dtype=np.float32) / np.sqrt(384), {orphan.article_id: ("", "", "Gone")})
    with index.catalog.db:
        index.catalog.db.execute("DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid FROM chunks LIMIT 3)")
    with index.writing("test"):
        index.recover()  # a vector no journal names is not recovery's: it stays, and is reported
    index.close()
    reader = Index.open(index_copy, writable=False)
    assert "1 vectors belong to no passage" in reader.health()  # every reading command's damage line
    reader.close()
    code, report = check_json(capsys, index_copy.index)
    assert code == 1
    assert "1 vectors belong to no passage" in report["problems"]
    assert "3 passages missing from the full-text index" in report["problems"]
    code, report = check_json(capsys, index_copy.index, "--repair")
    assert code == 0 and report["ok"], report
    assert any(r.startswith("rebuilt the full-text index") for r in report["repairs"])
    assert "dropped 1 vectors that belonged to no passage" in report["repairs"]
    consistent(index_copy.index)


def test_a_deleted_chroma_folder_is_repaired(capsys, index_copy: Settings) -> None:
    shutil.rmtree(index_copy.chroma_path)
    code, _, err = run(capsys, "ask", QUESTION, "--index", str(index_copy.index))
    assert code == 2 and err.strip() == (
        f"newsdesk ask: {index_copy.chroma_path}: the vectors folder is missing; run `newsdesk check --repair`"
    )
    code, _, err = run(capsys, "stats", "--index", str(index_copy.index))
    assert code == 2 and len(err.splitlines()) == 1 and "check --repair" in err
    code, report = check_json(capsys, index_copy.index, "--repair")
    assert code == 0 and report["ok"] and report["repairs"][0].startswith("embedded ")
    assert consistent(index_copy.index)[0] == SAMPLE_ARTICLES + 1


def _corrupt_page_holding(catalog: Path, needle: bytes) -> None:
    data = catalog.read_bytes()
    page = data.lower().find(needle) // 4096
    assert page > 0
    noise = random.Random(17)
    with catalog.open("r+b") as handle:
        handle.seek(page * 4096)
        handle.write(bytes(noise.randrange(256) for _ in range(4096)))


def test_a_corrupted_catalog_page_is_one_line_for_readers_and_rebuilt_by_repair(capsys, index_copy: Settings) -> None:
    _corrupt_page_holding(index_copy.catalog_path, b"fire and fury")
    code, _, err = run(capsys, "ask", "What did Trump threaten with fire and fury?", "--index", str(index_copy.index))
    assert code == 2 and err.strip() == (
        f"newsdesk ask: {index_copy.catalog_path}: the catalog is damaged (database disk image is malformed); "
        "run `newsdesk check --repair`"
    )
    code, out, err = run(capsys, "stats", "--index", str(index_copy.index))
    assert code in (1, 2) and "malformed" in out + err and "check --repair" in out + err  # no longer "all is well"
    code, report = check_json(capsys, index_copy.index)
    assert code == 1 and any("quick_check" in p for p in report["problems"])
    code, report = check_json(capsys, index_copy.index, "--repair")
    assert code == 0 and report["ok"], report
    assert report["repairs"][0].startswith("rebuilt the catalog from what could still be read")
    assert list(index_copy.index.glob("catalog.sqlite3.damaged-*"))  # the damaged file is kept aside
    # Whatever the damaged page held comes back with the files it came from.
    code, out, err = run(capsys, "ingest", str(EXAMPLES), "--index", str(index_copy.index))
    assert code == 0, err
    articles, _ = consistent(index_copy.index)
    assert articles == SAMPLE_ARTICLES + 1


def test_a_zero_length_catalog_is_damage_not_a_new_index(capsys, index_copy: Settings) -> None:
    index_copy.catalog_path.write_bytes(b"")
    for argv in (["ask", QUESTION], ["ingest", str(EXAMPLES)]):
        code, _, err = run(capsys, *argv, "--index", str(index_copy.index))
        assert code == 2 and "the catalog file is empty (0 bytes)" in err and "check --repair" in err
    code, report = check_json(capsys, index_copy.index, "--repair")
    assert code == 0 and report["ok"]
    assert report["repairs"][0].startswith("rebuilt the catalog from what could still be read: 0 articles")
    assert any(r.startswith("dropped ") for r in report["repairs"])  # vectors of the lost articles
    code, _, err = run(capsys, "ingest", str(EXAMPLES), "--index", str(index_copy.index))
    assert code == 0 and consistent(index_copy.index)[0] == SAMPLE_ARTICLES


def test_a_folder_that_is_not_an_index_is_never_made_one(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "taxes.ods").write_text("x")
    code, _, err = run(capsys, "ingest", str(EXAMPLES), "--index", str(folder))
    assert code == 2 and "not a newsdesk index (it holds taxes.ods)" in err
    code, _, err = run(capsys, "ask", QUESTION, "--index", str(folder))
    assert code == 2 and "no index here yet; run `newsdesk ingest FOLDER` first" in err
    assert sorted(p.name for p in folder.iterdir()) == ["taxes.ods"]


def test_model_stamps_old_indexes_are_stamped_another_model_is_refused(capsys, index_copy: Settings) -> None:
    index = Index.open(index_copy)
    with index.catalog.db:
        index.catalog.db.execute("DELETE FROM meta WHERE key=?", (STAMP_KEY,))
    index.close()
    code, report = check_json(capsys, index_copy.index)
    assert code == 0 and any("no embedding-model stamp" in n for n in report["notes"])
    run(capsys, "ingest", str(EXAMPLES), "--index", str(index_copy.index))
    assert Index.open(index_copy, writable=False).catalog.stamp()[STAMP_KEY] == "all-MiniLM-L6-v2/384"
    Index.open(index_copy).catalog.set_stamps({STAMP_KEY: "other-model/768"})
    code, _, err = run(capsys, "ingest", str(EXAMPLES), "--index", str(index_copy.index))
    assert code == 2 and "made by other-model/768, but this newsdesk embeds with all-MiniLM-L6-v2/384" in err
    code, out, err = run(capsys, "ask", QUESTION, "--index", str(index_copy.index))
    assert "other-model/768" in err and len(err.splitlines()) == 1
    code, report = check_json(capsys, index_copy.index, "--repair")
    assert code == 0 and report["ok"] and "dropped every vector of other-model/768" in report["repairs"]
    consistent(index_copy.index)
