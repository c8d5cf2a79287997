"""The action board: three columns (to do, doing, done) of focusable cards.

The screen hands down the columns already ordered by the core, grouped by goal and
strategy (`battle_plan.lanes`) when the rep asks, and decides what a move means; the
board only draws the cards (under each group's heading) and moves the focus between
them with the arrow keys in the order drawn, remembering which card the rep is on
across reloads.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from planner.core.battle_plan import COLUMN_TITLES, Card, Lane
from planner.core.i18n import N_, _


def due_line(card: Card) -> Content:
    """Due day and owner; an overdue card says so in words, not only in colour."""
    due = card.action.due_date
    if due is None:
        when = Content(_("no due date"))
    elif card.overdue:
        when = Content.from_markup("[$text-error bold]$late[/] $due", late=_("⚠ overdue"), due=due.isoformat())
    else:
        when = Content(_("due {day}").format(day=due.isoformat()))
    owner = card.action.owner
    return Content.assemble(when, f" · {owner}") if owner else when


def serves_line(card: Card) -> str:
    """The goal the card serves, and its strategy when it is one of its measures."""
    if card.strategy:
        return _("◎ {goal} › {strategy}").format(goal=card.goal, strategy=card.strategy)
    return _("◎ {goal}").format(goal=card.goal)


class ActionCard(Vertical, can_focus=True):
    """One action: title, due day and owner, then the goal (and strategy) and person it
    serves; on a grouped board the group's heading says the goal and strategy instead."""

    def __init__(self, card: Card, grouped: bool = False):
        super().__init__(id=f"card-{card.action.id}")
        self.card = card
        self.grouped = grouped

    @property
    def focusable(self) -> bool:
        """Not while the board's tab is hidden: Textual would hand the focus from the
        hidden focused card to its hidden neighbour, which switches the tab back."""
        return super().focusable and all(node.display for node in self.ancestors if isinstance(node, Widget))

    def compose(self) -> ComposeResult:
        yield Static(self.card.action.title, classes="card-title", markup=False)
        yield Static(due_line(self.card), classes="card-line")
        if self.card.goal and not self.grouped:
            yield Static(Content(serves_line(self.card)), classes="card-line card-link")
        if self.card.person:
            yield Static(Content(_("👤 {person}").format(person=self.card.person)), classes="card-line card-link")


class LaneHeading(Vertical):
    """A group's heading on a grouped board: the goal on one line (cut short in a narrow
    column), then "› strategy" (wrapped), so the strategy always shows."""

    def __init__(self, lane: Lane, first: bool = False):
        super().__init__(classes="kanban-lane -first" if first else "kanban-lane")
        self.lane = lane

    def compose(self) -> ComposeResult:
        lane = self.lane
        if not lane.goal:
            yield Static(_("No goal or strategy"), classes="lane-strategy", markup=False)
            return
        yield Static(_("◎ {goal}").format(goal=lane.goal), classes="lane-goal", markup=False)
        strategy = _("› No strategy") if lane.strategy is None else _("› {strategy}").format(strategy=lane.strategy)
        yield Static(strategy, classes="lane-strategy", markup=False)

    @property
    def text(self) -> str:
        """The heading as one line: "Goal › Strategy"."""
        return self.lane.heading


class Kanban(Horizontal):
    """The board; `current` is the card the rep is on (kept while focus is elsewhere)."""

    DEFAULT_CSS = """
    Kanban { height: 1fr; }
    Kanban .kanban-column {
        width: 1fr; height: 1fr; overflow-y: auto; scrollbar-size-vertical: 1; margin-right: 1;
        border: none; border-top: solid $panel-lighten-2; border-title-style: bold; border-title-color: $text;
    }
    Kanban #column-done { margin-right: 0; }
    Kanban .kanban-empty { color: $text-muted; padding: 0 1; }
    Kanban .kanban-lane { height: auto; padding: 0 1; margin-top: 1; }
    Kanban .kanban-lane.-first { margin-top: 0; }
    Kanban .lane-goal { color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    Kanban .lane-strategy { color: $text-accent; text-style: bold; max-height: 2; }
    ActionCard { height: auto; border: round $panel-lighten-2; padding: 0 0 0 1; }
    ActionCard:focus { border: heavy $accent; background: $boost; }
    ActionCard .card-title { text-style: bold; }
    ActionCard .card-line { color: $text-muted; }
    ActionCard .card-link { text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS = [
        Binding("up", "focus_row(-1)", N_("Card above"), id="board-focus-up", show=False,
                tooltip=N_("Go to the card above")),
        Binding("down", "focus_row(1)", N_("Card below"), id="board-focus-down", show=False,
                tooltip=N_("Go to the card below")),
        Binding(
            "left", "focus_column(-1)", N_("Column left"), id="board-focus-left", show=False,
            tooltip=N_("Go to the nearest card in the column to the left"),
        ),
        Binding(
            "right", "focus_column(1)", N_("Column right"), id="board-focus-right", show=False,
            tooltip=N_("Go to the nearest card in the column to the right"),
        ),
    ]  # fmt: skip

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.board: dict[str, list[Card]] = {status: [] for status in COLUMN_TITLES}
        """Each column's cards in the order drawn (grouped, when the board is)."""
        self.current_id: str | None = None
        self.grouped = False

    def compose(self) -> ComposeResult:
        for status, title in COLUMN_TITLES.items():
            column = Vertical(id=f"column-{status}", classes="kanban-column")
            column.border_title = _(title)
            yield column

    async def show(
        self, board: dict[str, list[Card]], keep: str | None = None, lanes: dict[str, list[Lane]] | None = None
    ) -> None:
        """Redraw every column, grouped under the `lanes`' headings when given. The
        current card becomes `keep` if it is on the board, else stays; if it is gone
        (deleted), its neighbour in the column takes over."""
        place = self._place()
        if lanes is not None:
            board = {status: [card for lane in lanes.get(status, []) for card in lane.cards] for status in board}
        self.board = board
        self.grouped = lanes is not None
        ids = [card.action.id for cards in board.values() for card in cards]
        wanted = keep if keep in ids else self.current_id
        if wanted not in ids:
            same = list(board.values())[place[0]] if place else []
            wanted = same[min(place[1], len(same) - 1)].action.id if place and same else (ids[0] if ids else None)
        self.current_id = wanted
        if isinstance(self.screen.focused, ActionCard):
            # Else Textual hands the focus to a neighbour of each removed card, and
            # that neighbour would become current; the screen focuses `wanted` after.
            self.screen.set_focus(None)
        for status, title in COLUMN_TITLES.items():
            cards = board.get(status, [])
            column = self.query_one(f"#column-{status}", Vertical)
            column.border_title = _("{column} ({count})").format(column=_(title), count=len(cards))
            await column.remove_children()
            widgets: list[Widget] = []
            if lanes is None:
                widgets = [ActionCard(card) for card in cards]
            else:
                for index, lane in enumerate(lanes.get(status, [])):
                    widgets.append(LaneHeading(lane, first=index == 0))
                    widgets += [ActionCard(card, grouped=True) for card in lane.cards]
            await column.mount_all(widgets or [Static(_("No actions"), classes="kanban-empty")])

    @property
    def current(self) -> Card | None:
        return next(
            (card for cards in self.board.values() for card in cards if card.action.id == self.current_id), None
        )

    def focus_current(self) -> None:
        if self.current_id:
            card = self.query_one(f"#card-{self.current_id}", ActionCard)
            card.focus()
            # A card just mounted has no place yet; scroll its column to it once laid out.
            self.call_after_refresh(card.scroll_visible, animate=False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, ActionCard):
            self.current_id = event.widget.card.action.id

    def _place(self) -> tuple[int, int] | None:
        """(column, row) of the current card."""
        for column, cards in enumerate(self.board.values()):
            for row, card in enumerate(cards):
                if card.action.id == self.current_id:
                    return column, row
        return None

    def _go(self, column: int, row: int) -> None:
        self.current_id = list(self.board.values())[column][row].action.id
        self.focus_current()

    def action_focus_row(self, step: int) -> None:
        place = self._place()
        if place:
            column, row = place
            cards = list(self.board.values())[column]
            self._go(column, max(0, min(len(cards) - 1, row + step)))

    def action_focus_column(self, step: int) -> None:
        """Skip empty columns; land on the card at the same height, or the last one."""
        place = self._place()
        if place is None:
            return
        column, row = place
        columns = list(self.board.values())
        target = column + step
        while 0 <= target < len(columns) and not columns[target]:
            target += step
        if 0 <= target < len(columns):
            self._go(target, min(row, len(columns[target]) - 1))
