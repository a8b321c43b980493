"""Sentence spans and chunks keep exact offsets into the article text."""

from __future__ import annotations

from ingest.article import Article
from ingest.chunking import MAX_WORDS, chunk_article
from ingest.sentences import sentence_spans


def _article(text: str, title: str = "A headline") -> Article:
    return Article(title=title, text=text, origin="/tmp/x.txt", path="/tmp/x.txt")


def test_sentences_keep_initials_titles_and_closing_quotes_together() -> None:
    text = (
        "Secretary of State Rex W. Tillerson spoke in Seoul. Mr. Tillerson said the U.S. would wait.\n"
        "\u201cWe need to see more,\u201d he said. Talks, he added, were possible!"
    )
    quotes = [text[s:e] for s, e in sentence_spans(text)]
    assert quotes == [
        "Secretary of State Rex W. Tillerson spoke in Seoul.",
        "Mr. Tillerson said the U.S. would wait.",
        "\u201cWe need to see more,\u201d he said.",
        "Talks, he added, were possible!",
    ]


def test_line_breaks_end_sentences() -> None:
    text = "HEADLINE WITHOUT STOP\nBody sentence one. Body two."
    assert [text[s:e] for s, e in sentence_spans(text)] == ["HEADLINE WITHOUT STOP", "Body sentence one.", "Body two."]


def test_chunk_text_equals_article_slice_and_ids_are_stable() -> None:
    sentences = [f"Sentence number {i} says something about sanctions and talks in Pyongyang." for i in range(120)]
    text = "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, 120, 4))
    article = _article(text)
    chunks = chunk_article(article)
    assert len(chunks) > 5
    for chunk in chunks:
        assert article.text[chunk.start : chunk.end] == chunk.text
        assert chunk.chunk_id == f"{article.article_id}:{chunk.start}"
        assert len(chunk.text.split()) <= MAX_WORDS
    # Same text, same ids (idempotent re-ingest); consecutive chunks overlap by one sentence.
    assert [c.chunk_id for c in chunk_article(_article(text))] == [c.chunk_id for c in chunks]
    assert all(b.start < a.end for a, b in zip(chunks, chunks[1:]))
    # Every sentence is covered by some chunk.
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    assert all(s in covered for s, _ in sentence_spans(text))


def test_giant_sentence_is_cut_to_embeddable_size() -> None:
    text = " ".join(["word"] * 1000) + "."
    chunks = chunk_article(_article(text))
    assert len(chunks) >= 5
    assert all(len(c.text.split()) <= MAX_WORDS for c in chunks)
    assert all(text[c.start : c.end] == c.text for c in chunks)


def test_article_identity_is_by_text_and_fingerprint_by_everything() -> None:
    a = _article("Same text here.", title="One")
    b = Article(title="Two", text="Same   text here.", origin="/tmp/y.txt", path="/tmp/y.txt")
    assert a.article_id == b.article_id
    assert a.fingerprint != b.fingerprint
