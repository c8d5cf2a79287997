"""Opening the database for the TUI: the customer list first, the ORM right after.

A rep starts the planner to look at the customer list. Importing SQLAlchemy and
SQLModel and building the table classes takes longer than starting Textual and
reading 10k accounts together, so the list is read with the driver alone
(`account_list`) and drawn first; the full `Store` is built the first time a worker
asks for it (the list's own follow-up does, right after drawing). When the database
needs anything first (a new file, an upgrade, reference data), it is opened the
full way at once, exactly as every other command opens it. A PostgreSQL database is
read the same quick way, with psycopg alone, once a cheap query has found it at
this planner's schema and seeded; anything else there goes the full way too.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.core import config, locations
from planner.core.errors import PlannerError
from planner.core.identity import current_user
from planner.core.rows import AccountListing
from planner.store import team
from planner.store.account_list import read_listing
from planner.store.connection import (
    check_integrity,
    connect_sqlite,
    inspect_database,
    inspection_connection,
    prepare_sqlite_file,
    sqlite_path,
    to_url,
    translate,
)
from planner.store.schema import HEAD

if TYPE_CHECKING:
    from planner.store.store import Store

LATEST_CHANGE_SQL = "SELECT max(seq) FROM changelog"
SERVER_FACTS_SQL = "SELECT (SELECT version_num FROM alembic_version), EXISTS (SELECT 1 FROM industry)"
_SERVER_URL = re.compile(r"^postgres(?:ql)?(?:\+psycopg)?://")


def server_conninfo(url: str) -> str | None:
    """A PostgreSQL URL as libpq (psycopg) takes it, without SQLAlchemy's driver name;
    None for any other URL."""
    found = _SERVER_URL.match(url)
    return "postgresql://" + url[found.end() :] if found else None


def connect_server(conninfo: str) -> Any:
    """A read-only psycopg connection whose transactions are one snapshot each, as the
    store's reads are (REPEATABLE READ)."""
    import psycopg  # the driver alone: no SQLAlchemy

    connection = psycopg.connect(conninfo)
    connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    connection.read_only = True
    return connection


def server_is_ready(conninfo: str) -> bool:
    """Whether the server database is at this planner's schema and seeded; anything else,
    an error included, is for the full way to handle (and explain)."""
    import psycopg

    try:
        with closing(connect_server(conninfo)) as connection:
            revision, seeded = connection.execute(SERVER_FACTS_SQL).fetchone()
    except psycopg.Error:
        return False
    return revision == HEAD and bool(seeded)


class Opening:
    """A database ready for use, with the settings and the rep's login; `store` builds
    the full `Store` on first use (from a worker: it imports the ORM)."""

    def __init__(
        self,
        url: str,
        settings: config.Settings,
        user: str,
        *,
        store: Store | None = None,
        soundness: SoundnessCheck | None = None,
    ):
        self.url = url
        self.settings = settings
        self.user = user
        self._store = store
        self._building = threading.Lock()
        self._soundness = soundness

    @classmethod
    def of(cls, store: Store) -> Opening:
        """An opening around a store already built (tests, and the full way of opening)."""
        return cls(store.db.url, store.settings, store.db.user, store=store)

    @property
    def store(self) -> Store:
        if self._store is None:
            with self._building:
                if self._store is None:
                    from planner.store.db import Database  # the ORM: loaded here, after the list is drawn
                    from planner.store.store import Store

                    self._store = Store(Database(self.url, self.user), self.settings)
        return self._store

    @property
    def store_is_built(self) -> bool:
        return self._store is not None

    def close(self) -> None:
        if self._soundness is not None:
            self._soundness.stop()
        if self._store is not None:
            self._store.db.close()

    def ensure_sound(self) -> None:
        """Wait for the integrity check started with the opening (if any) and raise
        `DatabaseDamaged` if the file failed it; quick once it has passed."""
        if self._soundness is not None:
            self._soundness.result()

    def listing(self) -> tuple[int, AccountListing]:
        """The newest change-log number and every live account, in one snapshot; with
        the driver alone until the store is built. Raises `DatabaseDamaged` first if
        the file failed its integrity check."""
        self.ensure_sound()
        if self._store is not None:
            return self._store.latest_change(), self._store.account_listing()
        with closing(self._connect()) as connection:
            if isinstance(connection, sqlite3.Connection):
                connection.execute("BEGIN")  # psycopg begins on its own
            try:
                seq = connection.execute(LATEST_CHANGE_SQL).fetchone()[0] or 0
                return seq, read_listing(connection)
            finally:
                connection.rollback()

    def latest_change(self) -> int:
        if self._store is not None:
            return self._store.latest_change()
        with closing(self._connect()) as connection:
            return connection.execute(LATEST_CHANGE_SQL).fetchone()[0] or 0

    def _connect(self) -> Any:
        """A driver connection: sqlite3 for a file, psycopg for a server."""
        if (conninfo := server_conninfo(self.url)) is not None:
            import psycopg

            try:
                return connect_server(conninfo)
            except psycopg.Error as error:
                raise translate(error) from error
        path = sqlite_path(self.url)
        assert path is not None, "only SQLite files and PostgreSQL databases are opened without the ORM"
        try:
            return connect_sqlite(path)
        except sqlite3.Error as error:
            raise translate(error) from error


class SoundnessCheck:
    """SQLite's `quick_check` of a file, run in a thread while the app starts (SQLite
    releases the GIL, so it costs the start-up little); `result` waits for it, `stop`
    interrupts it (the app is closing) so its connection closes cleanly."""

    def __init__(self, path: Path):
        self._path = path
        self._error: BaseException | None = None
        self._connection: sqlite3.Connection | None = None
        self._stopped = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="planner-quick-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with closing(inspection_connection(self._path)) as connection:
                with self._lock:
                    if self._stopped:
                        return
                    self._connection = connection
                try:
                    check_integrity(connection, self._path)
                finally:
                    with self._lock:
                        self._connection = None
        except BaseException as error:  # handed to whoever waits for the result
            if not self._stopped:
                self._error = error if isinstance(error, PlannerError) else translate(error)

    def result(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._connection is not None:
                self._connection.interrupt()
        self._thread.join()


def open_for_screen(db: str | None = None, *, settings: config.Settings | None = None) -> Opening:
    """Open the database the TUI shows: quickly when it is ready, else the full way.

    Either way the file is inspected read-only first (`inspect_database`) and refused
    untouched if it is not a planner database this planner can use. On the quick way
    the integrity check runs in a thread: `Opening.ensure_sound` (called by `listing`)
    raises `DatabaseDamaged` if it failed."""
    url = to_url(db or locations.default_database())
    settings = settings or config.load(locations.config_file())
    path = sqlite_path(url)
    if path is not None and "?" not in url:
        prepare_sqlite_file(path)
        facts = inspect_database(path, integrity=False)
        if facts.revision == HEAD and facts.seeded:
            team.use_team_umask(path)
            return Opening(url, settings, current_user(), soundness=SoundnessCheck(path))
    conninfo = server_conninfo(url)
    if conninfo is not None and server_is_ready(conninfo):
        return Opening(url, settings, current_user())
    from planner.store.startup import open_store  # first run, upgrade, or a server database not ready

    return Opening.of(open_store(url, settings=settings))
