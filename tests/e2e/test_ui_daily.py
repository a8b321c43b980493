"""The chat UI for daily use (issue 15), in Debian's chromium: conversations that survive a reload,
export and copy, filter chips, follow-ups, Stop, briefings in the chat, Markdown articles, the
library.  The app is tests/e2e/conftest.py's (shared with test_ui_app.py); every test opens its
own browser context, so its own localStorage: a new browser, as a new user would.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support import BOT, ask, listed, open_page, save_shot, wait_answer
from ui_articles import DELETED_QUESTION, DELETED_TITLE, MARKDOWN_QUESTION, MARKDOWN_QUOTE_SHOWN

pytestmark = pytest.mark.browser

SEED_QUESTION = "What did Tillerson require in March?"
OPTION = "#chatbot button.option"
# Records what the Stop button goes through: "Stop", "Stopping…", "hidden", "Stop" again...
WATCH_STOP_JS = """
() => {
  window.__stopStates = [];
  const state = () => { const b = document.querySelector('#stop'); return !b || !b.offsetParent ? 'hidden' : b.innerText.trim(); };
  const note = () => { const s = state(); if (window.__stopStates.at(-1) !== s) window.__stopStates.push(s); };
  note();
  new MutationObserver(note).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}
"""
BOX = "#question textarea"


@pytest.fixture
def page(browser, ui_url):  # type: ignore[no-untyped-def]
    page = open_page(browser, ui_url, accept_downloads=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=ui_url.rstrip("/"))
    page.on("dialog", lambda dialog: dialog.accept())  # "Delete ...?" is answered yes
    yield page
    assert page.outside == []  # nothing but 127.0.0.1 was requested
    page.context.close()


def test_a_conversation_survives_a_reload_and_can_be_reopened_and_deleted(page, ui_settings) -> None:  # type: ignore[no-untyped-def]
    first = ask(page, SEED_QUESTION, 1)
    before = listed(page, SEED_QUESTION)
    page.reload()
    page.wait_for_selector(BOX)
    page.locator(BOT).first.wait_for(timeout=20_000)
    assert page.locator(BOT).first.inner_text() == first  # the same answer, markers and all
    assert "Sources for" in page.inner_text("#sources")
    page.click(f'{BOT} a[href="#nd-cite-0-1"]')  # a reopened answer still opens its articles
    page.locator("#article mark#nd-quote").wait_for(timeout=20_000)

    page.click("#new-chat")
    page.wait_for_function("() => document.querySelectorAll('#chatbot [data-testid=\"bot\"]').length === 0")
    ask(page, "How far can the Hwasong-15 fly?", 1)
    assert len(listed(page, "How far can the Hwasong-15 fly?")) == len(before) + 1
    save_shot(page, "conversations.png")

    page.locator("#conversation-list label").filter(has_text=SEED_QUESTION).first.click()
    page.wait_for_function("t => document.querySelector('#chatbot [data-testid=\"bot\"]')?.innerText === t", arg=first)

    saved = sorted((Path(ui_settings.index) / "conversations" / "local").glob("*.json"))
    page.click("#delete-conversation")  # the dialog is accepted
    page.locator("#saved-note").get_by_text("Deleted").wait_for(timeout=10_000)
    assert len(listed(page)) == len(before)
    assert len(sorted((Path(ui_settings.index) / "conversations" / "local").glob("*.json"))) == len(saved) - 1
    assert page.locator(BOT).count() == 0


def test_export_markdown_and_json_and_copy_readable_text(page, ui_assistant) -> None:  # type: ignore[no-untyped-def]
    ask(page, SEED_QUESTION, 1)
    with page.expect_download() as markdown_download:
        page.click("#export-md")
    markdown = Path(markdown_download.value.path()).read_text(encoding="utf-8")
    with page.expect_download() as json_download:
        page.click("#export-json")
    exported = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))

    answer = exported["turns"][0]["answer"]
    assert exported["turns"][0]["question"] == SEED_QUESTION
    assert set(answer) == set(ui_assistant.ask(SEED_QUESTION).to_dict())  # the `ask --json` object
    catalog = ui_assistant.index.catalog
    assert answer["citations"]
    for c in answer["citations"]:
        assert catalog.article(c["article_id"]).text[c["start"] : c["end"]] == c["quote"]  # verbatim
        # Markdown: numbered sources with title, outlet, date, URL and the quote.
        source = next(line for line in markdown.splitlines() if line.startswith(f"{c['n']}. **"))
        assert c["title"] in source and c["source"] in source and c["published"] in source
        assert not c["url"] or f"<{c['url']}>" in source
        assert f"> {' '.join(c['quote'].split())}" in markdown
    assert markdown.startswith(f"# {SEED_QUESTION}") and f"## 1. {SEED_QUESTION}" in markdown
    assert answer["answer"] in markdown

    page.locator("#chatbot .message-row.bot-row").first.hover()
    page.locator('#chatbot .message-buttons-left button[aria-label="Copy message"]').first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(answer["answer"][:60]) and "\nSources:\n[1] " in copied
    assert answer["citations"][0]["title"] in copied
    assert "\\" not in copied and "](#nd-cite" not in copied  # no Markdown escapes, no link syntax


def test_filter_chips_month_names_and_a_bad_filter_that_keeps_the_question(page) -> None:  # type: ignore[no-untyped-def]
    page.click("#filters .label-wrap")
    page.fill("#since textarea, #since input", "2017-13-45")
    page.locator("#filter-chips .nd-chip-problem").wait_for(timeout=10_000)
    page.fill(BOX, SEED_QUESTION)
    page.press(BOX, "Enter")
    page.locator("#filter-note").get_by_text("From '2017-13-45': not a date").wait_for(timeout=10_000)
    assert page.input_value(BOX) == SEED_QUESTION  # not consumed: fix the filter and press Enter
    assert page.locator(BOT).count() == 0
    assert "--since" not in page.inner_text("body")

    page.fill("#since textarea, #since input", "August 2017")
    page.fill("#until textarea, #until input", "2017")
    page.locator("#filter-chips").get_by_text("To 2017-12-31").wait_for(timeout=10_000)
    chips = page.inner_text("#filter-chips")
    assert "From 2017-08-01" in chips and "problem" not in chips
    page.click("#filters .label-wrap")  # closed: the chips still say what is in force
    page.press(BOX, "Enter")
    answer = wait_answer(page, 1)
    assert "Filtered: only articles published 2017-08-01 to 2017-12-31." in answer
    dates = page.locator("#sources .nd-date").all_inner_texts()
    assert dates and all("2017-08-01" <= d <= "2017-12-31" for d in dates), dates
    for close in page.locator(".toast-close").all():  # the bad filter's warning, not for the picture
        close.click()
    save_shot(page, "filters.png")

    page.click('#filter-chips [data-nd-clear="since"]')
    page.wait_for_function("() => !document.querySelector('#filter-chips').innerText.includes('From')")
    page.click("#filters .label-wrap")
    assert page.input_value("#since textarea, #since input") == ""
    assert page.input_value("#until textarea, #until input") == "2017"
    page.click('#filter-chips [data-nd-clear="until"]')
    page.wait_for_function("() => !document.querySelector('#filter-chips .nd-chip')")


def test_a_suggested_follow_up_is_asked_in_one_click(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, SEED_QUESTION, 1)
    page.locator(OPTION).first.wait_for(timeout=10_000)
    options = page.locator(OPTION).all_inner_texts()
    assert 2 <= len(options) <= 3
    for option in options:
        assert option.endswith("?") and option[0].isupper() and len(option.split()) >= 4
        assert "Tillerson" not in option  # already asked about
    page.fill(BOX, "a draft I am still typing")
    page.locator(OPTION).first.click()
    second = wait_answer(page, 2)
    assert page.locator('#chatbot [data-testid="user"]').nth(1).inner_text() == options[0]
    assert "[1]" in second and "not evidence" not in second
    assert page.input_value(BOX) == "a draft I am still typing"  # a click asks its own text


def test_stop_drops_the_running_answer_and_enter_still_sends(page) -> None:  # type: ignore[no-untyped-def]
    slow = "Slowly, what did Tillerson require in March?"  # conftest's assistant streams it for seconds
    page.fill(BOX, slow)
    page.press(BOX, "Enter")
    page.locator("#stop").wait_for(state="visible", timeout=10_000)
    assert page.locator("#ask").is_disabled()
    page.click("#stop")
    page.locator("#stop").wait_for(state="hidden", timeout=10_000)
    assert page.locator("#ask").is_enabled()
    assert page.locator(BOT).count() == 0  # the unfinished answer is gone, nothing was saved
    assert page.input_value(BOX) == slow  # back in the box, to edit or ask again
    assert "Stopped" in page.inner_text("#sources")

    # Stop, then Enter at once: the stopped question is asked again (no Enter lost while stopping).
    page.press(BOX, "Enter")
    page.locator("#stop").get_by_text("Stop", exact=True).wait_for(timeout=10_000)
    page.evaluate(WATCH_STOP_JS)
    page.click("#stop")
    page.press(BOX, "Enter")
    page.wait_for_function("() => /hidden,Stop$/.test(window.__stopStates.join(','))", timeout=20_000)
    # While an answer runs, Enter in the box still sends: the next question is asked after it.
    page.fill(BOX, "How far can the Hwasong-15 fly?")
    page.press(BOX, "Enter")
    first = wait_answer(page, 1)
    second = wait_answer(page, 2)
    assert "Tillerson" in first
    assert "13,000" in second or "kilomet" in second
    page.locator("#stop").wait_for(state="hidden", timeout=10_000)
    assert page.locator("#ask").is_enabled()


def test_a_briefing_in_the_chat_opens_at_its_top_with_a_download(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "Brief me on North Korea sanctions", 1, timeout_s=180)
    page.locator("#chat-brief-download").wait_for(state="visible", timeout=10_000)
    page.wait_for_function(
        """() => { const rows = document.querySelectorAll('#chatbot .message-row.bot-row');
                   const wrap = document.querySelector('#chatbot .bubble-wrap');
                   const top = rows[rows.length - 1].getBoundingClientRect().top - wrap.getBoundingClientRect().top;
                   return wrap.scrollHeight > wrap.clientHeight + 100 && top > 20 && top < 44; }""",
        timeout=10_000,
    )
    save_shot(page, "chat-briefing.png")
    with page.expect_download() as download:
        page.click("#chat-brief-download")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Briefing: North Korea sanctions") and "## Sources" in text


def test_a_late_marker_in_the_briefing_tab_does_not_move_the_page(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Briefing").click()
    page.fill("#brief-topic textarea, #brief-topic input", "North Korea")
    page.click("#brief-go")
    page.wait_for_selector('#brief-body a[href="#nd-brief-cite-1"]', timeout=180_000)
    late = page.locator('#brief-body a[href^="#nd-brief-cite-"]').last
    late.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert before > 100  # the brief is longer than the window: the page had to scroll
    late.click()
    page.locator("#brief-article mark#nd-quote").wait_for(timeout=20_000)
    page.wait_for_timeout(300)
    assert abs(page.evaluate("window.scrollY") - before) < 40
    viewer = page.locator("#brief-article").bounding_box()
    assert viewer is not None and viewer["y"] < 950 and viewer["y"] + viewer["height"] > 0  # beside it, in view


def test_markdown_articles_show_text_with_the_quote_marked_in_place(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, MARKDOWN_QUESTION, 1)
    row = page.locator("#sources li.nd-source").filter(has_text="Quillmoor Observatory Finds").first
    # One source per article: it may quote several of its passages, each shown as plain text.
    passages = row.locator(".nd-passage").all_inner_texts()
    assert passages and not any("**" in p or "##" in p or "](http" in p for p in passages), passages
    marks = row.locator("mark").all_inner_texts()
    assert MARKDOWN_QUOTE_SHOWN in marks, marks
    row.click()
    quote = page.locator("#article mark#nd-quote")
    quote.wait_for(timeout=20_000)
    assert quote.inner_text() == marks[0]  # the article opens on the source's first quote, every quote marked
    assert MARKDOWN_QUOTE_SHOWN in page.locator("#article mark").all_inner_texts()
    body = page.inner_text("#article .nd-article-body")
    assert "What was found" in body and "## " not in body and "**" not in body
    assert "\u2022 A second telescope" in body and "Dr. Ilse Varnhagen" in body


def test_example_questions_are_whole_questions_that_answer(page) -> None:  # type: ignore[no-untyped-def]
    examples = [t for t in page.locator("#examples button").all_inner_texts() if t.strip()]
    assert 3 <= len(examples) <= 4
    for example in examples:
        assert re.fullmatch(r"(What|Who|How|Brief me on) .+", example) and (example.endswith("?") or example.startswith("Brief"))
    page.locator("#examples button").first.click()
    answer = wait_answer(page, 1)
    assert "[1]" in answer


def test_library_search_open_delete_and_the_article_is_never_cited_again(page, client, ui_assistant) -> None:  # type: ignore[no-untyped-def]
    before = client.predict(DELETED_QUESTION, api_name="/ask")
    assert any(c["title"] == DELETED_TITLE for c in before["citations"])
    page.get_by_role("tab", name="Library").click()
    total = ui_assistant.index.catalog.stats().articles
    page.locator("#library-count").get_by_text(f"{total} articles").wait_for(timeout=10_000)
    page.fill("#library-search input, #library-search textarea", "larkspur")
    page.locator("#library-count").get_by_text("1 article matching").wait_for(timeout=10_000)
    page.click('#library-table [data-testid="cell-0-0"]')
    page.locator("#library-article").get_by_text("Tarrow viaduct").first.wait_for(timeout=10_000)
    save_shot(page, "library.png")
    page.click("#library-delete")  # the dialog is accepted
    page.locator("#library-note").get_by_text("Deleted").wait_for(timeout=30_000)
    page.locator("#library-count").get_by_text("0 articles matching").wait_for(timeout=10_000)
    page.fill("#library-search input, #library-search textarea", "")
    page.locator("#library-count").get_by_text(f"{total - 1} articles").wait_for(timeout=10_000)
    page.locator("#corpus-status p").get_by_text(f"{total - 1} articles").wait_for(timeout=10_000)

    after = client.predict(DELETED_QUESTION, api_name="/ask")
    assert all(c["title"] != DELETED_TITLE for c in after["citations"] + after["leads"])
    page.get_by_role("tab", name="Chat").click()
    ask(page, DELETED_QUESTION, 1)
    assert DELETED_TITLE not in page.inner_text("#sources")
