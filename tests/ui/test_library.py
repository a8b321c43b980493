"""The library: listing and searching the catalog, and deleting an article so that the catalog,
its BM25 index and Chroma all lose it and no answer cites it again (the UI's IndexWriter goes
through ingest's `remove_articles`, the path `--prune` takes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import EXAMPLES, SAMPLE_ARTICLES, build_index, consistent, copy_index
from ui_articles import DELETED_ARTICLE, DELETED_QUESTION, DELETED_TITLE, UPLOAD_ARTICLE


@pytest.fixture(scope="module")
def library_index(tmp_path_factory, embedder) -> Path:  # type: ignore[no-untyped-def]
    work = tmp_path_factory.mktemp("library")
    (work / "larkspur.txt").write_text(DELETED_ARTICLE, encoding="utf-8")
    return Path(build_index(work / "index", [EXAMPLES, work / "larkspur.txt"]).index)


@pytest.fixture
def assistant(library_index, tmp_path):  # type: ignore[no-untyped-def]
    """An Assistant over a fresh copy of the index: each test deletes what it likes."""
    from assistant.api import Assistant
    from ingest.settings import Settings

    return Assistant(copy_index(Settings.load(index=library_index), tmp_path / "index"))


def test_the_library_lists_searches_and_counts_passages(assistant) -> None:  # type: ignore[no-untyped-def]
    catalog = assistant.index.catalog
    everything = catalog.library()
    assert len(everything) == catalog.library_size() == SAMPLE_ARTICLES + 1
    dated = [e.published for e in everything if e.published]
    assert dated == sorted(dated, reverse=True)  # newest first, undated last
    assert sum(e.passages for e in everything) == catalog.stats().chunks
    found = catalog.library("LARKSPUR")
    assert [e.title for e in found] == [DELETED_TITLE] and found[0].source == "Upland Courier"
    by_outlet = catalog.library("upland courier")
    assert [e.title for e in by_outlet] == [DELETED_TITLE]
    assert catalog.library_size("no such words anywhere") == 0 and catalog.library("no such words anywhere") == []
    assert len(catalog.library(limit=3)) == 3


def test_a_deleted_article_is_gone_everywhere_and_never_cited_again(assistant) -> None:  # type: ignore[no-untyped-def]
    from assistant.ui.uploads import IndexWriter

    catalog = assistant.index.catalog
    before = assistant.ask(DELETED_QUESTION)
    target = next(c.article_id for c in before.citations if c.title == DELETED_TITLE)
    articles, chunks = consistent(assistant.index.settings.index)
    passages = len(catalog.article_chunks(target))
    assert catalog.lexical_search(["Tarrow"], 10)  # BM25 finds it before

    assert IndexWriter(assistant.index).remove([target]) == 1
    assert consistent(assistant.index.settings.index) == (articles - 1, chunks - passages)  # catalog = FTS = Chroma
    assert catalog.article(target) is None and not catalog.lexical_search(["Tarrow"], 10)
    assert target not in {h.article_id for h in assistant.index.vectors.query(assistant.index.embedder.encode([DELETED_QUESTION])[0], 50)}
    after = assistant.ask(DELETED_QUESTION)
    assert all(c.article_id != target for c in after.citations) and all(lead.article_id != target for lead in after.leads)
    assert IndexWriter(assistant.index).remove([target]) == 0  # already gone: nothing to do, no error


def test_deleting_an_uploaded_article_deletes_its_copy(assistant, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.ui.uploads import IndexWriter, stage_uploads

    story = tmp_path / "glimmerfin.txt"
    story.write_text(UPLOAD_ARTICLE, encoding="utf-8")
    writer = IndexWriter(assistant.index)
    staged = stage_uploads([story], assistant.index.settings.index)
    assert [line.ok for line in writer.run(staged)] == [True]
    copy = assistant.index.settings.index / "uploads" / "glimmerfin.txt"
    uploaded = [aid for _, aid in assistant.index.catalog.origins_by_path()[str(copy.resolve())]]
    assert copy.exists() and len(uploaded) == 1
    assert writer.remove(uploaded) == 1
    assert not copy.exists()
    consistent(assistant.index.settings.index)


def test_a_deletion_takes_the_index_writer_lock_like_every_writer(assistant) -> None:  # type: ignore[no-untyped-def]
    """While another writer (an ingest in another process) holds the index, the Library's Delete
    waits for it; when the wait runs out the article stays and the note says why in one line."""
    from assistant.ui.library_tab import LibraryTab
    from assistant.ui.uploads import IndexWriter
    from ingest.errors import IndexBusy
    from ingest.index import Index
    from ingest.lock import writer_lock
    from ingest.pipeline import remove_articles
    from ingest.settings import Settings

    where = assistant.index.settings.index
    impatient = Settings.load(index=where, lock_wait="0.3")
    (target,) = [e.article_id for e in assistant.index.catalog.library("LARKSPUR")]
    tab = LibraryTab(assistant, IndexWriter(Index.open(impatient, writable=False)))
    with writer_lock(where, "test holder", 0):
        note = tab.delete("yes", target, "")[-1]
        with pytest.raises(IndexBusy):
            remove_articles(Index.open(impatient), [target])
    assert note.startswith("Not deleted: ") and "is still writing to this index after" in note
    assert assistant.index.catalog.holds(target)
    assert tab.delete("yes", target, "")[-1].startswith("Deleted \u201c")  # the lock is free again
    assert not assistant.index.catalog.holds(target)
    consistent(where)
