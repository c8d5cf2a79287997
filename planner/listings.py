"""The screens' listings: only the columns a screen shows, as named tuples.

Part of the store (`Store` inherits these); kept apart so `store.py` holds the
writes. Each listing is a few set-based queries, never one per row.
"""

from __future__ import annotations

from datetime import date
from operator import itemgetter
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import col, select

from planner import models as m
from planner.bulk import fetch_rows
from planner.db import Database


def live(model: type[m.Record]):
    return col(model.deleted_at).is_(None)


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


# The same fields as AccountRecord, each holding one value per account.
AccountColumns = NamedTuple("AccountColumns", [(name, tuple) for name in AccountRecord._fields])

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
        return AccountRow(
            record.id,
            record.name,
            *self.industry(record.industry_id),
            *record[3:12],  # account_class .. cadence_days, in the same order in both
            self.last_contact.get(record.id),
            record.version,
        )


def _columns(rows: list[tuple]) -> AccountColumns:
    if not rows:
        return AccountColumns(*([()] * len(AccountColumns._fields)))
    return AccountColumns(*zip(*rows, strict=True))


_ACCOUNTS = (
    select(*(getattr(m.Account, name) for name in AccountRecord._fields))
    .where(live(m.Account))
    .order_by(col(m.Account.revenue).desc(), m.Account.name, m.Account.id)
)
_LAST_VISITS = (
    select(m.Visit.account_id, sa.func.max(m.Visit.visited_on)).where(live(m.Visit)).group_by(m.Visit.account_id)
)
_INDUSTRIES = select(m.Industry.id, m.Industry.name_en, m.Industry.name_zh, m.Industry.tier)


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


def _escape_like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _contains(column: Any, text: str, sqlite: bool) -> Any:
    """Case-insensitive substring match. SQLite's LIKE already ignores ASCII case (and
    its lower() folds nothing more), so `ilike` there would only double the scan."""
    pattern = _escape_like(text)
    if sqlite:
        return col(column).like(pattern, escape="\\")
    return col(column).ilike(pattern, escape="\\")


class Listings:
    db: Database

    def account_listing(self) -> AccountListing:
        """The customer list's material, at driver speed (see `bulk.fetch_rows`)."""
        with self.db.read() as session:
            connection = session.connection()
            industries = {row[0]: tuple(row[1:]) for row in fetch_rows(connection, _INDUSTRIES)}
            last = dict(fetch_rows(connection, _LAST_VISITS))
            columns = _columns(fetch_rows(connection, _ACCOUNTS))
        return AccountListing(columns, industries, last)

    def account_rows(self, search: str = "") -> list[AccountRow]:
        """Every live account's row, ordered by name; `search` keeps accounts whose
        name, owner or industry contains it, ignoring case."""
        listing = self.account_listing()
        rows = sorted(map(listing.row, range(len(listing))), key=itemgetter(1))
        needle = search.strip().casefold()
        if needle:
            rows = [
                row
                for row in rows
                if any(needle in text.casefold() for text in (row.name, row.owner, row.industry, row.industry_zh))
            ]
        return rows

    def search_people(self, text: str, limit: int = 50) -> list[PersonHit]:
        """People whose name or title contains `text`, across all accounts."""
        p, a = m.Person, m.Account
        text, sqlite = text.strip(), self.db.is_sqlite
        query = (
            select(p.id, p.name, p.title, p.layer, p.stance, p.account_id, a.name)
            .join(a, col(p.account_id) == a.id)
            .where(live(p), sa.or_(_contains(p.name, text, sqlite), _contains(p.title, text, sqlite)))
            .order_by(p.name)
            .limit(limit)
        )
        with self.db.read() as session:
            return [PersonHit(*row) for row in session.execute(query)]

    def org_tree(self, account_id: str) -> OrgTree:
        u, p = m.OrgUnit, m.Person
        units = (
            select(u.id, u.parent_id, u.name, u.responsibilities, u.version)
            .where(u.account_id == account_id, live(u))
            .order_by(u.name)
        )
        people = (
            select(
                p.id,
                p.unit_id,
                p.reports_to_id,
                p.name,
                p.title,
                p.layer,
                p.stance,
                p.influence,
                p.closeness,
                p.version,
            )
            .where(p.account_id == account_id, live(p))
            .order_by(p.name)
        )
        with self.db.read() as session:
            return OrgTree(
                tuple(UnitNode(*row) for row in session.execute(units)),
                tuple(PersonNode(*row) for row in session.execute(people)),
            )

    def attendees(self, account_id: str) -> dict[str, list[tuple[str, str]]]:
        """(person id, name) of everyone met, per visit of one account."""
        va, v, p = m.VisitAttendee, m.Visit, m.Person
        query = (
            select(va.visit_id, p.id, p.name)
            .join(v, col(va.visit_id) == v.id)
            .join(p, col(va.person_id) == p.id)
            .where(v.account_id == account_id, live(va), live(v))
            .order_by(p.name)
        )
        met: dict[str, list[tuple[str, str]]] = {}
        with self.db.read() as session:
            for visit_id, person_id, name in session.execute(query):
                met.setdefault(visit_id, []).append((person_id, name))
        return met

    def visit_people(self, visit_id: str) -> list[m.Person]:
        query = (
            select(m.Person)
            .join(m.VisitAttendee, col(m.VisitAttendee.person_id) == m.Person.id)
            .where(m.VisitAttendee.visit_id == visit_id, live(m.VisitAttendee))
            .order_by(m.Person.name)
        )
        with self.db.read() as session:
            return list(session.exec(query).all())

    def last_met(self, account_id: str) -> dict[str, date]:
        """The last visit date at which each of the account's people was met."""
        va, v = m.VisitAttendee, m.Visit
        query = (
            select(va.person_id, sa.func.max(v.visited_on))
            .join(v, col(va.visit_id) == v.id)
            .where(v.account_id == account_id, live(va), live(v))
            .group_by(va.person_id)
        )
        with self.db.read() as session:
            return dict(session.execute(query).all())
