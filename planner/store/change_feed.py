"""Other reps' saves, announced: PostgreSQL's LISTEN/NOTIFY on the change log.

On SQLite the app polls the change log's newest `seq` twice a second. On PostgreSQL a
trigger (migration 0009) notifies `CHANGES_CHANNEL` with the newest `seq` at every
commit that logs a change, so an open planner hears of a save at once, and a whole
team's open planners do not each ask the server twice a second.

psycopg and SQLAlchemy are imported when a feed connects, not with this module: the
app imports it on every start, SQLite included, where psycopg may not be installed
and the first screen is drawn before the ORM is loaded (docs/architecture.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg

CHANGES_CHANNEL = "planner_changes"
"""The channel the change log's trigger notifies (migration 0009 spells it out too)."""
SAFETY_POLL_S = 15.0
"""How often the app polls anyway on a database that announces saves: a notification
sent while the feed reconnects is caught up on reconnecting, this covers the rest."""
WAKE_S = 0.25  # how soon a waiting feed notices `stop`
RETRY_S = (0.5, 30.0)  # the first and the longest wait before connecting again
CONNECT_TIMEOUT_S = 5
LATEST_CHANGE_SQL = "SELECT max(seq) FROM changelog"


def announces_changes(url: str) -> bool:
    """Whether saves on the database at `url` are announced (PostgreSQL), so the app
    can listen rather than poll; told from the URL alone, with no import."""
    return url.split("://", 1)[0].split("+", 1)[0] == "postgresql"


class ChangeFeed:
    """The newest change-log number, pushed: once started, a thread of the feed's own
    hands it to a callback whenever a commit logs a change, until `stop`. It listens on
    a connection of its own (autocommit: it holds no snapshot and no lock); a dropped
    connection is made again after a growing wait, and the number read on reconnecting
    covers what was missed meanwhile.

    A plain thread rather than a Textual worker: it runs as long as the app, and the
    app's workers are waited for whenever a screen settles."""

    def __init__(self, url: str):
        self.url = url
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._handed = -1  # the newest number handed over

    def start(self, on_change: Callable[[int], None]) -> None:
        """Call `on_change(seq)` (in the feed's thread) with each newer number, starting
        with the newest there is once listening."""
        self._thread = threading.Thread(target=self._follow, args=(on_change,), name="planner-change-feed", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """No more calls; wait briefly for the thread (one stuck connecting is left to
        end by itself, within `CONNECT_TIMEOUT_S`)."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=4 * WAKE_S)

    def _follow(self, on_change: Callable[[int], None]) -> None:
        import psycopg

        delay = RETRY_S[0]
        while not self._stopped.is_set():
            try:
                with self._connect() as connection:
                    delay = RETRY_S[0]
                    self._relay(connection, on_change)
            except psycopg.OperationalError:  # the server went away, restarted, or is not up yet
                self._stopped.wait(delay)
                delay = min(delay * 2, RETRY_S[1])

    def _relay(self, connection: psycopg.Connection, on_change: Callable[[int], None]) -> None:
        connection.execute(f"LISTEN {CHANGES_CHANNEL}")
        row = connection.execute(LATEST_CHANGE_SQL).fetchone()
        self._hand((row[0] if row else None) or 0, on_change)  # saves made before it listened
        while not self._stopped.is_set():
            for notice in connection.notifies(timeout=WAKE_S):
                self._hand(int(notice.payload), on_change)

    def _hand(self, seq: int, on_change: Callable[[int], None]) -> None:
        """Hand over a number newer than the last (notices of one commit can arrive
        after the number read on reconnecting already covered it)."""
        if seq > self._handed and not self._stopped.is_set():
            self._handed = seq
            on_change(seq)

    def _connect(self) -> psycopg.Connection:
        """A libpq connection to the planner's database: its SQLAlchemy URL less the
        driver name is a libpq URI (the socket folder as `?host=`, `sslmode`, …)."""
        import psycopg
        from sqlalchemy.engine import make_url

        conninfo = make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)
        return psycopg.connect(
            conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, application_name="planner change feed"
        )
