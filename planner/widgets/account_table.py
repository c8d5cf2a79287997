"""The customer list's columns: how one account summary reads as a table row."""

from __future__ import annotations

from planner.core import analysis
from planner.core.formatting import industry_name, money, percent
from planner.core.i18n import N_, _
from planner.core.portfolio import AccountSummary
from planner.widgets.virtual_table import Cell, Column, VirtualTable

TIERS = {"major": N_("maj"), "minor": N_("min"), "tracked": N_("trk"), "other": N_("oth")}
"""An industry tier, shortened for the column (the codes stay in the data)."""
QUADRANTS = {
    analysis.FOCUS_INVEST: N_("★ invest"),
    analysis.FOCUS_GROW: N_("★ grow"),
    analysis.CUT_INPUT: N_("cut input"),
    analysis.MAINTAIN: N_("maintain"),
}

# (sort key in portfolio.SORT_KEYS, column); a sort starts descending where bigger matters.
COLUMNS: tuple[tuple[str, Column, bool], ...] = (
    ("name", Column(N_("Name"), 20, grow=True), False),
    ("industry", Column(N_("Industry"), 13), False),
    ("class", Column(N_("Cl"), 2), False),
    ("revenue", Column(N_("Revenue"), 10, right=True), True),
    ("share", Column(N_("Share"), 6, right=True), True),
    ("cumulative", Column(N_("Cum."), 6, right=True), False),
    ("key", Column(N_("Key"), 3), True),
    ("quadrant", Column(N_("Quadrant"), 9), False),
    ("days", Column(N_("Days"), 6, right=True), True),
    ("owner", Column(N_("Owner"), 8), False),
    ("flags", Column(N_("Flags"), 5, right=True), True),
)


class AccountTable(VirtualTable):
    """The portfolio as a virtual table; `flags` holds red-flag counts per account."""

    def __init__(self, *, id: str | None = None):
        super().__init__([column for _key, column, _descending in COLUMNS], self.cells, frozen=1, id=id)
        self.flags: dict[str, int] = {}

    def cells(self, s: AccountSummary) -> list[Cell]:
        row = s.row
        tier = _(TIERS[row.tier]) if row.tier in TIERS else row.tier
        name = industry_name(row.industry, row.industry_zh)
        industry = f"{name}·{tier}" if name else "—"
        since = s.cadence.days_since
        days = _("never") if since is None else str(since)
        count = self.flags.get(row.id, 0)
        return [
            row.name,
            industry,
            row.account_class,
            money(row.revenue),
            percent(s.pareto.share),
            percent(s.pareto.cumulative),
            ("★", "key") if s.pareto.key else "",
            _(QUADRANTS[s.quadrant.quadrant]) if s.quadrant.quadrant in QUADRANTS else s.quadrant.quadrant,
            (f"!{days}", "warning") if s.cadence.stale else days,
            row.owner,
            (f"⚑{count}", "warning") if count else "",
        ]
