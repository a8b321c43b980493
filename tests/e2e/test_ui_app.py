"""The chat UI end to end: the app of tests/e2e/conftest.py, driven by gradio_client and by
Debian's chromium (answers, sources, the article viewer, escaping, filters, uploads, briefings).

The browser runs with every host but 127.0.0.1 mapped to NOTFOUND, so a page that needed the
network (fonts, CDNs, analytics) would show it here.  Screenshots go to tests/artifacts/; with
UPDATE_DOCS_SCREENSHOTS=1 they are also copied to docs/screenshots/.  The daily-use features
(saved conversations, export, chips, follow-ups, the library, Stop) are test_ui_daily.py's.
"""

from __future__ import annotations

import time

import pytest

from support import BOT, ask, open_page, save_shot
from ui_articles import UPLOAD_ARTICLE

SEED_QUESTION = "What did Tillerson require in March?"
FOLLOW_UP = "And what did he later suggest would be enough?"


@pytest.fixture
def page(browser, ui_url):  # type: ignore[no-untyped-def]
    """A fresh browser (its own storage: a new conversation) that records requests leaving 127.0.0.1."""
    page = open_page(browser, ui_url)
    yield page
    page.context.close()


# -- the API endpoint --------------------------------------------------------------------------------


def test_ask_endpoint_returns_the_answer_as_json(client) -> None:  # type: ignore[no-untyped-def]
    result = client.predict(SEED_QUESTION, api_name="/ask")
    assert not result["abstained"]
    first = result["citations"][0]
    assert first["n"] == 1 and "[1]" in result["answer"]
    assert any("surrender of nuclear weapons" in c["quote"] or "give up its nuclear weapons" in c["quote"] for c in result["citations"])
    assert set(first) >= {"article_id", "title", "url", "published", "source", "quote", "start", "end"}


def test_ask_endpoint_follow_ups_and_filters(client) -> None:  # type: ignore[no-untyped-def]
    history = [{"role": "user", "content": SEED_QUESTION}, {"role": "assistant", "content": "..."}]
    follow = client.predict(FOLLOW_UP, history, api_name="/ask")
    assert "Tillerson" in follow["standalone_question"]
    assert not follow["abstained"]

    later = client.predict(question=SEED_QUESTION, since="2017-08-01", api_name="/ask")
    assert later["citations"] and all(c["published"] >= "2017-08-01" for c in later["citations"])
    # Meridian Review never reports South Korea's aid plan: the filter keeps its articles only, and
    # the trained scorer declines them (issue 13), offering them as leads.  (Its August sentence on
    # Tillerson scores within 0.3 logits of the threshold for the seed question: not a stable case.)
    one = client.predict(question="What aid did President Moon Jae-in approve for North Korea?", sources=["Meridian Review"], api_name="/ask")
    assert one["abstained"] and not one["citations"]
    assert one["leads"] and {lead["source"] for lead in one["leads"]} == {"Meridian Review"}
    sanctions = client.predict(question="Which companies did the Treasury sanction in August?", sources=["Meridian Review"], api_name="/ask")
    assert sanctions["citations"] and {c["source"] for c in sanctions["citations"]} == {"Meridian Review"}


def test_ask_endpoint_reports_bad_dates(client) -> None:  # type: ignore[no-untyped-def]
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="not a date"):
        client.predict(question=SEED_QUESTION, since="last tuesdayish", api_name="/ask")


def test_only_ask_is_documented(client) -> None:  # type: ignore[no-untyped-def]
    api = client.view_api(return_format="dict", print_info=False)
    assert list(api["named_endpoints"]) == ["/ask"]
    assert not api["unnamed_endpoints"]


def test_each_api_parameter_has_its_name_and_meaning(client) -> None:  # type: ignore[no-untyped-def]
    parameters = client.view_api(return_format="dict", print_info=False)["named_endpoints"]["/ask"]["parameters"]
    names = ["question", "history", "since", "until", "sources"]
    assert [p["parameter_name"] for p in parameters] == names
    assert [p["label"] for p in parameters] == names  # the page says 'provided in the "since" ...', not "3rd"
    meaning = {p["parameter_name"]: p["python_type"]["description"] for p in parameters}
    assert "published on or after" in meaning["since"] and "August 2017" in meaning["since"]
    assert "role" in meaning["history"] and "Sources filter" in meaning["sources"]


@pytest.mark.browser
def test_the_api_page_explains_the_parameters(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_text("Use via API").click()
    page.get_by_text("published on or after").first.wait_for(timeout=20_000)
    text = page.inner_text("body")
    assert "Answer a question from the news archive" in text
    assert "1st" not in text and "The input value that is provided in the \"question\"" in text
    assert page.outside == []  # type: ignore[attr-defined]


# -- the browser -------------------------------------------------------------------------------------


@pytest.mark.browser
def test_answer_sources_article_and_follow_up(page) -> None:  # type: ignore[no-untyped-def]
    assert "articles from" in page.inner_text("#corpus-status")
    first = ask(page, SEED_QUESTION, 1)
    assert "[1]" in first
    # Every [1] marker is a link to source 1 (one source per article: two quotes of the seed are both [1]).
    assert page.locator(f'{BOT} a[href="#nd-cite-0-1"]').count() == first.count("[1]")
    sources = page.locator("#sources")
    assert "Tillerson, in Seoul, Says North Korea Must Disarm Before Any Talks" in sources.inner_text()
    # Every marker opens a source row, and one article is one source (its sentences share a number).
    rows = sources.locator("li.nd-source")
    titles = rows.locator(".nd-title").all_inner_texts()
    assert len(titles) == len(set(titles))
    hrefs = {a.get_attribute("href") for a in page.locator(f'{BOT} a[href^="#nd-cite-0-"]').all()}
    assert hrefs == {f"#nd-cite-0-{n}" for n in range(1, rows.count() + 1)}
    marks = [m.lower() for m in sources.locator("mark").all_inner_texts()]
    assert any("surrender of nuclear weapons" in m or "give up its nuclear weapons" in m for m in marks), marks
    save_shot(page, "answer.png")

    # The [n] whose quote is the seed's "surrender of nuclear weapons" sentence, else [1].
    numbers = sources.locator("li.nd-source").all()
    target = next((i + 1 for i, row in enumerate(numbers) if "surrender of nuclear weapons" in row.inner_text()), 1)
    page.click(f'{BOT} a[href="#nd-cite-0-{target}"]')
    quote = page.locator("#article mark#nd-quote")
    quote.wait_for(timeout=20_000)
    # The source lists every quote of its article; the article opens on the first, the others marked too.
    source_marks = page.locator(f"#nd-source-{target} mark")
    assert quote.inner_text() == source_marks.first.inner_text()
    assert page.locator("#article mark.nd-more").count() == source_marks.count() - 1
    assert page.locator(f"#nd-source-{target}.nd-active").count() == 1
    page.wait_for_function(  # scrolled into the article body's view
        """() => { const q = document.querySelector('#nd-quote'), b = document.querySelector('.nd-article-body');
                   const qr = q.getBoundingClientRect(), br = b.getBoundingClientRect();
                   return qr.top >= br.top - 1 && qr.top <= br.bottom; }""",
        timeout=5_000,
    )
    save_shot(page, "article.png")

    # A source row opens its article too.
    page.locator("#nd-source-1").click()
    page.wait_for_selector('#article mark#nd-quote[data-n="1"]', timeout=20_000)

    second = ask(page, FOLLOW_UP, 2)
    assert "[1]" in second and "abstain" not in second.lower()
    assert any(w in second.lower() for w in ("pause", "restraint", "enough"))
    assert page.locator(f'{BOT} a[href="#nd-cite-1-1"]').count() == second.count("[1]")
    assert page.outside == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_article_text_and_titles_render_as_text(page) -> None:  # type: ignore[no-untyped-def]
    answer = ask(page, "What happened at the Harbor Lights Festival?", 1)
    assert "<script>window.__xss=1</script>" in answer
    assert "<script>window.__xss=1</script>" in page.inner_text("#sources")
    assert '<img src=x onerror="window.__xss=1">' in page.inner_text("#sources")
    # Open the hostile article's own source (the scorer decides which number it gets).
    rows = page.locator("#sources li.nd-source").all()
    hostile = next(i + 1 for i, row in enumerate(rows) if "Harbor Lights Festival" in row.inner_text())
    page.click(f'{BOT} a[href="#nd-cite-0-{hostile}"]')
    page.locator("#article mark#nd-quote").wait_for(timeout=20_000)
    assert '<img src=x onerror="window.__xss=1">' in page.inner_text("#article .nd-article-title")
    for area in ("#chatbot", "#sources", "#article"):
        assert page.locator(f"{area} script").count() == 0
        assert page.locator(f"{area} img[src=x]").count() == 0
    time.sleep(0.3)  # give any injected handler the chance to run
    assert page.evaluate("() => window.__xss") is None


@pytest.mark.browser
def test_date_filter_changes_what_is_cited(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, SEED_QUESTION, 1)
    unfiltered = page.locator("#sources .nd-date").all_inner_texts()
    assert "2017-03-17" in unfiltered

    page.click("#filters .label-wrap")
    page.fill("#since textarea, #since input", "not a date")
    page.locator("#filter-note").get_by_text("not a date").wait_for(timeout=10_000)
    page.fill("#since textarea, #since input", "2017-08-01")
    page.locator("#filter-note").get_by_text("2017-08-01").wait_for(timeout=10_000)
    ask(page, SEED_QUESTION, 2)
    filtered = page.locator("#sources .nd-date").all_inner_texts()
    assert filtered and all(d >= "2017-08-01" and d != "undated" for d in filtered), filtered


# Watches an element for Gradio's progress display (its status tracker shown, not hidden).
WATCH_PROGRESS_JS = """
([id, flag]) => {
  const box = document.getElementById(id);
  const seen = () => [...box.querySelectorAll('[data-testid="status-tracker"]')].some(t => !t.classList.contains('hide'));
  window[flag] = seen();
  new MutationObserver(() => { window[flag] = window[flag] || seen(); })
    .observe(box, {subtree: true, childList: true, attributes: true, attributeFilter: ['class']});
}
"""


@pytest.mark.browser
def test_upload_in_the_library_with_its_log_in_view_then_ask_about_it(page, tmp_path, ui_assistant) -> None:  # type: ignore[no-untyped-def]
    story = tmp_path / "glimmerfin lake (local).md"
    story.write_text(UPLOAD_ARTICLE, encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    before = ui_assistant.index.catalog.stats().articles  # other tests add and delete articles too
    page.get_by_role("tab", name="Library").click()
    page.evaluate(WATCH_PROGRESS_JS, ["corpus-status", "__statusProgress"])
    page.evaluate(WATCH_PROGRESS_JS, ["upload-progress", "__uploadProgress"])
    assert page.locator("#upload-log").is_visible()  # no panel to open first
    page.set_input_files("#upload input[type=file]", [str(story), str(broken)])
    page.wait_for_function(
        "() => (document.querySelector('#upload-log textarea')?.value || '').includes('Done:')", timeout=90_000
    )
    log = page.input_value("#upload-log textarea")
    assert "ok    glimmerfin_lake_local.md: 1 added" in log
    assert "error broken.json:" in log
    assert "Done: 1 of 2 files indexed" in log
    page.locator("#corpus-status").get_by_text(f"{before + 1} articles").wait_for(timeout=10_000)
    page.locator("#library-count").get_by_text(f"{before + 1} articles").wait_for(timeout=10_000)
    # The progress is drawn on its own line under the drop zone, never over the status line.
    assert page.evaluate("window.__statusProgress") is False
    assert page.evaluate("window.__uploadProgress") is True
    log_box = page.locator("#upload-log").bounding_box()
    assert log_box is not None and log_box["y"] + 40 < 950  # its first lines are in the window

    page.get_by_role("tab", name="Chat").click()
    answer = ask(page, "How was the algae bloom in Glimmerfin Lake cleared?", 1)
    assert "mussels" in answer and "[1]" in answer
    assert "Glimmerfin Lake Reopens" in page.inner_text("#sources")
    assert page.outside == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_briefing_tab_cites_and_opens_its_sources(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Briefing").click()
    page.fill("#brief-topic textarea, #brief-topic input", "North Korea sanctions")
    page.click("#brief-go")
    page.wait_for_selector('#brief-body a[href="#nd-brief-cite-1"]', timeout=120_000)
    body = page.inner_text("#brief-body")
    assert "Timeline" in body and "[1]" in body
    page.locator("#brief-download").wait_for(state="visible", timeout=10_000)  # may show a moment after the body
    assert page.locator("#brief-plot img, #brief-plot canvas, #brief-plot svg").count() >= 1

    # [1] in the brief opens its article in the tab's own viewer, the quote highlighted.
    page.click('#brief-body a[href="#nd-brief-cite-1"]')
    quote = page.locator("#brief-article mark#nd-quote")
    quote.wait_for(timeout=20_000)
    expected = page.locator("#brief-sources #nd-source-1 mark").inner_text()
    assert quote.inner_text() == expected
    assert page.locator("#brief-sources #nd-source-1.nd-active").count() >= 1
    assert "Undated" in body  # the seed's statements have their own section
    save_shot(page, "briefing.png", full_page=True)  # the picture, the brief and the opened quote
    # The chat tab's viewer did not react to a click in the briefing tab.
    assert page.locator("#article mark#nd-quote").count() == 0
    assert page.outside == []  # type: ignore[attr-defined]
