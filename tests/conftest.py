"""Every test gets its own data and config folders and a real SQLite file in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_helpers import copy_database

from planner.core.config import Settings
from planner.store.startup import open_store


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Nothing a test does may touch the rep's real planner files."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("PLANNER_DB", raising=False)
    monkeypatch.delenv("PLANNER_CONFIG", raising=False)
    monkeypatch.setenv("PLANNER_EXPORTS", str(tmp_path / "exports"))


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """A database migrated and seeded once per session: each `store` starts as a copy,
    which is what `open_store` makes of a new file, without running Alembic again."""
    path = tmp_path_factory.mktemp("template") / "planner.db"
    open_store(str(path), settings=Settings(), user="rep-a").db.close()
    return path


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "planner.db"


@pytest.fixture
def store(db_path, migrated_template):
    copy_database(migrated_template, db_path)
    opened = open_store(str(db_path), user="rep-a")
    yield opened
    opened.db.close()


SLOW_FOLDERS = ("tui", "reliability")


def pytest_collection_modifyitems(items) -> None:
    """The app driven through Pilot and the multi-process proofs take seconds each:
    `pytest -m "not slow"` leaves them out for a quick inner loop; CI runs them all."""
    for item in items:
        if Path(item.fspath).parent.name in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)
