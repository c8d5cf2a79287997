"""The battle plan (作战计划) of one account: SWOT, phased goals, the action board, TAT reviews.

Each phased goal (阶段性目标) has its strategies (策略), and each strategy its measures
(措施): the measures are the board's actions. `goal_tree` hangs them together, and
`lanes` groups the board's columns by goal and strategy when the rep asks for it.
A goal without an owner or a due day is flagged (`goal_flag`).

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
from planner.core.i18n import N_, _

COLUMN_TITLES = {"todo": N_("To do"), "doing": N_("Doing"), "done": N_("Done")}
"""Shown through `_`, as every title here."""
SWOT_TITLES = {"S": N_("Strengths"), "W": N_("Weaknesses"), "O": N_("Opportunities"), "T": N_("Threats")}
SWOT_SCOPE = {"S": N_("internal"), "W": N_("internal"), "O": N_("external"), "T": N_("external")}
TAT = N_("TAT: think (know yourself and the customer) → act → think again (review)")


class Card(NamedTuple):
    """What one action card shows, with the action itself for editing and moving.
    `lane` is the goal and strategy it serves, as `lanes` groups the board."""

    action: m.Action
    overdue: bool
    goal: str
    person: str
    strategy: str = ""
    lane: str = ""


class Branch(NamedTuple):
    """One strategy of a goal and its measures (the board's actions), in board order."""

    strategy: m.Strategy
    measures: list[m.Action]


class GoalNode(NamedTuple):
    """A phased goal, its strategies in their order, and its measures under no strategy."""

    goal: m.Goal
    branches: list[Branch]
    loose: list[m.Action]

    @property
    def measures(self) -> int:
        return len(self.loose) + sum(len(branch.measures) for branch in self.branches)


class Lane(NamedTuple):
    """One group of a board column: its heading and its cards, top first. `goal` and
    `strategy` are the heading's parts ("" for no goal, None for no strategy), for a
    narrow column to draw on two lines."""

    key: str
    heading: str
    cards: list[Card]
    goal: str = ""
    strategy: str | None = None


@dataclass(frozen=True)
class Plan:
    account: m.Account
    swot: dict[str, list[m.SwotItem]]
    goals: list[m.Goal]
    board: dict[str, list[Card]]
    tree: list[GoalNode]
    """The goals (in `goals`' order) with their strategies and measures."""
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


def step_target(
    board: Mapping[str, Sequence[str]],
    shown: Mapping[str, Sequence[str]],
    lane: Mapping[str, str],
    action_id: str,
    down: int,
) -> tuple[str, int] | None:
    """Where a card goes when moved `down` places on a grouped board: past its neighbour
    in the same lane (group) as `shown` draws them, which in the stored order of the
    column (`board`) is the neighbour's own index; None at the lane's edge."""
    for status, ids in shown.items():
        if action_id not in ids:
            continue
        index = list(ids).index(action_id) + down
        if not 0 <= index < len(ids) or lane.get(ids[index]) != lane.get(action_id):
            return None
        return status, list(board[status]).index(ids[index])
    return None


def ordered_strategies(strategies: Iterable[m.Strategy]) -> list[m.Strategy]:
    """Strategies in the order their goal lists them (position, then creation)."""
    return sorted(strategies, key=lambda s: (s.position, s.created_at))


def goal_tree(goals: Iterable[m.Goal], strategies: Iterable[m.Strategy], actions: Iterable[m.Action]) -> list[GoalNode]:
    """Each goal with its strategies and their measures. An action belongs to its
    strategy while that strategy is live (its goal is the strategy's), else to its
    goal directly; actions serving neither are on no goal's branch."""
    goals = list(goals)
    branches: dict[str, list[Branch]] = {goal.id: [] for goal in goals}
    by_strategy: dict[str, Branch] = {}
    for strategy in ordered_strategies(strategies):
        if strategy.goal_id in branches:
            branch = Branch(strategy, [])
            branches[strategy.goal_id].append(branch)
            by_strategy[strategy.id] = branch
    loose: dict[str, list[m.Action]] = {goal.id: [] for goal in goals}
    for status_column in columns(actions).values():
        for action in status_column:
            if action.strategy_id in by_strategy:
                by_strategy[action.strategy_id].measures.append(action)
            elif action.goal_id in loose:
                loose[action.goal_id].append(action)
    return [GoalNode(goal, branches[goal.id], loose[goal.id]) for goal in goals]


def goal_flag(goal: m.Goal) -> str:
    """What a goal lacks to be a commitment (someone answerable, a day), or "" if nothing."""
    if not goal.owner.strip() and goal.due_date is None:
        return _("No owner and no due date")
    if not goal.owner.strip():
        return _("No owner")
    if goal.due_date is None:
        return _("No due date")
    return ""


def lane_heading(goal: str, strategy: str | None) -> str:
    """A board group's heading: "Goal › Strategy", "Goal › No strategy", or "No goal"."""
    if not goal:
        return _("No goal or strategy")
    if strategy is None:
        return _("{goal} › No strategy").format(goal=goal)
    return _("{goal} › {strategy}").format(goal=goal, strategy=strategy)


def lanes(board: Mapping[str, Sequence[Card]], tree: Sequence[GoalNode]) -> dict[str, list[Lane]]:
    """Each column's cards grouped by goal and strategy: the goals in order, each
    strategy of one, then the goal's measures under no strategy, and last the cards
    serving no goal. Only groups with cards in the column are listed."""
    order: list[tuple[str, str, str | None]] = []
    for node in tree:
        order += [(branch.strategy.id, node.goal.text, branch.strategy.text) for branch in node.branches]
        order.append((node.goal.id, node.goal.text, None))
    order.append(("", "", None))
    grouped: dict[str, list[Lane]] = {}
    for status, cards_in_column in board.items():
        found = [
            Lane(key, lane_heading(goal, strategy), [c for c in cards_in_column if c.lane == key], goal, strategy)
            for key, goal, strategy in order
        ]
        grouped[status] = [lane for lane in found if lane.cards]
    return grouped


def cards(
    actions: Iterable[m.Action],
    goals: Iterable[m.Goal],
    people: Iterable[m.Person],
    today: date,
    strategies: Iterable[m.Strategy] = (),
) -> dict[str, list[Card]]:
    """The board's columns with each card's overdue mark, the goal and strategy it
    serves (the strategy's goal while the strategy is live) and the person."""
    goal_text = {g.id: g.text for g in goals}
    strategy_of = {s.id: s for s in strategies if s.goal_id in goal_text}
    person_name = {p.id: p.name for p in people}

    def card(a: m.Action) -> Card:
        strategy = strategy_of.get(a.strategy_id or "")
        goal_id = strategy.goal_id if strategy else (a.goal_id if a.goal_id in goal_text else "")
        lane = strategy.id if strategy else goal_id or ""
        return Card(
            a, overdue(a, today), goal_text.get(goal_id or "", ""), person_name.get(a.person_id or "", ""),
            strategy.text if strategy else "", lane,
        )  # fmt: skip

    return {status: [card(a) for a in column] for status, column in columns(actions).items()}
