"""The chat UI under test: one app per run, on its own index, shared by the UI test modules.

The index holds the sample, the seed and the articles of tests/ui_articles.py (an XSS attempt,
a Markdown article, one the library tests delete), so uploads and deletions never touch a
shared index.  The app's Assistant answers as the real one does, except that a question
starting with "Slowly," streams for a few seconds first: the Stop button needs an answer that
is still running when it is pressed, whatever the machine's speed.
"""

from __future__ import annotations

import os
import time
from typing import Iterator

import pytest

from support import EXAMPLES, build_index, free_port
from ui_articles import DELETED_ARTICLE, MARKDOWN_ARTICLE, XSS_ARTICLE

SLOW_PREFIX = "Slowly,"
SLOW_SECONDS = 6.0


@pytest.fixture(scope="session")
def ui_settings(tmp_path_factory, embedder, seed_path):  # type: ignore[no-untyped-def]
    work = tmp_path_factory.mktemp("ui")
    for name, text in (("xss-festival.txt", XSS_ARTICLE), ("kessel-moon.md", MARKDOWN_ARTICLE), ("larkspur.txt", DELETED_ARTICLE)):
        (work / name).write_text(text, encoding="utf-8")
    return build_index(work / "index", [EXAMPLES, seed_path, work / "xss-festival.txt", work / "kessel-moon.md", work / "larkspur.txt"])


@pytest.fixture(scope="session")
def ui_assistant(ui_settings):  # type: ignore[no-untyped-def]
    from assistant.api import Assistant

    class SlowWhenAsked(Assistant):
        def stream(self, question, history=(), **options):  # type: ignore[no-untyped-def]
            answer = super().stream(question, history, **options)
            if not question.startswith(SLOW_PREFIX):
                return answer
            steps = 20

            def slowly():  # type: ignore[no-untyped-def]
                for _ in range(steps):
                    time.sleep(SLOW_SECONDS / steps)
                    yield "\u2026"
                yield from answer

            return slowly()

    return SlowWhenAsked(ui_settings)


@pytest.fixture(scope="session")
def ui_url(ui_assistant) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from assistant.ui.app import launch_app

    app, url = launch_app(ui_assistant, "127.0.0.1", free_port())
    yield url
    app.close()


@pytest.fixture(scope="session")
def client(ui_url):  # type: ignore[no-untyped-def]
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    from gradio_client import Client

    return Client(ui_url, verbose=False)
