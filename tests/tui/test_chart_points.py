"""The portfolio charts' cursor, driven in the real app: arrows walk the accounts, the
line under the chart and the chart itself name the one under the cursor, and enter
opens that account's screen."""

from __future__ import annotations

from conftest import FIXED_DAY, settle
from rich.cells import cell_len

from planner.app import make_app
from planner.core.chart_labels import step
from planner.screens.account_overview import AccountOverviewScreen
from planner.screens.portfolio_charts import PortfolioChartsScreen
from planner.widgets.pareto_chart import ParetoChart
from planner.widgets.quadrant_chart import QuadrantChart, in_order, spot


async def open_portfolio(pilot) -> PortfolioChartsScreen:
    await settle(pilot)
    await pilot.app.push_screen(PortfolioChartsScreen())
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PortfolioChartsScreen)
    return screen


def status(screen) -> str:
    return str(screen.query_one("#chart-cursor").render())


async def test_arrows_walk_the_curve_and_enter_opens_the_account(demo_store):
    ranked = list(demo_store.portfolio(FIXED_DAY))  # in 80/20 order, biggest first
    third = ranked[2].row
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_portfolio(pilot)
        chart = screen.query_one(ParetoChart)
        assert app.focused is chart
        assert chart.cursor == ranked[0].row.id
        assert screen.active_bindings["enter"].binding.description == "Open"  # in the footer

        await pilot.press("right", "right")
        await pilot.pause()
        assert chart.cursor == third.id
        line = status(screen)
        assert line.startswith(third.name[:8]) and "#3 of" in line
        assert cell_len(line) <= 98
        drawn = chart.render().plain
        assert third.name[:6] in drawn  # named on the chart too

        await pilot.press("left", "end")
        assert chart.cursor == ranked[-1].row.id
        await pilot.press("home", "right", "right")
        assert chart.cursor == third.id

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountOverviewScreen)
        assert app.screen.account_id == third.id

        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.query_one(ParetoChart).cursor == third.id


async def test_the_quadrants_cursor_moves_to_the_nearest_account_and_opens_it(demo_store):
    ranked = list(demo_store.portfolio(FIXED_DAY))
    names = {s.row.id: s.row.name for s in ranked}
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_portfolio(pilot)
        await pilot.press("2")
        await settle(pilot)
        chart = screen.query_one(QuadrantChart)
        assert app.focused is chart
        assert chart.cursor == ranked[0].row.id  # the biggest account first
        assert status(screen).startswith(names[chart.cursor][:6])

        size = chart.content_size
        ordered = in_order(chart.entries, chart.order)
        cells = [spot(e, size.width - 4, size.height - 5) for e in ordered]
        expected = ordered[step(cells, step(cells, 0, "down"), "left")].id
        assert expected != ranked[0].row.id
        await pilot.press("down", "left")
        await pilot.pause()
        assert chart.cursor == expected
        assert status(screen).startswith(names[expected][:6])
        assert all(cell_len(line) <= size.width for line in chart.render().plain.splitlines())

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountOverviewScreen)
        assert app.screen.account_id == expected


async def test_the_funnel_tab_hides_the_cursor_line(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_portfolio(pilot)
        assert screen.query_one("#chart-cursor").display
        await pilot.press("3")
        await settle(pilot)
        assert not screen.query_one("#chart-cursor").display
        await pilot.press("1")
        await settle(pilot)
        assert screen.query_one("#chart-cursor").display and app.focused is screen.query_one(ParetoChart)
