"""`newsdesk serve`'s log (issue 15, for the faces' one-process server too): a user's mistake in the
mounted UI (a bad date, an empty question) is one line naming it, never a traceback; the server
goes on answering.  The server is conftest.served_faces (a real `serve` process)."""

from __future__ import annotations

import time

import pytest

QUESTION = "What did Tillerson require in March?"


def test_serve_logs_a_user_error_as_one_line_and_keeps_answering(served_faces) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import Client

    client = Client(served_faces.url, auth=served_faces.login, verbose=False)
    mistakes = {
        (QUESTION, "2017-02-30"): "newsdesk serve: /ask: From '2017-02-30': not a date (no such calendar day)\n",
        (QUESTION, "0000"): "newsdesk serve: /ask: From '0000': year 0 is outside 1-9999 (use YYYY-MM-DD, YYYY-MM or YYYY)\n",
        ("   ", ""): "newsdesk serve: /ask: the question is empty\n",
    }
    before = {line: served_faces.process.output.count(line) for line in mistakes.values()}
    for (question, since), line in mistakes.items():
        with pytest.raises(Exception, match="not a date|outside 1-9999|the question is empty"):
            client.predict(question, since=since, api_name="/ask")
    result = client.predict(QUESTION, api_name="/ask")  # still answering
    assert not result["abstained"] and result["citations"]
    deadline = time.monotonic() + 30  # the log is read from the process's pipe by a thread
    while True:
        log = served_faces.process.output
        if all(log.count(line) == before[line] + 1 for line in mistakes.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert "Traceback" not in log, log
    for line in mistakes.values():
        assert log.count(line) == before[line] + 1, (line, log)
