"""The home screen: every account with its 80/20 rank, quadrant and contact gap."""

from __future__ import annotations

from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from planner import reports
from planner.formatting import money, percent

COLUMNS = ("Name", "Industry", "Class", "Revenue", "Share", "Cum.", "Key", "Quadrant", "Days", "Owner")


class CustomerListScreen(Screen):
    """Read-only for now: the portfolio, ranked figures computed by the core."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="accounts", cursor_type="row", zebra_stripes=True)
        yield Static("Loading accounts…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*COLUMNS)
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        summaries = reports.portfolio(self.app.store, date.today())
        self.app.call_from_thread(self.show, summaries)

    def show(self, summaries: list[reports.AccountSummary]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for s in summaries:
            row = s.row
            days = "never" if s.cadence.days_since is None else str(s.cadence.days_since)
            table.add_row(
                row.name,
                f"{row.industry} ({row.tier})" if row.industry else "",
                row.account_class,
                money(row.revenue),
                percent(s.pareto.share),
                percent(s.pareto.cumulative),
                "★" if s.pareto.key else "",
                s.quadrant.quadrant,
                f"{days} !" if s.cadence.stale else days,
                row.owner,
                key=row.id,
            )
        key_count = sum(s.pareto.key for s in summaries)
        self.query_one("#status", Static).update(
            f"{len(summaries)} accounts · {key_count} key accounts carry "
            f"{self.app.store.settings.key_threshold:.0%} of revenue"
        )
