"""Open a store the way every client does: check the file, migrate, seed reference data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc

from planner.core import config, locations
from planner.store import migrate, seed, team
from planner.store.connection import inspect_database, prepare_sqlite_file, sqlite_path, to_url, translate
from planner.store.db import Database
from planner.store.store import Store
from planner.store.sync.replica import USER, raw, read_meta


@contextmanager
def opened(db: str | None) -> Iterator[Store]:
    """The store for one command, closed when it is done (a test runs many in one process)."""
    store = open_store(db)
    try:
        yield store
    finally:
        store.db.close()


def open_store(
    db: str | None = None,
    *,
    settings: config.Settings | None = None,
    user: str | None = None,
    integrity: bool = True,
) -> Store:
    """Raise a `PlannerError` with a clear sentence if the database is unusable.

    An SQLite file is inspected read-only first (`inspect_database`): nothing opens it
    for writing (which would switch its journal to WAL) until it is known to be a new
    file or a sound planner database at a schema this planner knows. `integrity=False`
    leaves out the integrity pass (a full read of the file), for a sync that has just
    inspected the file and must not spend a second per check-in on a large one."""
    url = to_url(db or locations.default_database())
    path = sqlite_path(url)
    if path is not None:
        prepare_sqlite_file(path)
        inspect_database(path, integrity=integrity)
        team.use_team_umask(path)
    database = Database(url, user)
    try:
        migrate.upgrade(database)
        if user is None:
            database.user = laptop_user(database) or database.user
        store = Store(database, settings or config.load(locations.config_file()))
        seed.industries(store)
    except exc.DBAPIError as error:
        database.close()
        raise translate(error) from error
    except BaseException:
        database.close()
        raise
    return store


def laptop_user(database: Database) -> str | None:
    """On a laptop copy, the account its rep syncs as: their edits carry the name the
    team knows them by, whatever the laptop's own login is."""
    with database.read() as session:
        return read_meta(raw(session.connection())).get(USER) or None


def init_team(path: str | os.PathLike, group: str) -> team.TeamDatabase:
    """Create a team database at `path` for `group`, migrated and ready; refuse anything unsafe."""
    made = team.prepare_team_file(path, group)
    store = open_store(str(made.path))
    try:
        seed.mark(store, seed.KIND_TEAM)
    finally:
        store.db.close()
    return made
