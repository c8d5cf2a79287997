"""Competitor analysis (method section 3.4): who competes at an account and where each
brand is present across the portfolio.

A brand (`Competitor`) is recorded once and shared; what it does at one account is a
`CompetitorPosition`. A position is countered when a live `Action` points at it; a
high-threat position without one is a red flag, so every row here says which.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlmodel import col, select

from planner import models as m
from planner.store import Store

POSITION_FIELDS = (
    "partner",
    "relationship",
    "reputation",
    "experience",
    "capability",
    "allies",
    "weaknesses",
    "threat",
)
"""The method's questions about a competitor at one account, in the order it asks them."""


class Counter(NamedTuple):
    """An action taken against a competitor's position."""

    title: str
    status: str
    due_date: date | None
    owner: str


class PositionRow(NamedTuple):
    """One competitor at one account, with its brand and the actions countering it."""

    id: str
    version: int
    account_id: str
    competitor_id: str
    brand: str
    brand_notes: str
    brand_version: int
    partner: str
    relationship: str
    reputation: str
    experience: str
    capability: str
    allies: str
    weaknesses: str
    threat: int
    counters: tuple[Counter, ...]

    @property
    def countered(self) -> bool:
        return bool(self.counters)


class Presence(NamedTuple):
    """A brand at one live account, or (no `position_id`) a brand present nowhere."""

    competitor_id: str
    brand: str
    position_id: str | None
    account_id: str | None
    account_name: str
    account_class: str
    threat: int
    countered: bool

    @property
    def id(self) -> str:
        return self.position_id or self.competitor_id


def _live(model: type[m.Record]):
    return col(model.deleted_at).is_(None)


def positions(store: Store, account_id: str) -> list[PositionRow]:
    """The account's live positions, most threatening first, then by brand."""
    cp, c, act = m.CompetitorPosition, m.Competitor, m.Action
    keys = (cp.id, cp.version, cp.account_id, cp.competitor_id, c.name, c.notes, c.version)
    rows = (
        select(*keys, *(getattr(cp, name) for name in POSITION_FIELDS))
        .join(c, col(cp.competitor_id) == c.id)
        .where(cp.account_id == account_id, _live(cp), _live(c))
    )
    actions = (
        select(act.competitor_position_id, act.title, act.status, act.due_date, act.owner)
        .where(act.account_id == account_id, col(act.competitor_position_id).is_not(None), _live(act))
        .order_by(act.status, act.due_date, act.title)
    )
    counters: dict[str, list[Counter]] = {}
    with store.db.read() as session:
        found = session.execute(rows).all()
        for position_id, *counter in session.execute(actions):
            counters.setdefault(position_id, []).append(Counter(*counter))
    result = [PositionRow(*row, tuple(counters.get(row[0], ()))) for row in found]
    result.sort(key=lambda p: (-p.threat, p.brand.casefold()))
    return result


def presence(store: Store) -> list[Presence]:
    """Every live brand with each live account where it is present, sorted by brand,
    then threat (highest first), then account name."""
    cp, c, a, act = m.CompetitorPosition, m.Competitor, m.Account, m.Action
    countered = select(act.id).where(act.competitor_position_id == cp.id, _live(act)).exists()
    placed = (
        select(c.id, c.name, cp.id, a.id, a.name, a.account_class, cp.threat, countered)
        .join(cp, col(cp.competitor_id) == c.id)
        .join(a, col(cp.account_id) == a.id)
        .where(_live(c), _live(cp), _live(a))
    )
    brands = select(c.id, c.name).where(_live(c))
    with store.db.read() as session:
        rows = [Presence(*row[:7], bool(row[7])) for row in session.execute(placed)]
        present = {row.competitor_id for row in rows}
        rows += [
            Presence(brand_id, name, None, None, "", "", 0, False)
            for brand_id, name in session.execute(brands)
            if brand_id not in present
        ]
    rows.sort(key=lambda p: (p.brand.casefold(), p.competitor_id, -p.threat, p.account_name.casefold()))
    return rows


def matching(rows: list[Presence], text: str) -> list[Presence]:
    """Rows whose brand or account name contains `text`, ignoring case."""
    needle = text.strip().casefold()
    if not needle:
        return rows
    return [row for row in rows if needle in row.brand.casefold() or needle in row.account_name.casefold()]


def threat_bar(threat: int) -> str:
    """Threat as filled triangles plus the number, so it reads without colour."""
    return f"{'▲' * threat:<5} {threat}/5"


def unanswered(threat: int, countered: bool, high_threat: int) -> bool:
    """The method's red flag: a high threat nobody is acting against."""
    return threat >= high_threat and not countered


def counter_status(threat: int, countered: bool, high_threat: int) -> str:
    """Whether a position is answered; an unanswered high threat carries the flag."""
    if countered:
        return "✓ countered"
    return "no counter-action ⚑" if unanswered(threat, countered, high_threat) else "no counter-action"
