"""Chinese text laid out in the terminal's cells: the goal column takes the free width,
wrapped lines stay under their start, hints and head counts wrap between phrases, the
cards show the course's short terms and line up, and the profile scrolls by keys."""

from __future__ import annotations

from conftest import FIXED_DAY, settle
from rich.cells import cell_len
from textual.containers import VerticalScroll
from textual.widgets import Static
from tour import screen_text

from planner.app import make_app
from planner.core import models as m
from planner.core.formatting import pack_line
from planner.screens.account_overview import AccountOverviewScreen
from planner.screens.navigation import Open
from planner.widgets.goal_tree import GoalTree, hanging


def bank(store) -> m.Account:
    return next(a for a in store.list(m.Account) if a.name.startswith("Eastern Harbour"))


async def open_on(pilot, route: str, *args) -> None:
    await settle(pilot)
    pilot.app.post_message(Open(route, args))
    await settle(pilot)


def test_a_wrapped_measure_stays_under_its_title():
    lines = hanging("      ◐ ", "Install phase 2 arrays and run month-end rehearsal (进行中)", 40)
    assert len(lines) > 1
    assert all(line.startswith("        ") for line in lines[1:])
    assert all(cell_len(line) <= 40 for line in lines)
    assert hanging("  ☐ ", "short (待办)", None) == ["  ☐ short (待办)"]


def test_the_stage_hint_goes_whole_onto_its_own_line():
    pieces = ["潜在 2 · 250万", "孵化 1 · 450万", "（[ ] 阶段 · W 赢单 · L 丢单）"]
    assert pack_line(pieces, 100) == "   ".join(pieces)
    assert pack_line(pieces, 40).splitlines() == ["潜在 2 · 250万   孵化 1 · 450万", pieces[2]]


async def test_the_goal_column_takes_the_free_width(demo_store, chinese):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_on(pilot, "battle-plan", bank(demo_store).id)
        await pilot.press("3")
        await settle(pilot)
        text = screen_text(app)
        assert "Deliver data-warehouse phase 2 and show month-end" in text
        assert "Show the result in head-office terms " in text
        tree = app.screen.query_one(GoalTree)
        assert tree.table.size.width <= 100


async def test_a_measure_status_wraps_under_its_title_at_80_columns(demo_store, chinese):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_on(pilot, "battle-plan", bank(demo_store).id)
        await pilot.press("3")
        await settle(pilot)
        detail = str(app.screen.query_one("#goal-detail", Static).render())
        assert "(进行中)" in detail
        assert not any(line.startswith("(") for line in screen_text(app).splitlines())


async def test_the_projects_hint_is_never_broken_mid_phrase(demo_store, chinese):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_on(pilot, "account", bank(demo_store).id)
        await pilot.press("2")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert any("（[ ] 阶段 · W 赢单 · L 丢单）" in line for line in lines)
        assert not any(line.startswith("丢单）") for line in lines)


async def test_the_head_count_wraps_between_its_phrases(demo_store, chinese):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_on(pilot, "org-chart", bank(demo_store).id)
        lines = screen_text(app).splitlines()
        people = next(i for i, line in enumerate(lines) if "成员： 本部门" in line)
        assert lines[people].rstrip().endswith("人")
        first, second = lines[people], lines[people + 1]
        assert cell_len(second[: second.index("含下属部门")]) == cell_len(first[: first.index("本部门")])


async def test_the_cards_show_the_short_values_and_line_up_the_stance(demo_store, chinese):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_on(pilot, "stakeholders", bank(demo_store).id)
        lines = screen_text(app).splitlines()
        assert any("价值取向 地位" in line for line in lines)
        assert not any("The institution's standing" in line for line in lines)
        stance_lines = [line for line in lines if "上次见面" in line and ("支持者" in line or "反对者" in line)]
        assert stance_lines
        at = {
            cell_len(line[: line.index("上次见面")]) - cell_len(line[: line.index("│ ") + 2]) for line in stance_lines
        }
        # Each card's "上次见面" starts the same number of cells after the card's border.
        assert len(at) == 1


async def test_page_down_and_end_scroll_the_profile_at_once(demo_store, chinese):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_on(pilot, "account", bank(demo_store).id)
        screen = app.screen
        assert isinstance(screen, AccountOverviewScreen)
        scroll = screen.query_one("#profile-scroll", VerticalScroll)
        assert app.focused is scroll
        await pilot.press("end")
        await settle(pilot)
        assert scroll.scroll_y > 0
