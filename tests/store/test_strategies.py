"""Strategies (策略) under phased goals, and their measures (措施): the board's actions.

On a real database: a measure serves its strategy's goal, deleting a goal takes its
strategies (and a restore brings them back), deleting a strategy leaves its measures
on the board, the history names strategies, the battle plan hangs goals, strategies
and measures together and flags goals without an owner or a due day, and the export
writes them.
"""

from __future__ import annotations

from datetime import date

import pytest
from records import make_account

from planner.core import battle_plan, history
from planner.core import models as m
from planner.core.errors import ValidationError
from planner.core.export import account_plan_markdown, write_plan
from planner.store.sync import tables

TODAY = date(2026, 11, 27)


def goal(store, account, text="Win the 2027 tender", **extra) -> m.Goal:
    values = {"owner": "rep-a", "due_date": date(2027, 3, 31), **extra}
    return store.create(m.Goal, account_id=account.id, text=text, **values)


def strategy(store, account, of: m.Goal, text: str) -> m.Strategy:
    return store.create(m.Strategy, account_id=account.id, goal_id=of.id, text=text)


def measure(store, account, title: str, **links) -> m.Action:
    return store.create(m.Action, account_id=account.id, title=title, **links)


def test_strategies_line_up_under_their_goal_and_must_be_of_its_account(store):
    account, other = make_account(store), make_account(store, name="Other")
    win = goal(store, account)
    first, second = strategy(store, account, win, "Make the CIO our sponsor"), strategy(store, account, win, "Pilot")
    assert (first.position, second.position) == (0, 1)
    elsewhere = goal(store, other, "Their goal")
    with pytest.raises(ValidationError) as refused:
        strategy(store, account, elsewhere, "Wrong account")
    assert "goal_id" in refused.value.errors
    with pytest.raises(ValidationError):
        store.create(m.Strategy, account_id=account.id, goal_id=win.id, text="")


def test_a_measure_serves_its_strategys_goal(store):
    account = make_account(store)
    win, keep = goal(store, account), goal(store, account, "Keep the service contract")
    sponsor = strategy(store, account, win, "Make the CIO our sponsor")
    lunch = measure(store, account, "Lunch with the CIO", strategy_id=sponsor.id)
    assert lunch.goal_id == win.id

    with pytest.raises(ValidationError) as refused:
        measure(store, account, "Mixed up", strategy_id=sponsor.id, goal_id=keep.id)
    assert "goal_id" in refused.value.errors

    loose = measure(store, account, "Send the case study", goal_id=keep.id)
    moved = store.update(m.Action, loose.id, loose.version, strategy_id=sponsor.id)
    assert (moved.goal_id, moved.strategy_id) == (win.id, sponsor.id)

    # A measure given another goal leaves its strategy: it now serves that goal.
    away = store.update(m.Action, lunch.id, lunch.version, goal_id=keep.id)
    assert (away.goal_id, away.strategy_id) == (keep.id, None)


def test_a_strategy_moved_to_another_goal_takes_its_measures(store):
    account = make_account(store)
    win, keep = goal(store, account), goal(store, account, "Keep the service contract")
    strategy(store, account, keep, "Already there")
    sponsor = strategy(store, account, win, "Make the CIO our sponsor")
    lunch = measure(store, account, "Lunch with the CIO", strategy_id=sponsor.id)
    moved = store.update(m.Strategy, sponsor.id, sponsor.version, goal_id=keep.id)
    assert moved.position == 1
    assert store.get(m.Action, lunch.id).goal_id == keep.id


def test_deleting_a_goal_takes_its_strategies_and_a_restore_brings_them_back(store):
    account = make_account(store)
    win = goal(store, account)
    sponsor = strategy(store, account, win, "Make the CIO our sponsor")
    lunch = measure(store, account, "Lunch with the CIO", strategy_id=sponsor.id)
    win = store.get(m.Goal, win.id)
    store.delete(m.Goal, win.id, win.version)
    assert store.list(m.Strategy, account_id=account.id) == []
    assert store.get(m.Action, lunch.id).title == "Lunch with the CIO"  # the measure stays on the board
    plan = store.battle_plan(account.id, TODAY)
    assert plan.tree == [] and plan.board["todo"][0].lane == ""
    # Deleted with the goal, the strategy is not listed on its own: the goal brings it back.
    assert [(d.model, d.label) for d in store.deleted_records(account.id)] == [(m.Goal, "Win the 2027 tender")]

    store.restore(m.Goal, win.id)
    plan = store.battle_plan(account.id, TODAY)
    assert [b.strategy.id for b in plan.tree[0].branches] == [sponsor.id]
    assert [a.id for a in plan.tree[0].branches[0].measures] == [lunch.id]


def test_deleting_a_strategy_leaves_its_measures_under_the_goal_until_it_is_restored(store):
    account = make_account(store)
    win = goal(store, account)
    sponsor = strategy(store, account, win, "Make the CIO our sponsor")
    lunch = measure(store, account, "Lunch with the CIO", strategy_id=sponsor.id)
    store.delete(m.Strategy, sponsor.id, sponsor.version)
    plan = store.battle_plan(account.id, TODAY)
    node = plan.tree[0]
    assert node.branches == [] and [a.id for a in node.loose] == [lunch.id]
    card = plan.board["todo"][0]
    assert (card.goal, card.strategy, card.lane) == ("Win the 2027 tender", "", win.id)
    assert [(d.model, d.noun) for d in store.deleted_records(account.id)] == [(m.Strategy, "strategy")]

    store.restore(m.Strategy, sponsor.id)
    plan = store.battle_plan(account.id, TODAY)
    assert [a.id for a in plan.tree[0].branches[0].measures] == [lunch.id]
    assert plan.board["todo"][0].strategy == "Make the CIO our sponsor"


def test_restoring_a_strategy_brings_back_its_deleted_goal(store):
    account = make_account(store)
    win = goal(store, account)
    sponsor = strategy(store, account, win, "Make the CIO our sponsor")
    store.delete(m.Strategy, sponsor.id, sponsor.version)
    win = store.get(m.Goal, win.id)
    store.delete(m.Goal, win.id, win.version)
    store.restore(m.Strategy, sponsor.id)
    assert store.get(m.Goal, win.id).text == "Win the 2027 tender"
    assert [b.strategy.id for b in store.battle_plan(account.id, TODAY).tree[0].branches] == [sponsor.id]


def test_the_history_names_strategies_once_each(store):
    account = make_account(store)
    sponsor = strategy(store, account, goal(store, account), "Make the CIO our sponsor")
    store.update(m.Strategy, sponsor.id, sponsor.version, text="Make the CIO our sponsor by spring")
    entries = [e for e in store.account_history(account.id) if e.model is m.Strategy]
    assert [(e.noun, e.action) for e in entries] == [("strategy", "update"), ("strategy", "insert")]
    assert "Strategy: Make the CIO our sponsor → Make the CIO our sponsor by spring" in entries[0].lines
    assert history.NOUNS[m.Strategy] == "strategy"


def test_strategies_travel_between_copies():
    assert "strategy" in tables.SYNCED_TABLES
    assert m.Strategy in m.SYNCED


def test_a_goal_is_flagged_without_an_owner_or_a_due_day():
    def flag(owner: str, due: date | None) -> str:
        return battle_plan.goal_flag(m.Goal(account_id="a", text="g", owner=owner, due_date=due))

    assert flag("rep-a", date(2027, 1, 1)) == ""
    assert flag("", date(2027, 1, 1)) == "No owner"
    assert flag("  ", date(2027, 1, 1)) == "No owner"
    assert flag("rep-a", None) == "No due date"
    assert flag("", None) == "No owner and no due date"


def test_the_board_groups_by_goal_then_strategy_then_no_goal(store):
    account = make_account(store)
    win, keep = goal(store, account, "Win"), goal(store, account, "Keep", due_date=date(2027, 6, 30))
    sponsor, pilot = strategy(store, account, win, "Sponsor"), strategy(store, account, win, "Pilot")
    a = measure(store, account, "a", strategy_id=pilot.id)
    b = measure(store, account, "b", strategy_id=sponsor.id)
    c = measure(store, account, "c", goal_id=win.id)
    d = measure(store, account, "d")
    e = measure(store, account, "e", goal_id=keep.id)
    f = measure(store, account, "f", strategy_id=sponsor.id, status="doing")
    plan = store.battle_plan(account.id, TODAY)
    lanes = battle_plan.lanes(plan.board, plan.tree)
    assert [(lane.heading, [card.action.title for card in lane.cards]) for lane in lanes["todo"]] == [
        ("Win › Sponsor", ["b"]),
        ("Win › Pilot", ["a"]),
        ("Win › No strategy", ["c"]),
        ("Keep › No strategy", ["e"]),
        ("No goal or strategy", ["d"]),
    ]
    assert [lane.heading for lane in lanes["doing"]] == ["Win › Sponsor"] and lanes["done"] == []

    # A card steps within its group on a grouped board, never across a heading.
    ids = {status: [card.action.id for card in cards] for status, cards in plan.board.items()}
    shown = {status: [card.action.id for lane in lanes[status] for card in lane.cards] for status in lanes}
    lane_of = {card.action.id: card.lane for cards in plan.board.values() for card in cards}
    assert battle_plan.step_target(ids, shown, lane_of, b.id, 1) is None
    second = measure(store, account, "b2", strategy_id=sponsor.id)
    plan = store.battle_plan(account.id, TODAY)
    lanes = battle_plan.lanes(plan.board, plan.tree)
    ids = {status: [card.action.id for card in cards] for status, cards in plan.board.items()}
    shown = {status: [card.action.id for lane in lanes[status] for card in lane.cards] for status in lanes}
    lane_of = {card.action.id: card.lane for cards in plan.board.values() for card in cards}
    assert battle_plan.step_target(ids, shown, lane_of, b.id, 1) == ("todo", ids["todo"].index(second.id))
    assert battle_plan.step_target(ids, shown, lane_of, second.id, -1) == ("todo", ids["todo"].index(b.id))
    store.move_action(second.id, second.version, *battle_plan.step_target(ids, shown, lane_of, second.id, -1))
    plan = store.battle_plan(account.id, TODAY)
    lanes = battle_plan.lanes(plan.board, plan.tree)
    assert [card.action.title for card in lanes["todo"][0].cards] == ["b2", "b"]
    assert {a.id, c.id, d.id, e.id, f.id} <= {card.action.id for cards in plan.board.values() for card in cards}


def test_the_export_writes_goals_strategies_measures_and_flags(store, tmp_path):
    account = make_account(store, account_class="A", revenue=1000.0)
    win = goal(store, account, "Win the tender", phase="Phase 1", owner="")
    sponsor = strategy(store, account, win, "Make the CIO our sponsor")
    measure(store, account, "Lunch with the CIO", strategy_id=sponsor.id)
    measure(store, account, "Send the case study", goal_id=win.id, status="done")
    strategy(store, account, win, "Run a pilot")
    text = account_plan_markdown(store.plan_document(account.id, TODAY))
    section = text[text.index("## Phased goals") : text.index("## Actions")]
    assert section.splitlines() == [
        "## Phased goals",
        "",
        "### Phase 1: Win the tender",
        "",
        "- Due: 2027-03-31 · Owner: —",
        "- ⚑ No owner",
        "- Strategy: Make the CIO our sponsor",
        "  - [ ] Lunch with the CIO (To do)",
        "- Strategy: Run a pilot",
        "  - No measures yet.",
        "- Measures under no strategy:",
        "  - [x] Send the case study (Done)",
        "",
    ]
    assert "strategy: Make the CIO our sponsor" in text[text.index("## Actions") :]
    assert write_plan(store.plan_document(account.id, TODAY), tmp_path).read_text(encoding="utf-8") == text
