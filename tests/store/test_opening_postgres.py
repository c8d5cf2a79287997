"""The TUI's quick opening (`open_for_screen`): the customer list read with the driver
alone, on SQLite and on PostgreSQL, must be exactly what the full store reads; a
server database that is not ready goes the full way."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import psycopg
import pytest

from planner.core import models as m
from planner.core.config import Settings
from planner.core.errors import DatabaseUnavailable
from planner.store import opening as opening_module
from planner.store.opening import open_for_screen, server_conninfo


def _only_postgresql(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("about a PostgreSQL database's readiness")


def test_quick_listing_is_what_the_store_reads(store, database_url):
    big = store.create(m.Account, name="宏达电力 Hongda Power", revenue=9e9, profit=12.5, cadence_days=30)
    store.create(m.Visit, account_id=big.id, visited_on=date(2026, 11, 3))
    store.create(m.Visit, account_id=big.id, visited_on=date(2026, 10, 1))
    gone = store.create(m.Account, name="Gone Ltd.", revenue=8e9)
    store.delete(m.Account, gone.id, gone.version)
    small = store.create(m.Account, name="Small Co.", revenue=5.0)
    store.update(m.Account, small.id, small.version, influence=5)

    opening = open_for_screen(database_url, settings=Settings())
    try:
        assert not opening.store_is_built
        seq, listing = opening.listing()
        latest = opening.latest_change()
        assert not opening.store_is_built, "the list must be read without the ORM"
        assert listing.columns.id[0] == big.id
        assert gone.id not in listing.columns.id
        first = listing.record(0)
        assert (first.name, first.revenue, first.profit, first.cadence_days) == ("宏达电力 Hongda Power", 9e9, 12.5, 30)
        assert listing.last_contact[big.id] == date(2026, 11, 3)
        assert listing.record(listing.columns.id.index(small.id)).influence == 5
        assert listing == store.account_listing()
        assert seq == latest == store.latest_change() > 0
    finally:
        opening.close()


def test_quick_opening_imports_no_orm(store, database_url, tmp_path):
    store.create(m.Account, name="Only One", revenue=1.0)
    code = (
        "import sys\n"
        "from planner.core.config import Settings\n"
        "from planner.store.opening import open_for_screen\n"
        f"opening = open_for_screen({database_url!r}, settings=Settings())\n"
        "seq, listing = opening.listing()\n"
        "print(len(listing), opening.store_is_built, 'sqlalchemy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "False", "False"]


def test_an_unseeded_server_database_opens_the_full_way(backend, database_url):
    _only_postgresql(backend)
    conninfo = server_conninfo(database_url)
    with psycopg.connect(conninfo) as connection:
        connection.execute("DELETE FROM industry")
    opening = open_for_screen(database_url, settings=Settings())
    try:
        assert opening.store_is_built
        assert opening.store.list(m.Industry), "the full way seeds the reference data"
    finally:
        opening.close()


def test_a_server_database_at_another_revision_opens_the_full_way(backend, database_url, monkeypatch):
    _only_postgresql(backend)
    monkeypatch.setattr(opening_module, "HEAD", "9999")  # as if this planner were newer than the database
    opening = open_for_screen(database_url, settings=Settings())
    try:
        assert opening.store_is_built
    finally:
        opening.close()


def test_a_missing_server_database_is_told_by_the_full_way(backend, pg_cluster):
    _only_postgresql(backend)
    with pytest.raises(DatabaseUnavailable, match="does not exist"):
        open_for_screen(pg_cluster.url("no_such_database"), settings=Settings())


@pytest.mark.parametrize(
    ("url", "conninfo"),
    [
        ("postgresql+psycopg://rep@/team?host=/run/pg", "postgresql://rep@/team?host=/run/pg"),
        ("postgresql://rep@db.example/team", "postgresql://rep@db.example/team"),
        ("postgres://db/team", "postgresql://db/team"),
        ("sqlite:////tmp/planner.db", None),
        ("postgresql+psycopg2://db/team", None),
    ],
)
def test_server_conninfo(url, conninfo):
    assert server_conninfo(url) == conninfo
