"""Competitors at one account (method section 3.4): who they are, how they stand with
the customer, and whether each high threat is being answered.

Brands are shared: a position picks an existing brand or adds one, and editing the
brand (b) changes it at every account. A high threat without a counter-action is a
red flag, so the list marks it and `a` adds the action that answers it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from planner.core import competition
from planner.core import models as m
from planner.core.competition import POSITION_FIELDS, AccountCompetitors, PositionRow
from planner.core.formatting import name_key
from planner.core.i18n import N_, _, ngettext
from planner.screens.base import AccountScreen
from planner.screens.brand_picker import NEW_BRAND, BrandPicker
from planner.screens.confirm import Confirm
from planner.screens.record_form import RecordForm
from planner.widgets.key_footer import KeyFooter
from planner.widgets.position_detail import PositionDetail
from planner.widgets.record_table import RecordTable, cell

if TYPE_CHECKING:
    from planner.store.store import Store

BRAND_FIELDS = ("name", "notes")
COUNTER_FIELDS = ("title", "owner", "due_date")
EMPTY = N_("No competitors recorded at this account yet. Press n to add one.")
HEADS = (N_("Brand"), N_("Partner"), N_("Threat"), N_("Counter-action"))
HIGHLIGHT_FIRST = {
    "edit": N_("Highlight a competitor to edit (n adds one)."),
    "edit its brand": N_("Highlight a competitor to edit its brand (n adds one)."),
    "counter": N_("Highlight a competitor to counter (n adds one)."),
    "delete": N_("Highlight a competitor to delete (n adds one)."),
    "see its history": N_("Highlight a competitor to see its history (n adds one)."),
}
"""What `_highlighted` says for each doing when no competitor is highlighted."""


class CompetitorsScreen(AccountScreen[AccountCompetitors]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="back", tooltip=N_("Back to the previous screen")),
        Binding("n", "new", N_("New"), id="new", tooltip=N_("Add a competitor here: pick its brand or add a new one")),
        Binding(
            "e", "edit", N_("Edit"), id="edit", tooltip=N_("Edit the highlighted competitor's position (or Enter)")
        ),
        Binding("d", "delete", N_("Delete"), id="delete", tooltip=N_("Delete the highlighted position (asks first)")),
        Binding(
            "a",
            "counter",
            N_("Counter"),
            id="counter-action",
            tooltip=N_("Add an action countering this competitor"),
        ),
        Binding(
            "b",
            "edit_brand",
            N_("Brand"),
            id="edit-brand",
            tooltip=N_("Edit the brand's name and notes (all accounts)"),
        ),
        Binding(
            "h",
            "history",
            N_("History"),
            id="competitor-history",
            show=False,
            tooltip=N_("Change log of the highlighted position"),
        ),
        Binding("w", "map", N_("Map"), id="competitor-map", tooltip=N_("Where every competitor is present")),
        Binding("r", "reload", N_("Reload"), id="reload", show=False, tooltip=N_("Read the database again")),
    ]

    def __init__(self, account_id: str):
        super().__init__(account_id)
        self.account: m.Account | None = None
        self.rows: list[PositionRow] = []
        self.brands: list[m.Competitor] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading competitors…"), id="competitors-status", markup=False)
        yield RecordTable(HEADS, self._cells, id="positions")
        yield PositionDetail(id="position-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.table.focus()

    @property
    def table(self) -> RecordTable:
        return self.query_one("#positions", RecordTable)

    @property
    def high_threat(self) -> int:
        return self.planner.settings.high_threat

    def fetch(self, store: Store) -> AccountCompetitors:
        return store.competitors_at(self.account_id)

    def apply(self, data: AccountCompetitors, keep: Any) -> None:
        self.account, self.rows, self.brands = data.account, data.positions, data.brands
        rows = data.positions
        self.sub_title = _("{account} · competitors").format(account=data.account.name)
        self.table.show(rows, keep)
        flagged = sum(competition.unanswered(r.threat, r.countered, self.high_threat) for r in rows)
        parts = [ngettext("{count} competitor", "{count} competitors", len(rows)).format(count=len(rows))]
        if flagged:
            parts.append(
                ngettext(
                    "{count} high threat without a counter-action ⚑",
                    "{count} high threats without a counter-action ⚑",
                    flagged,
                ).format(count=flagged)
            )
        parts.append(_("Enter edits · ? keys"))
        self.query_one("#competitors-status", Static).update(" · ".join(parts))
        self._show_detail()

    def _cells(self, row: PositionRow) -> list[Text]:
        return [
            cell(row.brand, 22),
            cell(row.partner or "—", 20),
            cell(competition.threat_bar(row.threat), 9),
            cell(competition.counter_status(row.threat, row.countered, self.high_threat), 19),
        ]

    @on(DataTable.RowHighlighted, "#positions")
    def _show_detail(self) -> None:
        self.query_one(PositionDetail).show(self.table.current, self.high_threat, _(EMPTY))

    @on(DataTable.RowSelected, "#positions")
    def _row_chosen(self) -> None:
        self.action_edit()

    def _highlighted(self, doing: str) -> PositionRow | None:
        row = self.table.current
        if row is None:
            self.notify(_(HIGHLIGHT_FIRST[doing]))
        return row

    def action_back(self) -> None:
        self.dismiss(None)

    def action_new(self) -> None:
        if self.account is None:
            return
        present = {row.competitor_id for row in self.rows}
        self.app.push_screen(BrandPicker(self.brands, present, self.account.name), self._brand_picked)

    def _brand_picked(self, choice: str | None) -> None:
        if choice == NEW_BRAND:
            form = RecordForm(
                _("New competitor brand (shared by every account)"), m.Competitor, BRAND_FIELDS, {},
                lambda store, values: store.create(m.Competitor, **values),
                question=self._duplicate_brand,
            )  # fmt: skip
            self.app.push_screen(form, self._brand_added)
        elif choice is not None:
            brand = next(b for b in self.brands if b.id == choice)
            self._new_position(brand.id, brand.name)

    @staticmethod
    def _duplicate_brand(store: Store, values: dict[str, Any]) -> str | None:
        name = name_key(values.get("name", ""))
        if any(name_key(b.name) == name for b in store.list(m.Competitor)):
            return _("A brand named {name} already exists; pick it from the list to reuse it. Add anyway?").format(
                name=repr(values["name"])
            )
        return None

    def _brand_added(self, brand: m.Competitor | None) -> None:
        if brand is not None:
            self.reload()
            self._new_position(brand.id, brand.name)

    def _new_position(self, competitor_id: str, brand: str) -> None:
        account_id = self.account_id
        initial = {"threat": 3}
        form = RecordForm(
            self._at(brand), m.CompetitorPosition, POSITION_FIELDS, initial,
            lambda store, values: store.create(
                m.CompetitorPosition, account_id=account_id, competitor_id=competitor_id, **{**initial, **values}
            ),
        )  # fmt: skip
        self.app.push_screen(form, self._saved)

    def _at(self, brand: str) -> str:
        """A position form's title: "Huawei at City Bank"."""
        if self.account is None:
            return _("{brand} at this account").format(brand=brand)
        return _("{brand} at {account}").format(brand=brand, account=self.account.name)

    def action_edit(self) -> None:
        row = self._highlighted("edit")
        if row is not None:
            form = RecordForm(
                self._at(row.brand), m.CompetitorPosition, POSITION_FIELDS, row._asdict(),
                lambda store, values: store.update(m.CompetitorPosition, row.id, row.version, **values),
            )  # fmt: skip
            self.app.push_screen(form, self._saved)

    def action_edit_brand(self) -> None:
        row = self._highlighted("edit its brand")
        if row is not None:
            form = RecordForm(
                _("Brand {brand} (changes it at every account)").format(brand=row.brand), m.Competitor, BRAND_FIELDS,
                {"name": row.brand, "notes": row.brand_notes},
                lambda store, values: store.update(m.Competitor, row.competitor_id, row.brand_version, **values),
            )  # fmt: skip
            self.app.push_screen(form, self._saved)

    def action_counter(self) -> None:
        row = self._highlighted("counter")
        if row is not None:
            account_id = self.account_id
            initial = {"owner": self.planner.user}
            form = RecordForm(
                _("Counter-action against {brand}").format(brand=row.brand), m.Action, COUNTER_FIELDS, initial,
                lambda store, values: store.create(
                    m.Action, account_id=account_id, competitor_position_id=row.id, **{**initial, **values}
                ),
            )  # fmt: skip
            self.app.push_screen(form, self._saved)

    def _saved(self, result: Any | None) -> None:
        if result is not None:
            self.notify(_("Saved."))
            self.reload(result.id if isinstance(result, m.CompetitorPosition) else None)

    def action_delete(self) -> None:
        row = self._highlighted("delete")
        if row is not None:
            question = _(
                "Delete {brand} at this account? The brand stays for other accounts and its "
                "counter-actions stay on the board; it can be restored from the history."
            ).format(brand=row.brand)

            def answered(yes: bool | None) -> None:
                if yes:
                    self.write(lambda store: store.delete(m.CompetitorPosition, row.id, row.version))

            self.app.push_screen(Confirm(question, yes=_("Delete")), answered)

    def action_history(self) -> None:
        row = self._highlighted("see its history")
        if row is not None:
            self.open(
                "history", m.CompetitorPosition, row.id, _("History of competitor {brand}").format(brand=row.brand)
            )

    def action_map(self) -> None:
        self.open("competitor-map")
