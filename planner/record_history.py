"""A record's change log as a rep reads it, and the deleted records that can come back.

The store keeps the raw log (`{field: [old, new]}` as JSON, per row); this module
names the fields by their labels, shows values as the screens do (money grouped,
links by the name of what they point at) and lists tombstoned rows with who deleted
them and when. Plain Python: the history screens are one client of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from planner import fields
from planner import models as m
from planner.formatting import money

if TYPE_CHECKING:
    from planner.store import Store

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
ACCOUNT_MODELS = tuple(model for model in m.ENTITIES if model is not m.Account and "account_id" in model.model_fields)
VALUE_WIDTH = 60
EMPTY = "—"


@dataclass(frozen=True)
class Entry:
    """One write to a record: `lines` hold "Label: old → new" (or "Label: value" on create)."""

    when: datetime
    who: str
    action: str
    lines: tuple[str, ...]

    @property
    def heading(self) -> str:
        return f"{local_time(self.when)}  {self.who or 'someone'}  {ACTIONS.get(self.action, self.action)}"


@dataclass(frozen=True)
class Deleted:
    """A tombstoned row: what it was, when it went and who deleted it."""

    model: type[m.Record]
    id: str
    label: str
    deleted_at: datetime
    who: str

    @property
    def noun(self) -> str:
        return NOUNS.get(self.model, self.model.__name__.lower())


def utc(when: datetime) -> datetime:
    """SQLite hands back naive datetimes; the store always writes UTC."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def local_time(when: datetime) -> str:
    return utc(when).astimezone().strftime("%Y-%m-%d %H:%M")


def one_line(text: str, width: int = VALUE_WIDTH) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def label(row: m.Record) -> str:
    """What a rep calls the row: its day (for dated records) and its name or text."""
    day = next((getattr(row, n) for n in ("visited_on", "purchased_on", "reviewed_on") if getattr(row, n, None)), None)
    text = next(
        (getattr(row, n) for n in ("name", "name_en", "title", "text", "description", "purpose", "partner")
         if getattr(row, n, "")),
        "",
    )  # fmt: skip
    parts = [day.isoformat() if isinstance(day, date) else "", one_line(text, 50)]
    return " ".join(part for part in parts if part) or row.id[:8]


def _spec(model: type[m.Record], name: str) -> fields.FieldSpec | None:
    try:
        return fields.spec(model, name)
    except KeyError:
        return None


def _labels(store: Store, model: type[m.Record], ids: set[str]) -> dict[str, str]:
    """Labels of rows by id, deleted ones included (a link may point at one)."""
    if not ids:
        return {}
    with store.db.read() as session:
        return {row.id: label(row) for row in session.exec(select(model).where(col(model.id).in_(ids)))}


def show(field: fields.FieldSpec | None, value: Any, names: dict[str, str] | None = None) -> str:
    """A logged value as the screens show it."""
    if value is None or value == "":
        return EMPTY
    kind = field.kind if field else ""
    if kind == "flag" or isinstance(value, bool):
        return "yes" if value else "no"
    if kind in ("money", "amount") and isinstance(value, (int, float)):
        return money(value)
    if kind == "ref":
        return one_line((names or {}).get(value, str(value)[:8]))
    return one_line(value)


def entries(store: Store, model: type[m.Record], row_id: str) -> list[Entry]:
    """The record's change log, newest first, with labelled fields and readable values."""
    raw = [(entry, json.loads(entry.changes or "{}")) for entry in store.history(model, row_id)]
    wanted: dict[type[m.Record], set[str]] = {}
    for _, changes in raw:
        for name, pair in changes.items():
            spec = _spec(model, name)
            if spec and spec.kind == "ref" and spec.target:
                wanted.setdefault(spec.target, set()).update(v for v in pair if isinstance(v, str) and v)
    names: dict[str, str] = {}
    for target, ids in wanted.items():
        names.update(_labels(store, target, ids))
    order = {spec.name: index for index, spec in enumerate(fields.FIELDS.get(model, ()))}
    result = []
    for entry, changes in reversed(raw):
        lines = []
        for name in sorted(changes, key=lambda n: (order.get(n, len(order)), n)):
            spec = _spec(model, name)
            title = spec.label if spec else name.replace("_", " ").capitalize()
            old, new = (show(spec, value, names) for value in changes[name])
            lines.append(f"{title}: {new}" if entry.action == "insert" else f"{title}: {old} → {new}")
        result.append(Entry(utc(entry.at), entry.who, entry.action, tuple(lines)))
    return result


def _deleted(store: Store, model: type[m.Record], **equal: Any) -> list[Deleted]:
    query = select(model).where(col(model.deleted_at).is_not(None))
    for name, value in equal.items():
        query = query.where(getattr(model, name) == value)
    with store.db.read() as session:
        rows = list(session.exec(query))
    competitors: dict[str, str] = {}
    if model is m.CompetitorPosition:
        competitors = _labels(store, m.Competitor, {row.competitor_id for row in rows})
    found = []
    for row in rows:
        text = label(row)
        if model is m.CompetitorPosition:
            text = competitors.get(row.competitor_id, text)
        found.append(Deleted(model, row.id, text, utc(row.deleted_at), row.updated_by))
    return found


def _newest_first(found: list[Deleted]) -> list[Deleted]:
    by_name = sorted(found, key=lambda d: (d.noun, d.label))
    return sorted(by_name, key=lambda d: d.deleted_at, reverse=True)


def deleted_records(store: Store, account_id: str) -> list[Deleted]:
    """The account's deleted records of every kind, newest deletion first."""
    found = [d for model in ACCOUNT_MODELS for d in _deleted(store, model, account_id=account_id)]
    return _newest_first(found)


def deleted_accounts(store: Store) -> list[Deleted]:
    """Deleted accounts (each restores with everything deleted alongside), newest first."""
    return _newest_first(_deleted(store, m.Account))
