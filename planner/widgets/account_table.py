"""The customer list's columns: how one account summary reads as a table row."""

from __future__ import annotations

from planner.core import analysis
from planner.core.formatting import money, percent
from planner.core.portfolio import AccountSummary
from planner.widgets.virtual_table import Cell, Column, VirtualTable

TIERS = {"major": "maj", "minor": "min", "tracked": "trk", "other": "oth"}
QUADRANTS = {
    analysis.FOCUS_INVEST: "★ invest",
    analysis.FOCUS_GROW: "★ grow",
    analysis.CUT_INPUT: "cut input",
    analysis.MAINTAIN: "maintain",
}

# (sort key in portfolio.SORT_KEYS, column); a sort starts descending where bigger matters.
COLUMNS: tuple[tuple[str, Column, bool], ...] = (
    ("name", Column("Name", 20, grow=True), False),
    ("industry", Column("Industry", 13), False),
    ("class", Column("Cl", 2), False),
    ("revenue", Column("Revenue", 10, right=True), True),
    ("share", Column("Share", 6, right=True), True),
    ("cumulative", Column("Cum.", 6, right=True), False),
    ("key", Column("Key", 3), True),
    ("quadrant", Column("Quadrant", 9), False),
    ("days", Column("Days", 6, right=True), True),
    ("owner", Column("Owner", 8), False),
    ("flags", Column("Flags", 5, right=True), True),
)


class AccountTable(VirtualTable):
    """The portfolio as a virtual table; `flags` holds red-flag counts per account."""

    def __init__(self, *, id: str | None = None):
        super().__init__([column for _, column, _ in COLUMNS], self.cells, frozen=1, id=id)
        self.flags: dict[str, int] = {}

    def cells(self, s: AccountSummary) -> list[Cell]:
        row = s.row
        industry = f"{row.industry}·{TIERS.get(row.tier, row.tier)}" if row.industry else "—"
        since = s.cadence.days_since
        days = "never" if since is None else str(since)
        count = self.flags.get(row.id, 0)
        return [
            row.name,
            industry,
            row.account_class,
            money(row.revenue),
            percent(s.pareto.share),
            percent(s.pareto.cumulative),
            ("★", "key") if s.pareto.key else "",
            QUADRANTS.get(s.quadrant.quadrant, s.quadrant.quadrant),
            (f"!{days}", "warning") if s.cadence.stale else days,
            row.owner,
            (f"⚑{count}", "warning") if count else "",
        ]
