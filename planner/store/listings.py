"""The screens' listings: only the columns a screen shows, as named tuples
(`planner.core.rows`). Each listing is a few set-based queries, never one per row.
"""

from __future__ import annotations

from datetime import date
from operator import itemgetter

import sqlalchemy as sa
from sqlmodel import col, select

from planner.core import models as m
from planner.core.formatting import industry_choices, name_key
from planner.core.industries import IndustryRow, method_order
from planner.core.rows import AccountListing, AccountRow, OrgTree, PersonHit, PersonNode, UnitNode
from planner.store.account_list import read_listing
from planner.store.base import StoreBase, columns, live
from planner.store.people_index import PeopleIndex


class Listings(StoreBase):
    def account_listing(self) -> AccountListing:
        """The customer list's material, at driver speed (see `account_list`)."""
        with self.db.read() as session:
            return read_listing(session.connection().connection)

    def industry_choices(self) -> list[tuple[str, str]]:
        """(label, id) of every industry, for an industry picker, in the method's order."""
        return industry_choices(sorted(self.list(m.Industry), key=method_order))

    def industry_rows(self) -> list[IndustryRow]:
        """Every live industry with how many live accounts use it, in the method's order."""
        i, a = m.Industry, m.Account
        used = select(a.industry_id, sa.func.count()).where(live(a)).group_by(a.industry_id)
        query = columns(i.id, i.version, i.name_en, i.name_zh, i.tier, i.tier_guessed, i.procurement_pattern)
        with self.db.read() as session:
            counts = dict(session.execute(used).all())
            rows = [IndustryRow._make((*row, counts.get(row[0], 0))) for row in session.execute(query.where(live(i)))]
        return sorted(rows, key=method_order)

    def accounts_named(self, name: str, *, other_than: str | None = None) -> list[tuple[str, str, str]]:
        """(name, owner, region) of each live account whose name reads as `name`: the
        same letters ignoring case, full or half width and spacing."""
        key, a = name_key(name), m.Account
        query = select(a.id, a.name, a.owner, a.region).where(live(a))
        with self.db.read() as session:
            rows = session.execute(query).all()
        return [(n, owner, region) for id_, n, owner, region in rows if id_ != other_than and name_key(n) == key]

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
        """Live people whose name or title contains `text` (ignoring case), or whose
        name's pinyin (full or initials) contains the typed letters, across all
        accounts, in name order: from the store's in-memory index (`people_index`),
        built on the first search and brought up to date from the change log."""
        index = vars(self).get("_people_index") or vars(self).setdefault("_people_index", PeopleIndex())
        with self.db.read() as session:
            return index.search(session, text, limit)

    def org_tree(self, account_id: str) -> OrgTree:
        u, p = m.OrgUnit, m.Person
        units = (
            columns(u.id, u.parent_id, u.name, u.responsibilities, u.version)
            .where(u.account_id == account_id, live(u))
            .order_by(u.name)
        )
        people = (
            columns(
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
