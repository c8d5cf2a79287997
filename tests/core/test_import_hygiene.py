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


def test_core_modules_never_import_textual():
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in CORE)
        + (
            "loaded = sorted(n for n in sys.modules if n == 'textual' or n.startswith('textual.'))\n"
            "print(','.join(loaded))\n"
        )
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
