"""The Textual app: thin on purpose. Screens do the work; the store is injected."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import partial

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from planner.errors import PlannerError
from planner.screens.customer_list import CustomerListScreen
from planner.store import Store


class PlannerApp(App):
    TITLE = "planner"
    poll_seconds = 0.5  # how often to look for other reps' saves
    CSS_PATH = "planner.tcss"
    BINDINGS = [
        Binding("question_mark", "toggle_help", "Help", id="help", tooltip="Show or hide the keys of this screen"),
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Leave the planner", priority=True),
    ]

    def __init__(self, store: Store, today: date | None = None):
        super().__init__()
        self.store = store
        self._today = today
        self._seen_change: int | None = None
        self._behind = False

    def today(self) -> date:
        """The day every figure is computed for (fixed in tests and snapshots)."""
        return self._today or date.today()

    def on_mount(self) -> None:
        self.sub_title = self.store.db.url.rsplit("/", 1)[-1]
        if self.store.settings.keymap:
            self.set_keymap(self.store.settings.keymap)
        self.push_screen(CustomerListScreen())
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self.check_for_changes)

    @work(thread=True, exclusive=True, group="watch")
    def check_for_changes(self) -> None:
        """Other reps' saves appear without a restart: when the change log moved on,
        the screen on top reloads (keeping its cursor); a form on top waits its turn."""
        try:
            latest = self.store.latest_change()
        except PlannerError:
            return
        if self._seen_change is not None and latest != self._seen_change:
            self._behind = True
        self._seen_change = latest
        if self._behind:
            self.call_from_thread(self._refresh_top)

    def _refresh_top(self) -> None:
        reload = getattr(self.screen, "action_reload", None)
        if reload is not None and self.screen.is_mounted:
            self._behind = False
            reload()

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key of the current screen is also a command in the palette."""
        yield from super().get_system_commands(screen)
        seen = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            key = self.get_key_display(binding)
            yield SystemCommand(
                f"{binding.description} ({key})",
                binding.tooltip or binding.description,
                partial(self.run_action, binding.action, active.node),
            )


def make_app(store: Store, today: date | None = None) -> PlannerApp:
    return PlannerApp(store, today)
