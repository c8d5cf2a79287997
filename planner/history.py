"""An account's change log in words, and the deleted records that could come back.

The change log (`planner.audit`) keys entries by table and row id only, so the rows
that belong to an account are found through the same links the store's cascading
delete follows (`store.CHILDREN`), deleted ones included: a rep asking "who changed
this?" most often asks about something that is gone.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, tzinfo
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, select

from planner import models as m
from planner.errors import NotFound
from planner.store import CHILDREN, Store

LABEL = {
    m.Account: "name",
    m.OrgUnit: "name",
    m.Person: "name",
    m.Project: "name",
    m.Purchase: "purchased_on",
    m.Competitor: "name",
    m.CompetitorPosition: "competitor_id",
    m.SwotItem: "text",
    m.Goal: "text",
    m.Action: "title",
    m.Visit: "visited_on",
    m.VisitAttendee: "person_id",
    m.PlanReview: "reviewed_on",
    m.Industry: "name_en",
}
NOUN = {
    "orgunit": "unit",
    "competitorposition": "competitor position",
    "swotitem": "SWOT item",
    "visitattendee": "attendee",
    "planreview": "plan review",
}
BRIEF_FIELDS = 4
TEXT_WIDTH = 40
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # the log stores dates as ISO text


class HistoryLine(NamedTuple):
    at: datetime
    who: str
    action: str
    table: str
    row_id: str
    label: str
    detail: str


class DeletedRecord(NamedTuple):
    """`model` and `id` are what `Store.restore` takes."""

    model: type[m.Record]
    table: str
    id: str
    label: str
    deleted_at: datetime
    who: str


class _Row(NamedTuple):
    model: type[m.Record]
    id: str
    label: Any
    deleted_at: datetime | None
    who: str
    parent_id: str | None


def _rows_of(session: Session, account_id: str) -> list[_Row]:
    """The account and every row hanging from it, deleted or not, parents first."""
    account = session.get(m.Account, account_id)
    if account is None:
        return []
    found = [_row(account, None)]
    level: list[tuple[type[m.Record], list[str]]] = [(m.Account, [account_id])]
    while level:
        following = []
        for model, ids in level:
            for child, link in CHILDREN.get(model, ()):
                query = select(child).where(col(getattr(child, link)).in_(ids))
                rows = [_row(record, getattr(record, link)) for record in session.exec(query)]
                found += rows
                if rows and child in CHILDREN:
                    following.append((child, [r.id for r in rows]))
        level = following
    return found


def _row(record: m.Record, parent_id: str | None) -> _Row:
    label = getattr(record, LABEL[type(record)], "")
    return _Row(type(record), record.id, label, record.deleted_at, record.updated_by, parent_id)


def _labels(session: Session, rows: list[_Row]) -> dict[str, str]:
    """Row id to a short readable name; links (a position's competitor, an
    attendee's person) are named after what they point at."""
    names = {r.id: _short(r.label) for r in rows if not LABEL[r.model].endswith("_id")}
    for r in rows:
        if LABEL[r.model].endswith("_id"):
            names[r.id] = _name_of(session, r.label, names)
    return names


def _name_of(session: Session, row_id: Any, known: dict[str, str]) -> str:
    if not isinstance(row_id, str):
        return _short(row_id)
    if row_id in known:
        return known[row_id]
    for model in (m.Person, m.Competitor, m.Industry, m.OrgUnit, m.Goal, m.CompetitorPosition):
        record = session.get(model, row_id)
        if record is not None:
            value = getattr(record, LABEL[model])
            known[row_id] = _name_of(session, value, known) if LABEL[model].endswith("_id") else _short(value)
            return known[row_id]
    return row_id[:8]


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= TEXT_WIDTH else text[: TEXT_WIDTH - 1] + "…"


def _value(session: Session, field: str, value: Any, known: dict[str, str]) -> str:
    if value is None or value == "":
        return "—"
    if field.endswith("_id"):
        return _name_of(session, value, known)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        return f'"{_short(value)}"'
    return _short(value)


def _detail(session: Session, model: type[m.Record], action: str, changes: str, known: dict[str, str]) -> str:
    fields: dict[str, list[Any]] = json.loads(changes or "{}")
    if action == "insert":
        shown = [
            f"{name} {_value(session, name, new, known)}"
            for name, (_, new) in fields.items()
            if name != "account_id" and new != _default(model, name)
        ]
        more = f" (+{len(shown) - BRIEF_FIELDS} more)" if len(shown) > BRIEF_FIELDS else ""
        return ", ".join(shown[:BRIEF_FIELDS]) + more
    return "; ".join(
        f"{name} {_value(session, name, old, known)} → {_value(session, name, new, known)}"
        for name, (old, new) in fields.items()
    )


def _default(model: type[m.Record], name: str) -> Any:
    field = model.model_fields.get(name)
    return None if field is None or field.is_required() else field.default


def account_history(store: Store, account_id: str) -> list[HistoryLine]:
    """Every change to the account and to what belongs to it, newest first."""
    log = m.ChangeLog
    with store.db.read() as session:
        rows = _rows_of(session, account_id)
        models = {r.id: r.model for r in rows}
        names = _labels(session, rows)
        entries = []
        for table in {r.model.__tablename__ for r in rows}:
            ids = [r.id for r in rows if r.model.__tablename__ == table]
            query = select(log).where(log.table_name == table, col(log.row_id).in_(ids))
            entries += session.exec(query).all()
        entries.sort(key=lambda e: (e.at, e.id or 0), reverse=True)
        return [
            HistoryLine(
                e.at,
                e.who,
                e.action,
                e.table_name,
                e.row_id,
                names.get(e.row_id, ""),
                _detail(session, models[e.row_id], e.action, e.changes, names),
            )
            for e in entries
        ]


def format_line(line: HistoryLine, tz: tzinfo | None = None) -> str:
    """`2026-11-27 09:14  rep-a  update  person 张伟: title "Chief" → "Director"` (local time by default)."""
    stamp = line.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    subject = f"{NOUN.get(line.table, line.table)} {line.label}".rstrip()
    detail = f": {line.detail}" if line.detail else ""
    return f"{stamp}  {line.who or '?'}  {line.action}  {subject}{detail}"


def deleted_records(store: Store, account_id: str) -> list[DeletedRecord]:
    """Deleted rows of the account, newest first, for a restore picker. A row deleted
    together with its parent is left out: restoring the parent brings it back."""
    with store.db.read() as session:
        rows = _rows_of(session, account_id)
        names = _labels(session, rows)
    stamps = {r.id: r.deleted_at for r in rows}
    found = [
        DeletedRecord(r.model, r.model.__tablename__, r.id, names.get(r.id, ""), r.deleted_at, r.who)
        for r in rows
        if r.deleted_at is not None and (r.parent_id is None or stamps.get(r.parent_id) != r.deleted_at)
    ]
    return sorted(found, key=lambda d: d.deleted_at, reverse=True)


def find_account(store: Store, wanted: str) -> m.Account:
    """Like `export.find_account`, but a deleted account is found too (by id or exact name)."""
    from planner.export import find_account as find_live

    try:
        return find_live(store, wanted)
    except NotFound:
        account = m.Account
        query = select(account).where(
            sa.or_(account.id == wanted, account.name == wanted), col(account.deleted_at).is_not(None)
        )
        with store.db.read() as session:
            matches = session.exec(query).all()
        if len(matches) == 1:
            return matches[0]
        raise
