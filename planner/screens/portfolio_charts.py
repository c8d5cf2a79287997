"""The portfolio at a glance: the 80/20 curve, the input-output quadrant, the funnel.

One chart at a time (keys 1/2/3) so each keeps the whole screen and stays legible at
80x24. The figures come from the core in a worker; the charts only draw them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static, TabbedContent, TabPane

from planner.core import analysis
from planner.core.formatting import percent
from planner.screens.base import PlannerScreen
from planner.widgets.funnel_chart import FunnelChart
from planner.widgets.key_footer import KeyFooter
from planner.widgets.pareto_chart import ParetoChart
from planner.widgets.quadrant_chart import QuadrantChart

if TYPE_CHECKING:
    from planner.store.store import Store


class Figures(NamedTuple):
    entries: tuple[analysis.ParetoEntry, ...]
    placed: tuple[analysis.QuadrantEntry, ...]
    funnel: analysis.Funnel
    threshold: float


def summary(entries: Sequence[analysis.ParetoEntry], threshold: float) -> str:
    """The one-line verdict above the charts: how few accounts carry the revenue."""
    keys = [entry for entry in entries if entry.key]
    carried = sum(entry.share for entry in keys)
    return (
        f"{len(entries):,} accounts · {len(keys):,} key accounts carry {percent(carried)} of revenue "
        f"(threshold {threshold:.0%})"
    )


class PortfolioChartsScreen(PlannerScreen[Figures]):
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
            "Input-output",
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
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#portfolio-summary", Static).update("Loading the portfolio…")
        self.query_one(TabbedContent).loading = True

    def action_view(self, view: str) -> None:
        self.query_one(TabbedContent).active = view

    def fetch(self, store: Store) -> Figures:
        portfolio = store.portfolio(self.today())
        return Figures(
            tuple(portfolio.pareto_entries), tuple(portfolio.quadrants), store.funnel(), store.settings.key_threshold
        )

    def apply(self, data: Figures, keep: Any) -> None:
        self.query_one("#portfolio-summary", Static).update(summary(data.entries, data.threshold))
        self.query_one(TabbedContent).loading = False
        pareto = self.query_one(ParetoChart)
        pareto.threshold = data.threshold
        pareto.entries = data.entries
        self.query_one(QuadrantChart).entries = data.placed
        self.query_one(FunnelChart).funnel = data.funnel
