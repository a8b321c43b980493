"""The layout's rules, checked on the code itself (imports and SQL found by parsing it with ast).

- ingest/ never imports assistant/: data flows one way, files -> index -> answers.
- training/ (`newsdesk train`) may import assistant/relevance (the model it trains); only the CLI
  face imports training/, so the assistant core carries no training-only code.
- The core of assistant/ never imports a face (the CLI, the UI, the MCP and HTTP faces in
  assistant/faces/: add new ones to FACES), and the UI does not import the CLI or the other faces.
- No import circle among newsdesk's modules.
- No module in assistant/, ingest/ or training/ over 450 lines.
- The catalog owns every SQL statement: no SQL, no sqlite3 and no `.execute(` anywhere else in
  assistant/, ingest/ or benchmarks/.
- Every module says what it is for (a docstring).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from support import REPO

FACES = ("assistant.cli", "assistant.ui", "assistant.faces")  # faces/: MCP, the OpenAI-compatible /v1, serve
CATALOG = "ingest.catalog"  # ingest/catalog.py, or an ingest/catalog/ package if it grows
MAX_LINES = 450
_SQL = re.compile(
    r"\b(?:SELECT\b[^;]*\bFROM|INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
    r"CREATE\s+(?:TABLE|INDEX|VIRTUAL|TRIGGER|VIEW)|DROP\s+(?:TABLE|INDEX)|PRAGMA\s+\w+)\b",
    re.S,
)
_EXECUTE = {"execute", "executemany", "executescript"}


def module_files() -> dict[str, Path]:
    """Module name -> file, for every module of assistant/, ingest/ and training/."""
    found: dict[str, Path] = {}
    for package in ("assistant", "ingest", "training"):
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = module_files()


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports(module: str, path: Path, *, type_checking: bool = True) -> set[str]:
    """The newsdesk modules `module` imports anywhere in its file (also inside functions);
    `type_checking=False` leaves out imports that only run for type checkers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if not type_checking:
        for node in ast.walk(tree):
            if _type_checking_only(node):
                skipped.update(id(inner) for inner in ast.walk(node))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                names.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {name for name in names if name.split(".")[0] in ("assistant", "ingest", "training")}


def is_in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def sql_in(source: str) -> list[str]:
    """What in this Python source talks SQL: a statement in a string, a DB-API call, sqlite3."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL.search(node.value):
            found.append(f"line {node.lineno}: SQL in a string: {node.value[:60]!r}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _EXECUTE:
            found.append(f"line {node.lineno}: .{node.func.attr}(...)")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            named = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any(name.split(".")[0] == "sqlite3" for name in named):
                found.append(f"line {node.lineno}: imports sqlite3")
    return found


def test_the_checks_see_what_they_look_for() -> None:
    """The detectors themselves: a check that cannot fail proves nothing."""
    assert sql_in('db.execute(f"SELECT title FROM articles WHERE x={x}")')
    assert sql_in('import sqlite3\nQUERY = "INSERT OR IGNORE INTO meta VALUES (1)"')
    assert not sql_in('text = "Select the articles from March"\nrows = catalog.articles(ids)')
    assert imports("ingest.index", MODULES["ingest.index"]) >= {"ingest.catalog", "ingest.vectors"}
    assert "assistant.api" not in imports("assistant.ui.chat", MODULES["assistant.ui.chat"], type_checking=False)
    assert "assistant.api" in imports("assistant.ui.chat", MODULES["assistant.ui.chat"])


def test_ingest_never_imports_assistant() -> None:
    bad = {m: sorted(i for i in imports(m, p) if is_in(i, "assistant")) for m, p in MODULES.items() if is_in(m, "ingest")}
    assert not {m: i for m, i in bad.items() if i}


def test_the_core_of_assistant_never_imports_a_face() -> None:
    core = {m: p for m, p in MODULES.items() if is_in(m, "assistant") and not any(is_in(m, face) for face in FACES)}
    bad = {m: sorted(i for i in imports(m, p) if any(is_in(i, face) for face in FACES)) for m, p in core.items()}
    assert not {m: i for m, i in bad.items() if i}


def test_only_the_command_line_imports_training_code() -> None:
    users = {m for m, p in MODULES.items() if not is_in(m, "training") and any(is_in(i, "training") for i in imports(m, p))}
    assert users == {"assistant.cli.train"}
    training = {m: p for m, p in MODULES.items() if is_in(m, "training")}
    assert training and not any(is_in(i, "assistant.cli") for m, p in training.items() for i in imports(m, p))


def test_the_ui_does_not_import_the_cli_or_the_other_faces() -> None:
    ui = {m: p for m, p in MODULES.items() if is_in(m, "assistant.ui")}
    other = ("assistant.cli", "assistant.faces")
    assert not {m: sorted(i) for m, p in ui.items() if (i := {x for x in imports(m, p) if any(is_in(x, o) for o in other)})}


def test_the_faces_are_registered() -> None:
    """A new package under assistant/ that imports a face is a face: it must be in FACES."""
    assert {"assistant.faces.mcp_server", "assistant.faces.openai_api", "assistant.faces.serve"} <= MODULES.keys()
    assert {"assistant.cli.mcp", "assistant.cli.serve"} <= MODULES.keys()


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of a module graph (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1 or module in graph.get(module, ()):
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_import_circle() -> None:
    # The circle this layout replaced: cli imported commands (lazily), commands imported cli.
    assert circles({"cli": {"commands"}, "commands": {"cli", "api"}, "api": set()}) == [["cli", "commands"]]
    graph = {m: imports(m, p, type_checking=False) & MODULES.keys() for m, p in MODULES.items()}
    assert not circles(graph)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_small_modules_that_say_what_they_are_for(module: str) -> None:
    path = MODULES[module]
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(REPO)} has {lines} lines; split it by job (the limit is {MAX_LINES})"
    assert ast.get_docstring(ast.parse(text)), f"{path.relative_to(REPO)} has no docstring saying what it is for"


def test_sql_lives_only_in_the_catalog() -> None:
    files = {m: p for m, p in MODULES.items() if not is_in(m, CATALOG)}
    files.update({f"benchmarks/{p.name}": p for p in sorted((REPO / "benchmarks").glob("*.py"))})
    found = {name: sql_in(path.read_text(encoding="utf-8")) for name, path in files.items()}
    assert not {name: hits for name, hits in found.items() if hits}
