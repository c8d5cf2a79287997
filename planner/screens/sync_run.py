"""A laptop copy in the TUI: the badge under every screen's header, and syncing.

The state (`Store.replica_status`) is read in a thread: when the app's poll sees the
change log move (the rep's own saves and other reps' alike), after each write, and
after a sync; at start-up once the store is built, so the customer list is still
drawn before the ORM is loaded. Each full screen gets a `ReplicaBadge` when it comes
on top; a team database gets none.

A sync (`planner.store.sync.client.sync`, the same call `planner sync` makes) runs
in a thread worker; the badge says it is running, a second request is told so, the
report lines (or the one-line refusal) arrive as a notification, and the screen on
top reloads; screens below reload when they are back on top.
"""

from __future__ import annotations

import itertools
import time
from typing import TYPE_CHECKING, Any

from planner.core.errors import DatabaseDamaged, PlannerError
from planner.core.i18n import N_, _
from planner.core.sync import Report
from planner.screens.base import PlannerScreen
from planner.widgets.replica_badge import BadgeState, ReplicaBadge

if TYPE_CHECKING:
    from planner.app import PlannerApp
    from planner.core.sync import Remote
    from planner.store.replication import ReplicaStatus
    from planner.store.sync.transport import Channel

RECHECK_S = 15.0  # re-read the state this often even when the change log stands still
NOT_A_COPY = N_(
    "This is the team database (or one of its own), not a laptop copy; sync runs on a laptop copy (planner clone)."
)


def over_ssh(remote: Remote, command: str, remote_planner: str) -> Channel:
    """The way `planner sync` reaches the team database (the app's `sync_connect`)."""
    from planner.store.sync.transport import SshChannel

    return SshChannel(remote, command, remote_planner)


class LaptopSync:
    """The app's laptop-copy state and its sync; the app delegates its keys here."""

    def __init__(self, app: PlannerApp):
        self.app = app
        self.status: ReplicaStatus | None = None
        self.known = False  # the state was read at least once
        self.running = False
        self._tickets = itertools.count(1)
        self._shown_ticket = 0
        self._read_at: tuple[int, float] = (-1, 0.0)  # change-log number, monotonic time

    # --- the state ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the state again (in a thread)."""
        self.app.run_worker(self._read, thread=True, group="replica")

    def polled(self, latest: int) -> None:
        """In the poll's thread: read the state if the change log moved since the last
        read (or a while passed); never before the store is built."""
        seq, when = self._read_at
        if self.app.opening.store_is_built and (latest != seq or time.monotonic() - when > RECHECK_S):
            self._read()

    def _read(self) -> None:
        ticket = next(self._tickets)
        try:
            latest = self.app.store.latest_change()
            status = self.app.store.replica_status()
        except PlannerError:
            return  # a busy database: the next poll reads it
        self._read_at = (latest, time.monotonic())
        self.app.call_from_thread(self._show, ticket, status)

    def _show(self, ticket: int, status: ReplicaStatus | None) -> None:
        if ticket < self._shown_ticket:
            return  # an older read that finished late
        self._shown_ticket = ticket
        self.status, self.known = status, True
        self.place()

    def place(self, *_args: Any) -> None:
        """Put the badge on every full screen in the stack (or take it away), up to date."""
        for screen in self.app.screen_stack:
            if not isinstance(screen, PlannerScreen):
                continue
            badges = screen.query(ReplicaBadge)
            if self.status is None:
                badges.remove()
                continue
            state = BadgeState(self.status, self.running, self.app.today())
            if badges:
                badges.first().show(state)
            else:
                screen.mount(ReplicaBadge(state))

    # --- syncing -----------------------------------------------------------------------------

    def run(self) -> None:
        """Start a sync unless one is running (or this is not a laptop copy)."""
        if self.running:
            self.app.notify(_("A sync is already running; its result will show here when it ends."))
            return
        if self.known and self.status is None:
            self.app.notify(_(NOT_A_COPY), title=_("Nothing to sync"), severity="warning", timeout=10)
            return
        self.running = True
        if self.status:
            self.app.notify(_("Syncing with {host}…").format(host=self.status.remote.host), timeout=4)
        else:
            self.app.notify(_("Syncing with the team database…"), timeout=4)
        self.place()
        self.app.run_worker(self._sync, thread=True, group="sync")

    def _sync(self) -> None:
        from planner.store.connection import sqlite_path  # the ORM: loaded when first used
        from planner.store.sync import client

        store = self.app.store
        outcome: Report | PlannerError | None = None
        latest = 0
        try:
            path = sqlite_path(self.app.opening.url)
            if path is not None and store.replica_status() is not None:
                outcome = client.sync(path, store=store, connect=self.app.sync_connect)
            latest = store.latest_change()
        except PlannerError as error:
            outcome = error
        self._read()  # the counts first: the badge never shows the old ones once the sync ended
        self.app.call_from_thread(self._synced, outcome, latest)

    def _synced(self, outcome: Report | PlannerError | None, latest: int) -> None:
        self.running = False
        app = self.app
        if isinstance(outcome, DatabaseDamaged):
            app.cannot_go_on(outcome)
            return
        if isinstance(outcome, PlannerError):
            app.notify(str(outcome), title=_("Sync failed"), severity="error", timeout=15)
        elif outcome is None:
            app.notify(_(NOT_A_COPY), title=_("Nothing to sync"), severity="warning", timeout=10)
        else:
            decide = outcome.conflicts or outcome.duplicates
            app.notify("\n".join(outcome.lines()), severity="warning" if decide else "information", timeout=10)
        self.place()
        app.seen(latest)  # screens below reload when they are back on top
        screen = app.screen
        if isinstance(screen, PlannerScreen) and screen.is_mounted:
            screen.reload()
