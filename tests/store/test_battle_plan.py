"""The battle plan's helpers on a real database: columns, overdue, moves, the whole plan."""

from __future__ import annotations

from datetime import date

from records import make_account

from planner.core import battle_plan
from planner.core import models as m

TODAY = date(2026, 11, 27)


def action(store, account, title, status="todo", **extra) -> m.Action:
    return store.create(m.Action, account_id=account.id, title=title, status=status, **extra)


def titles(board) -> dict[str, list[str]]:
    return {status: [a.title for a in actions] for status, actions in board.items()}


def test_columns_follow_the_stored_positions_and_always_have_all_three(store):
    account = make_account(store)
    first, second = action(store, account, "first"), action(store, account, "second")
    action(store, account, "busy", status="doing")
    store.move_action(second.id, second.version, "todo", 0)
    board = battle_plan.columns(store.list(m.Action, account_id=account.id))
    assert titles(board) == {"todo": ["second", "first"], "doing": ["busy"], "done": []}
    assert list(board) == list(m.ACTION_STATUSES)
    assert first.id in [a.id for a in board["todo"]]


def test_overdue_means_past_due_and_not_done():
    def a(status: str, due: date | None) -> m.Action:
        return m.Action(account_id="x", title="t", status=status, due_date=due)

    assert battle_plan.overdue(a("todo", date(2026, 11, 26)), TODAY)
    assert battle_plan.overdue(a("doing", date(2026, 1, 1)), TODAY)
    assert not battle_plan.overdue(a("todo", TODAY), TODAY)
    assert not battle_plan.overdue(a("done", date(2026, 11, 1)), TODAY)
    assert not battle_plan.overdue(a("todo", None), TODAY)


def test_move_target_appends_across_columns_and_steps_within_one():
    board = {"todo": ["a", "b", "c"], "doing": ["d"], "done": []}
    assert battle_plan.move_target(board, "b", 1, 0) == ("doing", 1)
    assert battle_plan.move_target(board, "d", 1, 0) == ("done", 0)
    assert battle_plan.move_target(board, "d", -1, 0) == ("todo", 3)
    assert battle_plan.move_target(board, "b", 0, -1) == ("todo", 0)
    assert battle_plan.move_target(board, "b", 0, 1) == ("todo", 2)


def test_move_target_is_none_at_the_edges_and_for_unknown_cards():
    board = {"todo": ["a", "b"], "doing": [], "done": ["z"]}
    assert battle_plan.move_target(board, "a", -1, 0) is None
    assert battle_plan.move_target(board, "z", 1, 0) is None
    assert battle_plan.move_target(board, "a", 0, -1) is None
    assert battle_plan.move_target(board, "b", 0, 1) is None
    assert battle_plan.move_target(board, "gone", 1, 0) is None


def test_a_move_target_fed_to_the_store_lands_where_the_board_says(store):
    account = make_account(store)
    cards = [action(store, account, name) for name in "abc"]
    action(store, account, "d", status="doing")
    ids = {
        s: [a.id for a in col] for s, col in battle_plan.columns(store.list(m.Action, account_id=account.id)).items()
    }
    store.move_action(cards[0].id, cards[0].version, *battle_plan.move_target(ids, cards[0].id, 1, 0))
    board = battle_plan.columns(store.list(m.Action, account_id=account.id))
    assert titles(board) == {"todo": ["b", "c"], "doing": ["d", "a"], "done": []}
    assert [a.position for a in board["doing"]] == [0, 1]


def test_quadrants_keep_each_kind_in_writing_order(store):
    account = make_account(store)
    for kind, text in [("T", "rival bundle"), ("S", "installed base"), ("S", "good uptime"), ("O", "new funding")]:
        store.create(m.SwotItem, account_id=account.id, kind=kind, text=text)
    swot = battle_plan.quadrants(store.list(m.SwotItem, account_id=account.id))
    assert {kind: [i.text for i in items] for kind, items in swot.items()} == {
        "S": ["installed base", "good uptime"],
        "W": [],
        "O": ["new funding"],
        "T": ["rival bundle"],
    }


def test_load_links_cards_to_goals_people_and_names_competitor_positions(store):
    account = make_account(store)
    other = make_account(store, name="Other")
    goal = store.create(m.Goal, account_id=account.id, phase="Q1", text="Win the pilot")
    person = store.create(m.Person, account_id=account.id, name="张伟")
    rival = store.create(m.Competitor, name="Kunlun")
    position = store.create(m.CompetitorPosition, account_id=account.id, competitor_id=rival.id)
    late = action(store, account, "late", due_date=date(2026, 11, 1), goal_id=goal.id, person_id=person.id)
    action(store, account, "done late", status="done", due_date=date(2026, 11, 1))
    action(store, other, "not this account")
    dropped = store.create(m.SwotItem, account_id=account.id, kind="W", text="dropped")
    store.delete(m.SwotItem, dropped.id, dropped.version)
    store.create(m.PlanReview, account_id=account.id, reviewed_on=date(2026, 10, 1), text="older")
    store.create(m.PlanReview, account_id=account.id, reviewed_on=date(2026, 11, 1), text="newer")

    plan = store.battle_plan(account.id, TODAY)

    assert plan.account.id == account.id
    (card,) = plan.board["todo"]
    assert (card.action.id, card.overdue, card.goal, card.person) == (late.id, True, "Win the pilot", "张伟")
    assert [(c.action.title, c.overdue, c.goal, c.person) for c in plan.board["done"]] == [("done late", False, "", "")]
    assert plan.swot["W"] == []
    assert plan.positions == [("Kunlun", position.id)]
    assert [r.text for r in plan.reviews] == ["newer", "older"]
    assert [g.id for g in plan.goals] == [goal.id] and [p.id for p in plan.people] == [person.id]
