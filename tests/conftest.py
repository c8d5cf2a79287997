"""Every test gets its own data and config folders and a real SQLite file in tmp_path."""

from __future__ import annotations

import pytest

from planner.store.startup import open_store


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Nothing a test does may touch the rep's real planner files."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("PLANNER_DB", raising=False)
    monkeypatch.delenv("PLANNER_CONFIG", raising=False)
    monkeypatch.setenv("PLANNER_EXPORTS", str(tmp_path / "exports"))


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "planner.db"


@pytest.fixture
def store(db_path):
    opened = open_store(str(db_path), user="rep-a")
    yield opened
    opened.db.close()
