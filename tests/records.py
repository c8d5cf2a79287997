"""Minimal valid field values for every entity, so CRUD tests cover all of them."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from planner.core import models as m
from planner.store.store import Store


def raw_log(store: Store, model: type[m.Record], row_id: str) -> list[m.ChangeLog]:
    """The change log of one row as stored (oldest first): what the audit hook wrote,
    before `planner.core.history` makes it readable."""
    log = m.ChangeLog
    query = select(log).where(log.table_name == model.__tablename__, log.row_id == row_id).order_by(log.seq)
    with store.db.read() as session:
        return list(session.exec(query))


def make_account(store: Store, name: str = "Acme", **extra) -> m.Account:
    return store.create(m.Account, name=name, **extra)


def sample_values(store: Store, model: type[m.Record]) -> dict:
    """Values for a new `model` row, creating the rows it must link to."""
    if model is m.Industry:
        return {"name_en": "Shipping", "tier": "other"}
    if model is m.Account:
        return {"name": "Acme Bank", "account_class": "A", "revenue": 1000.0}
    if model is m.Competitor:
        return {"name": "RivalSoft"}
    account = make_account(store, name=f"Parent of {model.__name__}")
    base = {"account_id": account.id}
    if model is m.OrgUnit:
        return {**base, "name": "Finance office"}
    if model is m.Person:
        return {**base, "name": "张伟", "layer": "decision"}
    if model is m.Project:
        return {**base, "name": "Data centre", "amount": 5e5, "stage": "incubating", "probability": 40}
    if model is m.Purchase:
        return {**base, "purchased_on": date(2025, 3, 1), "amount": 1200.0}
    if model is m.CompetitorPosition:
        return {**base, "competitor_id": store.create(m.Competitor, name="Rival").id, "threat": 4}
    if model is m.SwotItem:
        return {**base, "kind": "S", "text": "Long relationship with IT"}
    if model is m.Goal:
        return {**base, "phase": "Q1", "text": "Win the pilot", "due_date": date(2026, 3, 31)}
    if model is m.Strategy:
        goal = store.create(m.Goal, account_id=account.id, text="Win the pilot")
        return {**base, "goal_id": goal.id, "text": "Make the CIO our sponsor"}
    if model is m.Action:
        return {**base, "title": "Call the director"}
    if model is m.Visit:
        return {**base, "visited_on": date(2026, 11, 1), "commitment": "Send the tender draft"}
    if model is m.VisitAttendee:
        visit = store.create(m.Visit, account_id=account.id, visited_on=date(2026, 11, 1))
        person = store.create(m.Person, account_id=account.id, name="Li")
        return {"visit_id": visit.id, "person_id": person.id}
    if model is m.PlanReview:
        return {**base, "reviewed_on": date(2026, 11, 2), "text": "Think, act, think again"}
    raise AssertionError(f"no sample for {model.__name__}")


# A text field of each entity that every test may change.
EDITABLE = {
    m.Industry: "procurement_pattern",
    m.Account: "notes",
    m.OrgUnit: "responsibilities",
    m.Person: "notes",
    m.Project: "description",
    m.Purchase: "description",
    m.Competitor: "notes",
    m.CompetitorPosition: "allies",
    m.SwotItem: "text",
    m.Goal: "owner",
    m.Strategy: "text",
    m.Action: "notes",
    m.Visit: "outcome",
    m.PlanReview: "text",
}
