"""Every screen of the planner, reached as a rep would, for the tests that look at all
of them (the Chinese snapshots, the check that nothing English is left on screen)."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from conftest import settle, university
from rich.console import Console

from planner.core import models as m
from planner.screens.navigation import Open


@dataclass(frozen=True)
class Stop:
    name: str
    route: str = ""
    keys: tuple[str, ...] = ()
    args: Callable[[object], tuple] = lambda store: ()

    async def visit(self, pilot, store) -> None:
        await settle(pilot)
        if self.route:
            pilot.app.post_message(Open(self.route, self.args(store)))
            await settle(pilot)
        for key in self.keys:
            await pilot.press(key)
            await settle(pilot)


def _account(*rest):
    return lambda store: (university(store).id, *rest)


STOPS = (
    Stop("customer-list"),
    Stop("help-panel", keys=("question_mark",)),
    Stop("account-profile", "account", args=_account()),
    Stop("account-projects", "account", ("2",), _account()),
    Stop("account-purchases", "account", ("3",), _account()),
    Stop("account-visits", "account", ("4",), _account()),
    Stop("visit-form", "account", ("4", "n"), _account()),
    Stop("account-form", "account", ("e",), _account()),
    Stop("org-chart", "org-chart", args=_account()),
    Stop("stakeholder-cards", "stakeholders", args=_account()),
    Stop("stakeholder-grid", "stakeholders", ("g",), _account()),
    Stop("competitors", "competitors", args=_account()),
    Stop("competitor-map", "competitor-map"),
    Stop("battle-plan-board", "battle-plan", ("1",), _account()),
    Stop("battle-plan-swot", "battle-plan", ("2",), _account()),
    Stop("battle-plan-goals", "battle-plan", ("3",), _account()),
    Stop("battle-plan-reviews", "battle-plan", ("4",), _account()),
    Stop("brief", "brief", args=_account()),
    Stop("agenda", "agenda"),
    Stop("portfolio-pareto", "portfolio", ("1",)),
    Stop("portfolio-quadrant", "portfolio", ("2",)),
    Stop("portfolio-funnel", "portfolio", ("3",)),
    Stop("history", "history", args=lambda store: (m.Account, university(store).id, "")),
    Stop("deleted", "deleted", args=lambda store: (None,)),
    Stop("conflicts", "conflicts"),
    Stop("industries", "industries"),
    Stop("people-search", "people-search", ("z", "w")),
)


def screen_text(app) -> str:
    """What the terminal shows now, as text (the SVG snapshot's characters)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


Visit = Callable[[object], Awaitable[None]]
