"""The layers, checked: the core is plain Python, only the store reaches the data, only
the TUI imports Textual, nothing imports in a circle, and screens open each other
through the registry."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import planner
from planner.screens.base import PlannerScreen
from planner.screens.navigation import ROUTES, screen_class

PACKAGE = Path(planner.__file__).parent
SOURCES = {
    ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): path
    for path in PACKAGE.rglob("*.py")
    if "migrations" not in path.parts
}
CORE = sorted(name for name in SOURCES if name.startswith("planner.core."))
TUI = ("planner.app", "planner.screens", "planner.widgets")


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(name: str, *, typing: bool = False) -> list[tuple[str, bool]]:
    """(imported module, at module level) for each import in the module; imports under
    `if TYPE_CHECKING:` count only with `typing` (they never run)."""
    tree = ast.parse(SOURCES[name].read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child) and not typing:
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, top) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                found.append((child.module, top))
                found.extend((f"{child.module}.{alias.name}", top) for alias in child.names)
            inner = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            visit(child, inner)

    visit(tree, True)
    return found


def _planner_imports(name: str) -> set[str]:
    return {module for module, _ in _imports(name) if module in SOURCES}


def _in(name: str, *places: str) -> bool:
    return any(name == place or name.startswith(place + ".") for place in places)


def test_the_layers_show_in_the_tree():
    assert {"planner.core.models", "planner.core.analysis", "planner.core.portfolio"} <= set(CORE)
    assert {"planner.store.db", "planner.store.store", "planner.store.migrate"} <= set(SOURCES)
    assert {"planner.app", "planner.screens.base", "planner.widgets.virtual_table"} <= set(SOURCES)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_each_module_imports_only_what_its_layer_may(name):
    imported = [module for module, _ in _imports(name)]
    textual = [m for m in imported if _in(m, "textual")]
    database = [m for m in imported if _in(m, "sqlalchemy", "sqlmodel", "sqlite3", "psycopg", "alembic")]
    if not _in(name, *TUI):
        assert not textual, f"{name} imports Textual; only app.py, screens/ and widgets/ may"
    if _in(name, "planner.core"):
        assert not [m for m in imported if _in(m, "planner.store", *TUI)], f"{name}: the core depends on nothing above"
        allowed = name == "planner.core.models"  # the core declares the tables, and only that
        assert allowed or not database, f"{name} reaches for the database; only planner/store/ may"
    if _in(name, *TUI):
        assert not database, f"{name} reaches for the database; ask the store"
    if _in(name, "planner.store"):
        assert not [m for m in imported if _in(m, *TUI)], f"{name}: the store knows nothing of the TUI"


SESSION_CALLS = {"read", "write", "write_connection", "immediate", "raw_connection", "connect"}


@pytest.mark.parametrize("name", sorted(n for n in SOURCES if not _in(n, "planner.store")))
def test_only_the_store_opens_sessions_or_connections(name):
    tree = ast.parse(SOURCES[name].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func.value
            on_db = isinstance(target, ast.Attribute) and target.attr in ("db", "engine")
            assert not (on_db and node.func.attr in SESSION_CALLS), f"{name}:{node.lineno} opens a session"
            assert not (isinstance(target, ast.Name) and target.id == "sqlite3"), f"{name}:{node.lineno}"


def _cycles(typing: bool) -> list[list[str]]:
    graph = {name: {m for m, _ in _imports(name, typing=typing) if m in SOURCES} for name in SOURCES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def strongly(node: str) -> None:  # Tarjan
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                strongly(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for name in sorted(graph):
        if name not in index:
            strongly(name)
    return found


def test_no_module_imports_itself_in_a_circle():
    assert _cycles(typing=False) == []


def test_screens_open_each_other_through_the_registry():
    full_screens = {module for route, (module, _) in ROUTES.items() if issubclass(screen_class(route), PlannerScreen)}
    for name in SOURCES:
        if not _in(name, "planner.screens", "planner.widgets", "planner.app"):
            continue
        for module, top in _imports(name):
            assert not (module in full_screens and name != module), f"{name} imports the screen {module}"
            assert not (_in(module, "planner.screens") and not top), f"{name} imports {module} inside a function"
            assert module != "importlib" or name == "planner.screens.navigation", f"{name} imports modules by name"


REPORT_LOADED = (
    "loaded = sorted({n.split('.')[0] for n in sys.modules} & {'textual', 'sqlalchemy', 'sqlmodel', 'pydantic'})\n"
    "print(','.join(loaded))\n"
)


def _loaded_by(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code + REPORT_LOADED], capture_output=True, text=True, check=True
    )
    return set(filter(None, result.stdout.strip().split(",")))


def test_core_modules_never_import_textual():
    assert "textual" not in _loaded_by("".join(f"import {name}\n" for name in CORE))


def test_the_store_and_the_cli_never_import_textual():
    stores = [name for name in SOURCES if _in(name, "planner.store")]
    assert "textual" not in _loaded_by("".join(f"import {name}\n" for name in [*stores, "planner.cli"]))


def test_migrations_never_import_textual(tmp_path):
    """An upgrade from an empty file runs Alembic's env.py and every shipped revision."""
    path = tmp_path / "fresh.db"
    code = (
        f"from planner.store.startup import open_store\nopen_store({str(path)!r}).db.close()\n"
        "assert 'alembic' in sys.modules, 'no migration ran'\n"
    )
    assert "textual" not in _loaded_by(code)


def test_the_first_screen_is_drawn_without_the_orm():
    """Start-up imports the app and opens the database before the ORM is loaded: the
    customer list is read with the driver alone (see docs/architecture.md)."""
    code = "import planner.app, planner.cli, planner.store.opening\n"
    assert _loaded_by(code) == {"textual"}
