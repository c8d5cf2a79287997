"""The home screen: every account with its 80/20 rank, quadrant, contact gap and flags.

The whole portfolio is loaded once per change (in a worker), column-wise; typing
in the filter, the quick filters and sorting pick positions in it in memory, and
the virtual table assembles and paints only the visible rows. It is the first
screen a rep sees, so this module imports nothing of the ORM: the list is drawn
first, and the red flags and the industries (for the account form) follow.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Input, Static

from planner.core.analysis import next_class
from planner.core.errors import PlannerError
from planner.core.formatting import percent
from planner.core.i18n import N_, _, ngettext
from planner.core.portfolio import ListFilter, Portfolio, columns_needed, select_accounts
from planner.screens.base import PlannerScreen
from planner.screens.confirm import Confirm
from planner.widgets.account_table import COLUMNS, AccountTable
from planner.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from planner.core.models import Account
    from planner.core.problems import DataProblem
    from planner.store.opening import Opening


def _account_model() -> type[Account]:
    """The Account model, imported on first use: the list is drawn before the ORM is loaded."""
    from planner.core.models import Account

    return Account


class CustomerListScreen(PlannerScreen[Portfolio]):
    BINDINGS = [
        Binding(
            "slash", "focus_filter", N_("Filter"), id="list-filter", tooltip=N_("Filter by name, industry or owner")
        ),
        Binding("n", "new", N_("New"), id="list-new", tooltip=N_("Add an account")),
        Binding("e", "edit", N_("Edit"), id="list-edit", tooltip=N_("Edit the highlighted account")),
        Binding(
            "d", "delete", N_("Delete"), id="list-delete", tooltip=N_("Delete the highlighted account (asks first)")
        ),
        Binding("c", "cycle_class", N_("Class"), id="list-cycle-class", tooltip=N_("Change class: A → B → C → A")),
        Binding("s", "sort(1)", N_("Sort"), id="list-sort", tooltip=N_("Sort by the next column")),
        Binding(
            "S", "sort(-1)", N_("Sort back"), id="list-sort-back", show=False, tooltip=N_("Sort by the previous column")
        ),
        Binding("o", "reverse", N_("Order"), id="list-reverse", show=False, tooltip=N_("Reverse the sort order")),
        Binding("1", "toggle_class('A')", N_("A"), id="list-only-a", show=False, tooltip=N_("Show class A (toggle)")),
        Binding("2", "toggle_class('B')", N_("B"), id="list-only-b", show=False, tooltip=N_("Show class B (toggle)")),
        Binding("3", "toggle_class('C')", N_("C"), id="list-only-c", show=False, tooltip=N_("Show class C (toggle)")),
        Binding(
            "k",
            "toggle_filter('key_only')",
            N_("Key"),
            id="list-only-key",
            show=False,
            tooltip=N_("Key accounts only (toggle)"),
        ),
        Binding(
            "t",
            "toggle_filter('stale_only')",
            N_("Stale"),
            id="list-only-stale",
            show=False,
            tooltip=N_("Stale only (toggle)"),
        ),
        Binding(
            "m", "toggle_mine", N_("Mine"), id="list-only-mine", show=False, tooltip=N_("My accounts only (toggle)")
        ),
        Binding("0", "clear_filters", N_("All"), id="list-clear-filters", show=False, tooltip=N_("Clear every filter")),
        Binding(
            "p", "portfolio", N_("Portfolio"), id="list-portfolio", tooltip=N_("Pareto curve, quadrant and funnel")
        ),
        Binding("a", "agenda", N_("Agenda"), id="list-agenda", tooltip=N_("What to do today and this week")),
        Binding(
            "w",
            "competitor_map",
            N_("Competitors"),
            id="list-competitors",
            show=False,
            tooltip=N_("Where each competitor is"),
        ),
        Binding(
            "h",
            "history",
            N_("History"),
            id="list-history",
            show=False,
            tooltip=N_("Change log of the highlighted account"),
        ),
        Binding(
            "u", "deleted", N_("Deleted"), id="list-deleted", show=False, tooltip=N_("Deleted accounts, to restore")
        ),
        Binding(
            "i",
            "industries",
            N_("Industries"),
            id="list-industries",
            show=False,
            tooltip=N_("Industries and how they buy"),
        ),
        Binding(
            "P",
            "people",
            N_("Find people"),
            id="list-people",
            show=False,
            tooltip=N_("Find a person by name, title or pinyin, in every account"),
        ),
        Binding("r", "reload", N_("Reload"), id="list-reload", show=False, tooltip=N_("Read the database again")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.portfolio: Portfolio | None = None
        self.wanted = ListFilter()
        self.sort_index = next(i for i, (name, *__) in enumerate(COLUMNS) if name == "revenue")
        self.descending = True
        self.industries: list[tuple[str, str]] = []
        self._told_problems = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("Filter by name, industry or owner  (/)"), id="filter")
        yield Static("", id="chips", markup=False)
        yield AccountTable(id="accounts")
        yield Static(_("Loading accounts…"), id="status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(AccountTable).focus()

    @property
    def table(self) -> AccountTable:
        return self.query_one(AccountTable)

    # --- load → apply --------------------------------------------------------------------

    def snapshot(self, opening: Opening) -> tuple[int, Portfolio]:
        """The list first, with what its current sort and filter need, read with the
        driver alone on the first start; the other columns, the red-flag counts and the
        industries follow (`_follow_up`): at 10k accounts they take longer than the list,
        and the rep can start working meanwhile."""
        seq, listing = opening.listing()
        portfolio = Portfolio(listing, opening.settings, self.today())
        portfolio.warm(*columns_needed(COLUMNS[self.sort_index][0], self.wanted))
        return seq, portfolio

    def apply(self, data: Portfolio, keep: Any) -> None:
        self.portfolio = data
        current = self.table.current
        self._show(keep or (current.row.id if current else None))
        # After the list is on screen: the follow-up may import the ORM, and would hold
        # up the very paint it waits behind.
        generation = self._generation
        self.call_after_refresh(lambda: self.run_worker(self._follow_up(data, generation), group="follow-up"))

    async def _follow_up(self, portfolio: Portfolio, generation: int) -> None:
        app, today = self.planner, self.today()

        def more() -> tuple[dict[str, int], list[tuple[str, str]], list[DataProblem]]:
            portfolio.warm()  # every other sort and filter, so switching to one is instant
            flags = {account: len(found) for account, found in app.store.red_flags(today).items()}
            return flags, app.store.industry_choices(), app.store.data_problems()

        try:
            flags, industries, problems = await asyncio.to_thread(more)
        except PlannerError as error:
            self.load_failed(error)
            return
        if generation == self._generation and self.is_attached:
            self._tell_problems(problems)
            self.industries = industries
            self.table.flags = flags
            if COLUMNS[self.sort_index][0] == "flags":
                self._show(self._current_id())
            else:
                self.table.refresh()

    def _tell_problems(self, problems: list[DataProblem]) -> None:
        """Once: values stored in the wrong form (a hand edit), and where."""
        if problems and not self._told_problems:
            self._told_problems = True
            first, more = problems[0].message, len(problems) - 1
            message = (
                _("{problem} (and {n} more; `planner check` lists them)").format(problem=first, n=more)
                if more
                else first
            )
            self.notify(message, title=_("A value in the wrong form"), severity="warning", timeout=20)

    def load_failed(self, error: PlannerError) -> None:
        self.notify(str(error), title=_("Accounts not loaded"), severity="error")
        self.query_one("#status", Static).update(_("{error} · r tries again").format(error=error))

    def _show(self, keep: str | None = None) -> None:
        portfolio = self.portfolio
        if portfolio is None:
            return
        name = COLUMNS[self.sort_index][0]
        rows = select_accounts(portfolio, self.table.flags, self.wanted, name, self.descending)
        self.table.set_rows(rows, cursor=rows.position(keep) or 0)
        total = len(portfolio)
        if rows:
            shown = _("{shown} of {total} accounts · Enter opens").format(shown=len(rows), total=total)
        elif total:
            shown = _("No account matches (of {total}): 0 clears the filters").format(total=total)
        else:
            shown = _("No accounts yet: n adds one")
        key = ngettext(
            "{n} key account carry {share} of revenue", "{n} key accounts carry {share} of revenue", portfolio.key_count
        ).format(n=portfolio.key_count, share=percent(portfolio.key_share))
        self.query_one("#status", Static).update(_("{shown} · {key} · ? keys").format(shown=shown, key=key))
        arrow = "↓" if self.descending else "↑"
        chips = [_("sort: {column} {arrow}").format(column=_(COLUMNS[self.sort_index][1].title), arrow=arrow)]
        if self.wanted.classes:
            chips.append(_("class {classes}").format(classes="/".join(sorted(self.wanted.classes))))
        if self.wanted.key_only:
            chips.append(_("key only"))
        if self.wanted.stale_only:
            chips.append(_("stale only"))
        if self.wanted.owner is not None:
            chips.append(_("owner {owner}").format(owner=self.wanted.owner))
        self.query_one("#chips", Static).update("  ·  ".join(chips) + _("   (1/2/3 k t m filter, 0 clears)"))

    def _refilter(self, **changes: Any) -> None:
        self.wanted = replace(self.wanted, **changes)
        self._show(self._current_id())

    def _current_id(self) -> str | None:
        current = self.table.current
        return current.row.id if current else None

    # --- filter and sort ------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _typed(self, event: Input.Changed) -> None:
        self._refilter(text=event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    @on(AccountTable.HeaderClicked)
    def _header(self, event: AccountTable.HeaderClicked) -> None:
        if event.column == self.sort_index:
            self.action_reverse()
        else:
            self.sort_index = event.column
            self.descending = COLUMNS[event.column][2]
            self._show(self._current_id())

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

    def action_toggle_filter(self, name: str) -> None:
        self._refilter(**{name: not getattr(self.wanted, name)})

    def action_toggle_mine(self) -> None:
        self._refilter(owner=None if self.wanted.owner is not None else self.planner.user)

    def action_clear_filters(self) -> None:
        self.query_one("#filter", Input).value = ""
        self._refilter(**vars(ListFilter()))

    # --- other screens ------------------------------------------------------------------------

    @on(AccountTable.Selected)
    def _open(self, event: AccountTable.Selected) -> None:
        self.open("account", event.row.row.id)

    def action_portfolio(self) -> None:
        self.open("portfolio")

    def action_competitor_map(self) -> None:
        self.open("competitor-map")

    def action_agenda(self) -> None:
        self.open("agenda")

    def action_history(self) -> None:
        if self.table.current:
            row = self.table.current.row
            self.open("history", _account_model(), row.id, _("History of {name}").format(name=row.name))

    def action_deleted(self) -> None:
        self.open("deleted", None)

    def action_industries(self) -> None:
        self.open("industries")

    def action_people(self) -> None:
        self.open("people-search")

    # --- changes --------------------------------------------------------------------------------

    def action_new(self) -> None:
        self.open("account-form", None, self.industries, self.planner.user, then=self._saved)

    def action_edit(self) -> None:
        if self.table.current:
            account_id = self.table.current.row.id
            self.read_then(
                lambda store: store.get(_account_model(), account_id),
                lambda account: self.open("account-form", account, self.industries, then=self._saved),
            )

    def _saved(self, account: Account | None) -> None:
        if account is not None:
            self.notify(_("Saved {name}.").format(name=account.name))
            self.reload(account.id)

    def action_delete(self) -> None:
        current = self.table.current
        if current is None:
            return
        row = current.row
        question = _("Delete {name} and everything recorded about it? It can be restored from the history.").format(
            name=row.name
        )
        deleted = _("Deleted {name}.").format(name=row.name)

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda store: store.delete(_account_model(), row.id, row.version), success=deleted)

        self.app.push_screen(Confirm(question, yes=_("Delete")), answered)

    def action_cycle_class(self) -> None:
        current = self.table.current
        if current is None:
            return
        row = current.row
        self.write(
            lambda store: store.update(
                _account_model(), row.id, row.version, account_class=next_class(row.account_class)
            ),
            keep=row.id,
            success=lambda account: _("{name} is now class {account_class}.").format(
                name=row.name, account_class=account.account_class
            ),
            again=self.action_cycle_class,
        )
