"""The portfolio at a glance: the 80/20 curve, the input-output quadrant, the funnel.

One chart at a time (keys 1/2/3) so each keeps the whole screen and stays legible at
80x24. The figures come from the core in a worker; the charts only draw them.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from planner import analysis, reports
from planner.formatting import percent
from planner.widgets.funnel_chart import FunnelChart
from planner.widgets.pareto_chart import ParetoChart
from planner.widgets.quadrant_chart import QuadrantChart


def summary(entries: Sequence[analysis.ParetoEntry], threshold: float) -> str:
    """The one-line verdict above the charts: how few accounts carry the revenue."""
    keys = [entry for entry in entries if entry.key]
    carried = sum(entry.share for entry in keys)
    return (
        f"{len(entries):,} accounts · {len(keys):,} key accounts carry {percent(carried)} of revenue "
        f"(threshold {threshold:.0%})"
    )


class PortfolioScreen(Screen):
    """Read-only analyses of the whole portfolio, recomputed on `r`."""

    SUB_TITLE = "Portfolio"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="portfolio-back", tooltip="Return to the previous screen"),
        Binding("r", "reload", "Reload", id="portfolio-reload", tooltip="Recompute the figures from the database"),
        Binding(
            "1",
            "view('pareto')",
            "Pareto",
            id="portfolio-pareto",
            tooltip="Cumulative share of revenue by account rank, key accounts highlighted",
        ),
        Binding(
            "2",
            "view('quadrant')",
            "Quadrant",
            id="portfolio-quadrant",
            tooltip="Accounts placed by output against input; focus in on high output",
        ),
        Binding(
            "3",
            "view('funnel')",
            "Funnel",
            id="portfolio-funnel",
            tooltip="Accounts and value per class, projects per stage",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="portfolio-summary")
        with TabbedContent(id="portfolio-views"):
            with TabPane("1 Pareto 80/20", id="pareto"):
                yield ParetoChart()
            with TabPane("2 Input-output", id="quadrant"):
                yield QuadrantChart()
            with TabPane("3 Funnel", id="funnel"):
                yield FunnelChart()
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.query_one("#portfolio-summary", Static).update("Loading the portfolio…")
        self.query_one(TabbedContent).loading = True
        self.load()

    def action_view(self, view: str) -> None:
        self.query_one(TabbedContent).active = view

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        store = self.app.store
        portfolio = reports.portfolio(store, self.app.today())
        entries, placed = tuple(portfolio.pareto_entries), tuple(portfolio.quadrants)
        funnel = reports.funnel(store)
        self.app.call_from_thread(self.show, entries, placed, funnel, store.settings.key_threshold)

    def show(
        self,
        entries: tuple[analysis.ParetoEntry, ...],
        placed: tuple[analysis.QuadrantEntry, ...],
        funnel: analysis.Funnel,
        threshold: float,
    ) -> None:
        self.query_one("#portfolio-summary", Static).update(summary(entries, threshold))
        self.query_one(TabbedContent).loading = False
        pareto = self.query_one(ParetoChart)
        pareto.threshold = threshold
        pareto.entries = entries
        self.query_one(QuadrantChart).entries = placed
        self.query_one(FunnelChart).funnel = funnel
