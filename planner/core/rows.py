"""The plain shapes the store hands the screens: only the columns a screen shows.

Named tuples, not model instances: they cost a fraction of an ORM object, never
touch a session, and importing them needs neither SQLAlchemy nor SQLModel (the
customer list is drawn from these before the ORM is loaded).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class AccountRecord(NamedTuple):
    """An account's stored columns as the customer list reads them."""

    id: str
    name: str
    industry_id: str | None
    account_class: str
    owner: str
    revenue: float
    profit: float
    influence: int
    input_people: float
    input_money: float
    input_material: float
    cadence_days: int | None
    version: int
    search_key: str


class AccountRow(NamedTuple):
    """An account record with its industry's names and its last contact filled in."""

    id: str
    name: str
    industry: str
    industry_zh: str
    tier: str
    account_class: str
    owner: str
    revenue: float
    profit: float
    influence: int
    input_people: float
    input_money: float
    input_material: float
    cadence_days: int | None
    last_contact: date | None
    version: int


class AccountColumns(NamedTuple):
    """The fields of `AccountRecord`, each holding one value per account."""

    id: tuple[str, ...]
    name: tuple[str, ...]
    industry_id: tuple[str | None, ...]
    account_class: tuple[str, ...]
    owner: tuple[str, ...]
    revenue: tuple[float, ...]
    profit: tuple[float, ...]
    influence: tuple[int, ...]
    input_people: tuple[float, ...]
    input_money: tuple[float, ...]
    input_material: tuple[float, ...]
    cadence_days: tuple[int | None, ...]
    version: tuple[int, ...]
    search_key: tuple[str, ...]

    @classmethod
    def of(cls, rows: list[tuple]) -> AccountColumns:
        """Columns from rows in `AccountRecord` order."""
        if not rows:
            return cls(*([()] * len(cls._fields)))
        return cls(*zip(*rows, strict=True))


NO_INDUSTRY = ("", "", "other")


class AccountListing(NamedTuple):
    """Every live account, read in one transaction (one snapshot on SQLite): its
    stored columns, each a tuple in 80/20 order (revenue, largest first, then name);
    industry (English, Chinese, tier) by id; and the last visit date by account.
    Records and rows are assembled on demand, so a 10k-account list costs one pass
    over plain values."""

    columns: AccountColumns
    industries: dict[str, tuple[str, str, str]]
    last_contact: dict[str, date]

    def __len__(self) -> int:
        return len(self.columns.id)

    def industry(self, industry_id: str | None) -> tuple[str, str, str]:
        return self.industries.get(industry_id, NO_INDUSTRY) if industry_id else NO_INDUSTRY

    def record(self, index: int) -> AccountRecord:
        return AccountRecord._make(column[index] for column in self.columns)

    def row(self, index: int) -> AccountRow:
        record = self.record(index)
        return AccountRow._make(
            (
                record.id,
                record.name,
                *self.industry(record.industry_id),
                *record[3:12],  # account_class .. cadence_days, in the same order in both
                self.last_contact.get(record.id),
                record.version,
            )
        )


class PersonHit(NamedTuple):
    id: str
    name: str
    title: str
    layer: str
    stance: str
    account_id: str
    account_name: str


class UnitNode(NamedTuple):
    id: str
    parent_id: str | None
    name: str
    responsibilities: str
    version: int


class PersonNode(NamedTuple):
    id: str
    unit_id: str | None
    reports_to_id: str | None
    name: str
    title: str
    layer: str
    stance: str
    influence: int
    closeness: int
    version: int


class OrgTree(NamedTuple):
    units: tuple[UnitNode, ...]
    people: tuple[PersonNode, ...]
