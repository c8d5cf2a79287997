"""History and restore, driven from the overview and the customer list on the demo data."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from conftest import FIXED_DAY, settle, university
from textual.widgets import OptionList

from planner.app import make_app
from planner.core import models as m
from planner.screens.account_overview import AccountOverviewScreen
from planner.screens.confirm import Confirm
from planner.screens.deleted import DeletedScreen
from planner.screens.history import HistoryScreen
from planner.store.db import Database
from planner.store.store import Store
from planner.widgets.account_table import AccountTable
from planner.widgets.record_table import RecordTable


def edit_as_rep_b(store, account: m.Account) -> None:
    """Another rep moves the account to a new region, through a store of their own."""
    other = Store(Database(store.db.url, "rep-b"), store.settings)
    try:
        other.update(m.Account, account.id, account.version, region="华北 北京", revenue=5_200_000.0)
    finally:
        other.db.close()


def entry_texts(screen: HistoryScreen) -> list[str]:
    listing = screen.query_one(OptionList)
    return [o.prompt.plain for o in listing.options if not o.disabled]


def deleted_ids(screen: DeletedScreen) -> list[str]:
    return [d.id for d in screen.query_one(RecordTable).records]


async def open_overview(pilot, account_id: str) -> AccountOverviewScreen:
    await settle(pilot)
    await pilot.app.push_screen(AccountOverviewScreen(account_id))
    await settle(pilot)
    return pilot.app.screen


async def test_h_on_the_overview_shows_who_changed_which_field(demo_store):
    account = university(demo_store)
    edit_as_rep_b(demo_store, account)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_overview(pilot, account.id)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert account.name in screen.sub_title
        newest, created = entry_texts(screen)
        assert "rep-b" in newest and "changed" in newest
        assert f"Region: {account.region} → 华北 北京" in newest
        assert "Revenue this year: 4,800,000 → 5,200,000" in newest
        assert "created" in created and f"Name: {account.name}" in created
        await pilot.press("escape")
        assert isinstance(app.screen, AccountOverviewScreen)


async def test_a_deleted_project_is_restored_from_the_overview(demo_store):
    account = university(demo_store)
    project = demo_store.list(m.Project, account_id=account.id)[0]
    demo_store.delete(m.Project, project.id, project.version)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        overview = await open_overview(pilot, account.id)
        assert project.id not in [p.id for p in overview.query_one("#projects-table", RecordTable).records]
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeletedScreen)
        assert deleted_ids(screen) == [project.id]

        await pilot.press("enter")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert demo_store.get(m.Project, project.id).name == project.name
        assert deleted_ids(screen) == []
        assert any("Restored the project" in n.message for n in app._notifications)

        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is overview
        await pilot.press("2")
        assert project.id in [p.id for p in overview.query_one("#projects-table", RecordTable).records]


async def test_h_on_a_deleted_record_shows_its_history(demo_store):
    account = university(demo_store)
    visit = demo_store.list(m.Visit, account_id=account.id)[0]
    demo_store.delete(m.Visit, visit.id, visit.version)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_overview(pilot, account.id)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        deleted, created = entry_texts(app.screen)
        assert "rep-a" in deleted and "deleted" in deleted
        assert f"Date: {visit.visited_on.isoformat()}" in created


async def test_a_deleted_account_is_restored_from_the_customer_list(demo_store):
    account = university(demo_store)
    demo_store.delete(m.Account, account.id, account.version)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        assert account.id not in [s.row.id for s in home.query_one(AccountTable).rows]
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeletedScreen)
        assert screen.sub_title == "Deleted accounts"
        assert deleted_ids(screen) == [account.id]
        await pilot.press("u", "y")
        await settle(pilot)
        assert demo_store.get(m.Account, account.id).name == account.name
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is home
        assert account.id in [s.row.id for s in home.query_one(AccountTable).rows]


async def test_h_on_the_customer_list_shows_the_highlighted_account(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        highlighted = app.screen.query_one(AccountTable).current.row
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.sub_title == f"History of {highlighted.name}"
        assert f"Name: {highlighted.name}" in entry_texts(app.screen)[-1]


@pytest.fixture
def utc_clock(monkeypatch):
    """Local time is UTC here, so the snapshot's times read the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_history_snapshot(snap_compare, demo_store, utc_clock):
    account = university(demo_store)
    edit_as_rep_b(demo_store, account)
    demo_store.update(m.Account, account.id, account.version + 1, account_class="B")
    pinned = [
        datetime(2026, 3, 2, 9, 15, tzinfo=UTC),
        datetime(2026, 11, 20, 14, 5, tzinfo=UTC),
        datetime(2026, 11, 26, 10, 30, tzinfo=UTC),
    ]
    log = m.ChangeLog.__table__
    with demo_store.db.write_connection() as connection:
        ids = connection.execute(sa.select(log.c.id).where(log.c.row_id == account.id).order_by(log.c.seq)).scalars()
        for entry_id, at in zip(list(ids), pinned, strict=True):
            connection.execute(sa.update(log).where(log.c.id == entry_id).values(at=at))

    async def run_before(pilot):
        await settle(pilot)
        await pilot.app.push_screen(HistoryScreen(m.Account, account.id, f"History of {account.name}"))
        await settle(pilot)

    assert snap_compare(make_app(demo_store, today=FIXED_DAY), terminal_size=(100, 30), run_before=run_before)
