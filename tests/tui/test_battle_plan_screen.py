"""The battle plan: the action board moved by keys, SWOT, goals and TAT reviews, on the demo."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FIXED_DAY, edit_as_rep_b, history_text, open_plan, settle, university
from textual.widgets import Input, Select, Static, TabbedContent

from planner.app import make_app
from planner.core import models as m
from planner.screens.battle_plan import BattlePlanScreen
from planner.screens.confirm import Confirm
from planner.screens.history import HistoryScreen
from planner.screens.record_form import RecordForm
from planner.widgets.kanban import ActionCard, Kanban
from planner.widgets.record_table import RecordTable
from planner.widgets.swot import SwotBoard

SIZE = (100, 30)


def column_ids(store, account_id: str, status: str) -> list[str]:
    return [a.id for a in store.list(m.Action, account_id=account_id, status=status)]


def shown_ids(screen, status: str) -> list[str]:
    return [card.card.action.id for card in screen.query(f"#column-{status} ActionCard").results(ActionCard)]


def card_text(card: ActionCard) -> str:
    return " ".join(str(line.render()) for line in card.query(Static).results(Static))


def notes(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def focus_card(pilot, screen, action_id: str) -> None:
    screen.query_one(f"#card-{action_id}", ActionCard).focus()
    await pilot.pause()


async def test_the_board_shows_every_column_in_stored_order_with_links(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot, account.id)
        for status in m.ACTION_STATUSES:
            assert shown_ids(screen, status) == column_ids(demo_store, account.id, status)
        assert isinstance(app.focused, ActionCard)
        assert app.focused.card.action.id == column_ids(demo_store, account.id, "todo")[0]
        workshop = next(a for a in demo_store.list(m.Action, account_id=account.id) if a.title.startswith("Workshop"))
        text = card_text(screen.query_one(f"#card-{workshop.id}", ActionCard))
        goal = demo_store.get(m.Goal, workshop.goal_id)
        person = demo_store.get(m.Person, workshop.person_id)
        assert "⚠ overdue" in text and workshop.due_date.isoformat() in text and workshop.owner in text
        assert f"◎ {goal.text[:20]}" in text and f"👤 {person.name}" in text


async def test_overdue_is_marked_only_on_open_cards_past_their_day(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot, account.id)
        for card in screen.query(ActionCard).results(ActionCard):
            a = card.card.action
            late = a.status != "done" and a.due_date is not None and a.due_date < FIXED_DAY
            assert ("⚠ overdue" in card_text(card)) == late, a.title
        assert any(
            a.status == "done" and a.due_date < FIXED_DAY for a in demo_store.list(m.Action, account_id=account.id)
        )


async def test_arrows_move_the_focus_between_cards_and_columns(demo_store):
    account = university(demo_store)
    todo, doing = column_ids(demo_store, account.id, "todo"), column_ids(demo_store, account.id, "doing")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot, account.id)
        await pilot.press("down", "down", "down", "down", "down")
        assert app.focused.card.action.id == todo[-1]
        await pilot.press("right")
        assert app.focused.card.action.id == doing[-1]
        await pilot.press("up", "left")
        assert app.focused.card.action.id == todo[1]


async def test_shift_right_moves_a_card_to_the_end_of_the_next_column_and_persists(demo_store):
    account = university(demo_store)
    todo, doing = column_ids(demo_store, account.id, "todo"), column_ids(demo_store, account.id, "doing")
    moved = todo[0]
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot, account.id)
        await pilot.press("shift+right")
        await settle(pilot)
        assert column_ids(demo_store, account.id, "doing") == [*doing, moved]
        assert column_ids(demo_store, account.id, "todo") == todo[1:]
        row = demo_store.get(m.Action, moved)
        assert (row.status, row.position) == ("doing", len(doing))
        assert shown_ids(screen, "doing")[-1] == moved and app.focused.card.action.id == moved

        await pilot.press("shift+left")
        await settle(pilot)
        assert column_ids(demo_store, account.id, "todo") == [*todo[1:], moved]
        assert app.focused.card.action.id == moved


async def test_shift_up_and_down_reorder_a_column_even_when_pressed_quickly(demo_store):
    account = university(demo_store)
    todo = column_ids(demo_store, account.id, "todo")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot, account.id)
        await focus_card(pilot, screen, todo[1])
        await pilot.press("shift+up")
        await settle(pilot)
        assert column_ids(demo_store, account.id, "todo") == [todo[1], todo[0], *todo[2:]]
        assert app.focused.card.action.id == todo[1]

        await pilot.press("shift+down", "shift+down", "shift+down")
        await settle(pilot)
        await settle(pilot)
        assert column_ids(demo_store, account.id, "todo") == [todo[0], todo[2], todo[3], todo[1], todo[4]]
        assert shown_ids(screen, "todo") == column_ids(demo_store, account.id, "todo")
        assert [a.position for a in demo_store.list(m.Action, account_id=account.id, status="todo")] == [0, 1, 2, 3, 4]
        assert not any("changed by" in note for note in notes(app))


async def test_a_card_moved_by_someone_else_is_a_conflict_message_and_a_reload(demo_store):
    account = university(demo_store)
    todo, done = column_ids(demo_store, account.id, "todo"), column_ids(demo_store, account.id, "done")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot, account.id)
        theirs = demo_store.get(m.Action, todo[0])
        demo_store.move_action(theirs.id, theirs.version, "done", 0)
        await pilot.press("shift+right")
        await settle(pilot)
        assert any("changed by rep-a" in note for note in notes(app))
        assert column_ids(demo_store, account.id, "done") == [todo[0], *done]
        assert shown_ids(screen, "done") == [todo[0], *done]
        assert app.focused.card.action.id == todo[0]


async def test_new_action_with_links_then_edit_and_delete(demo_store):
    account = university(demo_store)
    goal = demo_store.list(m.Goal, account_id=account.id)[0]
    person = demo_store.list(m.Person, account_id=account.id)[0]
    todo = column_ids(demo_store, account.id, "todo")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot, account.id)
        await pilot.press("n", *"Demo the archive tiering")
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#field-owner", Input).value == "rep-a"
        form.query_one("#field-due_date", Input).value = "2026-11-30"
        form.query_one("#field-goal_id", Select).value = goal.id
        form.query_one("#field-person_id", Select).value = person.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        new = demo_store.list(m.Action, account_id=account.id, status="todo")[-1]
        assert (new.title, new.goal_id, new.person_id, new.owner) == (
            "Demo the archive tiering",
            goal.id,
            person.id,
            "rep-a",
        )
        assert column_ids(demo_store, account.id, "todo") == [*todo, new.id]
        assert app.focused.card.action.id == new.id
        assert f"👤 {person.name}" in card_text(app.focused)

        await pilot.press("enter")
        form = app.screen
        form.query_one("#field-title", Input).value = "Demo archive tiering to 马晓东"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert demo_store.get(m.Action, new.id).title == "Demo archive tiering to 马晓东"
        assert app.focused.card.action.id == new.id

        await pilot.press("d")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert column_ids(demo_store, account.id, "todo") == todo
        assert app.screen is screen and app.focused.card.action.id == todo[-1]


async def test_swot_add_edit_delete_in_the_picked_quadrant(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot, account.id)
        await pilot.press("2")
        swot = screen.query_one(SwotBoard)
        assert screen.query_one(TabbedContent).active == "swot" and app.focused is swot
        assert "internal" in swot.query_one("#swot-S").border_title
        assert "external" in swot.query_one("#swot-T").border_title
        await pilot.press("down", "down", "down", "right")
        assert swot.kind == "T"

        await pilot.press("n")
        form = app.screen
        assert form.query_one("#field-kind", Select).value == "T"
        form.query_one("#field-text").load_text("Huaxinda undercuts on the archive order")
        await pilot.press("ctrl+s")
        await settle(pilot)
        threats = demo_store.list(m.SwotItem, account_id=account.id, kind="T")
        item = threats[-1]
        assert item.text == "Huaxinda undercuts on the archive order"
        assert swot.current.id == item.id and app.focused is swot
        assert "▶ Huaxinda undercuts" in str(swot.query("#swot-T .swot-item").last().render())

        await pilot.press("e")
        form = app.screen
        form.query_one("#field-text").load_text("Huaxinda undercuts by 10%")
        form.query_one("#field-kind", Select).value = "W"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert demo_store.get(m.SwotItem, item.id).kind == "W"
        assert demo_store.get(m.SwotItem, item.id).text == "Huaxinda undercuts by 10%"
        assert (swot.kind, swot.current.id) == ("W", item.id)

        await pilot.press("d", "y")
        await settle(pilot)
        assert item.id not in [i.id for i in demo_store.list(m.SwotItem, account_id=account.id)]
        assert len(demo_store.list(m.SwotItem, account_id=account.id, kind="T")) == len(threats) - 1


async def test_a_goal_with_a_bad_date_gets_a_field_message_then_saves(demo_store):
    account = university(demo_store)
    before = len(demo_store.list(m.Goal, account_id=account.id))
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot, account.id)
        await pilot.press("3", "n", *"Phase 4 - later")
        form = app.screen
        form.query_one("#field-text").load_text("Open the joint lab")
        form.query_one("#field-due_date", Input).value = "2027-02-30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "real date" in str(form.query_one("#error-due_date", Static).render())
        form.query_one("#field-due_date", Input).value = "2027-06-30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        goals = demo_store.list(m.Goal, account_id=account.id)
        assert len(goals) == before + 1
        goal = next(g for g in goals if g.text == "Open the joint lab")
        assert (goal.phase, goal.due_date.isoformat(), goal.owner) == ("Phase 4 - later", "2027-06-30", "rep-a")
        table = screen.query_one("#goals-table", RecordTable)
        assert table.current.id == goal.id and app.focused is table
        assert "Open the joint lab" in str(screen.query_one("#goal-detail", Static).render())


async def test_a_review_is_added_dated_today_and_listed_first(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot, account.id)
        await pilot.press("4", "n")
        form = app.screen
        assert form.query_one("#field-reviewed_on", Input).value == FIXED_DAY.isoformat()
        form.query_one("#field-text").load_text("Think again: the VP invitation slipped; ask 徐斌 to introduce us.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        newest = demo_store.list(m.PlanReview, account_id=account.id)[0]
        assert newest.reviewed_on == FIXED_DAY and newest.text.startswith("Think again")
        table = screen.query_one("#reviews-table", RecordTable)
        assert table.records[0].id == newest.id and table.current.id == newest.id
        assert "ask 徐斌" in str(screen.query_one("#review-detail", Static).render())


async def test_export_writes_the_plan_and_says_where(demo_store, tmp_path, monkeypatch):
    pytest.importorskip("planner.core.export")
    monkeypatch.setenv("PLANNER_EXPORTS", str(tmp_path / "exports"))
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(pilot, account.id)
        await pilot.press("E")
        await settle(pilot)
        written = list((tmp_path / "exports").glob("*.md"))
        assert len(written) == 1 and account.name in written[0].read_text(encoding="utf-8")
        assert any(str(written[0]) in note for note in notes(app))


async def test_moves_only_on_the_board_reload_and_escape(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot, account.id)
        keys = {key for key, active in screen.active_bindings.items() if active.enabled}
        assert {"shift+left", "shift+right", "shift+up", "shift+down", "E", "r", "n"} <= keys
        await pilot.press("2")
        assert "shift+right" not in {key for key, active in screen.active_bindings.items() if active.enabled}
        await pilot.press("1")
        rival = demo_store.list(m.Action, account_id=account.id, status="todo")[0]
        demo_store.update(m.Action, rival.id, rival.version, due_date=FIXED_DAY + timedelta(days=60))
        await pilot.press("r")
        await settle(pilot)
        card = screen.query_one(Kanban).current
        assert card.action.id == rival.id and not card.overdue
        await pilot.press("escape")
        assert not isinstance(app.screen, BattlePlanScreen)


async def test_h_shows_the_history_of_the_picked_card_swot_item_goal_or_review(demo_store):
    account = university(demo_store)
    todo = column_ids(demo_store, account.id, "todo")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot, account.id)
        await focus_card(pilot, screen, todo[1])
        picked = {
            "1": (m.Action, todo[1], "title", "action"),
            "2": (m.SwotItem, screen.query_one(SwotBoard).current.id, "text", "SWOT item"),
            "3": (m.Goal, screen.query_one("#goals-table", RecordTable).current.id, "text", "goal"),
            "4": (m.PlanReview, screen.query_one("#reviews-table", RecordTable).current.id, "text", "TAT review"),
        }
        for tab, (model, row_id, field, noun) in picked.items():
            edit_as_rep_b(demo_store, model, row_id, **{field: f"Changed by rep-b ({noun})"})
            await pilot.press(tab, "h")
            await settle(pilot)
            history = app.screen
            assert isinstance(history, HistoryScreen), noun
            assert (history.model, history.row_id) == (model, row_id)
            assert history.sub_title.startswith(f"History of {noun} ")
            assert "rep-b" in history_text(history) and f"Changed by rep-b ({noun})" in history_text(history)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen


def test_every_key_has_an_id_and_a_tooltip():
    for owner in (BattlePlanScreen, Kanban, SwotBoard):
        for binding in owner.BINDINGS:
            assert binding.id and binding.tooltip, (owner.__name__, binding.key)


def _board(store, tab: str):
    account = university(store)

    async def run_before(pilot):
        await open_plan(pilot, account.id)
        await pilot.press(tab)
        await settle(pilot)

    return run_before


def test_board_snapshot(snap_compare, demo_store):
    assert snap_compare(make_app(demo_store, today=FIXED_DAY), terminal_size=SIZE, run_before=_board(demo_store, "1"))


def test_swot_snapshot(snap_compare, demo_store):
    assert snap_compare(make_app(demo_store, today=FIXED_DAY), terminal_size=SIZE, run_before=_board(demo_store, "2"))
