"""The change log as a rep reads it, and the deleted records that can come back.

The store keeps the raw log (`{field: [old, new]}` as JSON, keyed by table and row
id); this module names the fields by their form labels and shows values as the
screens do (money grouped, flags as yes/no, links by the name of what they point
at), for one record (the history screen) or for an account and everything that
hangs from it (`planner history`). An account's rows are found through the links
the store's cascading delete follows (`store.CHILDREN`), deleted ones included: a
rep asking "who changed this?" most often asks about something that is gone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlmodel import Session, col, select

from planner import fields
from planner import models as m
from planner.formatting import money
from planner.store import CHILDREN, Store

ACTIONS = {"insert": "created", "update": "changed", "delete": "deleted", "restore": "restored"}
NOUNS: dict[type[m.Record], str] = {
    m.Industry: "industry",
    m.Account: "account",
    m.OrgUnit: "unit",
    m.Person: "person",
    m.Project: "project",
    m.Purchase: "purchase",
    m.Competitor: "competitor",
    m.CompetitorPosition: "competitor position",
    m.SwotItem: "SWOT item",
    m.Goal: "goal",
    m.Action: "action",
    m.Visit: "visit",
    m.VisitAttendee: "attendee",
    m.PlanReview: "plan review",
}
# Rows with no name of their own go by the row they link to.
NAMED_BY: dict[type[m.Record], tuple[type[m.Record], str]] = {
    m.CompetitorPosition: (m.Competitor, "competitor_id"),
    m.VisitAttendee: (m.Person, "person_id"),
}
BRIEF_FIELDS = 4
VALUE_WIDTH = 60
EMPTY = "—"


@dataclass(frozen=True)
class Entry:
    """One write to a record: `lines` read "Label: old → new" ("Label: value" on create)."""

    when: datetime
    who: str
    action: str
    model: type[m.Record]
    row_id: str
    label: str
    lines: tuple[str, ...]

    @property
    def noun(self) -> str:
        return NOUNS[self.model]


@dataclass(frozen=True)
class Deleted:
    """A tombstoned row: what it was, when it went and who deleted it (`model` and
    `id` are what `Store.restore` takes)."""

    model: type[m.Record]
    id: str
    label: str
    deleted_at: datetime
    who: str

    @property
    def noun(self) -> str:
        return NOUNS[self.model]


def utc(when: datetime) -> datetime:
    """SQLite hands back naive datetimes; the store always writes UTC."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def local_time(when: datetime, tz: tzinfo | None = None) -> str:
    return utc(when).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def one_line(text: Any, width: int = VALUE_WIDTH) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def label(row: m.Record, names: dict[str, str] | None = None) -> str:
    """What a rep calls the row: its day (for dated records) and its name or text;
    rows in `NAMED_BY` take the label of the row they link to from `names`."""
    if type(row) in NAMED_BY:
        return (names or {}).get(getattr(row, NAMED_BY[type(row)][1]), row.id[:8])
    day = next((getattr(row, n) for n in ("visited_on", "purchased_on", "reviewed_on") if getattr(row, n, None)), None)
    text = next(
        (getattr(row, n) for n in ("name", "name_en", "title", "text", "description", "purpose", "partner")
         if getattr(row, n, "")),
        "",
    )  # fmt: skip
    parts = [day.isoformat() if isinstance(day, date) else "", one_line(text, 50)]
    return " ".join(part for part in parts if part) or row.id[:8]


def show(field: fields.FieldSpec | None, value: Any, names: dict[str, str]) -> str:
    """A logged value as the screens show it; `names` labels the rows links point at."""
    if value is None or value == "":
        return EMPTY
    kind = field.kind if field else ""
    if kind == "flag" or isinstance(value, bool):
        return "yes" if value else "no"
    if kind in ("money", "amount") and isinstance(value, (int, float)):
        return money(value)
    if kind == "ref":
        return one_line(names.get(value, str(value)[:8]))
    return one_line(value)


def _spec(model: type[m.Record], name: str) -> fields.FieldSpec | None:
    try:
        return fields.spec(model, name)
    except KeyError:
        return None


def _fetch(session: Session, model: type[m.Record], ids: Iterable[str]) -> list[m.Record]:
    """Rows by id, deleted ones included: a link may point at one."""
    wanted = set(ids)
    return list(session.exec(select(model).where(col(model.id).in_(wanted)))) if wanted else []


def _names(session: Session, rows: list[m.Record]) -> dict[str, str]:
    """Each row's label by id, with the labels of the rows `NAMED_BY` ones link to."""
    linked: dict[type[m.Record], set[str]] = {}
    for row in rows:
        if type(row) in NAMED_BY:
            target, link = NAMED_BY[type(row)]
            linked.setdefault(target, set()).add(getattr(row, link))
    linked_rows = [r for target, ids in linked.items() for r in _fetch(session, target, ids)]
    names = _names(session, linked_rows) if linked_rows else {}
    return names | {row.id: label(row, names) for row in rows}


def _default(model: type[m.Record], name: str) -> Any:
    field = model.model_fields.get(name)
    return None if field is None or field.is_required() else field.default


def _lines(
    model: type[m.Record], action: str, changes: dict[str, list[Any]], names: dict[str, str], brief: bool
) -> tuple[str, ...]:
    """A line per field in form order. `brief` sums a create up for one line of
    text: no link to the account, no default values, a few fields and a count."""
    order = {spec.name: index for index, spec in enumerate(fields.FIELDS.get(model, ()))}
    shown = sorted(changes, key=lambda n: (order.get(n, len(order)), n))
    if brief and action == "insert":
        shown = [n for n in shown if n != "account_id" and changes[n][1] != _default(model, n)]
    lines = []
    for name in shown:
        spec = _spec(model, name)
        title = spec.label if spec else name.replace("_", " ").capitalize()
        old, new = (show(spec, value, names) for value in changes[name])
        lines.append(f"{title}: {new}" if action == "insert" else f"{title}: {old} → {new}")
    if brief and len(lines) > BRIEF_FIELDS:
        lines = [*lines[:BRIEF_FIELDS], f"+{len(lines) - BRIEF_FIELDS} more"]
    return tuple(lines)


def _entries(session: Session, rows: list[m.Record], brief: bool) -> list[Entry]:
    """The log of `rows`, newest first, with each row's label and readable values."""
    log = m.ChangeLog
    by_id = {row.id: row for row in rows}
    found: list[m.ChangeLog] = []
    for model in {type(row) for row in rows}:
        ids = [row.id for row in rows if type(row) is model]
        found += session.exec(select(log).where(log.table_name == model.__tablename__, col(log.row_id).in_(ids)))
    found.sort(key=lambda e: (e.at, e.seq), reverse=True)
    logged = [(e, type(by_id[e.row_id]), json.loads(e.changes or "{}")) for e in found]
    links: dict[type[m.Record], set[str]] = {}
    for _, model, changes in logged:
        for name, pair in changes.items():
            spec = _spec(model, name)
            if spec and spec.kind == "ref" and spec.target:
                links.setdefault(spec.target, set()).update(v for v in pair if isinstance(v, str) and v)
    names = _names(session, rows + [r for target, ids in links.items() for r in _fetch(session, target, ids)])
    return [
        Entry(utc(e.at), e.who, e.action, model, e.row_id, names[e.row_id], _lines(model, e.action, c, names, brief))
        for e, model, c in logged
    ]


def entries(store: Store, model: type[m.Record], row_id: str) -> list[Entry]:
    """The record's change log, newest first, every field in full (the history screen)."""
    with store.db.read() as session:
        return _entries(session, _fetch(session, model, [row_id]), brief=False)


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


def account_history(store: Store, account_id: str) -> list[Entry]:
    """Every change to the account and to what belongs to it, newest first, creates in
    brief (`planner history`)."""
    with store.db.read() as session:
        return _entries(session, [row for row, _ in _tree(session, account_id)], brief=True)


def format_line(entry: Entry, tz: tzinfo | None = None) -> str:
    """`2026-11-27 09:14  rep-b  changed  person 张伟: Title: Chief → Director` (local time by default)."""
    subject = f"{entry.noun} {entry.label}".rstrip()
    detail = f": {'; '.join(entry.lines)}" if entry.lines else ""
    action = ACTIONS.get(entry.action, entry.action)
    return f"{local_time(entry.when, tz)}  {entry.who or 'someone'}  {action}  {subject}{detail}"


def _newest_first(session: Session, rows: list[m.Record]) -> list[Deleted]:
    names = _names(session, rows)
    found = [Deleted(type(r), r.id, names[r.id], utc(r.deleted_at), r.updated_by) for r in rows if r.deleted_at]
    by_name = sorted(found, key=lambda d: (d.noun, d.label))
    return sorted(by_name, key=lambda d: d.deleted_at, reverse=True)


def deleted_records(store: Store, account_id: str) -> list[Deleted]:
    """The account's deleted rows (the account too), newest deletion first. A row
    deleted together with its parent is left out: restoring the parent brings it
    back. So are attendees: who was met is edited on the visit, and restoring one
    could list a person twice."""
    with store.db.read() as session:
        rows = [
            row
            for row, parent in _tree(session, account_id)
            if row.deleted_at
            and (parent is None or parent.deleted_at != row.deleted_at)
            and not isinstance(row, m.VisitAttendee)
        ]
        return _newest_first(session, rows)


def deleted_accounts(store: Store) -> list[Deleted]:
    """Deleted accounts (each restores with everything deleted alongside), newest first."""
    query = select(m.Account).where(col(m.Account.deleted_at).is_not(None))
    with store.db.read() as session:
        return _newest_first(session, list(session.exec(query)))
