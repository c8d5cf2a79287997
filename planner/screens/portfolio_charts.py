"""The portfolio at a glance: the 80/20 curve, the input-output quadrant, the funnel
and its moves over a period (this quarter first; `[` `]` step, `y` a whole year).

One chart at a time (keys 1/2/3) so each keeps the whole screen and stays legible at
80x24. The figures come from the core in a worker; the charts only draw them. The
curve and the quadrant have a cursor on an account: arrows move it, the line under
the chart names it, enter opens it; the chart names it and the biggest accounts
that fit beside their points.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane, Tabs

from planner.core import analysis
from planner.core.formatting import percent
from planner.core.funnel_moves import Move, Period, quarter_of
from planner.core.i18n import N_, _, ngettext
from planner.screens.base import PlannerScreen
from planner.widgets.funnel_chart import FunnelChart
from planner.widgets.funnel_moves import FunnelMoves
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
    period: Period
    moves: list[Move]
    names: dict[str, str]


def summary(entries: Sequence[analysis.ParetoEntry], threshold: float) -> str:
    """The one-line verdict above the charts: how few accounts carry the revenue."""
    keys = [entry for entry in entries if entry.key]
    carried = sum(entry.share for entry in keys)
    accounts = ngettext("{count} account", "{count} accounts", len(entries)).format(count=f"{len(entries):,}")
    carry = ngettext(
        "{count} key account carries {share} of revenue (threshold {threshold})",
        "{count} key accounts carry {share} of revenue (threshold {threshold})",
        len(keys),
    ).format(count=f"{len(keys):,}", share=percent(carried), threshold=f"{threshold:.0%}")
    return f"{accounts} · {carry}"


class PortfolioChartsScreen(PlannerScreen[Figures]):
    """Read-only analyses of the whole portfolio, recomputed on `r`."""

    SUB_TITLE = N_("Portfolio")
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="portfolio-back",
                tooltip=N_("Return to the previous screen")),
        Binding("r", "reload", N_("Reload"), id="portfolio-reload",
                tooltip=N_("Recompute the figures from the database")),
        Binding("1", "view('pareto')", N_("Pareto"), id="portfolio-pareto",
                tooltip=N_("Cumulative share of revenue by account rank, key accounts highlighted")),
        Binding("2", "view('quadrant')", N_("Input-output"), id="portfolio-quadrant",
                tooltip=N_("Accounts placed by output against input; focus in on high output")),
        Binding("3", "view('funnel')", N_("Funnel"), id="portfolio-funnel",
                tooltip=N_("Accounts and value per class, projects per stage, and the moves between classes")),
        Binding("left_square_bracket", "period(-1)", N_("Earlier"), id="portfolio-period-earlier",
                tooltip=N_("The funnel's moves in the quarter (or year) before")),
        Binding("right_square_bracket", "period(1)", N_("Later"), id="portfolio-period-later",
                tooltip=N_("The funnel's moves in the quarter (or year) after")),
        Binding("y", "period_span", N_("Year/quarter"), id="portfolio-period-span", show=False,
                tooltip=N_("The funnel's moves over the whole year, or back to its first quarter")),
    ]  # fmt: skip
    DEFAULT_CSS = """
    #funnel FunnelChart { height: 12; }
    #chart-cursor { height: 1; padding: 0 1; color: $text; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.period: Period | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="portfolio-summary", markup=False)
        with TabbedContent(id="portfolio-views"):
            with TabPane(_("1 Pareto 80/20"), id="pareto"):
                yield ParetoChart()
            with TabPane(_("2 Input-output"), id="quadrant"):
                yield QuadrantChart()
            with TabPane(_("3 Funnel"), id="funnel"):
                yield FunnelChart()
                yield FunnelMoves()
        yield Static(id="chart-cursor", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = _(self.SUB_TITLE)
        self.query_one("#portfolio-summary", Static).update(_("Loading the portfolio…"))
        self.query_one(TabbedContent).loading = True

    def action_view(self, view: str) -> None:
        self.query_one(TabbedContent).active = view

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The period keys belong to the funnel tab."""
        if action in ("period", "period_span"):
            return self.query_one(TabbedContent).active == "funnel"
        return True

    @on(TabbedContent.TabActivated)
    def _tab_shown(self) -> None:
        """The funnel tab lands on its table of moves: arrows pick one, enter its accounts."""
        self.refresh_bindings()
        tabs = self.query_one(TabbedContent)
        if tabs.active == "funnel":
            self.call_after_refresh(self._focus_moves)
        else:  # the chart takes the arrows; Tabs would switch tabs with them
            self.call_after_refresh(self._focus_chart)
        self._show_cursor()

    def _focus_moves(self) -> None:
        """Only while the funnel is still shown: focusing inside a hidden tab shows it."""
        if self.query_one(TabbedContent).active == "funnel":
            self.query_one("#moves-table").focus()

    def _chart(self) -> ParetoChart | QuadrantChart | None:
        active = self.query_one(TabbedContent).active
        if active == "pareto":
            return self.query_one(ParetoChart)
        if active == "quadrant":
            return self.query_one(QuadrantChart)
        return None

    def _focus_chart(self) -> None:
        chart = self._chart()
        if chart is not None:
            chart.focus()
        elif isinstance(self.focused, DataTable):  # the funnel's, now hidden
            self.query_one(TabbedContent).query_one(Tabs).focus()

    def _show_cursor(self) -> None:
        """The line under the chart names the cursor's account (the funnel has none)."""
        chart = self._chart()
        line = self.query_one("#chart-cursor", Static)
        line.display = chart is not None
        if chart is not None:
            line.update(chart.status(self.size.width - 2) if chart.entries else "")

    @on(ParetoChart.Pointed)
    @on(QuadrantChart.Pointed)
    def _pointed(self) -> None:
        self._show_cursor()

    @on(ParetoChart.Chosen)
    @on(QuadrantChart.Chosen)
    def _chosen(self, event: ParetoChart.Chosen | QuadrantChart.Chosen) -> None:
        self.open("account", event.account_id)

    def action_period(self, step: int) -> None:
        if self.period is not None:
            self.period = self.period.shifted(step)
            self.reload()

    def action_period_span(self) -> None:
        if self.period is not None:
            self.period = self.period.toggled()
            self.reload()

    @on(FunnelMoves.AccountChosen)
    def _open_account(self, event: FunnelMoves.AccountChosen) -> None:
        self.open("account", event.account_id)

    def fetch(self, store: Store) -> Figures:
        portfolio = store.portfolio(self.today())
        period = self.period or quarter_of(self.today())
        return Figures(
            tuple(portfolio.pareto_entries),
            tuple(portfolio.quadrants),
            store.funnel(),
            store.settings.key_threshold,
            period,
            store.funnel_moves(period),
            dict(zip(portfolio.columns.id, portfolio.columns.name, strict=True)),
        )

    def apply(self, data: Figures, keep: Any) -> None:
        self.query_one("#portfolio-summary", Static).update(summary(data.entries, data.threshold))
        self.query_one(TabbedContent).loading = False
        pareto = self.query_one(ParetoChart)
        pareto.threshold = data.threshold
        pareto.names = data.names
        pareto.entries = data.entries
        quadrant = self.query_one(QuadrantChart)
        quadrant.names = data.names
        quadrant.order = tuple(e.id for e in sorted(data.entries, key=lambda e: e.rank))
        quadrant.entries = data.placed
        self.query_one(FunnelChart).funnel = data.funnel
        self.period = data.period
        self.query_one(FunnelMoves).show(data.period, data.moves)
        self._show_cursor()
        if self._chart() is not None and not isinstance(self.focused, (ParetoChart, QuadrantChart)):
            self._focus_chart()
