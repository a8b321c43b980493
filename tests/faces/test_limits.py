"""One set of answer slots for every face: the Slots themselves, then the UI, /v1 and MCP waiting
on the same ones in one process (in-process apps over the sample index; no port is opened)."""

from __future__ import annotations

import threading
from typing import Any

import anyio
import pytest

from assistant.limits import DEFAULT_CONCURRENCY, Busy, Limits, Slots
from support import wait_until

QUESTION = "What did Tillerson require in March?"


def test_slots_wait_refuse_when_the_line_is_full_and_release_from_any_thread() -> None:
    slots = Slots("answers", 1, max_waiting=1)
    entered = threading.Event()

    def second() -> None:
        with slots.hold():
            entered.set()

    with slots.hold():
        assert slots.held == 1
        waiter = threading.Thread(target=second)
        waiter.start()
        wait_until(lambda: slots.waiting == 1)
        with pytest.raises(Busy, match=r"the server is busy \(1 answers running, 1 waiting\)"):
            with slots.hold():
                pass
        assert not entered.is_set()
    waiter.join(10)
    assert entered.is_set() and slots.held == 0 and slots.waiting == 0
    # A streamed answer may take its slot in one worker thread and give it back in another.
    held = slots.hold()
    threading.Thread(target=held.__enter__).start()
    wait_until(lambda: slots.held == 1)
    threading.Thread(target=held.__exit__, args=(None, None, None)).start()
    wait_until(lambda: slots.held == 0)
    with pytest.raises(ValueError):
        Slots("answers", 0)


def test_the_default_limits_follow_the_backend() -> None:
    assert Limits.for_backend("extractive").answers.size == DEFAULT_CONCURRENCY["extractive"]
    assert Limits.for_backend("openai").answers.size == 8 and Limits.for_backend("local").briefs.size == 1
    assert Limits.for_backend("extractive", concurrency=3).answers.size == 3


@pytest.fixture()
def faces(sample_assistant):  # type: ignore[no-untyped-def]
    """(limits, /v1 test client, MCP server, the UI's /ask, the chat app) sharing one Archive with a
    single answer slot."""
    from starlette.testclient import TestClient

    from assistant.faces.archive import Archive
    from assistant.faces.mcp_server import build_mcp
    from assistant.faces.serve import build_server
    from assistant.ui.api import AskEndpoint
    from assistant.ui.chat import ChatApp

    limits = Limits(Slots("answers", 1, max_waiting=8), Slots("briefs", 1))
    archive = Archive(sample_assistant, limits)
    with TestClient(build_server(archive, "127.0.0.1", 0, faces=("v1",))) as http:
        yield limits, http, build_mcp(archive), AskEndpoint(sample_assistant, limits), ChatApp(sample_assistant, limits)


def ask_v1(http: Any) -> Any:
    body = {"model": "newsdesk", "messages": [{"role": "user", "content": QUESTION}]}
    return http.post("/v1/chat/completions", json=body)


def ask_mcp(server: Any) -> Any:
    """`ask` through the SDK's in-process client, on a thread of its own: the main thread may
    already carry an event loop (Playwright's sync API leaves one), where anyio.run would refuse."""
    from mcp import Client

    async def call() -> Any:
        async with Client(server) as client:
            return await client.call_tool("ask", {"question": QUESTION})

    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(anyio.run(call)))
    thread.start()
    thread.join(120)
    return result[0]


def chat_turn(chat: Any) -> Any:
    """The chat's answer to QUESTION (streamed through its stoppable worker), as the saved Turn."""
    from assistant.filters import Filters
    from assistant.ui.conversations import Conversation

    steps = chat._answer(QUESTION, Conversation(), Filters(), [{}], lambda: False)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def test_the_ui_v1_and_mcp_wait_for_the_same_answer_slot(faces) -> None:  # type: ignore[no-untyped-def]
    limits, http, server, endpoint, chat = faces
    results: dict[str, Any] = {}
    jobs = {
        "v1": lambda: ask_v1(http),
        "mcp": lambda: ask_mcp(server),
        "ui": lambda: endpoint.ask(QUESTION),
        "chat": lambda: chat_turn(chat),
    }
    threads = [threading.Thread(target=lambda n=n, j=j: results.__setitem__(n, j())) for n, j in jobs.items()]
    with limits.answers.hold():  # the one slot is taken: every face must queue behind it
        for thread in threads:
            thread.start()
        wait_until(lambda: limits.answers.waiting == 4)
        assert not results
    for thread in threads:
        thread.join(120)
    assert results["v1"].status_code == 200 and results["v1"].json()["citations"]
    assert not results["mcp"].is_error and results["mcp"].structured_content["citations"]
    assert results["ui"]["citations"] and results["chat"].answer.citations
    wait_until(lambda: limits.answers.held == 0)


def test_a_full_queue_is_refused_at_once_by_every_face(faces) -> None:  # type: ignore[no-untyped-def]
    import gradio as gr

    limits, http, server, endpoint, chat = faces
    limits.answers.max_waiting = 0
    with limits.answers.hold():
        response = ask_v1(http)
        assert response.status_code == 429 and response.json()["error"]["code"] == "server_busy"
        result = ask_mcp(server)
        assert result.is_error and result.content[0].text.startswith("ask: the server is busy")
        with pytest.raises(gr.Error, match="the server is busy"):
            endpoint.ask(QUESTION)
        assert chat_turn(chat).error.startswith("the server is busy")  # said in the chat, not a traceback
