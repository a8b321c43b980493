"""`newsdesk ask --batch FILE.jsonl`: many questions, models loaded once.

Input lines: {"id", "question", "history"?, "asked"?, "since"?, "until"?, "source"?}.  Output: one
line per input line with the same `id` (JSON with --json, else a readable block).  A malformed line
yields {"id", "error"} naming the line, and the batch goes on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from ingest.errors import ConfigError, NewsdeskError

if TYPE_CHECKING:
    from assistant.api import Assistant


def run_batch(
    assistant: "Assistant", path: Path, defaults: dict[str, object], json_lines: bool, out: TextIO
) -> int | Literal["all"]:
    """Answer every line; returns the number of failed lines, or "all" when none succeeded."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the batch file ({exc})") from exc
    failed = done = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item_id: object = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not str(item.get("question") or "").strip():
                raise ConfigError("needs an object with a non-empty 'question'")
            item_id = item.get("id", number)
            options = dict(defaults)
            for key in ("asked", "since", "until"):
                if item.get(key):
                    options[key] = item[key]
            if item.get("source"):
                options["sources"] = item["source"]
            answer = assistant.ask(str(item["question"]), history=item.get("history") or (), **options)
            payload = {"id": item_id, **answer.to_dict()}
            done += 1
            out.write(json.dumps(payload, ensure_ascii=False) + "\n" if json_lines else f"## {item_id}\n{answer.render_text()}\n\n")
        except (json.JSONDecodeError, NewsdeskError) as exc:
            failed += 1
            reason = f"{path} line {number}: {exc}"
            out.write(json.dumps({"id": item_id, "error": reason}) + "\n" if json_lines else f"## {item_id}\nerror: {reason}\n\n")
        out.flush()
    return "all" if failed and not done else failed
