"""The chat UI end to end: one app per session, driven by gradio_client and by Debian's chromium.

The browser runs with every host but 127.0.0.1 mapped to NOTFOUND, so a page that needed the
network (fonts, CDNs, analytics) would show it here.  Screenshots go to tests/artifacts/; with
UPDATE_DOCS_SCREENSHOTS=1 the answer and article-viewer shots are also copied to docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Iterator

import pytest

from support import EXAMPLES, REPO, build_index, free_port, unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]
SEED_QUESTION = "What did Tillerson require in March?"
FOLLOW_UP = "And what did he later suggest would be enough?"
XSS = '<script>window.__xss=1</script> <img src=x onerror="window.__xss=1">'
XSS_ARTICLE = f"""Harbor Lights Festival {XSS}
Date: 2017-10-02
Source: Quayside Bulletin

The Harbor Lights Festival drew record crowds to the quayside on Sunday, organisers said. {XSS}

Visitors watched the lantern parade and the fireworks over the breakwater.
"""
UPLOAD_ARTICLE = """Glimmerfin Lake Reopens to Swimmers After Copper-Algae Bloom
Date: 2017-10-20
Source: Valley Ripple Gazette

Council ecologist Marta Kellingsworth said the copper-coloured algae bloom in Glimmerfin Lake was cleared by releasing 40,000 freshwater mussels into the water.

The town council of Ostrava Vale reopened the lake to swimmers on Thursday after a three-week closure.
"""
BOT = '#chatbot [data-testid="bot"]'



@pytest.fixture(scope="session")
def ui_settings(tmp_path_factory, embedder, seed_path):  # type: ignore[no-untyped-def]
    """Its own index (the sample, the seed and an XSS article): uploads must not touch shared ones."""
    work = tmp_path_factory.mktemp("ui")
    xss = work / "xss-festival.txt"
    xss.write_text(XSS_ARTICLE, encoding="utf-8")
    return build_index(work / "index", [EXAMPLES, seed_path, xss])


@pytest.fixture(scope="session")
def ui_url(ui_settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from assistant.api import Assistant
    from assistant.ui.app import launch_app

    app, url = launch_app(Assistant(ui_settings), "127.0.0.1", free_port())
    yield url
    app.close()


@pytest.fixture(scope="session")
def client(ui_url):  # type: ignore[no-untyped-def]
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    from gradio_client import Client

    return Client(ui_url, verbose=False)


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
    # Meridian Review never says what Tillerson required in March: the filter keeps its articles
    # only, and the trained scorer declines them (issue 13), offering them as leads.
    one = client.predict(question=SEED_QUESTION, sources=["Meridian Review"], api_name="/ask")
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


# -- the browser -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium; never `playwright install`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, ui_url):  # type: ignore[no-untyped-def]
    """A fresh session (its own conversation) that records every request leaving 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    page.outside = []  # type: ignore[attr-defined]
    page.on(
        "request",
        lambda r: page.outside.append(r.url)  # type: ignore[attr-defined]
        if not r.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:"))
        else None,
    )
    page.goto(ui_url)
    page.wait_for_selector("#question textarea")
    yield page
    context.close()


def ask(page, question: str, number: int, timeout_s: float = 90) -> str:  # type: ignore[no-untyped-def]
    """Type a question, wait until answer `number` (1-based) has stopped streaming; its text."""
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    page.wait_for_function(
        """n => { const m = document.querySelectorAll('#chatbot [data-testid="bot"]');
                 return m.length >= n && !m[n - 1].innerText.includes('\u258d'); }""",
        arg=number,
        timeout=timeout_s * 1000,
    )
    return str(page.locator(BOT).nth(number - 1).inner_text())


def save_shot(page, artifacts: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    path = artifacts / name
    page.screenshot(path=str(path))
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        docs = REPO / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, docs / name)


@pytest.mark.browser
def test_answer_sources_article_and_follow_up(page, artifacts) -> None:  # type: ignore[no-untyped-def]
    assert "articles from" in page.inner_text("#corpus-status")
    first = ask(page, SEED_QUESTION, 1)
    assert "[1]" in first
    # Every [1] marker is a link to source 1 (one source per article: two quotes of the seed are both [1]).
    assert page.locator(f'{BOT} a[href="#nd-cite-0-1"]').count() == first.count("[1]")

    sources = page.locator("#sources")
    assert "Tillerson, in Seoul, Says North Korea Must Disarm Before Any Talks" in sources.inner_text()
    marks = [m.lower() for m in sources.locator("mark").all_inner_texts()]
    assert any("surrender of nuclear weapons" in m or "give up its nuclear weapons" in m for m in marks), marks
    save_shot(page, artifacts, "answer.png")

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
    save_shot(page, artifacts, "article.png")

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
    page.click(f'{BOT} a[href="#nd-cite-0-1"]')
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


@pytest.mark.browser
def test_upload_then_ask_about_it(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    story = tmp_path / "glimmerfin lake (local).md"
    story.write_text(UPLOAD_ARTICLE, encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    before = int(page.inner_text("#corpus-status").split()[0])
    page.click("#add-articles .label-wrap")
    page.set_input_files("#upload input[type=file]", [str(story), str(broken)])
    page.wait_for_function(
        "() => (document.querySelector('#upload-log textarea')?.value || '').includes('Done:')", timeout=90_000
    )
    log = page.input_value("#upload-log textarea")
    assert "ok    glimmerfin_lake_local.md: 1 added" in log
    assert "error broken.json:" in log
    assert "Done: 1 of 2 files indexed" in log
    page.locator("#corpus-status").get_by_text(f"{before + 1} articles").wait_for(timeout=10_000)

    answer = ask(page, "How was the algae bloom in Glimmerfin Lake cleared?", 1)
    assert "mussels" in answer and "[1]" in answer
    assert "Glimmerfin Lake Reopens" in page.inner_text("#sources")


@pytest.mark.browser
def test_briefing_tab_cites_and_opens_its_sources(page, artifacts) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Briefing").click()
    page.fill("#brief-topic textarea, #brief-topic input", "North Korea sanctions")
    page.click("#brief-go")
    page.wait_for_selector('#brief-body a[href="#nd-brief-cite-1"]', timeout=120_000)
    body = page.inner_text("#brief-body")
    assert "Timeline" in body and "[1]" in body
    assert page.locator("#brief-download").is_visible()
    assert page.locator("#brief-plot img, #brief-plot canvas, #brief-plot svg").count() >= 1

    # [1] in the brief opens its article in the tab's own viewer, the quote highlighted.
    page.click('#brief-body a[href="#nd-brief-cite-1"]')
    quote = page.locator("#brief-article mark#nd-quote")
    quote.wait_for(timeout=20_000)
    expected = page.locator("#brief-sources #nd-source-1 mark").inner_text()
    assert quote.inner_text() == expected
    assert page.locator("#brief-sources #nd-source-1.nd-active").count() == 1
    save_shot(page, artifacts, "briefing.png")
    # The chat tab's viewer did not react to a click in the briefing tab.
    assert page.locator("#article mark#nd-quote").count() == 0
    assert page.outside == []  # type: ignore[attr-defined]
