"""Citations numbered by first appearance and checked against the catalog: one implementation
for answers and briefings (assistant/citations.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.answer import Answer, AnswerSentence, Citation
from assistant.citations import CitationNumbers, check_quotes, compose, keep_cited, verify_quotes
from ingest.article import Article
from ingest.catalog import Catalog
from ingest.chunking import chunk_article

FERRY = Article(
    title="Council Votes to Close Harbor City Ferry Terminal",
    text="The Harbor City council voted on Monday to close the old ferry terminal.\n\n"
    "Repairs to the pier would cost more than the city could afford. Commuters will get an express bus.",
    published="2021-05-04",
    source="Outlet One",
    origin="/tmp/ferry.txt",
    path="/tmp/ferry.txt",
)
PARK = Article(
    title="Old Ferry Terminal Will Become a Park",
    text="The site of the old ferry terminal will become a public park, the mayor announced on Friday.",
    published="2021-06-20",
    source="Outlet Two",
    origin="/tmp/park.txt",
    path="/tmp/park.txt",
)


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    catalog.commit_articles([(a, list(chunk_article(a))) for a in (FERRY, PARK)], [])
    yield catalog
    catalog.close()


def cite(article: Article, quote: str, n: int = 0, start: int | None = None) -> Citation:
    at = article.text.index(quote) if start is None else start
    return Citation(n, article.article_id, article.title, article.url, article.published, article.source, quote, at, at + len(quote))


VOTE = "The Harbor City council voted on Monday to close the old ferry terminal."
REPAIRS = "Repairs to the pier would cost more than the city could afford."
BUS = "Commuters will get an express bus."
PARK_QUOTE = "The site of the old ferry terminal will become a public park, the mayor announced on Friday."


def test_numbers_follow_first_appearance_and_a_quote_cited_twice_keeps_its_number() -> None:
    numbers = CitationNumbers()
    assert numbers.number(cite(PARK, PARK_QUOTE)) == 1
    assert numbers.numbers([cite(FERRY, VOTE), cite(PARK, PARK_QUOTE), cite(FERRY, VOTE)]) == (2, 1)
    assert [(c.n, c.quote) for c in numbers.citations()] == [(1, PARK_QUOTE), (2, VOTE)]


def test_compose_joins_sentences_with_their_markers() -> None:
    text, sentences, citations = compose(
        [(VOTE, [cite(FERRY, VOTE)]), (PARK_QUOTE, [cite(PARK, PARK_QUOTE), cite(FERRY, VOTE)])]
    )
    assert text == f"{VOTE} [1] {PARK_QUOTE} [2][1]"
    assert sentences == [AnswerSentence(VOTE, (1,)), AnswerSentence(PARK_QUOTE, (2, 1))]
    assert [c.n for c in citations] == [1, 2] and citations[1].article_id == PARK.article_id


def test_check_quotes_keeps_verbatim_relocates_moved_and_drops_the_rest(catalog: Catalog) -> None:
    good = cite(FERRY, VOTE, 1)
    moved = cite(FERRY, BUS, 2, start=0)  # right words, wrong offsets
    invented = Citation(3, FERRY.article_id, FERRY.title, "", "", "", "The mayor resigned.", 0, 19)
    gone = Citation(4, "no-such-article", "Gone", "", "", "", "Anything.", 0, 9)
    check = check_quotes([good, moved, invented, gone], catalog)
    assert check.changed and set(check.kept) == {1, 2}
    assert check.kept[1] is good
    fixed = check.kept[2]
    assert FERRY.text[fixed.start : fixed.end] == BUS
    assert check.notes == [
        f"[3] dropped: quote is not verbatim in '{FERRY.title}'",
        "[4] dropped: its article is not in the index",
    ]
    assert not check_quotes([good], catalog).changed


def test_verify_quotes_drops_uncited_sentences_and_renumbers(catalog: Catalog) -> None:
    text, sentences, citations = compose(
        [
            (VOTE, [cite(FERRY, VOTE)]),
            ("The mayor resigned.", [Citation(0, FERRY.article_id, FERRY.title, "", "", "", "The mayor resigned.", 0, 19)]),
            (BUS, [cite(FERRY, BUS, start=3)]),  # offsets wrong: fixed, not dropped
            (PARK_QUOTE, [cite(PARK, PARK_QUOTE)]),
        ]
    )
    # One article is one source: the three quotes of FERRY share [1].
    assert text == f"{VOTE} [1] The mayor resigned. [1] {BUS} [1] {PARK_QUOTE} [2]"
    assert [len(c.passages) for c in citations] == [3, 1]
    answer = Answer("q", text, False, citations, sentences, notes=["from the backend"])
    checked = verify_quotes(answer, catalog)
    assert checked.answer == f"{VOTE} [1] {BUS} [1] {PARK_QUOTE} [2]"
    assert [c.n for c in checked.citations] == [1, 2]
    assert [p.quote for p in checked.citations[0].passages] == [VOTE, BUS]
    for c in checked.citations:
        article = FERRY if c.article_id == FERRY.article_id else PARK
        assert article.text[c.start : c.end] == c.quote
        assert all(article.text[p.start : p.end] == p.quote for p in c.passages)
    assert checked.notes[0] == "from the backend" and "[1] kept without 1 quote(s) that are not verbatim" in checked.notes[1]
    assert verify_quotes(checked, catalog) is checked  # nothing left to change


def test_an_abstention_is_left_alone(catalog: Catalog) -> None:
    answer = Answer("q", "I found nothing in the archive that answers this.", True)
    assert verify_quotes(answer, catalog) is answer


@dataclass(frozen=True)
class Line:
    text: str
    citations: tuple[int, ...]


def test_keep_cited_works_for_any_cited_lines() -> None:
    kept = {2: cite(PARK, PARK_QUOTE, 2), 3: cite(FERRY, VOTE, 3)}
    numbers = CitationNumbers()
    lines = keep_cited([Line("a", (1, 3)), Line("b", (1,)), Line("c", (2, 3))], kept, numbers)
    assert lines == [Line("a", (1,)), Line("c", (2, 1))]
    assert [c.quote for c in numbers.citations()] == [VOTE, PARK_QUOTE]


def test_a_quote_only_at_the_wrong_offsets_is_fixed_even_when_nothing_is_dropped(catalog: Catalog) -> None:
    text, sentences, citations = compose([(BUS, [cite(FERRY, BUS, start=3)])])
    checked = verify_quotes(Answer("q", text, False, citations, sentences), catalog)
    (c,) = checked.citations
    assert FERRY.text[c.start : c.end] == BUS and checked.answer == f"{BUS} [1]"
