"""How accounts moved between the funnel's classes over a period, from the change log.

An account's move is its class at the period's start against its class at its end,
not every step in between: the funnel asks where accounts went, and a rep who
cycles C → A → B with `c` (or fixes a slip and steps back) made one move, C → B,
or none. An account added during the period starts from the class it was added
with, so joining the funnel is not a move. Times are the change log's (UTC).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from planner.core.analysis import CLASS_RANK
from planner.core.i18n import _

MOVE_ORDER = ("CB", "BA", "CA", "AB", "BC", "AC")
"""Moves on down the funnel first (C → B, B → A, C → A), then back up."""


@dataclass(frozen=True)
class ClassChange:
    """One change-log value of an account's class; `old` is None for an insert."""

    account_id: str
    at: datetime
    old: str | None
    new: str


@dataclass(frozen=True)
class Period:
    """A quarter or a year: the days from `start` up to, not including, `end`."""

    start: date
    end: date
    is_year: bool = False

    @property
    def label(self) -> str:
        """ "Q4 2026" or "2026" (2026年第4季度, 2026年), in the interface's language."""
        if self.is_year:
            return _("{year}").format(year=self.start.year)
        return _("Q{quarter} {year}").format(quarter=(self.start.month + 2) // 3, year=self.start.year)

    @property
    def moments(self) -> tuple[datetime, datetime]:
        """The start and the end as the change log's times (UTC)."""
        return datetime.combine(self.start, time(), UTC), datetime.combine(self.end, time(), UTC)

    def shifted(self, step: int) -> Period:
        """The period `step` quarters (or years, for a year) later; earlier when negative."""
        if self.is_year:
            return year_of(date(self.start.year + step, 1, 1))
        index = self.start.year * 4 + (self.start.month - 1) // 3 + step
        return quarter_of(date(index // 4, index % 4 * 3 + 1, 1))

    def toggled(self) -> Period:
        """The year a quarter lies in, or a year's first quarter."""
        return quarter_of(self.start) if self.is_year else year_of(self.start)


def quarter_of(day: date) -> Period:
    first = (day.month - 1) // 3 * 3 + 1
    end = date(day.year + 1, 1, 1) if first == 10 else date(day.year, first + 3, 1)
    return Period(date(day.year, first, 1), end)


def year_of(day: date) -> Period:
    return Period(date(day.year, 1, 1), date(day.year + 1, 1, 1), is_year=True)


@dataclass(frozen=True)
class MovedAccount:
    id: str
    name: str
    revenue: float


@dataclass(frozen=True)
class Move:
    """The accounts whose class went from `source` to `target`, richest first."""

    source: str
    target: str
    accounts: tuple[MovedAccount, ...]

    @property
    def value(self) -> float:
        return sum(a.revenue for a in self.accounts)

    @property
    def onward(self) -> bool:
        """Down the funnel, towards producing (C → B, B → A, C → A)."""
        return CLASS_RANK[self.target] < CLASS_RANK[self.source]


def class_at(changes: list[ClassChange], moment: datetime) -> str | None:
    """The class the last change before `moment` set; None if there was none yet.
    `changes` are one account's, oldest first."""
    found = None
    for change in changes:
        if change.at >= moment:
            break
        found = change.new
    return found


def moves(changes: Iterable[ClassChange], accounts: Mapping[str, tuple[str, float]], period: Period) -> list[Move]:
    """The period's moves in `MOVE_ORDER`, each with its accounts. `accounts` maps
    the live accounts' ids to (name, revenue); a deleted account's changes count
    nowhere."""
    start, end = period.moments
    by_account: dict[str, list[ClassChange]] = defaultdict(list)
    for change in sorted(changes, key=lambda c: c.at):
        if change.account_id in accounts:
            by_account[change.account_id].append(change)
    moved: dict[str, list[MovedAccount]] = defaultdict(list)
    for account_id, history in by_account.items():
        before = class_at(history, start)
        during = [c for c in history if start <= c.at < end]
        if not during:
            continue
        # No class before the period: added during it (from its first class), or
        # added before the change log began (from what the first change replaced).
        source = before or during[0].old or during[0].new
        target = during[-1].new
        if source != target:
            name, revenue = accounts[account_id]
            moved[source + target].append(MovedAccount(account_id, name, revenue))
    return [
        Move(key[0], key[1], tuple(sorted(moved[key], key=lambda a: (-a.revenue, a.name))))
        for key in MOVE_ORDER
        if moved.get(key)
    ]
