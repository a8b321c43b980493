"""`newsdesk chat` as a user starts it: a real subprocess, stopped by its PID like Ctrl-C."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from support import NEWSDESK, Served, cli_env, free_port


def test_non_loopback_host_without_auth_is_refused_in_one_line(tmp_path: Path) -> None:
    for host in ("0.0.0.0", "192.168.1.20"):
        done = subprocess.run(
            [str(NEWSDESK), "chat", "--index", str(tmp_path / "index"), "--host", host, "--port", str(free_port())],
            env=cli_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("newsdesk chat: --host") and "--auth USER:PASSWORD" in lines[0]
        assert "NEWSDESK_AUTH" in lines[0]
    bad = subprocess.run(
        [str(NEWSDESK), "chat", "--index", str(tmp_path / "index"), "--host", "0.0.0.0"],
        env=cli_env(NEWSDESK_AUTH="no-password"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "USER:PASSWORD" in bad.stderr


def test_chat_command_serves_the_api_behind_its_login_and_stops_on_ctrl_c(sample_settings) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import Client

    port = free_port()
    served = Served(["chat", "--index", str(sample_settings.index), "--port", str(port), "--auth", "ann:s3cret"])
    try:
        url = f"http://127.0.0.1:{port}/"
        line = served.wait_for("serving http://127.0.0.1:", timeout=120)
        assert url in line and "12 articles" in line, line

        with pytest.raises(Exception):
            Client(url, verbose=False)  # no login, no app
        client = Client(url, auth=("ann", "s3cret"), verbose=False)
        result = client.predict("What did Tillerson require in March?", api_name="/ask")
        assert not result["abstained"] and result["citations"]
        assert "Tillerson" in result["citations"][0]["title"]
        # A user's mistakes are reported to the client and logged as one line each, no traceback.
        for question, since in (("What did Tillerson require in March?", "2017-13-45"), ("   ", "")):
            with pytest.raises(Exception, match="not a date|the question is empty"):
                client.predict(question, since=since, api_name="/ask")
    finally:
        code = served.stop()  # SIGINT, what Ctrl-C sends; then every line the process wrote
    log = served.output
    assert code in (0, 130), log
    assert "Traceback" not in log, log
    seen = log.splitlines(keepends=True)
    assert [line for line in seen if "not a date" in line] == ["newsdesk chat: /ask: From '2017-13-45': not a date (no such calendar day)\n"], log
    assert [line for line in seen if "question is empty" in line] == ["newsdesk chat: /ask: the question is empty\n"], log
