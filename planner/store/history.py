"""The one reader of the change log: a record's history, an account's, what was
deleted, and how accounts moved between classes.

An account's rows are found through the links the cascading delete follows
(`CHILDREN`), deleted ones included: a rep asking "who changed this?" most often
asks about something that is gone. The rows, their log entries and the rows their
links point at are read in one snapshot; `planner.core.history` makes them readable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlmodel import Session, col, select

from planner.core import funnel_moves
from planner.core import history as readable
from planner.core import models as m
from planner.core.history import Deleted, Entry
from planner.store.base import StoreBase
from planner.store.writes import CHILDREN


def fetch_rows(session: Session, model: type[m.Record], ids: Iterable[str]) -> list[m.Record]:
    """Rows by id, deleted ones included: a link may point at one."""
    wanted = set(ids)
    return list(session.exec(select(model).where(col(model.id).in_(wanted)))) if wanted else []


def fetch_all(session: Session, wanted: dict[type[m.Record], set[str]]) -> list[m.Record]:
    return [row for model, ids in wanted.items() for row in fetch_rows(session, model, ids)]


def _linked(session: Session, rows: list[m.Record], log: list[m.ChangeLog]) -> list[m.Record]:
    """What the labels need beyond `rows`: the rows logged links point at, and the
    rows that those and `rows` take their names from."""
    targets = fetch_all(session, readable.log_links(rows, log))
    return targets + fetch_all(session, readable.named_by_links([*rows, *targets]))


def _entries(session: Session, rows: list[m.Record], brief: bool) -> list[Entry]:
    log = m.ChangeLog
    found: list[m.ChangeLog] = []
    for model in {type(row) for row in rows}:
        ids = [row.id for row in rows if type(row) is model]
        found += session.exec(select(log).where(log.table_name == m.table_name(model), col(log.row_id).in_(ids)))
    return readable.entries(rows, found, _linked(session, rows, found), brief)


def _tree(session: Session, account_id: str) -> list[tuple[m.Record, m.Record | None]]:
    """The account and every row hanging from it, deleted or not, each with its parent."""
    account = session.get(m.Account, account_id)
    found: list[tuple[m.Record, m.Record | None]] = [(account, None)] if account else []
    level: list[m.Record] = [account] if account else []
    while level:
        parents: dict[type[m.Record], dict[str, m.Record]] = {}
        for row in level:
            parents.setdefault(type(row), {})[row.id] = row
        level = []
        for model, by_id in parents.items():
            for child, link in CHILDREN.get(model, ()):
                for row in session.exec(select(child).where(col(getattr(child, link)).in_(list(by_id)))):
                    found.append((row, by_id[getattr(row, link)]))
                    level.append(row)
    return found


def _deleted_on_its_own(row: m.Record, parent: m.Record | None) -> bool:
    """Deleted by itself rather than along with its parent (rows deleted before the
    planner recorded `deleted_with` go by the time of the deletion)."""
    if row.deleted_with is not None:
        return row.deleted_with == row.id
    return parent is None or parent.deleted_at != row.deleted_at


def _deleted(session: Session, rows: list[m.Record]) -> list[Deleted]:
    return readable.deleted(rows, fetch_all(session, readable.named_by_links(rows)))


class HistoryReads(StoreBase):
    def history(self, model: type[m.Record], row_id: str) -> list[Entry]:
        """The record's change log, newest first, every field in full (the history screen)."""
        with self.db.read() as session:
            return _entries(session, fetch_rows(session, model, [row_id]), brief=False)

    def account_history(self, account_id: str) -> list[Entry]:
        """Every change to the account and to what belongs to it, newest first, creates in
        brief (`planner history`)."""
        with self.db.read() as session:
            return _entries(session, [row for row, _ in _tree(session, account_id)], brief=True)

    def deleted_records(self, account_id: str) -> list[Deleted]:
        """The account's deleted rows (the account too), newest deletion first. A row
        deleted together with its parent is left out: restoring the parent brings it
        back. So are attendees: who was met is edited on the visit, and restoring one
        could list a person twice."""
        with self.db.read() as session:
            rows = [
                row
                for row, parent in _tree(session, account_id)
                if row.deleted_at and _deleted_on_its_own(row, parent) and not isinstance(row, m.VisitAttendee)
            ]
            return _deleted(session, rows)

    def deleted_accounts(self) -> list[Deleted]:
        """Deleted accounts (each restores with everything deleted alongside), newest first."""
        query = select(m.Account).where(col(m.Account.deleted_at).is_not(None))
        with self.db.read() as session:
            return _deleted(session, [*session.exec(query)])

    def funnel_moves(self, period: funnel_moves.Period) -> list[funnel_moves.Move]:
        """The period's class moves of the live accounts (`planner.core.funnel_moves`).
        Only accounts whose class was changed during the period can have moved, so only
        their logged class values up to the period's end are read and parsed (an import
        of 10,000 accounts logs 10,000 inserts that are not moves)."""
        log, a = m.ChangeLog, m.Account
        start, end = period.moments
        classes = (log.table_name == m.table_name(a), col(log.changes).contains('"account_class"'))
        changed = select(log.row_id).where(*classes, log.action != "insert", col(log.at) >= start, col(log.at) < end)
        query = select(log.row_id, log.at, log.changes).where(*classes, col(log.at) < end, col(log.row_id).in_(changed))
        with self.db.read() as session:
            entries = session.execute(query).all()
            live = session.execute(select(a.id, a.name, a.revenue).where(col(a.deleted_at).is_(None))).all()
        changes = [
            funnel_moves.ClassChange(row_id, at, *json.loads(changes)["account_class"])
            for row_id, at, changes in entries
        ]
        return funnel_moves.moves(changes, {i: (name, revenue) for i, name, revenue in live}, period)
