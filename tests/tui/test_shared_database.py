"""Two reps on one database: changes appear without a restart, conflicts are resolved
in a dialog, and nothing a rep typed is thrown away."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import FIXED_DAY, settle
from textual.widgets import Input, Static

from planner.app import PlannerApp, make_app
from planner.core import models as m
from planner.screens.conflict_dialog import ConflictDialog
from planner.screens.record_form import RecordForm
from planner.store.db import Database
from planner.store.startup import open_store
from planner.store.store import Store
from planner.widgets.account_table import AccountTable


@pytest.fixture
def other_rep(demo_store):
    other = open_store(demo_store.db.url.removeprefix("sqlite:///"), user="rep-b")
    yield other
    other.db.close()


def top_row(app):
    table = app.screen.query_one(AccountTable)
    return table.rows[table.cursor].row


async def test_another_apps_save_shows_up_without_restart_and_the_cursor_stays(demo_store, other_rep):
    first, second = make_app(demo_store, today=FIXED_DAY), make_app(other_rep, today=FIXED_DAY)
    async with first.run_test(size=(100, 30)) as pilot_a, second.run_test(size=(100, 30)) as pilot_b:
        await settle(pilot_a)
        await settle(pilot_b)
        await pilot_a.press("down", "down")
        watched = top_row(first)
        first.check_for_changes()  # the poll the app runs every half second
        await settle(pilot_a)
        await pilot_b.press("n", *"Brand New Customer")
        second.screen.query_one("#field-revenue", Input).value = "99"
        await pilot_b.press("ctrl+s")
        await settle(pilot_b)
        assert "Brand New Customer" in [r.name for r in other_rep.account_rows()]
        first.check_for_changes()
        await settle(pilot_a)
        names = [s.row.name for s in first.screen.query_one(AccountTable).rows]
        assert "Brand New Customer" in names
        assert top_row(first).id == watched.id


async def _edit_notes_behind_the_back(app, pilot, other_rep, mine: dict[str, str], theirs: dict[str, object]):
    """Open the top account's form, let rep-b save first, then save ours."""
    await settle(pilot)
    account = app.store.get(m.Account, top_row(app).id)
    await pilot.press("e")
    await settle(pilot)
    form = app.screen
    for field, value in mine.items():
        form.query_one(f"#field-{field}", Input).value = value
    current = other_rep.get(m.Account, account.id)
    other_rep.update(m.Account, account.id, current.version, **theirs)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return account, form


async def test_merge_both_keeps_their_change_and_mine(demo_store, other_rep):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        account, _ = await _edit_notes_behind_the_back(
            app, pilot, other_rep, {"region": "West bank"}, {"owner": "rep-b"}
        )
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        assert dialog.who == "rep-b" and dialog.can_merge
        labels = [row[0] for row in dialog.rows]
        assert labels == ["Region", "Owner"]
        await pilot.press("g")
        await settle(pilot)
        assert not isinstance(app.screen, (ConflictDialog, RecordForm))
    saved = demo_store.get(m.Account, account.id)
    assert (saved.region, saved.owner) == ("West bank", "rep-b")


async def test_back_from_the_dialog_returns_to_the_form_with_the_typed_text(demo_store, other_rep):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        _, form = await _edit_notes_behind_the_back(app, pilot, other_rep, {"region": "Typed"}, {"region": "Other"})
        await pilot.press("escape")
        assert app.screen is form
        assert form.query_one("#field-region", Input).value == "Typed"


async def test_a_busy_database_keeps_the_form_and_says_try_again(demo_store):
    impatient = Store(Database(demo_store.db.url, user="rep-a", busy_timeout_ms=100))
    app = make_app(impatient, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Locked Out Ltd")
        form = app.screen
        blocker = sqlite3.connect(demo_store.db.url.removeprefix("sqlite:///"), isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is form
            problem = str(form.query_one("#problem", Static).render())
            assert "busy" in problem and "ctrl+s" in problem
            assert form.query_one("#field-name", Input).value == "Locked Out Ltd"
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        await pilot.press("ctrl+s")
        await settle(pilot)
    impatient.db.close()
    assert "Locked Out Ltd" in [r.name for r in demo_store.account_rows()]


async def test_the_app_polls_for_changes_on_a_timer(demo_store, monkeypatch):
    monkeypatch.setattr(PlannerApp, "poll_seconds", 0.05)
    calls = []
    monkeypatch.setattr(PlannerApp, "check_for_changes", lambda self: calls.append(1))
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
    assert len(calls) >= 2
