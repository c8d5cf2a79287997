"""Bring a database to this planner's schema at start-up, safely.

On SQLite the whole upgrade is one `BEGIN IMMEDIATE` transaction: the revision is
re-read inside the lock (eight apps starting at once upgrade exactly once), the
database is backed up with the SQLite backup API, the steps run with foreign keys
off (a batch rebuild with them on cascades deletes into child rows), and
`foreign_key_check` must come back clean before the commit. A database stamped
with a revision this planner does not know was written by a newer version: it is
refused, never touched.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import sqlalchemy as sa

from planner.core.errors import DatabaseUnavailable, NotPlannerDatabase, SchemaTooNew
from planner.core.i18n import _
from planner.store.connection import sqlite_path
from planner.store.db import Database
from planner.store.schema import HEAD


@dataclass(frozen=True)
class Upgrade:
    """What start-up did: the revisions crossed and where the backup went."""

    from_revision: str | None
    to_revision: str
    backup: Path | None


SCRIPTS = "planner.store:migrations"
# HEAD (`schema`) is the newest revision shipped, so a start-up on a current database
# answers without loading Alembic at all.


def _config(scripts: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", scripts)
    return config


def _scripts(scripts: str):
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config(scripts))


def head_revision(scripts: str = SCRIPTS) -> str:
    return _scripts(scripts).get_current_head()


def current_revision(connection: sa.Connection) -> str | None:
    """The revision stamped in the database; None for a database never migrated."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _check_known(revision: str | None, scripts: str) -> None:
    if revision is None:
        return
    script = _scripts(scripts)
    try:
        script.get_revision(revision)
    except Exception as error:
        raise SchemaTooNew(
            _(
                "This database was written by a newer version of the planner (schema {revision}). "
                "Upgrade the planner to open it; the file was not changed."
            ).format(revision=revision)
        ) from error


def backup_path(db_path: Path, revision: str | None) -> Path:
    """Where the copy taken before upgrading from `revision` goes: one per revision."""
    return db_path.with_name(f"{db_path.name}.before-{revision or 'none'}.bak")


def _backup(db_path: Path, revision: str | None) -> Path:
    """Copy the committed database with the backup API (a file copy of a live
    database can be corrupt). Called while the upgrade holds the write lock, from a
    second connection: readers are still allowed, and nothing changes under it.

    The copy is written under a temporary name and renamed into place once complete,
    so a start-up killed half-way leaves no partial backup that looks whole; the next
    try removes the partial one and replaces the backup of the same revision (the
    database is still at that revision, and has not changed since) instead of adding
    one per try."""
    target = backup_path(db_path, revision)
    partial = target.with_name(target.name + ".partial")
    for leftover in (partial, partial.with_name(partial.name + "-journal")):
        leftover.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, db_path.stat().st_mode & 0o777))
    try:
        source = sqlite3.connect(db_path)
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
            destination.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            destination.close()
            source.close()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def _has_tables(connection: sa.Connection) -> bool:
    return bool(sa.inspect(connection).get_table_names())


def upgrade(database: Database, scripts: str = SCRIPTS) -> Upgrade | None:
    """Upgrade to head if needed; None when the schema was already current.

    `scripts` is the Alembic script location (tests pass one with extra steps)."""
    with database.engine.connect() as connection:
        found = current_revision(connection)
        connection.rollback()
    if scripts == SCRIPTS and found == HEAD:
        return None
    head = head_revision(scripts)
    _check_known(found, scripts)
    if found == head:
        return None
    if not database.is_sqlite:
        return _upgrade_plain(database, head, scripts)
    return _upgrade_sqlite(database, head, scripts)


def _upgrade_plain(database: Database, head: str, scripts: str) -> Upgrade | None:
    from alembic import command

    config = _config(scripts)
    with database.write_connection() as connection:  # holds the write lock: one upgrade at a time
        found = current_revision(connection)
        _check_known(found, scripts)
        if found == head:
            return None
        if found is None and _has_tables(connection):
            raise NotPlannerDatabase(
                _("This database holds another program's tables, not the planner's; nothing was changed.")
            )
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return Upgrade(found, head, None)


def _upgrade_sqlite(database: Database, head: str, scripts: str) -> Upgrade | None:
    from alembic import command

    db_path = sqlite_path(database.url)
    config = _config(scripts)
    with database.engine.connect() as connection:
        raw = cast(sqlite3.Connection, connection.connection.driver_connection)
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with database.immediate(connection):
                found = current_revision(connection)
                _check_known(found, scripts)
                if found == head:
                    return None
                backup = _backup(db_path, found) if db_path and _has_tables(connection) else None
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseUnavailable(
                        _(
                            "Upgrading the database would break {count} links between records; "
                            "nothing was changed. A backup is at {backup}."
                        ).format(count=len(broken), backup=backup)
                    )
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
    return Upgrade(found, head, backup)
