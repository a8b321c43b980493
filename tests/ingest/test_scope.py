"""One filter rule, three renderings: the catalog's SQL, Chroma's `where` and `Scope.admits` agree."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pytest

from ingest.index import Index
from ingest.scope import Scope, day_date, day_number

SCOPES = [
    Scope(),
    Scope.of(since="2017-09-01"),
    Scope.of(until="2017-08-31"),
    Scope.of(sources=["Meridian Review"]),
    Scope.of("2017-08-01", "2017-08-31", ["harbor daily ledger", "Relay Wire"]),
    Scope.of("2018-01-01"),  # nothing that late
]


def test_day_numbers() -> None:
    assert day_number("2017-08-22") == 20170822 and day_number("") == 0 and day_number("2017-08") == 0
    assert day_date(20170822) == date(2017, 8, 22) and day_date(0) is None and day_date(20170231) is None


@pytest.fixture(scope="module")
def index(sample_settings):  # type: ignore[no-untyped-def]
    opened = Index.open(sample_settings)
    yield opened
    opened.close()


@pytest.mark.parametrize("scope", SCOPES, ids=repr)
def test_chroma_where_and_python_admits_select_the_same_passages(index: Index, scope: Scope) -> None:
    vector = np.asarray(index.embedder.encode(["North Korea sanctions"])[0])
    everything = index.vectors.query(vector, 10_000)
    assert len(everything) == index.vectors.count()
    in_python = {h.chunk_id for h in everything if scope.admits(h.published_day, h.source_key)}
    in_chroma = {h.chunk_id for h in index.vectors.query(vector, 10_000, scope)}
    assert in_chroma == in_python


def test_a_filtered_query_that_chroma_fails_is_answered_from_the_unfiltered_pool(index: Index, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """While another process deletes, Chroma's filtered query can fail ("Error finding id"): the
    same passages come from the unfiltered pool, filtered by Scope.admits; an unfiltered failure
    is not hidden."""
    vector = np.asarray(index.embedder.encode(["North Korea sanctions"])[0])
    scope = Scope.of("2017-08-01", "2017-08-31")
    exact = index.vectors.query(vector, 5, scope)
    collection = index.vectors.collection
    real = collection.query

    def flaky(**kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("where") is not None:
            raise RuntimeError("Error executing plan: Internal error: Error finding id")
        return real(**kwargs)

    monkeypatch.setattr(collection, "query", flaky)
    assert [h.chunk_id for h in index.vectors.query(vector, 5, scope)] == [h.chunk_id for h in exact]
    monkeypatch.setattr(collection, "query", lambda **kwargs: (_ for _ in ()).throw(RuntimeError("down")))
    with pytest.raises(RuntimeError):
        index.vectors.query(vector, 5)


@pytest.mark.parametrize("scope", SCOPES, ids=repr)
def test_catalog_sql_selects_the_articles_admits_would(index: Index, scope: Scope) -> None:
    catalog = index.catalog
    admitted = {a.article_id for a in catalog.iter_articles() if scope.admits(day_number(a.published), a.source.lower())}
    for terms in (["korea"], ["korea", "sanctions"]):
        everywhere = set(catalog.articles_with_all_terms(terms))
        assert set(catalog.articles_with_all_terms(terms, scope)) == everywhere & admitted
        hits = catalog.lexical_search(terms, 10_000)
        scoped = catalog.lexical_search(terms, 10_000, scope)
        assert {h.chunk_id for h in scoped} == {h.chunk_id for h in hits if h.article_id in admitted}
    assert catalog.articles_with_all_terms([]) == {} and catalog.lexical_search(["", ""], 5) == []


@pytest.mark.parametrize("scope", SCOPES, ids=repr)
def test_articles_matching_groups_of_phrases_within_the_scope(index: Index, scope: Scope) -> None:
    """Every group must match, any phrase of a group will do, a phrase is its words in a row."""
    catalog = index.catalog
    texts = {a.article_id: a.text.lower() for a in catalog.iter_articles()}
    admitted = {a.article_id for a in catalog.iter_articles() if scope.admits(day_number(a.published), a.source.lower())}
    found = catalog.articles_matching([["north korea", "pyongyang"], ["coal"]], scope)
    expected = {
        aid for aid, text in texts.items()
        if re.search(r"\b(?:north\s+korea|pyongyang)\b", text) and re.search(r"\bcoals?\b", text)
    }  # fmt: skip
    assert set(found) == expected & admitted
    assert set(catalog.articles_matching([["korea north"]], scope)) <= set(catalog.articles_matching([["korea"]], scope))
    newest = catalog.articles_matching([["korea"]], scope, limit=2)
    assert len(newest) <= 2 and set(newest) <= set(catalog.articles_matching([["korea"]], scope))
    assert catalog.articles_matching([]) == {} and catalog.articles_matching([["korea"], []]) == {}
