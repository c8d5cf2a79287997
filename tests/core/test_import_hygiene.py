"""The core is a library for any client: importing it must not drag in Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import planner

PACKAGE = Path(planner.__file__).parent
UI_MODULES = {"__init__", "__main__", "app"}  # app.py is the TUI; screens/ and widgets/ are packages
CORE = sorted(f"planner.{path.stem}" for path in PACKAGE.glob("*.py") if path.stem not in UI_MODULES)


def test_the_core_is_most_of_the_package():
    assert {"planner.models", "planner.db", "planner.store", "planner.analysis", "planner.migrate"} <= set(CORE)


REPORT_TEXTUAL = (
    "loaded = sorted(n for n in sys.modules if n == 'textual' or n.startswith('textual.'))\n"
    "print(','.join(loaded))\n"
)


def _textual_loaded_by(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code + REPORT_TEXTUAL], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_core_modules_never_import_textual():
    assert _textual_loaded_by("".join(f"import {name}\n" for name in CORE)) == ""


def test_migrations_never_import_textual(tmp_path):
    """An upgrade from an empty file runs Alembic's env.py and every shipped revision."""
    path = tmp_path / "fresh.db"
    code = (
        f"from planner.startup import open_store\nopen_store({str(path)!r}).db.close()\n"
        "assert 'alembic' in sys.modules, 'no migration ran'\n"
    )
    assert _textual_loaded_by(code) == ""
