"""Chat UI pieces without a server: escaping, clickable markers, uploads, exposure rules, examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import Answer, AnswerSentence, Citation, DirectAnswer, Lead, PeriodCoverage, Quote
from assistant.ui import render
from assistant.ui.app import check_exposure, is_loopback, parse_auth
from assistant.ui.corpus import corpus_status, example_questions
from assistant.ui.uploads import MAX_UPLOAD_BYTES, IndexWriter, sanitise_name, stage_uploads
from ingest.catalog import StoredArticle
from ingest.errors import ConfigError
from ingest.index import Index
from ingest.settings import Settings

from support import copy_index

XSS = '<script>window.__xss=1</script> <img src=x onerror="window.__xss=1">'
TEXT = "Intro sentence here. The minister said *all* talks need [preconditions] first. " + XSS + " Closing line."
QUOTE = "The minister said *all* talks need [preconditions] first."


def citation(n: int = 1, title: str = "Talks <b>stall</b>", url: str = "https://news.example.com/a") -> Citation:
    start = TEXT.index(QUOTE)
    return Citation(n, "abc123def4567890", title, url, "2017-03-17", "Ledger & Co", QUOTE, start, start + len(QUOTE))


def stored(text: str = TEXT, title: str = "Talks " + XSS) -> StoredArticle:
    return StoredArticle("abc123def4567890", "o", "p", "f", title, text, "2017-03-17", "Ledger", ("A. Writer",), "javascript:alert(1)")


def test_markdown_text_is_literal() -> None:
    out = render.md_text(XSS + " *bold* [1](x) $x$")
    assert "<" not in out and ">" not in out
    assert "\\*bold\\*" in out and "\\[1\\]" in out and "\\$x\\$" in out


def test_answer_markers_link_to_their_turn_and_unsupported_sentences_are_marked() -> None:
    answer = Answer(
        "q",
        "x",
        False,
        [citation(1), citation(2)],
        [AnswerSentence(QUOTE, (1,)), AnswerSentence("A guess <i>nobody</i> wrote.", (2,), supported=False)],
    )
    md = render.answer_markdown(answer, turn=3)
    assert "(#nd-cite-3-1 " in md and "(#nd-cite-3-2 " in md
    assert 'class="nd-unsupported"' in md and "unsupported" in md
    assert "<i>" not in md and "&lt;i&gt;" in md


def test_abstention_lists_leads_as_not_evidence() -> None:
    answer = Answer("q", "I found nothing.", True, leads=[Lead("abc", "Near <miss>", "", "2017-01-02", "Wire")])
    md = render.answer_markdown(answer, turn=0)
    assert "not evidence" in md and "(#nd-lead-0-0)" in md and "<miss>" not in md


def test_sources_panel_escapes_and_highlights_the_quote() -> None:
    html = render.sources_panel([citation()], {"abc123def4567890": stored()}, turn=0, active=1)
    assert f"<mark>{render.esc(QUOTE)}</mark>" in html
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and 'data-nd-open="cite-0-1"' in html and "nd-active" in html
    assert "Ledger &amp; Co" in html and 'href="https://news.example.com/a"' in html


def test_article_view_highlights_and_never_links_javascript() -> None:
    start = TEXT.index(QUOTE)
    html = render.article_view(stored(), start, start + len(QUOTE), QUOTE, n=2)
    assert f'<mark id="nd-quote" data-n="2">{render.esc(QUOTE)}</mark>' in html
    assert "<script>" not in html and "<img" not in html and "javascript:" not in html
    # Offsets that no longer match (the article was re-ingested) fall back to finding the quote.
    moved = render.article_view(stored("New intro. " + TEXT), start, start + len(QUOTE), QUOTE)
    assert f'<mark id="nd-quote">{render.esc(QUOTE)}</mark>' in moved


INTRO = "Intro sentence here."


def two_quotes() -> Citation:
    """One source citing two sentences of one article (issue 13: one number per article)."""
    return citation().with_passages([Quote(QUOTE, TEXT.index(QUOTE), TEXT.index(QUOTE) + len(QUOTE)), Quote(INTRO, 0, len(INTRO))])


def test_one_source_shows_every_quote_it_rests_on() -> None:
    html = render.sources_panel([two_quotes()], {"abc123def4567890": stored()}, turn=0)
    assert html.count('<blockquote class="nd-passage">') == 2 and html.count("[1]") == 1
    assert f"<mark>{render.esc(QUOTE)}</mark>" in html and f"<mark>{INTRO}</mark>" in html
    cited = two_quotes()
    view = render.article_view(stored(), cited.start, cited.end, cited.quote, cited.n, cited.passages[1:])
    assert f'<mark class="nd-more">{INTRO}</mark>' in view and view.count('id="nd-quote"') == 1
    assert view.index('class="nd-more"') < view.index('id="nd-quote"')  # marks in text order


def test_a_direct_answer_leads_in_bold_and_an_uncovered_period_is_said() -> None:
    span = "talks need [preconditions]"
    direct = Answer("q", "x", False, [citation()], [AnswerSentence(span, (1,), role="direct"), AnswerSentence(QUOTE, (1,))],
                    direct=DirectAnswer(span, "name", 1, 0, len(span), 1.0))
    md = render.answer_markdown(direct, turn=1)
    assert md.startswith(f"**{render.md_text(span)}** {render.marker(1, 1)}: {render.md_text(QUOTE)} {render.marker(1, 1)}")
    coverage = PeriodCoverage("June 2023", "2023-06-01", "2023-06-30", False, False, "2022-01-03", "2023-05-30")
    outside = Answer("q", coverage.framed(QUOTE + " [1]"), True, [citation()], [AnswerSentence(QUOTE, (1,))], period_coverage=coverage)
    md = render.answer_markdown(outside, turn=2)
    assert md.startswith("The archive has no articles from June 2023") and "from outside that period:_" in md
    assert "(#nd-cite-2-1 " in md and outside.outside_period


def test_passage_is_cut_at_word_boundaries() -> None:
    text = ("word " * 200) + "The quote." + (" tail" * 200)
    start = text.index("The quote.")
    html = render.passage_html(text, start, start + len("The quote."), context=50)
    assert html.startswith("&hellip;word") and html.endswith("tail&hellip;")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\win.MD", "win.md"),
        ("my notes (v2).jsonl", "my_notes_v2.jsonl"),
        ("/abs/olute/ünïcode.csv", "unicode.csv"),
        ("....", "upload"),
        (".hidden.txt", "hidden.txt"),
    ],
)
def test_upload_names_are_sanitised(name: str, expected: str) -> None:
    assert sanitise_name(name) == expected


def test_uploads_land_in_the_index_uploads_folder_and_refuse_big_or_foreign_files(tmp_path: Path) -> None:
    incoming = tmp_path / "incoming"
    (incoming / "deep").mkdir(parents=True)
    good = incoming / "deep" / "story.txt"
    good.write_text("Headline\n\nBody text.", encoding="utf-8")
    big = incoming / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(MAX_UPLOAD_BYTES + 1)
    exe = incoming / "tool.exe"
    exe.write_bytes(b"MZ")
    index_dir = tmp_path / "index"
    staged = stage_uploads([good, big, exe], index_dir)
    assert [(name, path) for name, path in staged.accepted] == [("story.txt", (index_dir / "uploads" / "story.txt").resolve())]
    reasons = {line.name: line.message for line in staged.refused}
    assert "20 MB limit" in reasons["big.csv"] and ".exe" in reasons["tool.exe"]
    assert not (index_dir / "uploads" / "big.csv").exists()


def test_non_loopback_host_needs_a_login() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.com")
    assert check_exposure("127.0.0.1", "") is None
    assert check_exposure("0.0.0.0", "ann:secret") == ("ann", "secret")
    with pytest.raises(ConfigError, match="--auth USER:PASSWORD"):
        check_exposure("0.0.0.0", "")
    with pytest.raises(ConfigError, match="USER:PASSWORD"):
        parse_auth("no-colon")


def test_status_line_and_examples_come_from_the_index(sample_settings) -> None:  # type: ignore[no-untyped-def]
    from ingest.catalog import Catalog

    catalog = Catalog(sample_settings.catalog_path)
    try:
        line = corpus_status(catalog).line()
        assert line.startswith("12 articles from 6 sources, 2017-03-17 to 2017-11-30")
        first = example_questions(catalog, briefing=True)
        assert first == example_questions(catalog, briefing=True)  # deterministic
        assert first == [
            "What is the latest on North Korea?",
            "What did Kim Jong-un say about North Korea?",
            "What is known about Hwasong-14?",
            "Brief me on North Korea",
        ]
    finally:
        catalog.close()


def test_an_upload_that_cannot_be_read_is_one_line_and_leaves_no_copy(tmp_path: Path, sample_settings) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: a deeply nested .json upload used to show a raw RecursionError and stay in uploads/."""
    settings = copy_index(sample_settings, tmp_path / "index")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    staged = stage_uploads([deep], settings.index)
    lines = [str(line) for line in IndexWriter(Index.open(Settings.load(index=settings.index), writable=False)).run(staged)]
    assert lines == ["deep.json: JSON nested too deeply to be an article (thousands of levels); skipped"]
    assert not (settings.index / "uploads" / "deep.json").exists()
