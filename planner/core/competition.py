"""Competitor analysis (method section 3.4): who competes at an account and where each
brand is present across the portfolio.

A brand (`Competitor`) is recorded once and shared; what it does at one account is a
`CompetitorPosition`. A position is countered when a live `Action` points at it; a
high-threat position without one is a red flag, so every row here says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from planner.core import models as m
from planner.core.i18n import _

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


@dataclass(frozen=True)
class AccountCompetitors:
    """What the competitor screen shows: the account, its positions, every brand."""

    account: m.Account
    positions: list[PositionRow]
    brands: list[m.Competitor]


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
        return _("✓ countered")
    return _("no counter-action ⚑") if unanswered(threat, countered, high_threat) else _("no counter-action")
