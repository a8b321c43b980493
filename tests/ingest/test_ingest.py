"""Ingest end to end: incremental, idempotent, prune, moves, duplicates and bad input.

Each test builds its own tiny index (a few hand-written articles) with the real embedder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from ingest.index import Index
from ingest.pipeline import ingest
from ingest.settings import Settings

from support import EXAMPLES, SAMPLE_ARTICLES, consistent


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def story(topic: str, date: str = "2021-05-04", extra: str = "") -> str:
    body = " ".join(
        f"Paragraph {i} of the {topic} story explains who met whom in the harbour town and what they agreed."
        for i in range(6)
    )
    return f"The {topic} story\nDate: {date}\nSource: Test Gazette\n\n{body} {extra}\n"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict, str]:
    code = main([*argv, "--json"])
    captured = capsys.readouterr()
    lines = [line for line in captured.out.splitlines() if line.strip()]
    return code, (json.loads(lines[-1]) if lines else {}), captured.err


def test_sample_ingests_then_reingest_adds_nothing(tmp_path: Path, capsys, embedder) -> None:
    index = tmp_path / "index"
    code, first, err = run_cli(capsys, "ingest", str(EXAMPLES), "--index", str(index))
    assert code == 0, err
    assert first["added"] == SAMPLE_ARTICLES and first["failed"] == 0 and first["chunks_written"] > 0
    code, second, _ = run_cli(capsys, "ingest", str(EXAMPLES), "--index", str(index))
    assert code == 0
    assert second["added"] == 0 and second["updated"] == 0 and second["chunks_written"] == 0
    assert second["unchanged"] == SAMPLE_ARTICLES
    assert consistent(index)[0] == SAMPLE_ARTICLES
    code, stats, _ = run_cli(capsys, "stats", "--index", str(index))
    assert stats["articles"] == SAMPLE_ARTICLES and stats["chunks"] == stats["vectors_stored"]
    assert stats["first_published"] == "2017-03-17" and stats["last_published"] == "2017-11-30"
    assert len(stats["sources"]) >= 4


def test_changed_article_replaces_its_chunks_and_prune_removes_gone_files(tmp_path: Path, capsys, embedder) -> None:
    folder, index = tmp_path / "articles", tmp_path / "index"
    a = write(folder / "a.txt", story("ferry"))
    b = write(folder / "b.txt", story("bridge"))
    code, report, _ = run_cli(capsys, "ingest", str(folder), "--index", str(index))
    assert report["added"] == 2
    before = Index.open(Settings.load(index=index)).catalog.fingerprint_of(str(a.resolve()))
    write(a, story("ferry", extra="A late amendment moved the vote to Thursday."))
    code, report, _ = run_cli(capsys, "ingest", str(folder), "--index", str(index))
    assert (report["updated"], report["unchanged"], report["added"]) == (1, 1, 0)
    after = Index.open(Settings.load(index=index)).catalog.fingerprint_of(str(a.resolve()))
    assert after and before and after[0] != before[0]
    assert consistent(index) [0] == 2  # old chunks of the changed article are gone from Chroma too
    b.unlink()
    code, report, _ = run_cli(capsys, "ingest", str(folder), "--index", str(index))
    assert report["pruned"] == 0  # without --prune nothing indexed is lost
    assert consistent(index)[0] == 2
    code, report, _ = run_cli(capsys, "ingest", str(folder), "--index", str(index), "--prune")
    assert report["pruned"] == 1
    assert consistent(index)[0] == 1


def test_the_same_words_spaced_otherwise_leave_no_vector_of_the_old_passages(tmp_path: Path, embedder) -> None:
    """Same words, so the same article id, but other offsets: the passages are cut anew, and the
    vectors of the old passages must go with them (they were once left behind as orphans)."""
    folder, index_dir = tmp_path / "articles", tmp_path / "index"
    text = story("ferry", extra="The vote moved to Thursday. " * 12)
    a = write(folder / "a.txt", text)
    index = Index.open(Settings.load(index=index_dir))
    ingest(index, [folder])
    aid = index.catalog.fingerprint_of(str(a.resolve()))[0]
    old_chunks = {cid for cid, _, _ in index.catalog.article_chunks(aid)}
    write(a, text.replace(". ", ".   "))
    report = ingest(index, [folder])
    assert report.updated == 1 and index.health() == []
    assert index.catalog.fingerprint_of(str(a.resolve()))[0] == aid  # the same article
    assert old_chunks - {cid for cid, _, _ in index.catalog.article_chunks(aid)}  # cut at other offsets
    assert consistent(index_dir)[0] == 1


def test_prune_drops_records_removed_from_a_jsonl_but_not_bad_ones(tmp_path: Path, capsys, embedder) -> None:
    index = tmp_path / "index"
    records = [{"id": f"r{i}", "title": f"Record {i}", "text": story(f"record {i}"), "date": "2020-01-0%d" % (i + 1)} for i in range(3)]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    run_cli(capsys, "ingest", str(feed), "--index", str(index))
    # r1 disappears, r2 becomes malformed: only r1 may be pruned.
    feed.write_text(json.dumps(records[0]) + "\n{not json\n", encoding="utf-8")
    code, report, err = run_cli(capsys, "ingest", str(feed), "--index", str(index), "--prune")
    assert "line 2" in err and "malformed JSON" in err
    assert report["pruned"] == 0  # the file was not read cleanly, so nothing in it is pruned
    feed.write_text(json.dumps(records[0]) + "\n" + json.dumps(records[2]) + "\n", encoding="utf-8")
    code, report, err = run_cli(capsys, "ingest", str(feed), "--index", str(index), "--prune")
    assert report["pruned"] == 1 and report["unchanged"] == 2
    assert consistent(index)[0] == 2


def test_renamed_file_is_moved_not_reembedded_and_copy_is_a_duplicate(tmp_path: Path, capsys, embedder) -> None:
    folder, index = tmp_path / "articles", tmp_path / "index"
    a = write(folder / "a.txt", story("harbour"))
    run_cli(capsys, "ingest", str(folder), "--index", str(index))
    a.rename(folder / "renamed.txt")
    code, report, _ = run_cli(capsys, "ingest", str(folder), "--index", str(index))
    assert (report["moved"], report["chunks_written"]) == (1, 0)
    write(folder / "copy.txt", story("harbour"))
    code, report, err = run_cli(capsys, "ingest", str(folder), "--index", str(index))
    assert report["duplicates"] == 1 and "copy.txt" in err and "duplicate" in err
    assert code == 0  # the rest (renamed.txt, unchanged) is fine
    assert consistent(index)[0] == 1


def test_bad_inputs_each_get_one_line_and_the_rest_is_ingested(tmp_path: Path, capsys, embedder) -> None:
    folder, index = tmp_path / "batch", tmp_path / "index"
    write(folder / "good.txt", story("good"))
    write(folder / "empty.txt", "")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    (folder / "latin1.txt").write_bytes("Caf\xe9 story\n\nSome text.".encode("latin-1"))
    write(folder / "feed.jsonl", json.dumps({"title": "Feed one", "text": story("feed")}) + "\n{broken\n")
    write(folder / "notext.csv", "id,title,publication\n1,Hello,Gazette\n")
    big = folder / "huge.txt"
    with big.open("wb") as handle:
        handle.write(b"Huge title\n")
        handle.seek(50 * 1024 * 1024)
        handle.write(b"end.\n")
    write(folder / "dup.md", story("good"))
    missing = tmp_path / "does-not-exist"
    code = main(["ingest", str(folder), str(missing), "--index", str(index), "--json"])
    out = capsys.readouterr()
    report = json.loads(out.out)
    lines = [line for line in out.err.splitlines() if line.strip()]
    assert code == 0
    assert report["added"] == 2  # good.txt and the good jsonl line
    expected = {
        "empty.txt": "empty file",
        "binary.txt": "binary",
        "latin1.txt": "UTF-8",
        "feed.jsonl line 2": "malformed JSON",
        "notext.csv": "no text column",
        "huge.txt": "50.0 MB",
        "dup.md": "duplicate",
        "does-not-exist": "no such file",
    }
    for where, reason in expected.items():
        matching = [line for line in lines if where in line]
        assert len(matching) == 1, (where, lines)
        assert reason in matching[0], matching[0]
    assert report["failed"] == 7 and report["duplicates"] == 1
    assert consistent(index)[0] == 2


def test_nothing_ingestable_exits_2_and_keeps_the_index(tmp_path: Path, capsys, embedder) -> None:
    index = tmp_path / "index"
    good = write(tmp_path / "good.txt", story("kept"))
    run_cli(capsys, "ingest", str(good), "--index", str(index))
    bad = write(tmp_path / "empty.txt", "")
    code, report, err = run_cli(capsys, "ingest", str(bad), "--index", str(index))
    assert code == 2 and report["failed"] == 1 and "empty.txt: empty file" in err
    assert consistent(index)[0] == 1
