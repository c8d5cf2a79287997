"""The battle plan (作战计划) of one account: the action board, SWOT, phased goals and
the dated TAT reviews, one tab each (keys 1-4) so each stays legible at 80x24.

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
from planner.screens.base import AccountScreen
from planner.screens.confirm import Confirm
from planner.screens.record_form import RecordForm
from planner.widgets.kanban import Kanban
from planner.widgets.key_footer import KeyFooter
from planner.widgets.record_table import RecordTable
from planner.widgets.swot import SwotBoard

if TYPE_CHECKING:
    from planner.store.store import Store

MOVE = Binding.Group("Move")
STATUS_MARK = {"todo": "☐", "doing": "◐", "done": "✓"}


@dataclass(frozen=True)
class Kind:
    """What n/e/d work on in one tab."""

    model: type[m.Record]
    noun: str
    fields: tuple[str, ...]


TABS = {
    "board": Kind(
        m.Action, "action", ("title", "owner", "due_date", "goal_id", "person_id", "competitor_position_id", "notes")
    ),
    "swot": Kind(m.SwotItem, "SWOT item", ("kind", "text")),
    "goals": Kind(m.Goal, "goal", ("phase", "text", "due_date", "owner")),
    "reviews": Kind(m.PlanReview, "TAT review", ("reviewed_on", "text")),
}


def _day(value) -> str:
    return value.isoformat() if value else "—"


class BattlePlanScreen(AccountScreen[Plan]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="plan-back", tooltip="Back to the previous screen"),
        Binding("n", "new", "New", id="plan-new",
                tooltip="Add an action, a SWOT item (to the picked quadrant), a goal or a review"),
        Binding("e,enter", "edit", "Edit", id="plan-edit", tooltip="Edit the picked card, SWOT item, goal or review"),
        Binding("d", "delete", "Delete", id="plan-delete", tooltip="Delete the picked card, SWOT item, goal or review"),
        Binding("h", "history", "History", id="plan-history", show=False,
                tooltip="Change log of the picked card, SWOT item, goal or review"),
        Binding("shift+left", "move(-1, 0)", "Card to previous column", id="plan-move-left", group=MOVE,
                key_display="⇧←", tooltip="Move the card to the end of the previous column"),
        Binding("shift+right", "move(1, 0)", "Card to next column", id="plan-move-right", group=MOVE,
                key_display="⇧→", tooltip="Move the card to the end of the next column"),
        Binding("shift+up", "move(0, -1)", "Card up", id="plan-move-up", group=MOVE,
                key_display="⇧↑", tooltip="Move the card one place up in its column"),
        Binding("shift+down", "move(0, 1)", "Card down", id="plan-move-down", group=MOVE,
                key_display="⇧↓", tooltip="Move the card one place down in its column"),
        Binding("E", "export", "Export", id="plan-export", tooltip="Write the whole account plan to a Markdown file"),
        Binding("r", "reload", "Reload", id="plan-reload", tooltip="Read the plan again from the database"),
        Binding("1", "tab('board')", "Board", id="plan-tab-board", show=False, tooltip="Show the action board"),
        Binding("2", "tab('swot')", "SWOT", id="plan-tab-swot", show=False, tooltip="Show the SWOT"),
        Binding("3", "tab('goals')", "Goals", id="plan-tab-goals", show=False, tooltip="Show the phased goals"),
        Binding("4", "tab('reviews')", "Reviews", id="plan-tab-reviews", show=False, tooltip="Show the TAT reviews"),
    ]  # fmt: skip

    def __init__(self, account_id: str):
        super().__init__(account_id)
        self.plan: Plan | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="plan-tabs"):
            with TabPane("1 Board", id="board"):
                yield Kanban(id="kanban")
            with TabPane("2 SWOT", id="swot"):
                yield SwotBoard(id="swot-board")
            with TabPane("3 Goals", id="goals"):
                yield RecordTable(("Phase", "Goal", "Due", "Owner"), self._goal_cells, id="goals-table")
                with Vertical(classes="plan-detail"):
                    yield Static("", id="goal-detail", markup=False)
            with TabPane("4 Reviews", id="reviews"):
                yield Static(TAT, id="tat-hint", markup=False)
                yield RecordTable(("Date", "Review"), self._review_cells, id="reviews-table")
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
        self.sub_title = f"{data.account.name} · battle plan"
        await self.query_one(Kanban).show(data.board, keep)
        await self.query_one(SwotBoard).show(data.swot, keep)
        self._table("goals").show(data.goals, keep)
        self._table("reviews").show(data.reviews, keep)
        self._show_goal()
        self._show_review()
        if self.is_current:
            self._focus_tab()

    def _table(self, tab: str) -> RecordTable:
        return self.query_one(f"#{tab}-table", RecordTable)

    @staticmethod
    def _goal_cells(goal: m.Goal) -> list[str]:
        return [one_line(goal.phase, 22), one_line(goal.text, 30), _day(goal.due_date), one_line(goal.owner, 12)]

    @staticmethod
    def _review_cells(review: m.PlanReview) -> list[str]:
        return [_day(review.reviewed_on), one_line(review.text, 60)]

    @on(DataTable.RowHighlighted, "#goals-table")
    def _show_goal(self) -> None:
        goal = self._table("goals").current
        text = "No goals yet: n adds one (phase, goal, due date, owner)."
        if goal and self.plan:
            linked = [
                card.action for cards in self.plan.board.values() for card in cards if card.action.goal_id == goal.id
            ]
            actions = "\n".join(f"  {STATUS_MARK[a.status]} {a.title} ({a.status})" for a in linked) or "  none yet"
            text = (
                f"{goal.phase or 'No phase'} · due {_day(goal.due_date)} · owner {goal.owner or '—'}\n"
                f"{goal.text}\n\nActions for this goal:\n{actions}"
            )
        self.query_one("#goal-detail", Static).update(text)

    @on(DataTable.RowHighlighted, "#reviews-table")
    def _show_review(self) -> None:
        review = self._table("reviews").current
        text = "No reviews yet: after acting, n records what you learnt and what changes."
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
        """Card moves only make sense, and only show, on the board."""
        return self.active_tab == "board" if action == "move" else True

    def action_back(self) -> None:
        self.dismiss(None)

    # --- forms -----------------------------------------------------------------------

    def _current(self) -> Any | None:
        tab = self.active_tab
        if tab == "board":
            card = self.query_one(Kanban).current
            return card.action if card else None
        if tab == "swot":
            return self.query_one(SwotBoard).current
        return self._table(tab).current

    def _choices(self, tab: str, record: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
        """Pickers for the tab's choice fields; a link to a deleted row is dropped so
        the picker opens (saving then clears it, as the card already shows it unlinked)."""
        plan = self.plan
        assert plan is not None
        every = {
            "goal_id": [(one_line(f"{g.phase}: {g.text}" if g.phase else g.text, 70), g.id) for g in plan.goals],
            "person_id": [(one_line(f"{p.name} · {p.title} ({p.layer})", 70), p.id) for p in plan.people],
            "competitor_position_id": plan.positions,
            "kind": [(f"{kind} · {title}", kind) for kind, title in SWOT_TITLES.items()],
        }
        choices = {name: options for name, options in every.items() if name in TABS[tab].fields}
        for name, options in choices.items():
            if record.get(name) not in {value for _, value in options}:
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
        self._open(tab, None, initials[tab])

    def action_edit(self) -> None:
        record = self._current() if self.plan else None
        if record is None:
            self.notify(f"Pick a {TABS[self.active_tab].noun} to edit first.")
            return
        self._open(self.active_tab, record, record.model_dump())

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_edit()

    def _open(self, tab: str, record: Any | None, initial: dict[str, Any]) -> None:
        kind, account_id = TABS[tab], self.account_id
        choices = self._choices(tab, initial)
        if record is None:
            title = f"New {kind.noun} for {self.plan.account.name if self.plan else 'the account'}"

            def save(store: Store, values: dict[str, Any]) -> m.Record:
                return store.create(kind.model, account_id=account_id, **{**initial, **values})
        else:
            title = f"Edit {kind.noun}"

            def save(store: Store, values: dict[str, Any]) -> m.Record:
                return store.update(kind.model, record.id, record.version, **values)

        self.app.push_screen(RecordForm(title, kind.model, kind.fields, initial, save, choices=choices), self._saved)

    def _saved(self, result: m.Record | None) -> None:
        if result is not None:
            self.notify("Saved.")
            self.reload(result.id)

    def _picked(self, purpose: str):
        """The highlighted record, its tab's kind and a short label; None (with a hint) if none."""
        record = self._current() if self.plan else None
        kind = TABS[self.active_tab]
        if record is None:
            self.notify(f"Pick a {kind.noun} to {purpose} first.")
            return None
        return record, kind, getattr(record, "title", None) or one_line(getattr(record, "text", ""), 60)

    def action_delete(self) -> None:
        picked = self._picked("delete")
        if picked is None:
            return
        record, kind, label = picked

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda store: store.delete(kind.model, record.id, record.version))

        self.app.push_screen(
            Confirm(f"Delete the {kind.noun} “{label}”? It can be restored from the history.", yes="Delete"), answered
        )

    def action_history(self) -> None:
        picked = self._picked("see its history")
        if picked is None:
            return
        record, kind, label = picked
        self.open("history", kind.model, record.id, f"History of {kind.noun} {label}")

    # --- moves, export and writes ------------------------------------------------------

    def action_move(self, across: int, down: int) -> None:
        """Move the focused card; a key pressed while the last move is still being
        saved waits for it, so fast repeated moves all land in order."""
        card = self.query_one(Kanban).current
        if self.plan is None or card is None:
            return
        if self.wait_turn(lambda: self.action_move(across, down)):
            return
        ids = {status: [c.action.id for c in cards] for status, cards in self.plan.board.items()}
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
            lambda path: self.notify(f"Account plan written to {path}"),
        )
