"""The portfolio view: the chart maths on hand-made inputs, then the screen on the demo."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from textual.widgets import TabbedContent

from planner.app import make_app
from planner.core import analysis
from planner.core import models as m
from planner.screens.portfolio_charts import PortfolioChartsScreen
from planner.widgets import funnel_chart, pareto_chart, quadrant_chart
from planner.widgets.funnel_chart import FunnelChart
from planner.widgets.pareto_chart import ParetoChart
from planner.widgets.quadrant_chart import QuadrantChart

TODAY = date(2026, 11, 27)  # the day tests/tui/conftest.py seeds `demo_store` for


def text(line) -> str:
    return "".join(run for run, _ in line)


# --- Pareto curve --------------------------------------------------------------------


def test_no_accounts_make_no_columns_and_a_message():
    assert pareto_chart.columns([], 40) == []
    assert text(pareto_chart.chart_lines([], 0.8, 40, 10)[0]) == "No accounts to rank yet."


def test_one_account_spans_every_column():
    entries = analysis.pareto([("a", 100.0)])
    cols = pareto_chart.columns(entries, 10)
    assert cols == [pareto_chart.Column(1.0, True, 1, 1)] * 10


def test_a_small_curve_draws_exactly():
    """60/30/10 with a threshold of 80%: two key accounts (solid), one other (shaded),
    the threshold line left of the curve, the key span marked on the axis."""
    entries = analysis.pareto([("c", 10.0), ("a", 60.0), ("b", 30.0)], 0.8)
    lines = pareto_chart.chart_lines(entries, 0.8, 8, 7)
    assert [text(line) for line in lines[:6]] == [
        " 80%┤┄▅▒",
        " 50%┤▃█▒",
        "    │██▒",
        "  0%┤██▒",
        "    └━━─",
        "     1 3",
    ]
    assert lines[3][1:] == [("██", "key"), ("▒", "other")]
    assert lines[0][2] == ("┄", "threshold")


def test_tied_accounts_at_the_threshold_are_both_key_and_keep_their_columns():
    entries = analysis.pareto([("a", 50.0), ("b", 25.0), ("c", 25.0)], 0.6)
    cols = pareto_chart.columns(list(reversed(entries)), 3)
    assert [c.key for c in cols] == [True, True, True]
    assert [round(c.cumulative, 2) for c in cols] == [0.5, 0.75, 1.0]


def test_ten_thousand_accounts_are_bucketed_to_the_width():
    entries = analysis.pareto([(str(i), float(10_000 - i)) for i in range(10_000)])
    cols = pareto_chart.columns(entries, 70)
    assert len(cols) == 70
    assert (cols[0].first, cols[-1].last) == (1, 10_000)
    assert all(a.last + 1 == b.first for a, b in pairwise(cols))
    assert [c.cumulative for c in cols] == sorted(c.cumulative for c in cols)
    keys = [c.key for c in cols]
    assert keys == sorted(keys, reverse=True)  # the key set is a prefix of the ranking
    lines = pareto_chart.chart_lines(entries, 0.8, 75, 20)
    assert all(len(text(line)) <= 75 for line in lines)
    assert "key accounts (" in text(lines[-1])


def test_bar_glyphs_stack_eighths():
    assert [pareto_chart.bar_glyph(1.0, row, 4) for row in range(4)] == ["█"] * 4
    assert [pareto_chart.bar_glyph(0.5, row, 4) for row in range(4)] == ["█", "█", " ", " "]
    assert pareto_chart.bar_glyph(0.3, 0, 1) == "▂"


# --- input-output quadrant --------------------------------------------------------------


def test_the_midline_splits_scores_exactly_at_one_half():
    assert quadrant_chart.split(9) == (4, 4)
    assert quadrant_chart.split(10) == (4, 5)
    cells = [quadrant_chart.cell_of(score, 4, 4) for score in (0.0, 0.49, 0.5, 0.99, 1.0)]
    assert cells == [0, 3, 5, 8, 8]


def test_every_marker_sits_in_the_quadrant_the_core_names():
    scores = [i / 20 for i in range(21)]
    entries = [analysis.QuadrantEntry(f"{x}-{y}", y, x, "") for x in scores for y in scores]
    x_low, _ = quadrant_chart.split(31)
    _, y_high = quadrant_chart.split(11)
    for entry in entries:
        (col, row), _ = quadrant_chart.place([entry], 31, 11).popitem()
        assert (col > x_low) == (entry.input >= 0.5)
        assert (row < y_high) == entry.focus_in


def test_markers_count_accounts_sharing_a_cell():
    assert quadrant_chart.marker(1, True) == "●"
    assert quadrant_chart.marker(1, False) == "○"
    assert quadrant_chart.marker(3, True) == "3"
    assert quadrant_chart.marker(12, False) == "+"
    same = [analysis.QuadrantEntry(i, 0.9, 0.9, analysis.FOCUS_INVEST) for i in "ab"]
    lines = quadrant_chart.chart_lines(same, 40, 15)
    assert any("2" in text(line) for line in lines[1:-4])


def test_the_quadrants_are_named_with_their_counts():
    lines = quadrant_chart.chart_lines([], 70, 15)
    shown = "\n".join(text(line) for line in lines)
    for name in (analysis.FOCUS_GROW, analysis.FOCUS_INVEST, analysis.MAINTAIN, analysis.CUT_INPUT):
        assert f"{name} (0)" in shown
    assert all(len(text(line)) <= 80 for line in lines)


# --- funnel --------------------------------------------------------------------------------


def test_bars_scale_and_never_hide_a_small_stage():
    assert funnel_chart.scaled(0, 10, 20) == 0
    assert funnel_chart.scaled(1, 1_000, 20) == 1
    assert funnel_chart.scaled(5, 10, 20) == 10
    assert funnel_chart.scaled(10, 10, 20) == 20
    assert funnel_chart.scaled(3, 0, 20) == 0
    assert funnel_chart.centred(3, 10) == (3, 4)


def test_the_funnel_narrows_with_the_counts():
    funnel = analysis.funnel(
        [("C", 0.0)] * 10 + [("B", 100.0)] * 5 + [("A", 1_000.0)],
        [("incubating", 1_000.0, 50), ("won", 400.0, 100)],
        m.PROJECT_STAGES,
    )
    lines = funnel_chart.chart_lines(funnel, 78, 10)
    bars = [dict((role, run) for run, role in line).get("count", "") for line in lines[1:4]]
    assert [len(bar) for bar in bars] == sorted((len(bar) for bar in bars), reverse=True)
    assert text(lines[1]).startswith("C potential")
    incubating = next(line for line in lines if text(line).startswith("incubating"))
    assert [(role, len(run)) for run, role in incubating[1:3]] == [("weighted", 17), ("amount", 17)]
    assert all(len(text(line)) <= 78 for line in lines)


def test_an_empty_funnel_draws_no_bars():
    empty = analysis.funnel([], [], m.PROJECT_STAGES)
    lines = funnel_chart.chart_lines(empty, 78, 30)
    assert not any(
        role in ("count", "value", "weighted", "amount") and run for line in lines[:-1] for run, role in line
    )
    assert text(funnel_chart.chart_lines(None, 78, 30)[0]) == "Loading…"


# --- the screen -------------------------------------------------------------------------


async def open_portfolio(pilot) -> PortfolioChartsScreen:
    app = pilot.app
    await app.workers.wait_for_complete()
    await app.push_screen(PortfolioChartsScreen())
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen


def shown(widget) -> str:
    return widget.render().plain


async def test_the_screen_shows_the_cores_figures_and_switches_views(demo_store):
    summaries = demo_store.portfolio(TODAY)
    funnel = demo_store.funnel()
    keys = [s for s in summaries if s.pareto.key]
    app = make_app(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_portfolio(pilot)
        assert isinstance(screen, PortfolioChartsScreen)
        summary = shown(screen.query_one("#portfolio-summary"))
        assert summary.startswith(f"{len(summaries)} accounts · {len(keys)} key accounts carry")
        assert "(threshold 80%)" in summary
        pareto = screen.query_one(ParetoChart)
        assert f"key accounts ({len(keys)})" in shown(pareto)
        assert all(len(line) <= pareto.content_size.width for line in shown(pareto).splitlines())

        await pilot.press("2")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "quadrant"
        quadrant = shown(screen.query_one(QuadrantChart))
        for name in (analysis.FOCUS_GROW, analysis.FOCUS_INVEST, analysis.MAINTAIN, analysis.CUT_INPUT):
            count = sum(s.quadrant.quadrant == name for s in summaries)
            assert f"{name} ({count})" in quadrant

        await pilot.press("3")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "funnel"
        lines = shown(screen.query_one(FunnelChart)).splitlines()
        for (letter, name), stage in zip(analysis.CLASS_STAGES, funnel.accounts, strict=True):
            row = next(line for line in lines if line.startswith(f"{letter} {name}"))
            assert f" {stage.count}  " in row
        for stage in funnel.projects:
            row = next(line for line in lines if line.startswith(stage.name))
            assert row.split()[-3] == str(stage.count)

        await pilot.press("1")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "pareto"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PortfolioChartsScreen)


async def test_reload_picks_up_a_new_account(demo_store):
    app = make_app(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_portfolio(pilot)
        before = len(screen.query_one(ParetoChart).entries)
        demo_store.create(m.Account, name="Late Arrival", revenue=1.0)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(screen.query_one(ParetoChart).entries) == before + 1
        assert shown(screen.query_one("#portfolio-summary")).startswith(f"{before + 1} accounts")


def test_every_key_is_declared_with_an_id_and_a_tooltip():
    for binding in PortfolioChartsScreen.BINDINGS:
        assert binding.id and binding.tooltip and binding.description


def test_the_portfolio_snapshot(demo_store, snap_compare):
    async def run_before(pilot):
        await open_portfolio(pilot)

    assert snap_compare(make_app(demo_store, today=TODAY), terminal_size=(100, 30), run_before=run_before)


def test_the_quadrant_snapshot_at_80x24(demo_store, snap_compare):
    async def run_before(pilot):
        await open_portfolio(pilot)

    assert snap_compare(make_app(demo_store, today=TODAY), press=["2"], run_before=run_before)
