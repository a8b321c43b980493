"""Prompt files (prompts/*.txt) loaded at run time, and the fenced passage block they quote.

The files live in the repository's top-level prompts/; a wheel carries them inside the package as
assistant/prompts/ (pyproject.toml maps the folder there), so an installed newsdesk reads its own
copy and a checkout reads prompts/ directly.

A prompt file is plain text: optional `#` comment lines at the top (what the prompt is for and
which variables it takes), then sections opened by a line `[system]`, `[user]` or
`[assistant]`.  `{{name}}` is replaced by the variable `name`; a variable the file names but
the caller does not give is an error, so a typo never reaches the model as literal braces.
Values are inserted once and never re-parsed, so article text containing `{{...}}` is inert.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from assistant.retrieve import Evidence
from ingest.errors import ConfigError


def _prompts_dir() -> Path:
    package = Path(__file__).resolve().parents[1]
    shipped = package / "prompts"  # an installed wheel
    return shipped if shipped.is_dir() else package.parent / "prompts"  # a checkout (editable install)


PROMPTS_DIR = _prompts_dir()
ROLES = ("system", "user", "assistant")
_SECTION = re.compile(r"^\[(system|user|assistant)\]\s*$", re.M)
_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


@dataclass(frozen=True)
class Prompt:
    name: str
    messages: tuple[tuple[str, str], ...]  # (role, template)

    @property
    def variables(self) -> set[str]:
        return {m.group(1) for _, text in self.messages for m in _VARIABLE.finditer(text)}

    def render(self, **values: object) -> list[tuple[str, str]]:
        """(role, text) messages with every `{{name}}` filled in."""
        missing = self.variables - values.keys()
        if missing:
            raise ConfigError(f"prompts/{self.name}.txt needs {', '.join(sorted(missing))}")
        return [(role, _VARIABLE.sub(lambda m: str(values[m.group(1)]), text).strip()) for role, text in self.messages]


def prompt_names(directory: Path | None = None) -> list[str]:
    """Every prompt there is, by name (prompts/<name>.txt)."""
    return sorted(path.stem for path in (directory or PROMPTS_DIR).glob("*.txt"))


def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """prompts/<name>.txt, read on every call so an edited prompt takes effect at once."""
    path = (directory or PROMPTS_DIR) / f"{name}.txt"
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read prompt ({exc.strerror or exc})") from exc
    return parse_prompt(name, raw)


def parse_prompt(name: str, raw: str) -> Prompt:
    cuts = list(_SECTION.finditer(raw))
    if not cuts:
        raise ConfigError(f"prompts/{name}.txt: no [system] or [user] section")
    messages = []
    for i, cut in enumerate(cuts):
        body = raw[cut.end() : cuts[i + 1].start() if i + 1 < len(cuts) else len(raw)]
        messages.append((cut.group(1), body.strip("\n")))
    return Prompt(name, tuple(messages))


def fence(text: str) -> str:
    """Passage text that cannot close or open a <passage> tag of its own."""
    return re.sub(r"<(\s*/?\s*passage)", r"&lt;\1", text, flags=re.I)


def format_passages(passages: Sequence[tuple[int, Evidence]]) -> str:
    """Numbered passages, each fenced in <passage n="..."> tags with its headline and date."""
    blocks = []
    for n, ev in passages:
        meta = ", ".join(x for x in (ev.source, ev.published) if x)
        head = fence(ev.title) + (f" ({fence(meta)})" if meta else "")
        blocks.append(f'<passage n="{n}">\n{head}\n{fence(ev.text.strip())}\n</passage>')
    return "\n\n".join(blocks)
