"""On PostgreSQL another rep's save shows up as soon as it commits: the database
announces it (LISTEN/NOTIFY) rather than the app polling. The interval poll is off in
these tests (`no_background_polling`), so only the announcement can bring it."""

from __future__ import annotations

import time

import pytest
from conftest import FIXED_DAY, settle

from planner.app import make_app
from planner.core import models as m
from planner.store.startup import open_store
from planner.widgets.account_table import AccountTable

pytestmark = pytest.mark.parametrize("backend", ["postgresql"])
PROMPT_S = 2.0


def names(app) -> list[str]:
    return [shown.row.name for shown in app.screen.query_one(AccountTable).rows]


async def shows(pilot, name: str) -> float | None:
    """Seconds until the customer list shows `name`, None if not within `PROMPT_S`."""
    began = time.monotonic()
    while time.monotonic() - began < PROMPT_S:
        await settle(pilot)
        if name in names(pilot.app):
            return time.monotonic() - began
        await pilot.pause(0.05)
    return None


@pytest.fixture
def rep_a(database_url):
    store = open_store(database_url, user="rep-a")
    yield store
    store.db.close()


@pytest.fixture
def rep_b(database_url):
    store = open_store(database_url, user="rep-b")
    yield store
    store.db.close()


async def test_another_reps_save_shows_at_once_without_a_poll(rep_a, rep_b):
    account = rep_a.create(m.Account, name="Harbour Bank", account_class="A", revenue=1000.0)
    app = make_app(rep_a, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await shows(pilot, "Harbour Bank") is not None
        rep_b.update(m.Account, account.id, account.version, name="Harbour Bank Ltd")
        assert await shows(pilot, "Harbour Bank Ltd") is not None
        assert "Harbour Bank" not in names(app)
        rep_b.create(m.Account, name="Second Harbour", account_class="B", revenue=10.0)
        assert await shows(pilot, "Second Harbour") is not None
        closing = time.monotonic()
    assert time.monotonic() - closing < PROMPT_S  # the feed's thread does not hold the app open
