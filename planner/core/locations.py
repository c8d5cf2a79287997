"""Where the planner keeps its files: platformdirs defaults, overridable."""

from __future__ import annotations

import os
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP = "planner"


def data_dir() -> Path:
    return Path(user_data_dir(APP, appauthor=False))


def config_file() -> Path:
    override = os.environ.get("PLANNER_CONFIG")
    return Path(override) if override else Path(user_config_dir(APP, appauthor=False)) / "config.toml"


def default_database() -> str:
    """`PLANNER_DB` if set, else `planner.db` in the user data dir (made 0700)."""
    override = os.environ.get("PLANNER_DB")
    if override:
        return override
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return str(folder / "planner.db")


def demo_database() -> str:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return str(folder / "demo.db")


def reference_data() -> Traversable:
    """The bundled `data/` folder: beside the package in a checkout, `planner.data` once installed."""
    checkout = Path(__file__).resolve().parents[2] / "data"
    if (checkout / "industries.json").is_file():
        return checkout
    return files("planner.data")
