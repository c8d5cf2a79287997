"""Where each competitor is present across the portfolio: every brand with the
accounts it competes at, most threatening first, so a rep sees which rival is
everywhere and where it goes unanswered. Enter opens that account's competitors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Static

from planner.core import competition
from planner.core.competition import Presence
from planner.core.i18n import N_, _, ngettext
from planner.screens.base import PlannerScreen
from planner.widgets.key_footer import KeyFooter
from planner.widgets.record_table import RecordTable, cell

if TYPE_CHECKING:
    from planner.store.store import Store


HEADS = (N_("Brand"), N_("Account"), N_("Class"), N_("Threat"), N_("Countered"))


class CompetitorMapScreen(PlannerScreen[list[Presence]]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="back", tooltip=N_("Back to the previous screen")),
        Binding("slash", "focus_filter", N_("Filter"), id="filter", tooltip=N_("Filter by brand or account")),
        Binding("r", "reload", N_("Reload"), id="reload", show=False, tooltip=N_("Read the database again")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Presence] = []
        self.first_of_brand: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("Filter by brand or account  (/)"), id="competitor-map-filter")
        yield RecordTable(HEADS, self._cells, id="competitor-map")
        yield Static(_("Loading competitors…"), id="competitor-map-status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Competitors across accounts")
        self.table.focus()

    @property
    def table(self) -> RecordTable:
        return self.query_one("#competitor-map", RecordTable)

    def fetch(self, store: Store) -> list[Presence]:
        return store.competitor_presence()

    def apply(self, data: list[Presence], keep: Any) -> None:
        self.rows = data
        self._show()

    def _show(self) -> None:
        shown = competition.matching(self.rows, self.query_one("#competitor-map-filter", Input).value)
        self.first_of_brand = {
            row.id for i, row in enumerate(shown) if i == 0 or shown[i - 1].competitor_id != row.competitor_id
        }
        self.table.show(shown)
        high = self.planner.settings.high_threat
        brands = len({row.competitor_id for row in self.rows})
        places = [row for row in self.rows if row.position_id]
        flagged = sum(competition.unanswered(row.threat, row.countered, high) for row in places)
        parts = (
            [_("{shown} of {total} shown").format(shown=len(shown), total=len(self.rows))]
            if len(shown) < len(self.rows)
            else []
        )
        parts += [
            ngettext("{count} brand", "{count} brands", brands).format(count=brands),
            ngettext("{count} position", "{count} positions", len(places)).format(count=len(places)),
        ]
        if flagged:
            parts.append(
                ngettext("{count} high threat unanswered ⚑", "{count} high threats unanswered ⚑", flagged).format(
                    count=flagged
                )
            )
        parts.append(_("Enter opens the account"))
        self.query_one("#competitor-map-status", Static).update(" · ".join(parts))

    def _cells(self, row: Presence) -> list[Text]:
        brand = cell(row.brand, 20) if row.id in self.first_of_brand else Text("")
        if row.position_id is None:
            return [brand, cell(_("not present at any account"), 24), Text(""), Text(""), Text("")]
        high = self.planner.settings.high_threat
        if row.countered:
            countered = _("yes")
        else:
            countered = _("no ⚑") if competition.unanswered(row.threat, False, high) else _("no")
        return [
            brand,
            cell(row.account_name, 24),
            Text(row.account_class),
            Text(competition.threat_bar(row.threat)),
            Text(countered),
        ]

    @on(Input.Changed, "#competitor-map-filter")
    def _typed(self) -> None:
        self._show()

    @on(Input.Submitted, "#competitor-map-filter")
    def _filter_done(self) -> None:
        self.table.focus()

    @on(DataTable.RowSelected, "#competitor-map")
    def _open(self) -> None:
        row = self.table.current
        if row is None:
            return
        if row.account_id is None:
            self.notify(_("{brand} is not recorded at any account yet.").format(brand=row.brand))
            return
        self.open("competitors", row.account_id)

    def action_focus_filter(self) -> None:
        self.query_one("#competitor-map-filter", Input).focus()

    def action_back(self) -> None:
        self.dismiss(None)
