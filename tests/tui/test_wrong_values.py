"""Values written by hand in the wrong form (text in a money column, 'next tuesday' in a
date): every command and screen goes on, reading them as 0 or missing, and says
which row and column hold what."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import FIXED_DAY, settle

from planner.app import make_app
from planner.cli import EXIT_FLAGS, main
from planner.core import models as m
from planner.screens.account_overview import AccountOverviewScreen
from planner.screens.agenda import AgendaScreen
from planner.screens.battle_plan import BattlePlanScreen
from planner.screens.history import HistoryScreen
from planner.screens.org_chart import OrgChartScreen
from planner.screens.portfolio_charts import PortfolioChartsScreen
from planner.screens.stakeholders import StakeholdersScreen
from planner.store.startup import open_store
from planner.widgets.account_profile import profile_renderable

UNIVERSITY = "江南科技大学"


@pytest.fixture
def spoiled(demo_store):
    """The demo with five hand edits: an account's revenue, a person's influence, a
    purchase's amount, an action's due date and a visit's date, each of the wrong form."""
    university = demo_store.find_account(UNIVERSITY)
    path = demo_store.db.url.removeprefix("sqlite:///")
    demo_store.db.close()
    first = "(SELECT id FROM {t} WHERE account_id = ? ORDER BY created_at LIMIT 1)"
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE account SET revenue = 'abc' WHERE id = ?", (university.id,))
        for table, column, value in (
            ("person", "influence", "high"),
            ("purchase", "amount", "lots"),
            ("action", "due_date", "someday"),
            ("visit", "visited_on", "next tuesday"),
        ):
            connection.execute(
                f"UPDATE {table} SET {column} = ? WHERE id = {first.format(t=table)}", (value, university.id)
            )
    store = open_store(path, user="rep-a")
    yield store, university.id
    store.db.close()


def test_the_store_names_each_value_by_row_and_column(spoiled):
    store, account_id = spoiled
    problems = store.data_problems()
    assert sorted((p.noun, p.field, p.raw) for p in problems) == [
        ("account", "Revenue this year", "abc"),
        ("action", "Due", "someday"),
        ("person", "Influence (1-5)", "high"),
        ("purchase", "Amount", "lots"),
        ("visit", "Date", "next tuesday"),
    ]
    assert len(store.data_problems(account_id)) == 5
    assert store.get(m.Account, account_id).revenue == 0.0  # read as 0, not 'abc'
    listing = store.account_listing()
    assert list(listing.columns.revenue) == sorted(listing.columns.revenue, reverse=True)


def test_check_export_and_history_go_on_and_say_where(spoiled, capsys):
    store, _ = spoiled
    path = store.db.url.removeprefix("sqlite:///")
    assert main(["check", "--db", path, "--today", FIXED_DAY.isoformat()]) == EXIT_FLAGS
    out = capsys.readouterr().out
    assert "Values stored in the wrong form (5)" in out and "Revenue this year holds 'abc'" in out
    assert main(["export", UNIVERSITY, "--db", path]) == 0
    said = capsys.readouterr()
    assert said.out.startswith(f"# Account plan: {UNIVERSITY}") and "holds 'next tuesday'" in said.err
    assert main(["history", UNIVERSITY, "--db", path]) == 0
    assert "Traceback" not in capsys.readouterr().err


async def test_every_screen_shows_the_records_and_the_overview_marks_the_values(spoiled):
    store, account_id = spoiled
    app = make_app(store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("holds" in n.message for n in app._notifications)
        overview = AccountOverviewScreen(account_id)
        await app.push_screen(overview)
        await settle(pilot)
        assert overview.overview is not None and len(overview.overview.problems) == 5
        shown = " ".join(str(part) for part in profile_renderable(overview.overview).renderables)
        assert "Values stored in the wrong form" in shown
        for tab in "234":
            await pilot.press(tab)
            await settle(pilot)
        for screen in (
            BattlePlanScreen(account_id),
            StakeholdersScreen(account_id),
            OrgChartScreen(account_id),
            AgendaScreen(),
            PortfolioChartsScreen(),
        ):
            await app.push_screen(screen)
            await settle(pilot)
            assert app.screen is screen
            app.pop_screen()
            await settle(pilot)
        visit = next(v for v in store.list(m.Visit, account_id=account_id) if v.visited_on is None)
        await app.push_screen(HistoryScreen(m.Visit, visit.id, "History of the visit"))
        await settle(pilot)
    assert app.return_code in (None, 0)
