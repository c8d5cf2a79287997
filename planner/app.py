"""The Textual app: thin on purpose. Screens do the work; the store is injected."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerFailed, WorkerState

from planner.core import crash
from planner.core.errors import EXIT_UNUSABLE, PlannerError
from planner.core.i18n import N_, _
from planner.screens.base import HoldsTyping, PlannerScreen
from planner.screens.customer_list import CustomerListScreen
from planner.screens.navigation import Open, binding_ids, build, unknown_keymap_ids
from planner.screens.sync_run import LaptopSync, over_ssh
from planner.store.change_feed import SAFETY_POLL_S, ChangeFeed, announces_changes
from planner.store.connection import database_label
from planner.store.opening import Opening
from planner.widgets import palette
from planner.widgets.keys_panel import KeysPanel

if TYPE_CHECKING:
    from planner.core.config import Settings
    from planner.store.store import Store
    from planner.store.sync.client import Connect


class PlannerApp(App[None]):
    TITLE = "planner"
    poll_seconds = 0.5  # how often to look for other reps' saves
    CSS_PATH = "planner.tcss"
    BINDINGS = [
        Binding(
            "question_mark", "toggle_help", N_("Help"), id="help", tooltip=N_("Show or hide the keys of this screen")
        ),
        Binding("ctrl+q", "quit", N_("Quit"), id="quit", tooltip=N_("Leave the planner"), priority=True, show=False),
        Binding(
            "ctrl+y", "sync", N_("Sync with the team database"), id="sync", show=False,
            tooltip=N_("Send this laptop copy's changes and receive the team's (planner sync)"),
        ),
        Binding(
            "F", "conflicts", N_("Sync conflicts"), id="conflicts", show=False, tooltip=N_("Conflicts to decide")
        ),
    ]  # fmt: skip

    def __init__(self, opening: Opening, today: date | None = None):
        super().__init__()
        self.opening = opening
        self._today = today
        self._latest_seen = 0
        self.crash_report: str | None = None
        self.laptop = LaptopSync(self)
        self.sync_connect: Connect = over_ssh  # how a sync reaches the team database
        self.feed = ChangeFeed(opening.url) if announces_changes(opening.url) else None  # PostgreSQL

    def today(self) -> date:
        """The day every figure is computed for (fixed in tests and snapshots)."""
        return self._today or date.today()

    @property
    def store(self) -> Store:
        """The store; built on first use, so use it from workers (`planner.store.opening`)."""
        return self.opening.store

    @property
    def settings(self) -> Settings:
        return self.opening.settings

    @property
    def user(self) -> str:
        """The rep's login, as the change log records it."""
        return self.opening.user

    def get_default_screen(self) -> Screen:
        return CustomerListScreen()

    def on_mount(self) -> None:
        self.sub_title = database_label(self.opening.url)
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
            self.run_worker(self._check_keymap(), group="keymap")
        if self.feed is not None:  # saves are announced: the poll only backs the feed up
            self.feed.start(partial(self.call_from_thread, self.seen))
        if self.poll_seconds:
            every = self.poll_seconds if self.feed is None else max(self.poll_seconds, SAFETY_POLL_S)
            self.set_interval(every, self.check_for_changes)
        self.screen_change_signal.subscribe(self, self.laptop.place)
        if self.opening.store_is_built:  # else the poll reads it once the list has built the store
            self.laptop.refresh()

    def on_unmount(self) -> None:
        if self.feed is not None:
            self.feed.stop()

    async def _check_keymap(self) -> None:
        """Warn about keymap ids no binding has (a typo leaves a key unchanged silently)."""
        known = await asyncio.to_thread(binding_ids)
        for warning in unknown_keymap_ids(self.settings.keymap, known):
            self.notify(warning, title=_("Keymap"), severity="warning", timeout=15)

    def on_open(self, message: Open) -> None:
        self.push_screen(build(message), message.then)

    def cannot_go_on(self, error: PlannerError) -> None:
        """The database turned out damaged: say so in one line (with how to restore)
        as the app ends, and exit 3 like every command that meets an unusable database."""
        self.exit(return_code=EXIT_UNUSABLE, message=str(error))

    # --- other reps' saves -------------------------------------------------------------

    def latest_change_known(self) -> int:
        """The newest change-log number this app has seen, its own writes included."""
        own = self.store.db.own_changes.latest if self.opening.store_is_built else 0
        return max(self._latest_seen, own)

    def own_changes_cover(self, after: int, upto: int) -> bool:
        """Whether every change in (after, upto] was this app's own (and reloaded by itself)."""
        return self.opening.store_is_built and self.store.db.own_changes.cover(after, upto)

    @work(thread=True, exclusive=True, group="watch")
    def check_for_changes(self) -> None:
        """Other reps' saves appear without a restart: when the change log moved on, the
        screen on top reloads (keeping its cursor); screens below reload when they are
        back on top, and a form on top is left alone."""
        try:
            latest = self.opening.latest_change()
        except PlannerError:
            return
        self.call_from_thread(self.seen, latest)
        self.laptop.polled(latest)

    def seen(self, latest: int) -> None:
        self._latest_seen = max(self._latest_seen, latest)
        if isinstance(self.screen, PlannerScreen) and self.screen.is_mounted:
            self.screen.changed_elsewhere(latest)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A save (screens and forms write through the app) changes what waits to be sent."""
        if event.worker.group == "write" and event.state == WorkerState.SUCCESS:
            self.laptop.refresh()

    # --- keys and errors -------------------------------------------------------------------

    def action_sync(self) -> None:
        self.laptop.run()

    def action_conflicts(self) -> None:
        self.post_message(Open("conflicts"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The conflicts open over a full screen, not over a form or a question."""
        return action != "conflicts" or isinstance(self.screen, PlannerScreen)

    async def action_quit(self) -> None:
        """Quit; what a rep typed in an open form is kept as a draft first, and offered
        back when the form opens again."""
        jobs = [screen.draft_job() for screen in self.screen_stack if isinstance(screen, HoldsTyping)]
        if jobs:
            try:
                await asyncio.to_thread(lambda: [job(self.store) for job in jobs])
            except PlannerError as error:
                self.notify(
                    _("What you typed could not be kept as a draft: {error}").format(error=error), severity="error"
                )
                return
        self.exit()

    def action_toggle_help(self) -> None:
        panels = self.screen.query(KeysPanel)
        if panels:
            panels.remove()
        else:
            self.screen.mount(KeysPanel())

    def action_command_palette(self) -> None:
        palette.open_palette(self)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        return palette.commands(self, screen, super().get_system_commands(screen))

    def _handle_exception(self, error: Exception) -> None:
        """A bug, not a refusal: keep the details in a crash report for whoever fixes it,
        tell the rep where it is instead of a screenful of traceback, exit non-zero."""
        super()._handle_exception(error)
        self.crash_report = crash.write_report(error.error if isinstance(error, WorkerFailed) else error)
        self._exit_renderables[:] = [crash.message(self.crash_report)]


def make_app(store: Store | Opening, today: date | None = None) -> PlannerApp:
    """The app on an opened database (`planner.store.opening`), or on a store (tests)."""
    return PlannerApp(store if isinstance(store, Opening) else Opening.of(store), today)
