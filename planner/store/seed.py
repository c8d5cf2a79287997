"""Load the bundled reference data (industries) and the demo portfolio.

Industries get ids derived from their key, so every copy of the planner agrees on
them and laptop copies merge. Demo dates are stored in `data/demo.json` as day
offsets from the day the demo is made, so the demo never looks stale; owner
"@me" becomes the rep running it. How some demo contacts happened (a phone call, an
event, an introduction and who made it) is given in `HOW_CONTACTS_HAPPENED`, so the
stakeholder cards show introduction paths.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from planner.core import fields, locations
from planner.core import models as m
from planner.core.errors import DatabaseUnavailable
from planner.core.i18n import _
from planner.store import backup, team
from planner.store.connection import file_info, inspect_database
from planner.store.store import Store

KIND_DEMO = "demo"
KIND_TEAM = "team"
_KIND = sa.text("SELECT value FROM planner_meta WHERE key = 'kind'")
_SET_KIND = sa.text(
    "INSERT INTO planner_meta (key, value) VALUES ('kind', :kind) ON CONFLICT (key) DO UPDATE SET value = :kind"
)

_NAMESPACE = uuid.UUID("8d3c2f6e-5b1a-4c1e-9a57-2f4d1c0b7e11")
_PREPARATION = {
    "cards": "brought_cards",
    "notebook": "brought_notebook",
    "address_book": "brought_address_book",
    "material": "brought_material",
    "quotation": "brought_quotation",
}


HOW_CONTACTS_HAPPENED: dict[tuple[str, int], tuple[str, str | None]] = {
    # (account key, the visit's day in demo.json) → (channel, key of who introduced); the rest are visits.
    # At the university: the lecturer 林晨, met on a visit, took us to her dean 孙明,
    # who introduced 钱俊 and 郭强 of the HPC lab: 钱俊 ← 孙明 ← 林晨.
    ("uni", -48): ("introduction", "lin_teacher"),
    ("uni", -26): ("introduction", "sun_dean"),
    ("uni", -11): ("phone", None),
    # At the bank: Grace Liu, met at a banking-technology forum, introduced Victor Lam.
    ("bank", -64): ("event", None),
    ("bank", -31): ("introduction", "grace_liu"),
    ("bank", -10): ("phone", None),
    ("telecom", -40): ("phone", None),
    ("securities", -35): ("phone", None),
    ("power", -55): ("event", None),
    ("lakeshore", -18): ("event", None),
}


def industry_id(key: str) -> str:
    return uuid.uuid5(_NAMESPACE, f"industry:{key}").hex


def _load(name: str) -> Any:
    return json.loads(locations.reference_data().joinpath(name).read_text(encoding="utf-8"))


def industries(store: Store) -> int:
    """Seed the industry table once, in a fresh database; returns rows added.
    A plain read answers the usual case (already seeded) without taking the write lock."""
    if store.has_any(m.Industry):
        return 0
    rows = [
        {
            "id": industry_id(item["key"]),
            "name_en": item["name_en"],
            "name_zh": item["name_zh"],
            "tier": item["tier"],
            "procurement_pattern": item["procurement_pattern"],
        }
        for item in _load("industries.json")
    ]
    return store.bulk_insert([(m.Industry, rows)], unless_any=m.Industry)


class _Ids:
    """Fresh ids for the demo's local keys, scoped per account."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, ...], str] = {}

    def __call__(self, *key: str) -> str:
        return self._ids.setdefault(key, m.new_id())

    def get(self, *key: str | None) -> str | None:
        return None if any(part is None for part in key) else self(*(part or "" for part in key))


def _given(model: type[m.Record], item: dict[str, Any]) -> dict[str, Any]:
    """The item's values for the model's own fields (not links), as demo.json names them;
    the caller then sets links, dates and anything that needs mapping."""
    return {f.name: item[f.name] for f in fields.FIELDS[model] if f.kind != "ref" and f.name in item}


def _day(today: date, offset: int | None) -> date | None:
    return None if offset is None else today + timedelta(days=offset)


def demo_batches(today: date, me: str) -> list[tuple[type[m.Record], list[dict[str, Any]]]]:
    """The demo portfolio as rows per table, parents before children."""
    data = _load("demo.json")
    new = _Ids()

    def owner(name: str) -> str:
        return me if name == "@me" else name

    tables: dict[type[m.Record], list[dict[str, Any]]] = {model: [] for model in m.ENTITIES}
    for item in data["competitors"]:
        tables[m.Competitor].append(
            {"id": new("competitor", item["key"]), "name": item["name"], "notes": item["notes"]}
        )
    for acc in data["accounts"]:
        key = acc["key"]
        account_id = new("account", key)
        tables[m.Account].append(
            {
                **_given(m.Account, acc),
                "id": account_id,
                "name": acc["name"],
                "industry_id": industry_id(acc["industry"]),
                "region": acc["region"],
                "account_class": acc["class"],
                "owner": owner(acc["owner"]),
            }
        )
        unit = partial(new.get, key, "unit")
        person = partial(new.get, key, "person")
        for u in acc["units"]:
            tables[m.OrgUnit].append(
                {
                    "id": unit(u["key"]),
                    "account_id": account_id,
                    "parent_id": unit(u["parent"]),
                    "name": u["name"],
                    "responsibilities": u["responsibilities"],
                }
            )
        for p in acc["people"]:
            tables[m.Person].append(
                {
                    **_given(m.Person, p),
                    "id": person(p["key"]),
                    "account_id": account_id,
                    "unit_id": unit(p["unit"]),
                    "reports_to_id": person(p["reports_to"]),
                    "value_orientation": m.LAYER_VALUES[p["layer"]],
                }
            )
        for p in acc["projects"]:
            tables[m.Project].append(
                {
                    **_given(m.Project, p),
                    "id": m.new_id(),
                    "account_id": account_id,
                    "expected_date": _day(today, p["expected_in"]),
                }
            )
        for p in acc["purchases"]:
            tables[m.Purchase].append(
                {
                    "id": m.new_id(),
                    "account_id": account_id,
                    "purchased_on": _day(today, p["on"]),
                    "amount": p["amount"],
                    "description": p["description"],
                }
            )
        for p in acc["positions"]:
            tables[m.CompetitorPosition].append(
                {
                    **_given(m.CompetitorPosition, p),
                    "id": new(key, "position", p["competitor"]),
                    "account_id": account_id,
                    "competitor_id": new("competitor", p["competitor"]),
                }
            )
        for s in acc["swot"]:
            tables[m.SwotItem].append(
                {"id": m.new_id(), "account_id": account_id, "kind": s["kind"], "text": s["text"]}
            )
        for g in acc["goals"]:
            tables[m.Goal].append(
                {
                    "id": new(key, "goal", g["key"]),
                    "account_id": account_id,
                    "phase": g["phase"],
                    "text": g["text"],
                    "due_date": _day(today, g["due"]),
                    "owner": owner(g["owner"]),
                }
            )
            for position, strategy in enumerate(g.get("strategies", ())):
                tables[m.Strategy].append(
                    {
                        "id": new(key, "strategy", g["key"], strategy["key"]),
                        "account_id": account_id,
                        "goal_id": new.get(key, "goal", g["key"]),
                        "text": strategy["text"],
                        "position": position,
                    }
                )
        columns: dict[str, int] = {}
        for a in acc["actions"]:
            position = columns.setdefault(a["status"], 0)
            columns[a["status"]] += 1
            tables[m.Action].append(
                {
                    "id": m.new_id(),
                    "account_id": account_id,
                    "goal_id": new.get(key, "goal", a["goal"]),
                    "strategy_id": new.get(key, "strategy", a["goal"], a.get("strategy")),
                    "person_id": person(a["person"]),
                    "competitor_position_id": new.get(key, "position", a["competitor"]),
                    "title": a["title"],
                    "status": a["status"],
                    "position": position,
                    "due_date": _day(today, a["due"]),
                    "owner": owner(a["owner"]),
                    "notes": a["notes"],
                }
            )
        latest = max((v["on"] for v in acc["visits"]), default=None)
        for v in acc["visits"]:
            visit_id = m.new_id()
            channel, introducer = HOW_CONTACTS_HAPPENED.get(
                (key, v["on"]), (v.get("channel", "visit"), v.get("introduced_by"))
            )
            tables[m.Visit].append(
                {
                    "id": visit_id,
                    "account_id": account_id,
                    "visited_on": _day(today, v["on"]),
                    "channel": channel,
                    "introduced_by_id": person(introducer),
                    "purpose": v["purpose"],
                    "appointment_made": v["appointment_made"],
                    **{column: name in v["brought"] for name, column in _PREPARATION.items()},
                    "outcome": v["outcome"],
                    "commitment": v["commitment"],
                    "next_step": v["next_step"],
                    "next_step_date": _day(today, v["next_step_in"]),
                    # A later visit followed up on an earlier one's promise; only the newest is open.
                    "next_step_done": v["on"] != latest,
                }
            )
            for k in v["people"]:
                tables[m.VisitAttendee].append({"id": m.new_id(), "visit_id": visit_id, "person_id": person(k)})
        for r in acc["reviews"]:
            tables[m.PlanReview].append(
                {
                    "id": m.new_id(),
                    "account_id": account_id,
                    "reviewed_on": _day(today, r["on"]),
                    "text": r["text"],
                }
            )
    return [(model, rows) for model, rows in tables.items() if model is not m.Industry]


def database_kind(store: Store) -> str | None:
    """What made the database (`planner_meta.kind`): "demo", "team", or None."""
    with store.db.read() as session:
        return session.connection().execute(_KIND).scalar()


def mark(store: Store, kind: str) -> None:
    """Record what made the database (the demo, init-team)."""
    with store.db.write_connection() as connection:
        connection.execute(_SET_KIND, {"kind": kind})


def demo(store: Store, today: date) -> int:
    """Fill an empty database with the demo portfolio and mark it a demo database
    (`planner_meta.kind`, which `demo --reset` asks for); returns rows added (0 if
    it had accounts). A team database is refused: the demo goes in a file of its own."""
    with store.db.write_connection() as connection:
        kind = connection.execute(_KIND).scalar()
        if kind not in (None, KIND_DEMO):
            raise DatabaseUnavailable(
                _(
                    "This is a {kind} database; the demo goes in a database of its own "
                    "(planner demo, without --db). Nothing was changed."
                ).format(kind=kind)
            )
        if connection.execute(select(m.Account.id).limit(1)).first() is not None:
            return 0
        connection.execute(_SET_KIND, {"kind": KIND_DEMO})
    return store.bulk_insert(demo_batches(today, store.db.user), unless_any=m.Account)


def reset_demo(path: Path, *, unmarked_is_demo: bool = False) -> Path | None:
    """Delete the demo database at `path` so the demo can be rebuilt, after backing it
    up beside it; returns the backup (None when there was nothing to delete).

    Refused, with the file untouched: anything `inspect_database` refuses, a team
    database, a database that is not a demo (`planner_meta.kind`; one made before
    the mark existed counts as a demo only where `unmarked_is_demo`, i.e. at the
    demo's own default path), and a database anyone has open."""
    info = file_info(path)
    if info is None or info.st_size == 0:
        return None
    facts = inspect_database(path)
    if team.is_team_database(path) or facts.kind == KIND_TEAM:
        raise DatabaseUnavailable(
            _("{path} is a team database: demo --reset deletes only a demo database; nothing was changed.").format(
                path=path
            )
        )
    if facts.kind != KIND_DEMO and not (facts.kind is None and unmarked_is_demo):
        raise DatabaseUnavailable(
            _(
                "{path} is not a demo database (planner demo did not make it): "
                "demo --reset deletes only a demo database; nothing was changed."
            ).format(path=path)
        )
    return backup.set_aside(path)
