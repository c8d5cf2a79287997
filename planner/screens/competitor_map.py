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
from planner.core.formatting import count
from planner.screens.base import PlannerScreen
from planner.widgets.key_footer import KeyFooter
from planner.widgets.record_table import RecordTable, cell

if TYPE_CHECKING:
    from planner.store.store import Store


class CompetitorMapScreen(PlannerScreen[list[Presence]]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back", tooltip="Back to the previous screen"),
        Binding("slash", "focus_filter", "Filter", id="filter", tooltip="Filter by brand or account"),
        Binding("r", "reload", "Reload", id="reload", show=False, tooltip="Read the database again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Presence] = []
        self.first_of_brand: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter by brand or account  (/)", id="competitor-map-filter")
        yield RecordTable(("Brand", "Account", "Class", "Threat", "Countered"), self._cells, id="competitor-map")
        yield Static("Loading competitors…", id="competitor-map-status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Competitors across accounts"
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
        parts = [f"{len(shown)} of {len(self.rows)} shown"] if len(shown) < len(self.rows) else []
        parts += [count(brands, "brand"), count(len(places), "position")]
        if flagged:
            parts.append(f"{count(flagged, 'high threat')} unanswered ⚑")
        self.query_one("#competitor-map-status", Static).update(" · ".join([*parts, "Enter opens the account"]))

    def _cells(self, row: Presence) -> list[Text]:
        brand = cell(row.brand, 20) if row.id in self.first_of_brand else Text("")
        if row.position_id is None:
            return [brand, cell("not present at any account", 24), Text(""), Text(""), Text("")]
        high = self.planner.settings.high_threat
        countered = "yes" if row.countered else "no ⚑" if competition.unanswered(row.threat, False, high) else "no"
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
            self.notify(f"{row.brand} is not recorded at any account yet.")
            return
        self.open("competitors", row.account_id)

    def action_focus_filter(self) -> None:
        self.query_one("#competitor-map-filter", Input).focus()

    def action_back(self) -> None:
        self.dismiss(None)
