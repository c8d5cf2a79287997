"""The portfolio as the customer list sees it: every live account with its figures.

The 80/20 figures depend on the whole portfolio, so every refresh of the list
computes them for every account; at 10k accounts an object per account and figure
would cost more than reading the database. So the portfolio is column-wise: ranks
and cumulative shares come from one pass over the revenues (already in 80/20 order
from the store), the quadrant scales from one pass per measure, and an account's
summary is assembled when something asks for it: the table for the rows on screen,
a filter or sort for the one column it needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, overload

from planner.core import analysis
from planner.core.config import Settings
from planner.core.pinyin import typed_key
from planner.core.rows import AccountListing, AccountRow


class AccountSummary(NamedTuple):
    """One customer-list line: the stored row plus everything derived from it."""

    row: AccountRow
    pareto: analysis.ParetoEntry
    quadrant: analysis.QuadrantEntry
    cadence: analysis.Cadence


class Portfolio(Sequence[AccountSummary]):
    """The accounts of `listing` in 80/20 order, each read as an `AccountSummary`."""

    def __init__(self, listing: AccountListing, settings: Settings, today: date):
        self.listing = listing
        self.settings = settings
        self.today = today
        self.columns = columns = listing.columns
        self.figures = analysis.pareto_figures(columns.revenue, settings.key_threshold)
        self.measures = (
            columns.revenue, columns.profit, columns.influence,
            columns.input_people, columns.input_money, columns.input_material,
        )  # fmt: skip
        self.scales = analysis.QuadrantScales.of(self.measures if len(listing) else ())
        self._memos: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self.listing)

    @overload
    def __getitem__(self, index: int) -> AccountSummary: ...
    @overload
    def __getitem__(self, index: slice) -> list[AccountSummary]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]  # IndexError past the end; negative from the end
        return AccountSummary(
            self.listing.row(index), self.pareto_entry(index), self.quadrant(index), self.cadence(index)
        )

    @property
    def key_count(self) -> int:
        return self.figures.key_count

    @property
    def key_share(self) -> float:
        """The share of revenue the key accounts carry together (at least the threshold)."""
        count = self.figures.key_count
        return self.figures.cumulative[count - 1] if count else 0.0

    def pareto_entry(self, index: int) -> analysis.ParetoEntry:
        figures, revenue = self.figures, self.columns.revenue[index]
        return analysis.ParetoEntry(
            self.columns.id[index],
            revenue,
            figures.ranks[index],
            revenue / figures.total if figures.total > 0 else 0.0,
            figures.cumulative[index],
            index < figures.key_count,
        )

    def quadrant(self, index: int) -> analysis.QuadrantEntry:
        return self.scales.place(self.columns.id[index], [measure[index] for measure in self.measures])

    def cadence(self, index: int) -> analysis.Cadence:
        columns = self.columns
        days = self.settings.cadence_days(columns.account_class[index], columns.cadence_days[index])
        return analysis.cadence(self.listing.last_contact.get(columns.id[index]), days, self.today)

    def position(self, account_id: str | None) -> int | None:
        return self.positions.get(account_id) if account_id else None

    def find(self, account_id: str) -> AccountSummary | None:
        index = self.position(account_id)
        return None if index is None else self[index]

    # Whole-portfolio columns for sorts, filters and charts, each worked out once, on
    # first use or by `warm` in a worker. Not functools.cached_property: on Python 3.11
    # its lock is shared by every instance, so the event loop could wait on a worker
    # filling the next portfolio. Two threads racing here just compute the same list.

    def _memo(self, name: str, build: Callable[[], Any]) -> Any:
        found = self._memos.get(name)
        if found is None:
            found = self._memos[name] = build()
        return found

    def warm(self, *names: str) -> None:
        """Work out the named columns now (default: every one the customer list's sorts
        and filters read), so later reads are free."""
        for name in names or LIST_COLUMNS:
            getattr(self, name)

    @property
    def positions(self) -> dict[str, int]:
        return self._memo("positions", lambda: {account_id: i for i, account_id in enumerate(self.columns.id)})

    @property
    def stale(self) -> list[bool]:
        return self._memo("stale", lambda: [self.cadence(index).stale for index in range(len(self))])

    @property
    def pareto_entries(self) -> list[analysis.ParetoEntry]:
        return self._memo("pareto_entries", lambda: [self.pareto_entry(index) for index in range(len(self))])

    @property
    def quadrants(self) -> list[analysis.QuadrantEntry]:
        return self._memo("quadrants", lambda: self.scales.place_all(self.columns.id, self.measures))

    @property
    def folded_names(self) -> list[str]:
        return self._memo("folded_names", lambda: [name.casefold() for name in self.columns.name])

    @property
    def search_index(self) -> list[str]:
        """What the filter searches per account (name, industry in both languages,
        owner, the name's stored pinyin), folded once per load rather than on every
        keystroke."""
        industry, columns = self.listing.industry, self.columns
        return self._memo(
            "search_index",
            lambda: [
                "\n".join((name, *industry(industry_id)[:2], owner, key)).casefold()
                for name, industry_id, owner, key in zip(
                    columns.name, columns.industry_id, columns.owner, columns.search_key, strict=True
                )
            ],
        )

    def days_since(self, index: int) -> float:
        """Days since the last contact; never contacted sorts as the longest gap."""
        last = self.listing.last_contact.get(self.columns.id[index])
        return float("inf") if last is None else (self.today - last).days


class Selection(Sequence[AccountSummary]):
    """Some of a portfolio's accounts in a chosen order: what the customer list shows."""

    def __init__(self, portfolio: Portfolio, indices: list[int]):
        self.portfolio = portfolio
        self.indices = indices

    def __len__(self) -> int:
        return len(self.indices)

    @overload
    def __getitem__(self, index: int) -> AccountSummary: ...
    @overload
    def __getitem__(self, index: slice) -> list[AccountSummary]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.portfolio[i] for i in self.indices[index]]
        return self.portfolio[self.indices[index]]

    def position(self, account_id: str | None) -> int | None:
        """Where the account is in this selection, if it is in it."""
        index = self.portfolio.position(account_id)
        if index is None:
            return None
        try:
            return self.indices.index(index)
        except ValueError:
            return None


@dataclass(frozen=True)
class ListFilter:
    """What the customer list shows: typed text plus the quick filters."""

    text: str = ""
    classes: frozenset[str] = frozenset()
    key_only: bool = False
    stale_only: bool = False
    owner: str | None = None


SortKey = Callable[[Portfolio, dict[str, int]], Callable[[int], Any]]


def _by_industry(p: Portfolio, _flags: dict[str, int]) -> Callable[[int], Any]:
    industries, names, industry = p.columns.industry_id, p.folded_names, p.listing.industry
    return lambda i: (industry(industries[i])[0].casefold(), names[i])


def _by_owner(p: Portfolio, _flags: dict[str, int]) -> Callable[[int], Any]:
    owners, names = p.columns.owner, p.folded_names
    return lambda i: (owners[i].casefold(), names[i])


def _by_class(p: Portfolio, _flags: dict[str, int]) -> Callable[[int], Any]:
    classes, revenue = p.columns.account_class, p.columns.revenue
    return lambda i: (classes[i], -revenue[i])


def _by_share(p: Portfolio, _flags: dict[str, int]) -> Callable[[int], Any]:
    revenue, total = p.columns.revenue, p.figures.total
    return lambda i: revenue[i] / total if total > 0 else 0.0


def _by_flags(p: Portfolio, flags: dict[str, int]) -> Callable[[int], Any]:
    ids, revenue = p.columns.id, p.columns.revenue
    return lambda i: (flags.get(ids[i], 0), revenue[i])


# Sort keys per customer-list column, as a key over portfolio positions; each sorts
# ascending, the caller may reverse. Ties keep the portfolio's order: the bigger
# account (by revenue) first, then by name.
SORT_KEYS: dict[str, SortKey] = {
    "name": lambda p, _f: p.folded_names.__getitem__,
    "industry": _by_industry,
    "class": _by_class,
    "revenue": lambda p, _f: p.columns.revenue.__getitem__,
    "share": _by_share,
    "cumulative": lambda p, _f: p.figures.cumulative.__getitem__,
    "key": lambda p, _f: lambda i: (i < p.key_count, p.columns.revenue[i]),
    "quadrant": lambda p, _f: lambda i: (p.quadrants[i].quadrant, -p.quadrants[i].output),
    "days": lambda p, _f: p.days_since,
    "owner": _by_owner,
    "flags": _by_flags,
}


# The whole-portfolio columns the customer list's sorts and filters read.
LIST_COLUMNS = ("positions", "stale", "quadrants", "folded_names", "search_index")
_SORT_COLUMNS = {"name": "folded_names", "industry": "folded_names", "owner": "folded_names", "quadrant": "quadrants"}


def columns_needed(sort: str, wanted: ListFilter) -> tuple[str, ...]:
    """The whole-portfolio columns `select_accounts` reads for this sort and filter
    (and `positions`, to keep the cursor), for a worker to `warm` first."""
    needed = ["positions"]
    if sort in _SORT_COLUMNS:
        needed.append(_SORT_COLUMNS[sort])
    if wanted.text.strip():
        needed.append("search_index")
    if wanted.stale_only:
        needed.append("stale")
    return tuple(needed)


def select_accounts(
    portfolio: Portfolio,
    flags: dict[str, int],
    wanted: ListFilter,
    sort: str = "revenue",
    descending: bool = True,
) -> Selection:
    """Filter and sort the customer list in memory: text matches name, industry (in
    English or Chinese), owner or the name's pinyin (full or initials, spaces
    ignored), ignoring case."""
    columns = portfolio.columns
    chosen: Sequence[int] = range(len(portfolio))
    if wanted.classes:
        classes = columns.account_class
        chosen = [i for i in chosen if classes[i] in wanted.classes]
    if wanted.key_only:
        chosen = [i for i in chosen if i < portfolio.key_count]
    if wanted.stale_only:
        stale = portfolio.stale
        chosen = [i for i in chosen if stale[i]]
    if wanted.owner is not None:
        owners = columns.owner
        chosen = [i for i in chosen if owners[i] == wanted.owner]
    if needle := wanted.text.strip().casefold():
        haystacks = portfolio.search_index
        squeezed = typed_key(needle)
        if squeezed is None or squeezed == needle:
            chosen = [i for i in chosen if needle in haystacks[i]]
        else:  # "zhang wei": the words as typed, or run together as in the pinyin
            chosen = [i for i in chosen if needle in haystacks[i] or squeezed in haystacks[i]]
    return Selection(portfolio, sorted(chosen, key=SORT_KEYS[sort](portfolio, flags), reverse=descending))
