"""Markdown articles shown as text: markup removed, and every stored span maps to the shown span
of the same words, so a quote is highlighted where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import Citation
from assistant.ui import render
from assistant.ui.markdown_view import is_markdown, plain_markdown, shown_text
from ingest.catalog import StoredArticle
from ingest.readers import read_articles
from ingest.sentences import sentence_spans
from ui_articles import MARKDOWN_ARTICLE, MARKDOWN_QUOTE_SHOWN


@pytest.fixture(scope="module")
def article(tmp_path_factory) -> StoredArticle:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("md") / "kessel.md"
    path.write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    read = next(iter(read_articles(path)))
    return StoredArticle(read.article_id, read.origin, read.path, read.fingerprint, read.title, read.text,
                         read.published, read.source, read.authors, read.url)  # fmt: skip


def test_markup_is_removed_and_the_words_stay() -> None:
    text = "## Head\n\nSaid **bold** and *soft* and `code`, see [the report](https://x.example/r \"t\").\n\n- one\n> quoted\n\\*kept\\*"
    shown = shown_text(text, markdown=True).text
    assert shown == "Head\n\nSaid bold and soft and code, see the report.\n\n\u2022 one\nquoted\n*kept*"
    assert shown_text(text, markdown=False).text == text  # .txt and other articles are shown as stored
    assert plain_markdown("Rule\n***\n__under__ snake_case_name 2*3*4") == "Rule\n\nunder snake_case_name 2*3*4"


def test_every_sentence_of_a_markdown_article_maps_to_its_words(article: StoredArticle) -> None:
    shown = shown_text(article.text, markdown=True)
    for start, end in sentence_spans(article.text):
        s, e = shown.span(start, end)
        assert shown.text[s:e] == plain_markdown(article.text[start:end]).strip(" "), article.text[start:end]
        assert all(start <= shown.origin[i] < end for i in range(s, e))


def test_sources_and_viewer_show_text_with_the_quote_marked(article: StoredArticle) -> None:
    assert is_markdown(article.path) and not is_markdown("story.txt")
    quote = next(article.text[s:e] for s, e in sentence_spans(article.text) if "third moon" in article.text[s:e])
    start = article.text.index(quote)
    assert "**" in quote  # the stored quote keeps its markup (it is verbatim); only the view drops it
    cited = Citation(1, article.article_id, article.title, "", article.published, article.source, quote, start, start + len(quote))
    panel = render.sources_panel([cited], {article.article_id: article}, turn=0)
    assert f"<mark>{render.esc(MARKDOWN_QUOTE_SHOWN)}</mark>" in panel and "**" not in panel and "## " not in panel
    viewer = render.article_view(article, cited.start, cited.end, cited.quote, 1)
    assert f'<mark id="nd-quote" data-n="1">{render.esc(MARKDOWN_QUOTE_SHOWN)}</mark>' in viewer
    assert "What was found" in viewer and "##" not in viewer and "**" not in viewer and "](https" not in viewer
    assert Path(article.path).suffix == ".md"
