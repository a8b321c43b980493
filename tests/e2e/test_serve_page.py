"""The page `newsdesk serve` mounts, in Debian's chromium: the same page as `newsdesk chat` (its
Library tab, saved conversations), behind the login, with each conversation saved in the folder
of the user who logged in.  The server is conftest.served_faces (a real `serve` process with a
login and an API key, on the sample + seed index)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import ask, listed, open_page

pytestmark = pytest.mark.browser

SEED_QUESTION = "What did Tillerson require in March?"


def test_serve_mounts_the_whole_page_behind_its_login_and_keeps_conversations_per_login(  # type: ignore[no-untyped-def]
    browser, served_faces, sample_settings
) -> None:
    from assistant.ui.conversations import ConversationStore

    user, password = served_faces.login
    mine = ConversationStore.for_index(Path(sample_settings.index), user)
    anonymous = ConversationStore.for_index(Path(sample_settings.index))
    before = {c.id for c in mine.list()}
    page = open_page(browser, served_faces.url, ready='[data-testid="password"]')
    page.on("dialog", lambda dialog: dialog.accept())  # "Delete ...?" is answered yes
    try:
        assert page.locator("#question").count() == 0  # nothing of the app before the login
        page.fill('[data-testid="textbox"]', user)
        page.fill('[data-testid="password"]', password)
        page.get_by_role("button", name="Login").click()
        page.wait_for_selector("#question textarea", timeout=60_000)
        for tab in ("Chat", "Briefing", "Library"):  # the whole page, not the one before issue 15
            assert page.get_by_role("tab", name=tab).count() == 1, tab

        answer = ask(page, SEED_QUESTION, 1)
        assert "[1]" in answer
        listed(page, SEED_QUESTION)
        saved = [c for c in mine.list() if c.id not in before]
        assert [c.title for c in saved] == [SEED_QUESTION]  # in the folder of the login...
        assert saved[0].id not in {c.id for c in anonymous.list()}  # ...not the one of no login

        page.click("#delete-conversation")
        page.locator("#saved-note").get_by_text("Deleted").wait_for(timeout=10_000)
        assert {c.id for c in mine.list()} == before  # the shared sample index is left as found
        assert page.outside == []  # nothing but 127.0.0.1 was requested
    finally:
        page.context.close()
