"""The battle plan (作战计划) of one account: SWOT, phased goals, the action board, TAT reviews.

The board's order lives in the database (`Action.position`, renumbered by
`store.move_action`); these helpers only read it back into columns, decide what a
move means (which column, which index) and what a card says, so the screen never
re-sorts or computes anything itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from planner.core import models as m

COLUMN_TITLES = {"todo": "To do", "doing": "Doing", "done": "Done"}
SWOT_TITLES = {"S": "Strengths", "W": "Weaknesses", "O": "Opportunities", "T": "Threats"}
SWOT_SCOPE = {"S": "internal", "W": "internal", "O": "external", "T": "external"}
TAT = "TAT: think (know yourself and the customer) → act → think again (review)"


class Card(NamedTuple):
    """What one action card shows, with the action itself for editing and moving."""

    action: m.Action
    overdue: bool
    goal: str
    person: str


@dataclass(frozen=True)
class Plan:
    account: m.Account
    swot: dict[str, list[m.SwotItem]]
    goals: list[m.Goal]
    board: dict[str, list[Card]]
    reviews: list[m.PlanReview]
    people: list[m.Person]
    positions: list[tuple[str, str]]
    """(competitor name, competitor position id) of the account's competitors."""


def overdue(action: m.Action, today: date) -> bool:
    """Past its due day and not done: the rep promised something that has not happened."""
    return action.status != "done" and action.due_date is not None and action.due_date < today


def columns(actions: Iterable[m.Action]) -> dict[str, list[m.Action]]:
    """Actions per board column (to do, doing, done), top first, in the same order
    `store.move_action` numbers them (position, then creation)."""
    board: dict[str, list[m.Action]] = {status: [] for status in m.ACTION_STATUSES}
    for action in sorted(actions, key=lambda a: (a.position, a.created_at)):
        board.setdefault(action.status, []).append(action)
    return board


def quadrants(items: Iterable[m.SwotItem]) -> dict[str, list[m.SwotItem]]:
    """SWOT items per kind in S, W, O, T order, each in the order they were written."""
    swot: dict[str, list[m.SwotItem]] = {kind: [] for kind in m.SWOT_KINDS}
    for item in sorted(items, key=lambda i: i.created_at):
        swot.setdefault(item.kind, []).append(item)
    return swot


def move_target(board: Mapping[str, Sequence[str]], action_id: str, across: int, down: int) -> tuple[str, int] | None:
    """Where a card goes when moved `across` columns (appended at the end there) or
    `down` places in its column, as (status, index) for `store.move_action`; None at
    an edge, where the move would do nothing. `board` holds the action ids per column."""
    statuses = list(m.ACTION_STATUSES)
    for status, ids in board.items():
        if action_id not in ids:
            continue
        if across:
            column = statuses.index(status) + across
            if not 0 <= column < len(statuses):
                return None
            target = statuses[column]
            return target, len(board.get(target, ()))
        index = list(ids).index(action_id) + down
        return (status, index) if 0 <= index < len(ids) else None
    return None


def cards(
    actions: Iterable[m.Action], goals: Iterable[m.Goal], people: Iterable[m.Person], today: date
) -> dict[str, list[Card]]:
    """The board's columns with each card's overdue mark and linked goal and person."""
    goal_text = {g.id: g.text for g in goals}
    person_name = {p.id: p.name for p in people}
    return {
        status: [
            Card(a, overdue(a, today), goal_text.get(a.goal_id or "", ""), person_name.get(a.person_id or "", ""))
            for a in actions
        ]
        for status, actions in columns(actions).items()
    }
