"""The change log as a rep reads it, and the deleted records that can come back.

The store keeps the raw log (`{field: [old, new]}` as JSON, keyed by table and row
id); this module names the fields by their form labels and shows values as the
screens do (money grouped, flags as yes/no, links by the name of what they point
at), for one record (the history screen) or for an account and everything that
hangs from it (`planner history`). The store reads the rows, their log and the rows
their links point at (`Store.history` and friends); everything here is pure.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from planner.core import fields
from planner.core import models as m
from planner.core.choices import choice_label
from planner.core.formatting import industry_name, money, one_line
from planner.core.i18n import N_, _, chinese

ACTIONS = {"insert": N_("created"), "update": N_("changed"), "delete": N_("deleted"), "restore": N_("restored")}
"""What happened to a record, in English as marked for the catalog: shown through `_`."""
NOUNS: dict[type[m.Record], str] = {
    m.Industry: N_("industry"),
    m.Account: N_("account"),
    m.OrgUnit: N_("unit"),
    m.Person: N_("person"),
    m.Project: N_("project"),
    m.Purchase: N_("purchase"),
    m.Competitor: N_("competitor"),
    m.CompetitorPosition: N_("competitor position"),
    m.SwotItem: N_("SWOT item"),
    m.Goal: N_("goal"),
    m.Strategy: N_("strategy"),
    m.Action: N_("action"),
    m.Visit: N_("visit"),
    m.VisitAttendee: N_("attendee"),
    m.PlanReview: N_("plan review"),
}
"""What a rep calls each kind of record, in English as marked: shown through `_`."""
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
    if isinstance(row, m.Industry):  # by its name in the interface's language
        text = industry_name(row.name_en, row.name_zh)
    parts = [day.isoformat() if isinstance(day, date) else "", one_line(text, 50)]
    return " ".join(part for part in parts if part) or row.id[:8]


def show(field: fields.FieldSpec | None, value: Any, names: dict[str, str]) -> str:
    """A logged value as the screens show it; `names` labels the rows links point at."""
    if value is None or value == "":
        return EMPTY
    kind = field.kind if field else ""
    if kind == "flag" or isinstance(value, bool):
        return _("yes") if value else _("no")
    if kind in ("money", "amount") and isinstance(value, (int, float)):
        return money(value)
    if kind == "ref":
        return one_line(names.get(value, str(value)[:8]), VALUE_WIDTH)
    if field and kind == "choice" and isinstance(value, str):  # the code as its label (赢单 for won)
        return one_line(choice_label(field.name, value), VALUE_WIDTH)
    return one_line(value, VALUE_WIDTH)


def field_spec(model: type[m.Record], name: str) -> fields.FieldSpec | None:
    try:
        return fields.spec(model, name)
    except KeyError:
        return None


def named_by_links(rows: Iterable[m.Record]) -> dict[type[m.Record], set[str]]:
    """The rows `rows` take their label from (see `NAMED_BY`), as ids per model."""
    linked: dict[type[m.Record], set[str]] = {}
    for row in rows:
        if type(row) in NAMED_BY:
            target, link = NAMED_BY[type(row)]
            linked.setdefault(target, set()).add(getattr(row, link))
    return linked


def names(rows: Iterable[m.Record], linked: Iterable[m.Record] = ()) -> dict[str, str]:
    """The label of each row of `rows` and `linked` by id; `linked` holds the rows
    `named_by_links` asked for, which rows in `NAMED_BY` take their label from."""
    everything = [*linked, *rows]
    plain = {row.id: label(row) for row in everything if type(row) not in NAMED_BY}
    return plain | {row.id: label(row, plain) for row in everything if type(row) in NAMED_BY}


def log_links(rows: Sequence[m.Record], log: Iterable[m.ChangeLog]) -> dict[type[m.Record], set[str]]:
    """The rows the logged values of link fields point at, as ids per model."""
    model_of = {row.id: type(row) for row in rows}
    links: dict[type[m.Record], set[str]] = {}
    for entry in log:
        for name, pair in json.loads(entry.changes or "{}").items():
            spec = field_spec(model_of[entry.row_id], name)
            if spec and spec.kind == "ref" and spec.target:
                links.setdefault(spec.target, set()).update(v for v in pair if isinstance(v, str) and v)
    return links


def _default(model: type[m.Record], name: str) -> Any:
    field = model.model_fields.get(name)
    return None if field is None or field.is_required() else field.default


def _lines(
    model: type[m.Record], action: str, changes: dict[str, list[Any]], names: dict[str, str], brief: bool
) -> tuple[str, ...]:
    """A line per field in form order. `brief` sums a create up for one line of
    text: no link to the account, no default values, a few fields and a count."""
    order = {spec.name: index for index, spec in enumerate(fields.FIELDS.get(model, ()))}
    hidden = ("deleted_with", "imported")  # the import's bookkeeping: the values it gave, as JSON
    shown = sorted((n for n in changes if n not in hidden), key=lambda n: (order.get(n, len(order)), n))
    if brief:  # a card's place in its board column is noise in an account's history
        shown = [n for n in shown if (spec := field_spec(model, n)) is None or spec.kind != "position"]
    if brief and action == "insert":
        shown = [n for n in shown if n != "account_id" and changes[n][1] != _default(model, n)]
    lines = []
    for name in shown:
        spec = field_spec(model, name)
        title = spec.label if spec else name.replace("_", " ").capitalize()
        old, new = (show(spec, value, names) for value in changes[name])
        if action == "insert":
            lines.append(_("{field}: {value}").format(field=title, value=new))
        else:
            lines.append(_("{field}: {old} → {new}").format(field=title, old=old, new=new))
    if "imported" in changes and not shown:
        lines.append(_("the import noted the values it brought"))
    if brief and len(lines) > BRIEF_FIELDS:
        lines = [*lines[:BRIEF_FIELDS], _("+{count} more").format(count=len(lines) - BRIEF_FIELDS)]
    return tuple(lines)


def entries(
    rows: Sequence[m.Record], log: Iterable[m.ChangeLog], linked: Sequence[m.Record], brief: bool
) -> list[Entry]:
    """The log of `rows`, newest first, with each row's label and readable values.
    `linked` holds the rows that `named_by_links` and `log_links` asked for."""
    model_of = {row.id: type(row) for row in rows}
    labels = names(rows, linked)
    ordered = sorted(log, key=lambda e: (e.at, e.seq), reverse=True)
    return [
        Entry(
            utc(e.at), e.who, e.action, model_of[e.row_id], e.row_id, labels[e.row_id],
            _lines(model_of[e.row_id], e.action, json.loads(e.changes or "{}"), labels, brief),
        )
        for e in ordered
    ]  # fmt: skip


def format_line(entry: Entry, tz: tzinfo | None = None) -> str:
    """`2026-11-27 09:14  rep-b  changed  person 张伟: Title: Chief → Director` (local time by default)."""
    subject = f"{_(entry.noun)} {entry.label}".rstrip()
    colon, between = ("：", "；") if chinese() else (": ", "; ")
    detail = f"{colon}{between.join(entry.lines)}" if entry.lines else ""
    action = _(ACTIONS[entry.action]) if entry.action in ACTIONS else entry.action
    return f"{local_time(entry.when, tz)}  {entry.who or _('someone')}  {action}  {subject}{detail}"


def deleted(rows: Iterable[m.Record], linked: Iterable[m.Record] = ()) -> list[Deleted]:
    """The tombstoned ones of `rows`, newest deletion first (then by kind and label);
    `linked` holds the rows `named_by_links` asked for."""
    rows = list(rows)
    labels = names(rows, linked)
    found = [Deleted(type(r), r.id, labels[r.id], utc(r.deleted_at), r.updated_by) for r in rows if r.deleted_at]
    by_name = sorted(found, key=lambda d: (d.noun, d.label))
    return sorted(by_name, key=lambda d: d.deleted_at, reverse=True)
