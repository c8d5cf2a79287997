"""The registry of screens: every screen that another one opens, by name.

A screen asks for another with an `Open` message naming it (`self.open("account",
account_id)`); the app builds it here and pushes it. So screens never import one
another (no import cycles), and each screen module is imported the first time it
is opened: start-up imports only the customer list, which is drawn before the
ORM is even loaded (see the README's performance section).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from textual.message import Message
from textual.screen import Screen

ROUTES: dict[str, tuple[str, str]] = {
    "account": ("planner.screens.account_overview", "AccountOverviewScreen"),
    "account-form": ("planner.screens.account_form", "AccountForm"),
    "org-chart": ("planner.screens.org_chart", "OrgChartScreen"),
    "stakeholders": ("planner.screens.stakeholders", "StakeholdersScreen"),
    "competitors": ("planner.screens.competitors", "CompetitorsScreen"),
    "battle-plan": ("planner.screens.battle_plan", "BattlePlanScreen"),
    "competitor-map": ("planner.screens.competitor_map", "CompetitorMapScreen"),
    "agenda": ("planner.screens.agenda", "AgendaScreen"),
    "portfolio": ("planner.screens.portfolio_charts", "PortfolioChartsScreen"),
    "history": ("planner.screens.history", "HistoryScreen"),
    "deleted": ("planner.screens.deleted", "DeletedScreen"),
}
"""Screen name → (module, class). The class is called with the `Open` message's args."""


@dataclass
class Open(Message):
    """Ask the app to open the screen registered as `route`; `then` gets its result."""

    route: str
    args: tuple[Any, ...] = ()
    then: Callable[[Any], None] | None = None


def screen_class(route: str) -> type[Screen[Any]]:
    module, name = ROUTES[route]
    found: type[Screen[Any]] = getattr(import_module(module), name)
    return found


def build(message: Open) -> Screen[Any]:
    return screen_class(message.route)(*message.args)
