"""The registry of screens: every screen that another one opens, by name.

A screen asks for another with an `Open` message naming it (`self.open("account",
account_id)`); the app builds it here and pushes it. So screens never import one
another (no import cycles), and each screen module is imported the first time it
is opened: start-up imports only the customer list, which is drawn before the
ORM is even loaded (see the README's performance section).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from importlib import import_module
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen

from planner.core.i18n import _

ROUTES: dict[str, tuple[str, str]] = {
    "account": ("planner.screens.account_overview", "AccountOverviewScreen"),
    "account-form": ("planner.screens.account_form", "AccountForm"),
    "org-chart": ("planner.screens.org_chart", "OrgChartScreen"),
    "stakeholders": ("planner.screens.stakeholders", "StakeholdersScreen"),
    "competitors": ("planner.screens.competitors", "CompetitorsScreen"),
    "battle-plan": ("planner.screens.battle_plan", "BattlePlanScreen"),
    "brief": ("planner.screens.brief", "BriefScreen"),
    "competitor-map": ("planner.screens.competitor_map", "CompetitorMapScreen"),
    "agenda": ("planner.screens.agenda", "AgendaScreen"),
    "portfolio": ("planner.screens.portfolio_charts", "PortfolioChartsScreen"),
    "history": ("planner.screens.history", "HistoryScreen"),
    "deleted": ("planner.screens.deleted", "DeletedScreen"),
    "conflicts": ("planner.screens.conflicts", "ConflictsScreen"),
    "industries": ("planner.screens.industries", "IndustriesScreen"),
    "people-search": ("planner.screens.people_search", "PeopleSearchScreen"),
}
"""Screen name → (module, class). The class is called with the `Open` message's args."""


@dataclass
class Open(Message):
    """Ask the app to open the screen registered as `route`; `then` gets its result."""

    route: str
    args: tuple[Any, ...] = ()
    then: Callable[[Any], None] | None = None


def binding_ids() -> set[str]:
    """Every key binding id the planner declares, on any screen or widget (this imports
    every screen, so call it from a worker)."""
    for route in ROUTES:
        screen_class(route)
    found: set[str] = set()
    classes: list[type[DOMNode]] = [DOMNode]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if cls.__module__.startswith("planner."):
            found.update(b.id for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding) and b.id)
    return found


def unknown_keymap_ids(keymap: Mapping[str, str], known: Collection[str]) -> list[str]:
    """A warning per id in the keymap that no binding has, naming the closest real one."""
    warnings = []
    for wanted in sorted(keymap.keys() - set(known)):
        close = get_close_matches(wanted, sorted(known), n=1)
        if close:
            warning = _(
                "config.toml [keymap]: no key binding has the id {wanted!r}, so it was ignored; did you mean {close!r}?"
            ).format(wanted=wanted, close=close[0])
        else:
            warning = _(
                "config.toml [keymap]: no key binding has the id {wanted!r}, so it was ignored; "
                "? shows each screen's keys and their ids."
            ).format(wanted=wanted)
        warnings.append(warning)
    return warnings


def screen_class(route: str) -> type[Screen[Any]]:
    module, name = ROUTES[route]
    found: type[Screen[Any]] = getattr(import_module(module), name)
    return found


def build(message: Open) -> Screen[Any]:
    return screen_class(message.route)(*message.args)
