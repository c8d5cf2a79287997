"""Every screen on a PostgreSQL database shows what it shows on SQLite.

The same demo portfolio (its keys are made from names, so both copies hold the same
rows) goes into an SQLite file and into a database of the session's PostgreSQL
cluster; each screen of the tour is visited on both and must read the same, times of
day aside (the two copies were made moments apart)."""

from __future__ import annotations

import re

import pytest
from conftest import FIXED_DAY
from tour import STOPS, screen_text

from planner.app import make_app
from planner.core.config import Settings
from planner.store import seed
from planner.store.connection import database_label
from planner.store.startup import open_store

DEMO = "demo_template"
CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")


@pytest.fixture(scope="session")
def pg_demo(pg_cluster) -> str:
    pg_cluster.psql(f"CREATE DATABASE {DEMO} TEMPLATE planner_template")
    store = open_store(pg_cluster.url(DEMO), settings=Settings(), user="rep-a")
    seed.demo(store, FIXED_DAY)
    store.db.close()
    return DEMO


@pytest.fixture
def pg_demo_store(pg_cluster, pg_demo, request):
    name = f"demo_{request.node.name.split('[')[-1].rstrip(']').replace('-', '_')}"
    pg_cluster.psql(f"CREATE DATABASE {name} TEMPLATE {pg_demo}")
    store = open_store(pg_cluster.url(name), user="rep-a")
    yield store
    store.db.close()


async def _text(store, stop) -> tuple[str, str]:
    """The header line (it names the database) and the rest of the screen."""
    app = make_app(store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await stop.visit(pilot, store)
        header, rest = CLOCK.sub("hh:mm", screen_text(app)).split("\n", 1)
        return header, rest


@pytest.mark.parametrize("stop", STOPS, ids=[stop.name for stop in STOPS])
async def test_every_screen_reads_the_same_on_postgresql(demo_store, pg_demo_store, stop):
    _, on_sqlite = await _text(demo_store, stop)
    header, on_postgres = await _text(pg_demo_store, stop)
    assert on_postgres == on_sqlite
    if stop.name == "customer-list":
        assert database_label(pg_demo_store.db.url) in header
