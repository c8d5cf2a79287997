"""The battle plan's Goals tab: each phased goal (阶段性目标) followed by its strategies
(策略), with how many measures (措施) each has, and a panel on the highlighted one.

A goal without an owner or a due day is flagged (⚑) in the cell that is missing and,
in words, in the panel. The tree comes built from the core (`battle_plan.goal_tree`);
this only draws it and says which goal or strategy the rep is on.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from planner.core import models as m
from planner.core.battle_plan import COLUMN_TITLES, GoalNode, goal_flag
from planner.core.formatting import one_line
from planner.core.i18n import N_, _, ngettext
from planner.widgets.record_table import RecordTable

STATUS_MARK = {"todo": "☐", "doing": "◐", "done": "✓"}
COLUMNS = (N_("Phase"), N_("Goal › strategy"), N_("Due"), N_("Owner"), N_("Measures"))


def _day(value) -> str:
    return value.isoformat() if value else "—"


def measures_text(count: int) -> str:
    return ngettext("{count} measure", "{count} measures", count).format(count=count)


def _measure_lines(actions: Sequence[m.Action], indent: str) -> list[str]:
    return [f"{indent}{STATUS_MARK.get(a.status, '?')} {a.title} ({_(COLUMN_TITLES[a.status])})" for a in actions]


class GoalTree(Vertical):
    """The goals table (a goal's row, then a row per strategy, each with its number of
    measures; it fits 80 columns) and the detail panel."""

    DEFAULT_CSS = """
    GoalTree { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.goal_nodes: list[GoalNode] = []
        self._node_of: dict[str, GoalNode] = {}
        self._measure_count: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield RecordTable([_(title) for title in COLUMNS], self._cells, id="goals-table")
        with Vertical(classes="plan-detail"):
            yield Static("", id="goal-detail", markup=False)

    @property
    def table(self) -> RecordTable:
        return self.query_one("#goals-table", RecordTable)

    def show(self, tree: list[GoalNode], keep: str | None = None) -> None:
        self.goal_nodes = tree
        self._node_of, self._measure_count = {}, {}
        rows: list[m.Goal | m.Strategy] = []
        for node in tree:
            self._node_of[node.goal.id] = node
            self._measure_count[node.goal.id] = node.measures
            rows.append(node.goal)
            for branch in node.branches:
                self._node_of[branch.strategy.id] = node
                self._measure_count[branch.strategy.id] = len(branch.measures)
                rows.append(branch.strategy)
        self.table.show(rows, keep)
        self._show_detail()

    @property
    def current(self) -> m.Goal | m.Strategy | None:
        return self.table.current

    @property
    def current_goal(self) -> GoalNode | None:
        """The highlighted goal, or the goal of the highlighted strategy."""
        record = self.current
        return self._node_of.get(record.id) if record else None

    def _cells(self, record: m.Goal | m.Strategy) -> list[str]:
        measures = str(self._measure_count.get(record.id, 0))
        if isinstance(record, m.Strategy):
            return ["", "  › " + one_line(record.text, 26), "", "", measures]
        missing = _("⚑ none")
        return [
            one_line(record.phase, 12),
            one_line(record.text, 30),
            _day(record.due_date) if record.due_date else missing,
            one_line(record.owner, 8) if record.owner.strip() else missing,
            measures,
        ]

    @on(DataTable.RowHighlighted, "#goals-table")
    def _show_detail(self) -> None:
        record, node = self.current, self.current_goal
        if record is None or node is None:
            text = _("No goals yet: n adds one (phase, goal, due date, owner), then s adds its strategies.")
        elif isinstance(record, m.Strategy):
            text = self._strategy_detail(record, node)
        else:
            text = self._goal_detail(node)
        self.query_one("#goal-detail", Static).update(text)

    @staticmethod
    def _goal_detail(node: GoalNode) -> str:
        goal = node.goal
        lines = [
            _("{phase} · due {day} · owner {owner}").format(
                phase=goal.phase or _("No phase"), day=_day(goal.due_date), owner=goal.owner or "—"
            )
        ]
        if flag := goal_flag(goal):
            lines.append(_("⚑ {flag} (e edits the goal)").format(flag=flag))
        lines += [goal.text, ""]
        if node.branches:
            lines.append(_("Strategies (s adds one):"))
            for branch in node.branches:
                lines.append(f"  › {branch.strategy.text} · {measures_text(len(branch.measures))}")
                lines += _measure_lines(branch.measures, "      ")
        else:
            lines.append(_("No strategies yet: s adds one, then pick it on the board's actions."))
        if node.loose:
            lines += [_("Measures under no strategy:"), *_measure_lines(node.loose, "  ")]
        return "\n".join(lines)

    @staticmethod
    def _strategy_detail(strategy: m.Strategy, node: GoalNode) -> str:
        measures = next((b.measures for b in node.branches if b.strategy.id == strategy.id), [])
        lines = [_("Strategy for the goal “{goal}”").format(goal=one_line(node.goal.text, 60)), strategy.text, ""]
        if measures:
            lines += [_("Measures:"), *_measure_lines(measures, "  ")]
        else:
            lines.append(_("No measures yet: on the board, n adds an action and picks this strategy."))
        return "\n".join(lines)
