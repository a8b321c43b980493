"""Issue 17: hostile article text, impossible dates, bad batch lines, a closed pipe.

The index is made here from three articles: one whose title, source and text carry terminal
escape sequences (window title, clear screen, a hidden OSC-8 link, 8-bit CSI), one misdated
2099-12-31, and an ordinary one.  Human output must carry none of the escapes (JSON output keeps
the article's exact text, escaped by JSON itself); dates outside 1-9999 are one clear line
wherever they are typed; a future date never becomes "now"; one bad batch line never stops the
batch; `newsdesk stats | head` ends without a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.cli import main
from ingest.errors import ConfigError
from ingest.settings import Settings

from support import REPO, build_index, cli_env

ESCAPES = ("\x1b", "\x07", "\x9b", "\x9d", "\r")
TITLE = "Harbour deal \x1b]0;owned\x07signed\x1b[2J at last"
SOURCE = "Bay \x1b]8;;http://evil.example/\x1b\\Gazette\x1b]8;;\x1b\\"
BODY = (
    "The harbour deal was signed on Tuesday by the mayor \x1b[31mand the council\x1b[0m after months of talks. "
    "Ferry crews \x9b2Jwill keep their routes, the agreement says.\rThe port authority praised the harbour deal. "
)


def _write(folder: Path, name: str, title: str, day: str, source: str, body: str) -> None:
    (folder / name).write_text(f"{title}\nDate: {day}\nSource: {source}\n\n{body * 3}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, embedder) -> Settings:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("hostile-articles")
    _write(folder, "hostile.txt", TITLE, "2017-05-02", SOURCE, BODY)
    _write(folder, "future.txt", "Harbour festival of the future", "2099-12-31", "Time Gazette",
           "The harbour festival drew crowds to the waterfront, organisers said. ")  # fmt: skip
    _write(folder, "plain.txt", "Harbour renovation begins", "2017-05-20", "Port Daily",
           "Work on the harbour renovation began on Saturday, the port authority said. ")  # fmt: skip
    return build_index(tmp_path_factory.mktemp("hostile-index"), [folder])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def clean(text: str) -> bool:
    return not any(mark in text for mark in ESCAPES)


def test_ask_brief_and_stats_print_no_escape_sequences(hostile: Settings, capsys, tmp_path: Path) -> None:
    index = str(hostile.index)
    code, out, err = run(capsys, "ask", "Who signed the harbour deal?", "--index", index)
    assert code == 0 and "[1]" in out and clean(out + err)
    assert "Harbour deal signed at last" in out and "Bay Gazette" in out  # the words stay, the escapes go
    code, out, _ = run(capsys, "ask", "Who signed the harbour deal?", "--index", index, "--json")
    answer = json.loads(out)
    assert any("\x1b" in c["title"] for c in answer["citations"])  # JSON keeps the exact article data
    code, out, err = run(capsys, "brief", "harbour deal", "--index", index)
    assert code == 0 and "# Briefing" in out and clean(out + err)
    target = tmp_path / "brief.md"
    run(capsys, "brief", "harbour deal", "--index", index, "-o", str(target))
    assert clean(target.read_text(encoding="utf-8"))
    code, out, err = run(capsys, "stats", "--index", index)
    assert code == 0 and "Bay Gazette" in out and clean(out + err)


def test_an_ingest_problem_line_names_a_hostile_file_safely(capsys, tmp_path: Path, embedder) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad\x1b[2J\x1b]0;x\x07.txt").write_text("", encoding="utf-8")
    code, _, err = run(capsys, "ingest", str(folder), "--index", str(tmp_path / "index"))
    assert code == 2 and clean(err) and err.strip() == f"{folder}/bad.txt: empty file; skipped"


def test_a_future_date_is_kept_but_never_becomes_now(hostile: Settings, capsys) -> None:
    assistant = Assistant(hostile)
    assert assistant.index.catalog.stats().last_published == "2099-12-31"  # kept as metadata
    assert assistant.retriever.newest_date() == date(2017, 5, 20)  # the anchor of "last month"
    answer = assistant.ask("What happened to the harbour last month?")
    assert answer.period.startswith("last month -> 2017-0")
    answer = assistant.ask("What happened to the harbour last week?", until="9999-12-31")
    assert "2017-05" in answer.period  # an --until in the future is not "now" either
    from assistant.briefing import build_brief, parse_briefing_request

    request = parse_briefing_request("brief me on the harbour since last month")
    assert request is not None and build_brief(assistant, request).since.startswith("2017-04")


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", "coal?", "--since", "0000"],
        ["ask", "coal?", "--until", "0000"],
        ["ask", "coal?", "--since", "0000-05"],
        ["ask", "coal?", "--until", "10000-01-01"],
        ["ask", "coal?", "--asked", "0000-01-01"],
        ["brief", "coal", "--since", "0000"],
    ],
)
def test_years_outside_the_calendar_are_one_clear_line(hostile: Settings, capsys, argv: list[str]) -> None:
    code, out, err = run(capsys, *argv, "--index", str(hostile.index))
    (line,) = err.strip().splitlines()
    assert code == 2 and out == "" and "is outside 1-9999" in line, line


def test_calendar_edges_do_not_crash_time_words(hostile: Settings) -> None:
    assistant = Assistant(hostile)
    for options in ({"until": "9999-12-31"}, {"asked": "9999-12-31"}, {"asked": "0001-01-01"}, {"since": "0001-01-01"}):
        answer = assistant.ask("What happened to the harbour last week?", **options)
        assert answer.answer


def test_the_ui_boxes_and_the_api_refuse_year_zero_without_a_traceback(hostile: Settings) -> None:
    import gradio as gr

    from assistant.limits import Limits
    from assistant.ui.api import AskEndpoint
    from assistant.filters import DateReader
    from assistant.ui.filters import filter_note, read_filters

    for dates in (DateReader(), DateReader(day_first=True)):  # either date order refuses year 0
        with pytest.raises(ConfigError, match="From '0000': year 0 is outside 1-9999"):
            read_filters(dates, "0000", "", [])
        assert filter_note(dates, "0000", "", []).startswith("**Filter problem:** From")
    endpoint = AskEndpoint(Assistant(hostile), Limits.for_backend("extractive"))
    with pytest.raises(gr.Error) as caught:
        endpoint.ask("Who signed the harbour deal?", since="0000")
    assert "year 0 is outside 1-9999" in str(caught.value) and caught.value.print_exception is False
    with pytest.raises(gr.Error) as caught:
        endpoint.ask("Who signed the harbour deal?", history="not a list")  # type: ignore[arg-type]
    assert "history must be a list" in str(caught.value)


def test_one_bad_batch_line_never_stops_the_batch(hostile: Settings, capsys, tmp_path: Path) -> None:
    good = "Who signed the harbour deal?"
    lines = [
        {"id": "q1", "question": good, "history": "not a list"},
        {"id": "q2", "question": good, "history": [5]},
        {"id": "q3", "question": good, "source": 5},
        {"id": "q4", "question": good, "since": "0000"},
        {"id": "q5", "answers": ["no question here"]},
        {"question": ""},
        {"id": "q7", "question": {"text": good}},
        {"id": "q8", "question": good},
        {"id": "q8", "question": good},
        {"id": "q10", "question": good, "history": [{"role": "user", "content": "Tell me about the harbour"}]},
    ]
    batch = tmp_path / "questions.jsonl"
    batch.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "ask", "--batch", str(batch), "--index", str(hostile.index), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and err == ""
    assert [r["id"] for r in rows] == ["q1", "q2", "q3", "q4", "q5", 6, "q7", "q8", "q8", "q10"]
    errors = {i: r["error"] for i, r in enumerate(rows) if "error" in r}
    assert sorted(errors) == [0, 1, 2, 3, 4, 5, 6, 8]
    assert "history must be a list" in errors[0] and "history item 1" in errors[1]
    assert "source 5: give a publication name" in errors[2] and "year 0 is outside 1-9999" in errors[3]
    assert "needs a non-empty 'question'" in errors[4] and "line 6" in errors[5] and "line 7" in errors[6]
    assert "duplicate id 'q8' (first on line 8); not answered" in errors[8]
    assert rows[7]["citations"] and rows[9]["citations"]


def test_stats_into_a_closed_pipe_ends_quietly(hostile: Settings) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # like `| head -0`: nobody reads what stats prints
    try:
        done = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "stats", "--index", str(hostile.index)],
            cwd=REPO, env=cli_env(), stdout=writer, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    finally:
        os.close(writer)
    assert done.stderr == "" and done.returncode == 141
