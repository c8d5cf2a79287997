"""What every part of the store shares: the database, the settings, and plain reads.

Reads return plain objects: named tuples for the screens' listings (only the
columns shown), or model instances detached from their session.
"""

from __future__ import annotations

from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from planner.core import models as m
from planner.core.config import Settings
from planner.core.errors import NotFound
from planner.core.history import NOUNS
from planner.core.i18n import _
from planner.store.db import Database

T = TypeVar("T", bound=m.Record)

ORDER: dict[type[m.Record], tuple[Any, ...]] = {  # undated first, on PostgreSQL as on SQLite
    m.Industry: (m.Industry.tier, m.Industry.name_en),
    m.Account: (m.Account.name,),
    m.OrgUnit: (m.OrgUnit.name,),
    m.Person: (m.Person.name,),
    m.Project: (col(m.Project.expected_date).nulls_first(), m.Project.name),
    m.Purchase: (col(m.Purchase.purchased_on).desc(),),
    m.Competitor: (m.Competitor.name,),
    m.Action: (m.Action.status, m.Action.position),
    m.Visit: (col(m.Visit.visited_on).desc(),),
    m.PlanReview: (col(m.PlanReview.reviewed_on).desc(),),
    m.Goal: (col(m.Goal.due_date).nulls_first(), m.Goal.text),
}


def columns(*fields: Any) -> Select[Any]:
    """A SELECT of model fields and expressions, any number of them (SQLModel's own
    `select` is typed for up to four)."""
    return Select(*fields)


def live(model: type[m.Record]) -> Any:
    """The condition "not deleted" on `model`."""
    return col(model.deleted_at).is_(None)


def live_row(session: Session, model: type[T], row_id: str) -> T:
    row = session.get(model, row_id)
    if row is None or row.deleted_at is not None:
        noun = _(NOUNS.get(model, model.__name__.lower()))
        raise NotFound(_("That {noun} no longer exists (it may have been deleted).").format(noun=noun))
    return row


class StoreBase:
    """Queries and commands over one `Database`; the app and CLI get one injected."""

    def __init__(self, database: Database, settings: Settings | None = None):
        self.db = database
        self.settings = settings or Settings()

    def get(self, model: type[T], row_id: str) -> T:
        with self.db.read() as session:
            return live_row(session, model, row_id)

    def industry_of(self, account: m.Account) -> m.Industry | None:
        """The account's industry, even deleted: a sync can bring one copy's deletion of an
        industry that another copy's account was given meanwhile, and it still says what
        the account is until a rep picks another."""
        if not account.industry_id:
            return None
        with self.db.read() as session:
            return session.get(m.Industry, account.industry_id)

    def list(self, model: type[T], *, account_id: str | None = None, **equal: Any) -> list[T]:
        """Live rows of `model`, optionally of one account or matching `equal` fields."""
        query = select(model).where(live(model))
        if account_id is not None:
            equal["account_id"] = account_id
        for name, value in equal.items():
            query = query.where(getattr(model, name) == value)
        query = query.order_by(*ORDER.get(model, (model.created_at,)))
        with self.db.read() as session:
            return list(session.exec(query).all())

    def latest_change(self) -> int:
        """The newest change-log entry: a cheap, portable "did anyone write?" check."""
        with self.db.read() as session:
            return session.exec(select(sa.func.max(m.ChangeLog.seq))).one() or 0

    def has_any(self, model: type[m.Record]) -> bool:
        """Whether the table holds any row at all, deleted ones included."""
        with self.db.read() as session:
            return session.exec(select(model.id).limit(1)).first() is not None
