"""The home screen: every account with its 80/20 rank, quadrant, contact gap and flags.

The whole portfolio is loaded once per change (in a worker), column-wise; typing
in the filter, the quick filters and sorting pick positions in it in memory, and
the virtual table assembles and paints only the visible rows.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from planner import models as m
from planner import reports
from planner.errors import PlannerError
from planner.formatting import industry_choices
from planner.portfolio import ListFilter, Portfolio, columns_needed, select_accounts
from planner.widgets.account_table import COLUMNS, AccountTable
from planner.widgets.confirm import Confirm
from planner.widgets.record_form import RecordForm

ACCOUNT_FIELDS = (
    "name", "industry_id", "region", "account_class", "owner", "revenue", "profit", "influence",
    "input_people", "input_money", "input_material", "application_level", "problems",
    "procurement_method", "notes", "cadence_days",
)  # fmt: skip
NEXT_CLASS = {"A": "B", "B": "C", "C": "A"}


class CustomerListScreen(Screen):
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="list-filter", tooltip="Filter by name, industry or owner"),
        Binding("n", "new", "New", id="list-new", tooltip="Add an account"),
        Binding("e", "edit", "Edit", id="list-edit", tooltip="Edit the highlighted account"),
        Binding("d", "delete", "Delete", id="list-delete", tooltip="Delete the highlighted account (asks first)"),
        Binding("c", "cycle_class", "Class", id="list-cycle-class", tooltip="Change class: A → B → C → A"),
        Binding("s", "sort(1)", "Sort", id="list-sort", tooltip="Sort by the next column"),
        Binding("S", "sort(-1)", "Sort back", id="list-sort-back", show=False, tooltip="Sort by the previous column"),
        Binding("o", "reverse", "Order", id="list-reverse", show=False, tooltip="Reverse the sort order"),
        Binding("1", "toggle_class('A')", "A", id="list-only-a", show=False, tooltip="Show class A (toggle)"),
        Binding("2", "toggle_class('B')", "B", id="list-only-b", show=False, tooltip="Show class B (toggle)"),
        Binding("3", "toggle_class('C')", "C", id="list-only-c", show=False, tooltip="Show class C (toggle)"),
        Binding("k", "toggle('key_only')", "Key", id="list-only-key", show=False, tooltip="Key accounts only (toggle)"),
        Binding("t", "toggle('stale_only')", "Stale", id="list-only-stale", show=False, tooltip="Stale only (toggle)"),
        Binding("m", "toggle_mine", "Mine", id="list-only-mine", show=False, tooltip="My accounts only (toggle)"),
        Binding("0", "clear_filters", "All", id="list-clear-filters", show=False, tooltip="Clear every filter"),
        Binding("p", "portfolio", "Portfolio", id="list-portfolio", tooltip="Pareto curve, quadrant and funnel"),
        Binding("a", "agenda", "Agenda", id="list-agenda", tooltip="What to do today and this week"),
        Binding("w", "competitor_map", "Competitors", id="list-competitors", tooltip="Where each competitor is"),
        Binding("h", "history", "History", id="list-history", tooltip="Change log of the highlighted account"),
        Binding("u", "deleted", "Deleted", id="list-deleted", tooltip="Deleted accounts, to restore"),
        Binding("r", "reload", "Reload", id="list-reload", show=False, tooltip="Read the database again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.portfolio: Portfolio | None = None
        self.wanted = ListFilter()
        self.sort_index = next(i for i, (name, _, _) in enumerate(COLUMNS) if name == "revenue")
        self.descending = True
        self.industries: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter by name, industry or owner  (/)", id="filter")
        yield Static("", id="chips", markup=False)
        yield AccountTable(id="accounts")
        yield Static("Loading accounts…", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(AccountTable).focus()
        self.load()

    @property
    def table(self) -> AccountTable:
        return self.query_one(AccountTable)

    @work(thread=True, exclusive=True, group="load")
    def load(self, keep: str | None = None) -> None:
        """The list first, with what its current sort and filter need; the columns of
        the other sorts and filters and the red-flag counts after: at 10k accounts
        they take longer than the list, and the rep can start working meanwhile."""
        store, today = self.app.store, self.app.today()
        try:
            portfolio = reports.portfolio(store, today)
            portfolio.warm(*columns_needed(COLUMNS[self.sort_index][0], self.wanted))
            industries = industry_choices(store.list(m.Industry))
            self.app.call_from_thread(self._loaded, portfolio, industries, keep)
            portfolio.warm()  # every other sort and filter, so switching to one is instant
            flags = {account: len(found) for account, found in reports.red_flags(store, today).items()}
        except PlannerError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._flagged, flags)

    def _failed(self, message: str) -> None:
        if self.is_mounted:
            self.notify(message, title="Accounts not loaded", severity="error")
            self.query_one("#status", Static).update(f"{message} · r tries again")

    def _loaded(self, portfolio: Portfolio, industries, keep: str | None) -> None:
        if not self.is_mounted:  # the screen closed while the worker ran
            return
        self.portfolio = portfolio
        self.industries = industries
        current = self.table.current
        self._show(keep or (current.row.id if current else None))

    def _flagged(self, flags: dict[str, int]) -> None:
        if not self.is_mounted:
            return
        self.table.flags = flags
        if COLUMNS[self.sort_index][0] == "flags":
            self._show(self._current_id())
        else:
            self.table.refresh()

    def _show(self, keep: str | None = None) -> None:
        portfolio = self.portfolio
        if portfolio is None:
            return
        name = COLUMNS[self.sort_index][0]
        rows = select_accounts(portfolio, self.table.flags, self.wanted, name, self.descending)
        self.table.set_rows(rows, cursor=rows.position(keep) or 0)
        threshold = self.app.store.settings.key_threshold
        self.query_one("#status", Static).update(
            f"{len(rows)} of {len(portfolio)} accounts · {portfolio.key_count} key accounts carry {threshold:.0%} "
            "of revenue · Enter opens · ? keys"
        )
        chips = [f"sort: {COLUMNS[self.sort_index][1].title} {'↓' if self.descending else '↑'}"]
        if self.wanted.classes:
            chips.append("class " + "/".join(sorted(self.wanted.classes)))
        if self.wanted.key_only:
            chips.append("key only")
        if self.wanted.stale_only:
            chips.append("stale only")
        if self.wanted.owner is not None:
            chips.append(f"owner {self.wanted.owner}")
        self.query_one("#chips", Static).update("  ·  ".join(chips) + "   (1/2/3 k t m filter, 0 clears)")

    def _refilter(self, **changes: Any) -> None:
        self.wanted = replace(self.wanted, **changes)
        current = self.table.current
        self._show(current.row.id if current else None)

    @on(Input.Changed, "#filter")
    def _typed(self, event: Input.Changed) -> None:
        self._refilter(text=event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    @on(AccountTable.Selected)
    def _open(self, event: AccountTable.Selected) -> None:
        from planner.screens.account_overview import AccountOverviewScreen

        self.app.push_screen(AccountOverviewScreen(event.row.row.id), lambda _: self.load())

    @on(AccountTable.HeaderClicked)
    def _header(self, event: AccountTable.HeaderClicked) -> None:
        if event.column == self.sort_index:
            self.action_reverse()
        else:
            self.sort_index = event.column
            self.descending = COLUMNS[event.column][2]
            self._show(self._current_id())

    def _current_id(self) -> str | None:
        current = self.table.current
        return current.row.id if current else None

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def key_escape(self) -> None:
        if self.focused is self.query_one("#filter"):
            self.table.focus()

    def action_sort(self, step: int) -> None:
        self.sort_index = (self.sort_index + step) % len(COLUMNS)
        self.descending = COLUMNS[self.sort_index][2]
        self._show(self._current_id())

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._show(self._current_id())

    def action_toggle_class(self, account_class: str) -> None:
        self._refilter(classes=self.wanted.classes ^ {account_class})

    def action_toggle(self, name: str) -> None:
        self._refilter(**{name: not getattr(self.wanted, name)})

    def action_toggle_mine(self) -> None:
        self._refilter(owner=None if self.wanted.owner is not None else self.app.store.db.user)

    def action_clear_filters(self) -> None:
        self.query_one("#filter", Input).value = ""
        self._refilter(**vars(ListFilter()))

    def action_reload(self) -> None:
        self.load(self._current_id())

    def action_portfolio(self) -> None:
        from planner.screens.portfolio import PortfolioScreen

        self.app.push_screen(PortfolioScreen())

    def action_competitor_map(self) -> None:
        from planner.screens.competitor_map import CompetitorMapScreen

        self.app.push_screen(CompetitorMapScreen(), lambda _: self.load())

    def action_agenda(self) -> None:
        from planner.screens.agenda import AgendaScreen

        self.app.push_screen(AgendaScreen(), lambda _: self.load())

    def action_history(self) -> None:
        from planner.screens.history import HistoryScreen

        if self.table.current:
            row = self.table.current.row
            self.app.push_screen(HistoryScreen(m.Account, row.id, f"History of {row.name}"))

    def action_deleted(self) -> None:
        from planner.screens.history import DeletedScreen

        self.app.push_screen(DeletedScreen(None), lambda _: self.load())

    def action_new(self) -> None:
        store = self.app.store
        initial = {"account_class": "C", "owner": store.db.user, "influence": 3}
        form = RecordForm(
            "New account", m.Account, ACCOUNT_FIELDS, initial,
            lambda values: store.create(m.Account, **{**initial, **values}),
            choices={"industry_id": self.industries},
        )  # fmt: skip
        self.app.push_screen(form, self._saved)

    def action_edit(self) -> None:
        if self.table.current:
            self._edit(self.table.current.row.id)

    @work(thread=True, group="fetch")
    def _edit(self, account_id: str) -> None:
        try:
            account = self.app.store.get(m.Account, account_id)
        except PlannerError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._open_form, account)

    def _open_form(self, account: m.Account) -> None:
        store = self.app.store
        form = RecordForm(
            f"Edit {account.name}", m.Account, ACCOUNT_FIELDS, account.model_dump(),
            lambda values: store.update(m.Account, account.id, account.version, **values),
            choices={"industry_id": self.industries},
        )  # fmt: skip
        self.app.push_screen(form, self._saved)

    def _saved(self, account: m.Account | None) -> None:
        if account is not None:
            self.notify(f"Saved {account.name}.")
            self.load(account.id)

    def action_delete(self) -> None:
        current = self.table.current
        if current is None:
            return
        row = current.row
        question = f"Delete {row.name} and everything recorded about it? It can be restored from the history."
        self.app.push_screen(Confirm(question, yes="Delete"), lambda yes: yes and self._write("delete", row))

    def action_cycle_class(self) -> None:
        if self.table.current:
            self._write("class", self.table.current.row)

    @work(thread=True, group="write")
    def _write(self, what: str, row) -> None:
        store = self.app.store
        try:
            if what == "delete":
                store.delete(m.Account, row.id, row.version)
                message = f"Deleted {row.name}."
            else:
                account = store.update(m.Account, row.id, row.version, account_class=NEXT_CLASS[row.account_class])
                message = f"{row.name} is now class {account.account_class}."
        except PlannerError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
        else:
            self.app.call_from_thread(self.notify, message)
        self.app.call_from_thread(self.load, None if what == "delete" else row.id)
