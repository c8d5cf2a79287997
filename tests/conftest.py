"""Every test gets its own data and config folders and a real SQLite file in tmp_path."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import NOT_INSTALLED, Cluster, server_bin
from shared_helpers import copy_database

from planner.core import i18n
from planner.core.config import Settings
from planner.store.startup import open_store

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "planner_template"
_DATABASE_NUMBERS = itertools.count(1)


def pytest_sessionstart(session) -> None:
    """The tests read the catalog as it is in the source, not as it was at install."""
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import catalog

    catalog.compile_catalog()


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Nothing a test does may touch the rep's real planner files; every test starts in
    English, whatever the machine's locale (the planner and any command it starts)."""
    i18n.set_language("en")
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("PLANNER_DB", raising=False)
    monkeypatch.delenv("PLANNER_CONFIG", raising=False)
    monkeypatch.setenv("PLANNER_EXPORTS", str(tmp_path / "exports"))


@pytest.fixture
def chinese(monkeypatch):
    """The interface in Chinese for this test, as `LANG=zh_CN.UTF-8` makes it."""
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


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


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL cluster for the session, with a database migrated and
    seeded once (`TEMPLATE`) that each test's database is created from."""
    if server_bin() is None:
        pytest.skip(NOT_INSTALLED)
    cluster = Cluster.start()
    try:
        cluster.psql(f"CREATE DATABASE {TEMPLATE}")
        open_store(cluster.url(TEMPLATE), settings=Settings(), user="rep-a").db.close()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def backend() -> str:
    """The kind of database a test runs on; the store, reliability and sync folders run
    their tests on both (their conftests parametrize this)."""
    return "sqlite"


@pytest.fixture
def database_url(request, backend, db_path, migrated_template) -> str:
    """A migrated, seeded database of the test's own: an SQLite file in tmp_path, or a
    new database in the session's PostgreSQL cluster."""
    if backend == "sqlite":
        copy_database(migrated_template, db_path)
        return str(db_path)
    cluster = request.getfixturevalue("pg_cluster")
    name = f"test_{next(_DATABASE_NUMBERS)}"
    cluster.psql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    return cluster.url(name)


@pytest.fixture
def store(database_url):
    opened = open_store(database_url, user="rep-a")
    yield opened
    opened.db.close()
