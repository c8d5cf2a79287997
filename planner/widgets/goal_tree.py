"""The battle plan's Goals tab: each phased goal (阶段性目标) followed by its strategies
(策略), with how many measures (措施) each has, and a panel on the highlighted one.

A goal without an owner or a due day is flagged (⚑) in the cell that is missing and,
in words, in the panel. The tree comes built from the core (`battle_plan.goal_tree`);
this only draws it and says which goal or strategy the rep is on.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual import events, on
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


_MIN_TEXT = 30
"""The goal column's least width in cells (a strategy's text gets 4 fewer, after "  › ")."""


_MEASURE = Console(width=1000, color_system=None, legacy_windows=False)


def hanging(first: str, body: str, width: int | None) -> list[str]:
    """`first` then `body` wrapped to `width` cells, the wrapped lines indented under the
    body's start (not back at column 0); one line when `width` is unknown (None)."""
    indent = cell_len(first)
    if not width or width - indent < 10:
        return [first + body]
    wrapped = Text(body).wrap(_MEASURE, width - indent, overflow="fold")
    return [(first if i == 0 else " " * indent) + line.plain.rstrip() for i, line in enumerate(wrapped)]


def _measure_lines(actions: Sequence[m.Action], indent: str, width: int | None = None) -> list[str]:
    lines: list[str] = []
    for a in actions:
        body = f"{a.title} ({_(COLUMN_TITLES[a.status])})"
        lines += hanging(f"{indent}{STATUS_MARK.get(a.status, '?')} ", body, width)
    return lines


class GoalTree(Vertical):
    """The goals table (a goal's row, then a row per strategy, each with its number of
    measures; it fits 80 columns, the goal/strategy column taking the width left over by
    the others) and the detail panel."""

    DEFAULT_CSS = """
    GoalTree { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.goal_nodes: list[GoalNode] = []
        self._node_of: dict[str, GoalNode] = {}
        self._measure_count: dict[str, int] = {}
        self._text_width = _MIN_TEXT

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
        self._text_width = self._fit_text_width(rows)
        for column in self.table.columns.values():
            # DataTable only ever widens a column: let the goal column narrow too.
            column.content_width = cell_len(column.label.plain)
        self.table.show(rows, keep)
        self._show_detail()

    def _fit_text_width(self, rows: Sequence[m.Goal | m.Strategy]) -> int:
        """The goal column's width: what the table's width leaves after the other columns
        (each with DataTable's one cell of padding either side) and room for a scrollbar."""
        if not self.size.width:
            return _MIN_TEXT
        widths = [cell_len(_(title)) for title in COLUMNS]
        for row in rows:
            for i, text in enumerate(self._cells(row)):
                widths[i] = max(widths[i], cell_len(text))
        others = sum(width + 2 for i, width in enumerate(widths) if i != 1)
        return max(_MIN_TEXT, self.size.width - others - 2 - 2)

    def on_resize(self, event: events.Resize) -> None:
        # After the refresh: the detail panel has its new width by then.
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        rows = self.table.records
        if rows and self._fit_text_width(rows) != self._text_width:
            self.show(self.goal_nodes)
        else:
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
            return ["", "  › " + one_line(record.text, self._text_width - 4), "", "", measures]
        missing = _("⚑ none")
        return [
            one_line(record.phase, 12),
            one_line(record.text, self._text_width),
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

    @property
    def _detail_width(self) -> int | None:
        """The detail panel's text width in cells, None before it is laid out."""
        return self.query_one("#goal-detail", Static).size.width or None

    def _goal_detail(self, node: GoalNode) -> str:
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
                lines += _measure_lines(branch.measures, "      ", self._detail_width)
        else:
            lines.append(_("No strategies yet: s adds one, then pick it on the board's actions."))
        if node.loose:
            lines += [_("Measures under no strategy:"), *_measure_lines(node.loose, "  ", self._detail_width)]
        return "\n".join(lines)

    def _strategy_detail(self, strategy: m.Strategy, node: GoalNode) -> str:
        measures = next((b.measures for b in node.branches if b.strategy.id == strategy.id), [])
        lines = [_("Strategy for the goal “{goal}”").format(goal=one_line(node.goal.text, 60)), strategy.text, ""]
        if measures:
            lines += [_("Measures:"), *_measure_lines(measures, "  ", self._detail_width)]
        else:
            lines.append(_("No measures yet: on the board, n adds an action and picks this strategy."))
        return "\n".join(lines)
