"""`newsdesk brief` through assistant.cli.main (the real process: tests/e2e/test_cli_process.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from assistant.cli import main
from ingest.catalog import Catalog
from support import check_brief

MARKER = re.compile(r"\[(\d+)\]")


def brief_json(capsys, *argv: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    assert main(["brief", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one JSON object, one line
    return json.loads(out)


def test_cli_json_brief_with_filters(sample_settings, capsys) -> None:  # type: ignore[no-untyped-def]
    payload = brief_json(
        capsys, "North Korea sanctions", "--since", "2017-08-01", "--max-points", "5", "--index", str(sample_settings.index)
    )
    assert payload["topic"] == "North Korea sanctions" and payload["since"] == "2017-08-01"
    assert 1 <= len(payload["timeline"]) <= 5 and 3 <= len(payload["summary"]) <= 5
    check_brief(payload, Catalog(sample_settings.catalog_path))
    assert all(c["published"] >= "2017-08-01" for c in payload["citations"])


def test_cli_since_is_read_in_the_index_date_order(sample_settings, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`--since 01/09/2017` is 1 September with NEWSDESK_DATE_ORDER=day-first, 9 January without."""
    argv = ("North Korea sanctions", "--since", "01/09/2017", "--max-points", "4", "--index", str(sample_settings.index))
    assert brief_json(capsys, *argv)["since"] == "2017-01-09"
    monkeypatch.setenv("NEWSDESK_DATE_ORDER", "day-first")
    payload = brief_json(capsys, *argv)
    assert payload["since"] == "2017-09-01" and payload["citations"]
    assert all(c["published"] >= "2017-09-01" for c in payload["citations"])


def test_cli_markdown_to_stdout_and_to_a_file(sample_settings, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = str(sample_settings.index)
    assert main(["brief", "Tillerson talks", "--index", index, "--max-points", "4"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Briefing: Tillerson talks\n") and "## Timeline" in markdown and "## Sources" in markdown
    target = tmp_path / "out" / "brief.md"
    assert main(["brief", "Tillerson talks", "--index", index, "--max-points", "4", "-o", str(target)]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"wrote {target}:") and target.read_text(encoding="utf-8") == markdown


def test_cli_errors_are_one_line_with_exit_code_2(sample_settings, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    index = str(sample_settings.index)
    assert main(["brief", "North Korea", "--index", index, "--since", "someday"]) == 2
    assert capsys.readouterr().err.startswith("newsdesk brief: --since 'someday': not a date")
    assert main(["brief", "North Korea", "--index", index, "--since", "2017-09-01", "--until", "2017-08-01"]) == 2
    assert "after --until" in capsys.readouterr().err
    assert main(["brief", "North Korea", "--index", index, "--max-points", "0"]) == 2
    assert "--max-points 0" in capsys.readouterr().err
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    assert main(["brief", "North Korea", "--index", index, "-o", str(blocked / "brief.md")]) == 2
    assert "cannot write the briefing" in capsys.readouterr().err
    assert main(["brief", "North Korea", "--index", index, "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["brief", "North Korea", "--index", index, "--llm", "openai"]) == 2
    assert capsys.readouterr().err.startswith("newsdesk brief: ")
