"""The core is a library for any client: importing it must not drag in Textual."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "planner.analysis",
    "planner.audit",
    "planner.bulk",
    "planner.cli",
    "planner.config",
    "planner.db",
    "planner.errors",
    "planner.fields",
    "planner.formatting",
    "planner.identity",
    "planner.locations",
    "planner.migrate",
    "planner.models",
    "planner.reports",
    "planner.seed",
    "planner.startup",
    "planner.store",
]


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


def test_every_core_module_is_listed():
    from pathlib import Path

    import planner

    package = Path(planner.__file__).parent
    modules = {f"planner.{p.stem}" for p in package.glob("*.py") if p.stem not in ("__init__", "__main__", "app")}
    assert modules == set(CORE)
