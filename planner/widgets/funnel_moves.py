"""The funnel's moves over a period: how many accounts, and how much revenue, went
from one class to another, and which accounts they are."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus
from textual.message import Message
from textual.widgets import DataTable, Static

from planner.core.formatting import money, one_line
from planner.core.funnel_moves import Move, Period
from planner.core.i18n import N_, _, ngettext

HEADS = (N_("Move"), N_("Accounts"), N_("Amount"))
ACCOUNT_HEADS = (N_("Account"), N_("Revenue"))


def move_label(move: Move) -> str:
    """A move's name: "C → B on" down the funnel, towards producing; "A → B back" up it."""
    if move.onward:
        return _("{source} → {target} on").format(source=move.source, target=move.target)
    return _("{source} → {target} back").format(source=move.source, target=move.target)


def title(period: Period, moves: list[Move]) -> str:
    span = f"{period.start.isoformat()} – {(period.end - timedelta(days=1)).isoformat()}"
    if not moves:
        return _("Class moves in {period} ({span}): no account changed class.").format(period=period.label, span=span)
    count = sum(len(move.accounts) for move in moves)
    return ngettext(
        "Class moves in {period} ({span}): {count:,} account changed class.",
        "Class moves in {period} ({span}): {count:,} accounts changed class.",
        count,
    ).format(period=period.label, span=span, count=count)


class FunnelMoves(Vertical):
    """Call `show(period, moves)`; enter on an account posts `AccountChosen`."""

    DEFAULT_CSS = """
    FunnelMoves { height: 1fr; }
    FunnelMoves > #moves-title { height: 1; text-style: bold; }
    FunnelMoves > Horizontal { height: 1fr; }
    FunnelMoves #moves-table { width: 34; margin-right: 1; }
    FunnelMoves #moved-accounts { width: 1fr; }
    """

    class AccountChosen(Message):
        def __init__(self, account_id: str) -> None:
            super().__init__()
            self.account_id = account_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.moves: list[Move] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="moves-title", markup=False)
        with Horizontal():
            yield DataTable(id="moves-table", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="moved-accounts", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#moves-table", DataTable).add_columns(*(_(head) for head in HEADS))
        self.query_one("#moved-accounts", DataTable).add_columns(*(_(head) for head in ACCOUNT_HEADS))

    def show(self, period: Period, moves: list[Move]) -> None:
        """Show the period's moves, keeping the cursor on the same move where it still is."""
        table = self.query_one("#moves-table", DataTable)
        was = self._move_at(table.cursor_row)
        self.moves = moves
        self.query_one("#moves-title", Static).update(title(period, moves))
        table.clear()
        for move in moves:
            table.add_row(
                move_label(move),
                Text(f"{len(move.accounts):,}", justify="right"),
                Text(money(move.value), justify="right"),
            )
        keys = [(m.source, m.target) for m in moves]
        table.move_cursor(row=keys.index(was) if was in keys else 0)
        self._list_accounts(table.cursor_row)

    def _move_at(self, row: int) -> tuple[str, str] | None:
        return (self.moves[row].source, self.moves[row].target) if 0 <= row < len(self.moves) else None

    def _list_accounts(self, row: int) -> None:
        accounts = self.query_one("#moved-accounts", DataTable)
        accounts.clear()
        if 0 <= row < len(self.moves):
            for account in self.moves[row].accounts:
                accounts.add_row(
                    one_line(account.name, 30), Text(money(account.revenue), justify="right"), key=account.id
                )

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """The funnel tab focuses these tables only while it is shown; a tab pane told
        of that focus would show the funnel again after a quick switch to another tab."""
        event.stop()

    @on(DataTable.RowHighlighted, "#moves-table")
    def _move_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._list_accounts(event.cursor_row)

    @on(DataTable.RowSelected, "#moves-table")
    def _move_chosen(self) -> None:
        self.query_one("#moved-accounts", DataTable).focus()

    @on(DataTable.RowSelected, "#moved-accounts")
    def _account_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(self.AccountChosen(event.row_key.value))
