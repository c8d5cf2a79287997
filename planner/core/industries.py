"""Industries and how they buy (method section 2), as the industries screen lists them:
each with its tier, its procurement pattern and how many accounts use it; filtered
and sorted in memory (there are tens of them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from planner.core import models as m
from planner.core.formatting import tier_text
from planner.core.i18n import N_

INDUSTRY_FIELDS = ("name_en", "name_zh", "tier", "procurement_pattern")
"""What a rep edits about an industry, in the form's order."""


class IndustryRow(NamedTuple):
    """A live industry and the number of live accounts in it."""

    id: str
    version: int
    name_en: str
    name_zh: str
    tier: str
    tier_guessed: bool
    procurement_pattern: str
    accounts: int


def tier_rank(tier: str) -> int:
    """major, minor, tracked, other: the method's order (an unknown tier last)."""
    return m.TIERS.index(tier) if tier in m.TIERS else len(m.TIERS)


def method_order(industry: Any) -> tuple[int, str]:
    """Sort key for industries (rows or records): by tier, then by English name."""
    return tier_rank(industry.tier), industry.name_en.casefold()


def next_tier(tier: str) -> str:
    """major → minor → tracked → other → major."""
    return m.TIERS[(tier_rank(tier) + 1) % len(m.TIERS)]


def first_line(text: str) -> str:
    """The first non-blank line of a procurement pattern."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


class SortColumn(NamedTuple):
    title: str
    key: Callable[[IndustryRow], Any]
    descending: bool  # the first way round when this column is chosen


COLUMNS = (
    SortColumn(N_("Industry"), lambda r: r.name_en.casefold(), False),
    SortColumn(N_("中文"), lambda r: r.name_zh, False),
    SortColumn(N_("Tier"), method_order, False),
    SortColumn(N_("Accounts"), lambda r: r.accounts, True),
    SortColumn(N_("How it buys"), lambda r: first_line(r.procurement_pattern).casefold(), False),
)
"""The screen's columns, each with what it sorts by; `title` is English (what the
screen finds a column by), shown through `_`."""


def matching(rows: Sequence[IndustryRow], text: str) -> list[IndustryRow]:
    """Rows whose names, tier (its code, or as shown) or procurement pattern contain
    `text`, ignoring case."""
    needle = text.strip().casefold()
    return [
        row
        for row in rows
        if needle in f"{row.name_en}\n{row.name_zh}\n{row.tier}\n{tier_text(row)}\n{row.procurement_pattern}".casefold()
    ]


def sort_rows(rows: Sequence[IndustryRow], column: int, descending: bool) -> list[IndustryRow]:
    """`rows` by the `column`-th column; ties keep the method's order."""
    in_order = sorted(rows, key=method_order)
    return sorted(in_order, key=COLUMNS[column].key, reverse=descending)
