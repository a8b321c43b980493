"""`newsdesk` as a user runs it: the installed console script and `python -m assistant.cli`, as
real processes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from ingest.index import Index
from ingest.settings import Settings
from support import REPO, cli_env

MARKER = re.compile(r"\[(\d+)\]")

NO_HEAVY_IMPORTS = """
import sys
from assistant.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
main(["stats", "--index", sys.argv[1]])
heavy = sorted(name for name in ("torch", "sentence_transformers", "gradio", "langchain_core") if name in sys.modules)
print("heavy:", ",".join(heavy))
"""


def test_help_and_stats_load_no_model_library(sample_settings) -> None:  # type: ignore[no-untyped-def]
    """`newsdesk --help` and `newsdesk stats` answer at once: neither imports torch or gradio."""
    done = subprocess.run(
        [sys.executable, "-c", NO_HEAVY_IMPORTS, str(sample_settings.index)],
        cwd=REPO, env=cli_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "12 articles" in done.stdout and done.stdout.strip().endswith("heavy:")


def test_console_script_ingests_the_seed_with_its_title(tmp_path: Path, seed_path: Path) -> None:
    """Through the installed `newsdesk` entry point, as a user runs it."""
    exe = Path(sys.executable).with_name("newsdesk")
    env = {**os.environ, "NEWSDESK_INDEX": str(tmp_path / "index")}
    done = subprocess.run([str(exe), "ingest", str(seed_path), "--json"], capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 1
    index = Index.open(Settings.load(index=tmp_path / "index"))
    (article,) = list(index.catalog.iter_articles())
    assert article.title == "Tillerson Suggests North Korea May Soon Be Ready for Talks"
    assert article.text.startswith("WASHINGTON — In some of the most conciliatory")
    done = subprocess.run([str(exe), "stats"], capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert done.returncode == 0 and "1 articles" in done.stdout


def test_cli_brief_as_a_real_process(sample_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "brief.md"
    env = {**os.environ, "NEWSDESK_INDEX": str(sample_settings.index)}
    run = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "brief", "North Korea", "--max-points", "6", "-o", str(target), "--json"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    payload = json.loads(run.stdout)
    markdown = target.read_text(encoding="utf-8")
    body = markdown.split("## Sources")[0]
    for line in body.splitlines():
        if line.startswith("- "):
            assert MARKER.search(line), line
    assert len(re.findall(r"^\d+\. ", markdown, flags=re.M)) == len({c["n"] for c in payload["citations"]})  # one per article
