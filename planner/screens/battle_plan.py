"""The battle plan (作战计划) of one account: the action board, SWOT, phased goals with
their strategies, and the dated TAT reviews, one tab each (keys 1-4) so each stays
legible at 80x24.

The measures (措施) of a goal's strategies (策略) are the board's actions: the action
form picks the strategy (the goal follows), the Goals tab lists each goal's strategies
with their measures (s adds one), and g groups the board by goal and strategy.

Every write (a form, a move, a delete) is followed by a reload that keeps the rep on
the same card or item. Card moves pressed faster than they are saved wait their
turn and are replayed against the board as it then stands; a move refused because
someone changed the card meanwhile is reported, the waiting ones are dropped and the
board shows where things now stand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane, Tabs

from planner.core import battle_plan
from planner.core import models as m
from planner.core.battle_plan import SWOT_TITLES, TAT, Plan
from planner.core.export import write_plan
from planner.core.formatting import one_line
from planner.core.i18n import N_, _, ngettext
from planner.screens.base import AccountScreen
from planner.screens.confirm import Confirm
from planner.screens.record_form import RecordForm
from planner.widgets.goal_tree import GoalTree
from planner.widgets.kanban import Kanban
from planner.widgets.key_footer import KeyFooter
from planner.widgets.record_table import RecordTable
from planner.widgets.swot import SwotBoard

if TYPE_CHECKING:
    from planner.store.store import Store

MOVE = Binding.Group(N_("Move"))


@dataclass(frozen=True)
class Kind:
    """What n/e/d work on: a record's model, what a rep calls it, its form's fields."""

    model: type[m.Record]
    noun: str
    fields: tuple[str, ...]


KINDS = {
    kind.model: kind
    for kind in (
        Kind(m.Action, N_("action"), ("title", "owner", "due_date", "strategy_id", "goal_id", "person_id",
                                     "competitor_position_id", "notes")),
        Kind(m.SwotItem, N_("SWOT item"), ("kind", "text")),
        Kind(m.Goal, N_("goal"), ("phase", "text", "due_date", "owner")),
        Kind(m.Strategy, N_("strategy"), ("goal_id", "text")),
        Kind(m.PlanReview, N_("TAT review"), ("reviewed_on", "text")),
    )
}  # fmt: skip
TABS: dict[str, type[m.Record]] = {"board": m.Action, "swot": m.SwotItem, "goals": m.Goal, "reviews": m.PlanReview}
"""The kind of record each tab adds (the Goals tab edits strategies too)."""


def _day(value) -> str:
    return value.isoformat() if value else "—"


def kind_of(record: m.Record) -> Kind:
    return KINDS[type(record)]


class BattlePlanScreen(AccountScreen[Plan]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="plan-back", tooltip=N_("Back to the previous screen")),
        Binding("n", "new", N_("New"), id="plan-new",
                tooltip=N_("Add an action, a SWOT item (to the picked quadrant), a goal or a review")),
        Binding("s", "new_strategy", N_("Strategy"), id="plan-new-strategy",
                tooltip=N_("Add a strategy to the picked goal")),
        Binding("e,enter", "edit", N_("Edit"), id="plan-edit",
                tooltip=N_("Edit the picked card, SWOT item, goal, strategy or review")),
        Binding("d", "delete", N_("Delete"), id="plan-delete",
                tooltip=N_("Delete the picked card, SWOT item, goal, strategy or review")),
        Binding("g", "group", N_("Group"), id="plan-group",
                tooltip=N_("Group the board's cards by goal and strategy, or show the columns plain again")),
        Binding("h", "history", N_("History"), id="plan-history", show=False,
                tooltip=N_("Change log of the picked card, SWOT item, goal, strategy or review")),
        Binding("shift+left", "move(-1, 0)", N_("Card to previous column"), id="plan-move-left", group=MOVE,
                key_display="⇧←", tooltip=N_("Move the card to the end of the previous column")),
        Binding("shift+right", "move(1, 0)", N_("Card to next column"), id="plan-move-right", group=MOVE,
                key_display="⇧→", tooltip=N_("Move the card to the end of the next column")),
        Binding("shift+up", "move(0, -1)", N_("Card up"), id="plan-move-up", group=MOVE,
                key_display="⇧↑", tooltip=N_("Move the card one place up in its column (in its group)")),
        Binding("shift+down", "move(0, 1)", N_("Card down"), id="plan-move-down", group=MOVE,
                key_display="⇧↓", tooltip=N_("Move the card one place down in its column (in its group)")),
        Binding("E", "export", N_("Export"), id="plan-export",
                tooltip=N_("Write the whole account plan to a Markdown file")),
        Binding("r", "reload", N_("Reload"), id="plan-reload", tooltip=N_("Read the plan again from the database")),
        Binding("1", "tab('board')", N_("Board"), id="plan-tab-board", show=False,
                tooltip=N_("Show the action board")),
        Binding("2", "tab('swot')", N_("SWOT"), id="plan-tab-swot", show=False, tooltip=N_("Show the SWOT")),
        Binding("3", "tab('goals')", N_("Goals"), id="plan-tab-goals", show=False,
                tooltip=N_("Show the phased goals and their strategies")),
        Binding("4", "tab('reviews')", N_("Reviews"), id="plan-tab-reviews", show=False,
                tooltip=N_("Show the TAT reviews")),
    ]  # fmt: skip
    ONLY_ON = {"move": "board", "group": "board", "new_strategy": "goals"}
    """Keys that only make sense, and only show, on one tab."""

    def __init__(self, account_id: str):
        super().__init__(account_id)
        self.plan: Plan | None = None
        self.grouped = False

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="plan-tabs"):
            with TabPane(_("1 Board"), id="board"):
                yield Kanban(id="kanban")
            with TabPane(_("2 SWOT"), id="swot"):
                yield SwotBoard(id="swot-board")
            with TabPane(_("3 Goals"), id="goals"):
                yield GoalTree(id="goal-tree")
            with TabPane(_("4 Reviews"), id="reviews"):
                yield Static(_(TAT), id="tat-hint", markup=False)
                yield RecordTable((_("Date"), _("Review")), self._review_cells, id="reviews-table")
                with Vertical(classes="plan-detail"):
                    yield Static("", id="review-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(Tabs).can_focus = False

    # --- loading -------------------------------------------------------------------

    def fetch(self, store: Store) -> Plan:
        return store.battle_plan(self.account_id, self.today())

    async def apply(self, data: Plan, keep: Any) -> None:
        self.plan = data
        self.sub_title = _("{account} · battle plan").format(account=data.account.name)
        await self._show_board(data, keep)
        await self.query_one(SwotBoard).show(data.swot, keep)
        self.query_one(GoalTree).show(data.tree, keep)
        self._table("reviews").show(data.reviews, keep)
        self._show_review()
        if self.is_current:
            self._focus_tab()

    async def _show_board(self, plan: Plan, keep: Any) -> None:
        lanes = battle_plan.lanes(plan.board, plan.tree) if self.grouped else None
        await self.query_one(Kanban).show(plan.board, keep, lanes)

    def _table(self, tab: str) -> RecordTable:
        return self.query_one(f"#{tab}-table", RecordTable)

    @staticmethod
    def _review_cells(review: m.PlanReview) -> list[str]:
        return [_day(review.reviewed_on), one_line(review.text, 60)]

    @on(DataTable.RowHighlighted, "#reviews-table")
    def _show_review(self) -> None:
        review = self._table("reviews").current
        text = _("No reviews yet: after acting, n records what you learnt and what changes.")
        if review:
            text = f"{_day(review.reviewed_on)}\n{review.text}"
        self.query_one("#review-detail", Static).update(text)

    # --- tabs and focus ------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()
        self.call_after_refresh(self._focus_tab)

    def _focus_tab(self) -> None:
        tab = self.active_tab
        if tab == "board":
            self.query_one(Kanban).focus_current()
        elif tab == "swot":
            self.query_one(SwotBoard).focus()
        else:
            self._table(tab).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Card moves and grouping show on the board only, a new strategy on the goals."""
        return self.active_tab == self.ONLY_ON[action] if action in self.ONLY_ON else True

    def action_back(self) -> None:
        self.dismiss(None)

    async def action_group(self) -> None:
        """Group the board by goal and strategy, or back to plain columns."""
        if self.plan is None:
            return
        self.grouped = not self.grouped
        async with self._applying:  # never while a reload redraws the board
            if self.plan is not None:
                await self._show_board(self.plan, None)
                self.query_one(Kanban).focus_current()
        self.notify(_("Board grouped by goal and strategy.") if self.grouped else _("Board in plain columns."))

    # --- forms -----------------------------------------------------------------------

    def _current(self) -> Any | None:
        tab = self.active_tab
        if tab == "board":
            card = self.query_one(Kanban).current
            return card.action if card else None
        if tab == "swot":
            return self.query_one(SwotBoard).current
        if tab == "goals":
            return self.query_one(GoalTree).current
        return self._table(tab).current

    def _choices(self, kind: Kind, record: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
        """Pickers for the form's choice fields; a link to a deleted row is dropped so
        the picker opens (saving then clears it, as the card already shows it unlinked)."""
        plan = self.plan
        assert plan is not None
        every = {
            "goal_id": [(one_line(f"{g.phase}: {g.text}" if g.phase else g.text, 70), g.id) for g in plan.goals],
            "strategy_id": [
                (battle_plan.lane_heading(one_line(node.goal.text, 26), one_line(b.strategy.text, 42)), b.strategy.id)
                for node in plan.tree
                for b in node.branches
            ],
            "person_id": [(one_line(f"{p.name} · {p.title} ({p.layer})", 70), p.id) for p in plan.people],
            "competitor_position_id": plan.positions,
            "kind": [(f"{kind} · {_(title)}", kind) for kind, title in SWOT_TITLES.items()],
        }
        choices = {name: options for name, options in every.items() if name in kind.fields}
        for name, options in choices.items():
            if record.get(name) not in {value for _label, value in options}:
                record[name] = None
        return choices

    def action_new(self) -> None:
        if self.plan is None:
            return
        tab, user, today = self.active_tab, self.planner.user, self.today()
        initials: dict[str, dict[str, Any]] = {
            "board": {"owner": user},
            "swot": {"kind": self.query_one(SwotBoard).kind},
            "goals": {"owner": user},
            "reviews": {"reviewed_on": today},
        }
        self._open(KINDS[TABS[tab]], None, initials[tab])

    def action_new_strategy(self) -> None:
        """A strategy for the highlighted goal (or the highlighted strategy's goal)."""
        node = self.query_one(GoalTree).current_goal if self.plan else None
        if node is None:
            self.notify(_("Add a goal first (n), then its strategies."))
            return
        self._open(KINDS[m.Strategy], None, {"goal_id": node.goal.id})

    def action_edit(self) -> None:
        record = self._current() if self.plan else None
        if record is None:
            noun = _(KINDS[TABS[self.active_tab]].noun)
            self.notify(_("Pick a {noun} to edit first.").format(noun=noun))
            return
        self._open(kind_of(record), record, record.model_dump())

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_edit()

    def _open(self, kind: Kind, record: Any | None, initial: dict[str, Any]) -> None:
        assert self.plan is not None
        account_id, noun = self.account_id, _(kind.noun)
        choices = self._choices(kind, initial)
        if record is None:
            title = _("New {noun} for {account}").format(noun=noun, account=self.plan.account.name)

            def save(store: Store, values: dict[str, Any]) -> m.Record:
                return store.create(kind.model, account_id=account_id, **{**initial, **values})
        else:
            title = _("Edit {noun}").format(noun=noun)

            def save(store: Store, values: dict[str, Any]) -> m.Record:
                return store.update(kind.model, record.id, record.version, **values)

        self.app.push_screen(RecordForm(title, kind.model, kind.fields, initial, save, choices=choices), self._saved)

    def _saved(self, result: m.Record | None) -> None:
        if result is not None:
            self.notify(_("Saved."))
            self.reload(result.id)

    def _picked(self, purpose: str):
        """The highlighted record, its kind and a short label; None (with a hint) if none."""
        record = self._current() if self.plan else None
        if record is None:
            self.notify(purpose.format(noun=_(KINDS[TABS[self.active_tab]].noun)))
            return None
        return record, kind_of(record), getattr(record, "title", None) or one_line(getattr(record, "text", ""), 60)

    def _delete_question(self, record: Any, kind: Kind, label: str) -> str:
        """What deleting takes with it: a goal its strategies; a strategy's measures stay."""
        node = self.query_one(GoalTree).current_goal
        if isinstance(record, m.Goal) and node and node.branches:
            count = len(node.branches)
            return ngettext(
                "Delete the goal “{label}” and its {count} strategy? Its measures stay on the board. "
                "It can be restored from the history.",
                "Delete the goal “{label}” and its {count} strategies? Their measures stay on the board. "
                "It can be restored from the history.",
                count,
            ).format(label=label, count=count)
        if isinstance(record, m.Strategy) and node:
            count = next((len(b.measures) for b in node.branches if b.strategy.id == record.id), 0)
            if count:
                return ngettext(
                    "Delete the strategy “{label}”? Its {count} measure stays on the board under the goal, and is "
                    "its measure again if the strategy is restored from the history.",
                    "Delete the strategy “{label}”? Its {count} measures stay on the board under the goal, and "
                    "are its measures again if the strategy is restored from the history.",
                    count,
                ).format(label=label, count=count)
        return _("Delete the {noun} “{label}”? It can be restored from the history.").format(
            noun=_(kind.noun), label=label
        )

    def action_delete(self) -> None:
        picked = self._picked(_("Pick a {noun} to delete first."))
        if picked is None:
            return
        record, kind, label = picked

        keep = record.goal_id if isinstance(record, m.Strategy) else None  # land on its goal

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda store: store.delete(kind.model, record.id, record.version), keep=keep)

        question = self._delete_question(record, kind, label)
        self.app.push_screen(Confirm(question, yes=_("Delete")), answered)

    def action_history(self) -> None:
        picked = self._picked(_("Pick a {noun} to see its history first."))
        if picked is None:
            return
        record, kind, label = picked
        title = _("History of {noun} {label}").format(noun=_(kind.noun), label=label)
        self.open("history", kind.model, record.id, title)

    # --- moves, export and writes ------------------------------------------------------

    def action_move(self, across: int, down: int) -> None:
        """Move the focused card; a key pressed while the last move is still being
        saved waits for it, so fast repeated moves all land in order. On a grouped
        board a card steps up and down within its group."""
        kanban = self.query_one(Kanban)
        card = kanban.current
        if self.plan is None or card is None:
            return
        if self.wait_turn(lambda: self.action_move(across, down)):
            return
        ids = {status: [c.action.id for c in cards] for status, cards in self.plan.board.items()}
        if kanban.grouped and down:
            shown = {status: [c.action.id for c in cards] for status, cards in kanban.board.items()}
            lane = {c.action.id: c.lane for cards in kanban.board.values() for c in cards}
            target = battle_plan.step_target(ids, shown, lane, card.action.id, down)
        else:
            target = battle_plan.move_target(ids, card.action.id, across, down)
        if target is None:
            self.app.bell()
            return
        action = card.action
        self.write(
            lambda store: store.move_action(action.id, action.version, *target),
            keep=action.id,
            again=lambda: self.action_move(across, down),
        )

    def action_export(self) -> None:
        account_id, today = self.account_id, self.today()
        self.read_then(
            lambda store: write_plan(store.plan_document(account_id, today)),
            lambda path: self.notify(_("Account plan written to {path}").format(path=path)),
        )
