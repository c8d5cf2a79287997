"""The command palette in the interface's language: Textual's own commands translated
(their texts are marked in `planner.textual_texts`), then every key of the screen."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import cast

from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen

from planner.core.i18n import _


def open_palette(app: App) -> None:
    """Textual's palette, with its search box's placeholder translated."""
    if app.use_command_palette and not CommandPalette.is_open(cast("App[object]", app)):
        app.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))


def commands(app: App, screen: Screen, textual: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
    """`textual` (Textual's own commands) translated, then a command per enabled key of
    `screen` ("Filter (/)"), quitting once (Textual's own commands already quit)."""
    for command in textual:
        yield SystemCommand(_(command.title), _(command.help), command.callback, command.discover)
    seen = {"quit"}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.action in seen or not active.enabled:
            continue
        seen.add(binding.action)
        yield SystemCommand(
            f"{_(binding.description)} ({app.get_key_display(binding)})",
            _(binding.tooltip or binding.description),
            partial(app.run_action, binding.action, active.node),
        )
