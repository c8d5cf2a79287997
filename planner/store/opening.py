"""Opening the database for the TUI: the customer list first, the ORM right after.

A rep starts the planner to look at the customer list. Importing SQLAlchemy and
SQLModel and building the table classes takes longer than starting Textual and
reading 10k accounts together, so the list is read with the driver alone
(`account_list`) and drawn first; the full `Store` is built the first time a worker
asks for it (the list's own follow-up does, right after drawing). When the database
needs anything first (a new file, an upgrade, reference data, a server database),
it is opened the full way at once, exactly as every other command opens it.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from planner.core import config, locations
from planner.core.identity import current_user
from planner.core.rows import AccountListing
from planner.store import team
from planner.store.account_list import read_listing
from planner.store.connection import connect_sqlite, prepare_sqlite_file, sqlite_path, to_url, translate
from planner.store.schema import HEAD

if TYPE_CHECKING:
    from planner.store.store import Store

LATEST_CHANGE_SQL = "SELECT max(seq) FROM changelog"


class Opening:
    """A database ready for use, with the settings and the rep's login; `store` builds
    the full `Store` on first use (from a worker: it imports the ORM)."""

    def __init__(self, url: str, settings: config.Settings, user: str, *, store: Store | None = None):
        self.url = url
        self.settings = settings
        self.user = user
        self._store = store
        self._building = threading.Lock()

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
        if self._store is not None:
            self._store.db.close()

    def listing(self) -> tuple[int, AccountListing]:
        """The newest change-log number and every live account, in one snapshot; with
        the driver alone until the store is built."""
        if self._store is not None:
            return self._store.latest_change(), self._store.account_listing()
        with closing(self._connect()) as connection:
            connection.execute("BEGIN")
            try:
                seq = connection.execute(LATEST_CHANGE_SQL).fetchone()[0] or 0
                return seq, read_listing(connection)
            finally:
                connection.execute("ROLLBACK")

    def latest_change(self) -> int:
        if self._store is not None:
            return self._store.latest_change()
        with closing(self._connect()) as connection:
            return connection.execute(LATEST_CHANGE_SQL).fetchone()[0] or 0

    def _connect(self) -> sqlite3.Connection:
        path = sqlite_path(self.url)
        assert path is not None, "only SQLite files are opened without the ORM"
        try:
            return connect_sqlite(path)
        except sqlite3.Error as error:
            raise translate(error) from error


def _ready(path: Path) -> bool:
    """Whether the file is a planner database at this planner's schema, with its
    reference data: nothing to do before the list can be read."""
    try:
        with closing(sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)) as connection:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            seeded = connection.execute("SELECT 1 FROM industry LIMIT 1").fetchone()
    except sqlite3.Error:
        return False  # the full way says what is wrong
    return revision == (HEAD,) and seeded is not None


def open_for_screen(db: str | None = None, *, settings: config.Settings | None = None) -> Opening:
    """Open the database the TUI shows: quickly when it is ready, else the full way."""
    url = to_url(db or locations.default_database())
    settings = settings or config.load(locations.config_file())
    path = sqlite_path(url)
    if path is not None and "?" not in url:
        prepare_sqlite_file(path)
        if _ready(path):
            team.use_team_umask(path)
            return Opening(url, settings, current_user())
    from planner.store.startup import open_store  # first run, upgrade or server database

    return Opening.of(open_store(url, settings=settings))
