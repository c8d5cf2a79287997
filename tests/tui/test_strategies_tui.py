"""Strategies and measures in the battle plan, driven by keys on the real app and the demo:
a strategy added to the highlighted goal, a measure picked for it on the board, the
board grouped by goal and strategy (at 100x30 and 80x24), goals flagged without an
owner or a due day, and a strategy deleted with its measures left on the board."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import FIXED_DAY, open_plan, settle, university
from textual.widgets import Select, Static

from planner.app import make_app
from planner.core import models as m
from planner.screens.confirm import Confirm
from planner.screens.record_form import RecordForm
from planner.widgets.goal_tree import GoalTree
from planner.widgets.kanban import ActionCard, Kanban, LaneHeading
from planner.widgets.record_table import RecordTable


@pytest.fixture
def demo_store(demo_store):
    """The demo without its strategies: each test builds its own on the demo's goals."""
    for action in demo_store.list(m.Action):
        if action.strategy_id:
            demo_store.update(m.Action, action.id, action.version, strategy_id=None)
    for strategy in demo_store.list(m.Strategy):
        demo_store.delete(m.Strategy, strategy.id, strategy.version)
    return demo_store


def column_children(screen, status: str) -> list[str]:
    """What a board column draws, top to bottom: "# heading" or a card's title."""
    shown = []
    for child in screen.query_one(f"#column-{status}").children:
        if isinstance(child, ActionCard):
            shown.append(child.card.action.title)
        elif isinstance(child, LaneHeading):
            lines = [str(line.render()) for line in child.query(Static).results(Static)]
            assert lines == ([f"◎ {child.lane.goal}", f"› {child.lane.strategy or 'No strategy'}"] if child.lane.goal
                             else ["No goal or strategy"])  # fmt: skip
            shown.append(f"# {child.text}")
    return shown


def row_text(table: RecordTable, row_id: str) -> list[str]:
    return [str(cell) for cell in table.get_row(row_id)]


async def test_a_strategy_for_the_goal_a_measure_under_it_and_the_board_grouped(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_plan(pilot, account.id)
        await pilot.press("3")
        await settle(pilot)
        tree = screen.query_one(GoalTree)
        goal = tree.current
        assert isinstance(goal, m.Goal)

        await pilot.press("s")
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#field-goal_id", Select).value == goal.id
        form.query_one("#field-text").load_text("Make the library director our sponsor")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [strategy] = demo_store.list(m.Strategy, account_id=account.id)
        assert (strategy.goal_id, strategy.text) == (goal.id, "Make the library director our sponsor")
        assert tree.current.id == strategy.id
        assert row_text(tree.table, strategy.id)[1].startswith("  › Make the library director")
        assert row_text(tree.table, strategy.id)[4] == "0"
        assert "No measures yet" in str(screen.query_one("#goal-detail", Static).render())

        await pilot.press("1", "n", *"Tour of the archive with the director")
        form = app.screen
        form.query_one("#field-strategy_id", Select).value = strategy.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        measure = next(a for a in demo_store.list(m.Action, account_id=account.id) if a.title.startswith("Tour"))
        assert (measure.strategy_id, measure.goal_id) == (strategy.id, goal.id)  # the goal follows the strategy
        card = screen.query_one(f"#card-{measure.id}", ActionCard)
        assert f"› {strategy.text[:10]}" in " ".join(str(s.render()) for s in card.query(Static).results(Static))

        await pilot.press("g")
        await settle(pilot)
        todo = column_children(screen, "todo")
        heading = f"# {goal.text} › {strategy.text}"
        assert heading in todo and todo[todo.index(heading) + 1] == measure.title
        assert f"# {goal.text} › No strategy" in todo
        headings = [shown for shown in todo if shown.startswith("# ")]
        assert headings.index(heading) < headings.index(f"# {goal.text} › No strategy")
        assert app.focused is screen.query_one(f"#card-{measure.id}", ActionCard)
        # Grouped, a card shows no goal line: its heading says it.
        assert "◎" not in " ".join(str(s.render()) for s in app.focused.query(Static).results(Static))
        # Down from the last card of a group goes on to the next group's first card.
        await pilot.press("down")
        assert app.focused.card.lane != strategy.id

        await pilot.press("3")
        await settle(pilot)
        assert row_text(tree.table, strategy.id)[4] == "1"
        await pilot.press("1", "g")
        await settle(pilot)
        assert not [shown for shown in column_children(screen, "todo") if shown.startswith("# ")]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
async def test_the_grouped_board_reads_at_both_sizes(demo_store, size):
    account = university(demo_store)
    goal = demo_store.list(m.Goal, account_id=account.id)[0]
    strategy = demo_store.create(m.Strategy, account_id=account.id, goal_id=goal.id, text="Sponsor")
    first = demo_store.list(m.Action, account_id=account.id, status="todo")[0]
    demo_store.update(m.Action, first.id, first.version, strategy_id=strategy.id)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=size) as pilot:
        screen = await open_plan(pilot, account.id)
        await pilot.press("g")
        await settle(pilot)
        column = screen.query_one("#column-todo")
        lane = next(child for child in column.children if isinstance(child, LaneHeading))
        goal_line, strategy_line = lane.query(Static).results(Static)
        assert str(goal_line.render()) == f"◎ {goal.text}" and str(strategy_line.render()) == "› Sponsor"
        assert goal_line.region.height == 1 and strategy_line.region.height == 1  # the goal is cut, not wrapped
        assert column.region.contains_region(lane.region)
        assert screen.query_one(Kanban).grouped
        focused = app.focused
        assert isinstance(focused, ActionCard) and column.region.contains_region(focused.region)


async def test_a_goal_without_an_owner_or_a_due_day_is_flagged(demo_store):
    account = university(demo_store)
    bare = demo_store.create(m.Goal, account_id=account.id, phase="Phase 0", text="Meet the new CIO")
    dated = demo_store.create(m.Goal, account_id=account.id, text="Sign the NDA", due_date=date(2027, 1, 5))
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot, account.id)
        await pilot.press("3")
        await settle(pilot)
        tree = screen.query_one(GoalTree)
        assert tree.table.virtual_size.width <= tree.table.size.width  # every column, the measures too, fits
        assert row_text(tree.table, bare.id)[2:4] == ["⚑ none", "⚑ none"]
        assert row_text(tree.table, dated.id)[2:4] == ["2027-01-05", "⚑ none"]
        tree.table.move_cursor(row=[r.id for r in tree.table.records].index(bare.id))
        await pilot.pause()
        assert "⚑ No owner and no due date" in str(screen.query_one("#goal-detail", Static).render())
        tree.table.move_cursor(row=[r.id for r in tree.table.records].index(dated.id))
        await pilot.pause()
        assert "⚑ No owner (e edits the goal)" in str(screen.query_one("#goal-detail", Static).render())
        owned = next(g for g in demo_store.list(m.Goal, account_id=account.id) if g.owner and g.due_date)
        tree.table.move_cursor(row=[r.id for r in tree.table.records].index(owned.id))
        await pilot.pause()
        assert "⚑" not in str(screen.query_one("#goal-detail", Static).render())


async def test_deleting_a_strategy_asks_and_leaves_its_measures_on_the_board(demo_store):
    account = university(demo_store)
    goal = demo_store.list(m.Goal, account_id=account.id)[0]
    strategy = demo_store.create(m.Strategy, account_id=account.id, goal_id=goal.id, text="Sponsor")
    first = demo_store.list(m.Action, account_id=account.id, status="todo")[0]
    demo_store.update(m.Action, first.id, first.version, strategy_id=strategy.id)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_plan(pilot, account.id)
        await pilot.press("3")
        await settle(pilot)
        tree = screen.query_one(GoalTree)
        tree.table.move_cursor(row=[r.id for r in tree.table.records].index(strategy.id))
        await pilot.pause()
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, RecordForm) and form.query_one("#field-goal_id", Select).value == goal.id
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")
        confirm = app.screen
        assert isinstance(confirm, Confirm)
        assert "Its 1 measure stays on the board" in confirm.question
        await pilot.press("y")
        await settle(pilot)
        assert demo_store.list(m.Strategy, account_id=account.id) == []
        assert demo_store.get(m.Action, first.id).title == first.title
        assert tree.current.id == goal.id
        assert "No strategies yet" in str(screen.query_one("#goal-detail", Static).render())
