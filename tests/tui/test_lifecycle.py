"""One screen lifecycle: loads that never overlap, writes that wait calmly for a busy
database, never run twice, can be withdrawn with their form, and reload once; bugs
end in a crash report and a non-zero exit, refusals in a message."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import FIXED_DAY, settle
from records import raw_log
from textual.app import App
from textual.widgets import Input, Static

from planner import cli
from planner.app import PlannerApp, make_app
from planner.core import models as m
from planner.core.errors import DatabaseBusy
from planner.screens.base import SavingNotice
from planner.screens.battle_plan import BattlePlanScreen
from planner.screens.confirm import Confirm
from planner.screens.conflict_dialog import ConflictDialog
from planner.screens.customer_list import CustomerListScreen
from planner.screens.portfolio_charts import PortfolioChartsScreen
from planner.screens.record_form import RecordForm
from planner.store.store import Store
from planner.widgets.account_table import AccountTable
from planner.widgets.kanban import ActionCard

SIZE = (100, 30)


@contextmanager
def write_lock_held(store: Store):
    """Another rep's long save: their connection holds the write lock until the block ends."""
    blocker = sqlite3.connect(store.db.url.removeprefix("sqlite:///"), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def top_account(app) -> m.Account:
    table = app.screen.query_one(AccountTable)
    return app.store.get(m.Account, table.rows[table.cursor].row.id)


def updates(store: Store, account: m.Account) -> int:
    return sum(entry.action == "update" for entry in raw_log(store, m.Account, account.id))


async def open_form(pilot) -> tuple[m.Account, RecordForm]:
    await settle(pilot)
    account = top_account(pilot.app)
    await pilot.press("e")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, RecordForm)
    form.query_one("#field-region", Input).value = "Typed while busy"
    return account, form


async def test_a_second_ctrl_s_while_the_database_is_busy_saves_once_without_a_conflict(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        account, form = await open_form(pilot)
        with write_lock_held(demo_store):
            await pilot.press("ctrl+s")
            await pilot.pause(0.8)
            assert "waiting for another rep's save" in str(form.query_one("#problem", Static).render())
            await pilot.press("ctrl+s")
            await pilot.pause(0.2)
        await settle(pilot)
        assert not isinstance(app.screen, (RecordForm, ConflictDialog))
    assert demo_store.get(m.Account, account.id).region == "Typed while busy"
    assert updates(demo_store, account) == 1


async def test_discarding_a_form_withdraws_the_save_that_was_waiting(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        account, _ = await open_form(pilot)
        with write_lock_held(demo_store):
            await pilot.press("ctrl+s")
            await pilot.pause(0.3)
            await pilot.press("escape")
            assert isinstance(app.screen, Confirm)
            await pilot.press("y")
            await pilot.pause(0.2)
            assert isinstance(app.screen, CustomerListScreen)
        await settle(pilot)
        assert any("will not be written" in n.message for n in app._notifications)
    assert demo_store.get(m.Account, account.id).region == account.region
    assert updates(demo_store, account) == 0


async def test_a_screen_write_says_it_waits_and_quick_keys_queue_behind_it(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        account = top_account(app)
        notice = app.screen.query_one(SavingNotice)
        with write_lock_held(demo_store):
            await pilot.press("c")
            await pilot.pause(0.8)
            assert notice.display and "waiting for another rep's save" in str(notice.render())
            await pilot.press("c")  # waits its turn, then applies to the class the first press saved
        await settle(pilot)
        await settle(pilot)
        assert not notice.display
        assert not any("changed by" in n.message for n in app._notifications)
    cycle = {"A": "B", "B": "C", "C": "A"}
    assert demo_store.get(m.Account, account.id).account_class == cycle[cycle[account.account_class]]
    assert updates(demo_store, account) == 2


async def test_an_own_save_reloads_the_screen_once_and_another_reps_save_once(demo_store, monkeypatch):
    reads: list[int] = []
    snapshot = CustomerListScreen.snapshot
    monkeypatch.setattr(
        CustomerListScreen, "snapshot", lambda self, opening: reads.append(1) or snapshot(self, opening)
    )
    other = Store(demo_store.db.__class__(demo_store.db.url, user="rep-b"))
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reads.clear()
        await pilot.press("c")
        await settle(pilot)
        app.check_for_changes()  # the poll, after the rep's own save
        await settle(pilot)
        assert len(reads) == 1
        account = top_account(app)
        other.update(m.Account, account.id, account.version, region="Changed by rep-b")
        app.check_for_changes()
        await settle(pilot)
        app.check_for_changes()
        await settle(pilot)
        assert len(reads) == 2
    other.db.close()


async def test_moves_pressed_while_the_change_poll_reloads_never_collide(demo_store):
    """Six quick shift+down/up presses, each followed by another rep's save and the poll's
    reload: the board is redrawn one apply at a time and ends as stored."""
    account = next(a for a in demo_store.list(m.Account) if "大学" in a.name and a.account_class == "A")
    todo = [a.id for a in demo_store.list(m.Action, account_id=account.id, status="todo")]
    other = Store(demo_store.db.__class__(demo_store.db.url, user="rep-b"))
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(BattlePlanScreen(account.id))
        await settle(pilot)
        screen = app.screen
        screen.query_one(f"#card-{todo[0]}", ActionCard).focus()
        await pilot.pause()
        for number, key in enumerate(["shift+down"] * 4 + ["shift+up"] * 2):
            await pilot.press(key)
            goal = other.list(m.Goal, account_id=account.id)[0]
            other.update(m.Goal, goal.id, goal.version, text=f"Goal, revised {number}")
            app.check_for_changes()
            await pilot.pause(0.05)
        for _ in range(4):
            await settle(pilot)
        stored = [a.id for a in demo_store.list(m.Action, account_id=account.id, status="todo")]
        assert stored.index(todo[0]) == 2
        shown = [card.card.action.id for card in screen.query("#column-todo ActionCard").results(ActionCard)]
        assert shown == stored
    other.db.close()


async def test_a_refused_load_is_a_message_not_a_crash(demo_store, monkeypatch):
    def busy(self):
        raise DatabaseBusy("The database is busy: another rep is saving.")

    monkeypatch.setattr(Store, "funnel", busy)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(PortfolioChartsScreen())
        await settle(pilot)
        assert any("busy" in n.message for n in app._notifications)
        assert isinstance(app.screen, PortfolioChartsScreen)
    assert app.return_code in (None, 0)


def _crash_reports(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "xdg-data").rglob("crash-*.txt"))


async def test_a_bug_in_a_worker_writes_a_crash_report_and_exits_non_zero(demo_store, monkeypatch, tmp_path, capsys):
    def bug(self, account_id, today):
        raise RuntimeError("a bug in the stakeholder board")

    monkeypatch.setattr(Store, "stakeholder_board", bug)
    app = make_app(demo_store, today=FIXED_DAY)
    with pytest.raises(Exception, match="a bug in the stakeholder board"):  # Pilot re-raises it
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            account = top_account(app)
            app.screen.open("stakeholders", account.id)
            await pilot.pause(0.5)
    assert app.return_code == 1
    (report,) = _crash_reports(tmp_path)
    assert str(report) == app.crash_report
    text = report.read_text(encoding="utf-8")
    assert "a bug in the stakeholder board" in text and "stakeholder_board" in text
    shown = " ".join(capsys.readouterr().err.split())
    assert "unexpected error" in shown and report.name in shown and "Traceback" not in shown


def test_the_planner_command_exits_non_zero_after_a_bug(demo_store, monkeypatch, tmp_path):
    def bug(self, opening):
        raise RuntimeError("a bug in the customer list")

    monkeypatch.setattr(CustomerListScreen, "snapshot", bug)
    monkeypatch.setattr(PlannerApp, "run", lambda self: asyncio.run(App.run_async(self, headless=True)))
    path = demo_store.db.url.removeprefix("sqlite:///")
    demo_store.db.close()
    assert cli.main(["--db", path]) == cli.EXIT_BUG
    assert len(_crash_reports(tmp_path)) == 1


async def test_a_damaged_database_ends_the_app_with_one_line_and_exit_3(demo_store, tmp_path, capsys):
    """The integrity check runs beside start-up; when it fails, the app says so in one
    line (with how to restore) and exits like every command meeting an unusable file."""
    from shared_helpers import make_damaged

    from planner.store.opening import open_for_screen

    source = Path(demo_store.db.url.removeprefix("sqlite:///"))
    demo_store.db.close()
    damaged = make_damaged(source, tmp_path / "damaged.db")
    opening = open_for_screen(str(damaged))
    app = make_app(opening, today=FIXED_DAY)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
    finally:
        opening.close()
    assert app.return_code == 3
    said = " ".join(capsys.readouterr().err.split())
    assert "is damaged" in said and "planner restore" in said and "Traceback" not in said
