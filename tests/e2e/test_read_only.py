"""Issue 17: an index nobody may write (a read-only mount, another user's files) can be queried.

The index copy is made read-only with chmod.  Root ignores file modes, so as root each command
runs in a child that dropped CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER from its
bounding set before exec (prctl, no tool needed): root then meets file modes like anyone else,
while still reading the interpreter under /root.
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path

from support import REPO, cli_env, copy_index, unavailable

_PR_CAPBSET_DROP = 24
_FILE_MODE_OVERRIDES = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def _as_ordinary_user() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in _FILE_MODE_OVERRIDES:
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            os._exit(99)


# One interpreter for every command (loading torch costs seconds): each runs through the CLI's
# main() with its output captured.
COMMANDS = """
import contextlib, io, json, sys
from assistant.cli import main
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    results.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(results))
"""


def newsdesk(*commands: list[str]) -> list[tuple[int, str, str]]:
    run = subprocess.run(
        [sys.executable, "-c", COMMANDS, json.dumps(commands)],
        cwd=REPO, env=cli_env(), capture_output=True, text=True, timeout=600,
        preexec_fn=_as_ordinary_user if os.geteuid() == 0 else None,
    )  # fmt: skip
    if run.returncode == 99:
        unavailable("cannot drop root's file-permission capabilities here (prctl PR_CAPBSET_DROP refused)")
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    return [tuple(result) for result in json.loads(run.stdout)]  # type: ignore[misc]


def _chmod_tree(root: Path, writable: bool) -> None:
    for folder, dirs, files in os.walk(root):
        for name in files:
            os.chmod(Path(folder) / name, 0o644 if writable else 0o444)
        os.chmod(folder, 0o755 if writable else 0o555)


def _listing(root: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(root)), p.stat().st_size) for p in root.rglob("*"))


def test_a_read_only_index_answers_and_says_why_it_cannot_be_written(tmp_path: Path, sample_settings) -> None:  # type: ignore[no-untyped-def]
    settings = copy_index(sample_settings, tmp_path / "index")
    index = str(settings.index)
    _chmod_tree(settings.index, writable=False)
    before = _listing(settings.index)
    try:
        asked, stats, brief, check, written = newsdesk(
            ["ask", "What did Tillerson require in March?", "--index", index, "--json"],
            ["stats", "--index", index, "--json"],
            ["brief", "North Korea", "--max-points", "3", "--index", index, "--json"],
            ["check", "--index", index, "--json"],
            ["ingest", str(REPO / "examples" / "articles"), "--index", index],
        )
        assert asked[0] == 0 and asked[2] == "", asked[2]
        answer = json.loads(asked[1])
        assert not answer["abstained"] and answer["citations"]
        assert stats[0] == 0 and json.loads(stats[1])["damaged"] == [], stats[2]
        assert brief[0] == 0 and json.loads(brief[1])["citations"], brief[2]
        report = json.loads(check[1])
        assert check[0] == 0 and report["ok"] and "the index is read-only: checked without the writer lock" in report["notes"]
        (line,) = written[2].strip().splitlines()
        assert written[0] == 2 and "the index is read-only" in line and line.endswith("only questions can be asked of it")
        assert _listing(settings.index) == before  # nothing was created or changed
    finally:
        _chmod_tree(settings.index, writable=True)
