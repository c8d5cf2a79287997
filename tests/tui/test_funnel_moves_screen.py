"""The funnel tab's moves on the demo database, after a real class change."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import settle
from textual.widgets import DataTable, Static

from planner.app import make_app
from planner.core import models as m
from planner.core.formatting import money
from planner.screens.account_overview import AccountOverviewScreen
from planner.screens.portfolio_charts import PortfolioChartsScreen
from planner.widgets.funnel_moves import FunnelMoves


async def test_a_class_change_shows_as_this_quarters_move_and_enter_opens_the_account(demo_store):
    bank = next(a for a in demo_store.list(m.Account) if a.account_class == "A")
    demo_store.update(m.Account, bank.id, bank.version, account_class="B")
    # The change log's times are the real clock's, so the screen's today is too.
    today = datetime.now(UTC).date()
    app = make_app(demo_store, today=today)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(PortfolioChartsScreen())
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        moves = app.screen.query_one(FunnelMoves)
        assert [(mv.source, mv.target, [a.id for a in mv.accounts]) for mv in moves.moves] == [("A", "B", [bank.id])]
        quarter = f"Q{(today.month + 2) // 3} {today.year}"
        assert str(moves.query_one("#moves-title", Static).render()).startswith(f"Class moves in {quarter}")
        assert [str(cell) for cell in moves.query_one("#moves-table", DataTable).get_row_at(0)] == [
            "A → B back",
            "1",
            money(bank.revenue),
        ]
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert moves.moves == [] and "no account changed class" in str(moves.query_one("#moves-title").render())
        await pilot.press("right_square_bracket", "y")
        await settle(pilot)
        assert str(moves.query_one("#moves-title").render()).startswith(f"Class moves in {today.year} ")
        assert [mv.target for mv in moves.moves] == ["B"]
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountOverviewScreen) and app.screen.account_id == bank.id


async def test_the_period_keys_rest_outside_the_funnel_tab(demo_store):
    app = make_app(demo_store, today=datetime.now(UTC).date())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(PortfolioChartsScreen())
        await settle(pilot)
        title = str(app.screen.query_one("#moves-title", Static).render())
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert str(app.screen.query_one("#moves-title", Static).render()) == title
