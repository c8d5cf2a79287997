"""Back up and restore a live database with SQLite's backup API, never a file copy.

Copying the `.db` file of a live database (even with its `-wal`) gave corrupt copies
45 times in 60; the backup API gave none (docs/reliability.md). Every copy is checked
with `integrity_check` before anyone relies on it. A restore overwrites the
database in place, so it first makes sure nobody has it open, and keeps what it
replaces.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from planner.core.errors import DatabaseBusy, DatabaseUnavailable
from planner.store.connection import SQLITE_HEADER, sqlite_path, to_url, translate

LOCK_TIMEOUT_S = 0.5


class Restored(NamedTuple):
    database: Path
    replaced: Path | None


def database_file(db: str) -> Path:
    """The SQLite file behind a `--db` value; server databases have their own tools."""
    path = sqlite_path(to_url(db))
    if path is None:
        raise DatabaseUnavailable(f"{db} is not an SQLite database file; back it up with its server's own tools.")
    return path


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _check_sqlite_file(path: Path, what: str) -> None:
    if not path.is_file():
        raise DatabaseUnavailable(f"There is no {what} at {path}.")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise DatabaseUnavailable(f"{path} is not a planner database (it is not an SQLite file).")


def _new_file_like(path: Path, source: Path) -> None:
    """Create `path` empty with `source`'s mode and, where allowed, its group."""
    info = source.stat()
    if path.exists():
        raise DatabaseUnavailable(f"{path} already exists; choose another name.")
    if not path.parent.is_dir():
        raise DatabaseUnavailable(f"The folder {path.parent} does not exist.")
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    with suppress(PermissionError):  # not in the source's group: the copy keeps ours
        os.chown(path, -1, info.st_gid)
    os.chmod(path, stat.S_IMODE(info.st_mode))


@contextmanager
def _connect(path: Path, timeout: float = 5.0) -> Iterator[sqlite3.Connection]:
    try:
        with closing(sqlite3.connect(path, timeout=timeout, isolation_level=None)) as connection:
            yield connection
    except sqlite3.Error as error:
        raise translate(error) from error


def _integrity_problem(connection: sqlite3.Connection) -> str | None:
    try:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return str(error)
    return None if rows == ["ok"] else "; ".join(rows[:3])


def _copy(source: sqlite3.Connection, target: Path, like: Path) -> None:
    """One-step backup (a consistent snapshot), checked, as a self-contained file."""
    _new_file_like(target, like)
    try:
        with _connect(target) as destination:
            source.backup(destination)
            destination.execute("PRAGMA journal_mode = DELETE")
            problem = _integrity_problem(destination)
        if problem:
            raise DatabaseUnavailable(f"The copy at {target} failed its integrity check ({problem}); it was removed.")
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def backup(db: Path, dest: Path | None = None) -> Path:
    """Copy the live database `db` to `dest` (a file, or a folder for the default name;
    by default `<db>.backup-STAMP.db` beside it)."""
    _check_sqlite_file(db, "database")
    name = f"{db.name}.backup-{_stamp()}.db"
    target = dest / name if dest and dest.is_dir() else dest or db.with_name(name)
    with _connect(db) as source:
        _copy(source, target, db)
    return target


def check_backup(path: Path) -> None:
    """Refuse a file that is damaged or is not a planner database."""
    _check_sqlite_file(path, "backup")
    with _connect(path) as connection:
        problem = _integrity_problem(connection)
        if problem:
            raise DatabaseUnavailable(f"{path} is damaged ({problem}); it was not restored.")
        try:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            revision = None
    if not revision:
        raise DatabaseUnavailable(f"{path} is not a planner database backup; it was not restored.")


def _lock_alone(connection: sqlite3.Connection, db: Path) -> None:
    """Hold `db` exclusively until `connection` closes, or raise if anyone has it open.

    In WAL mode an idle connection holds no lock a `BEGIN EXCLUSIVE` would meet, but
    leaving WAL needs every other connection gone: so the switch to a rollback
    journal is the test, and the exclusive locking mode keeps newcomers out."""
    busy = DatabaseBusy(
        f"{db} is in use: a planner (or another program) has it open. Close every planner using it "
        "and restore again; nothing was changed."
    )
    try:
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("COMMIT")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise busy from None
        raise
    if mode != "delete":
        raise busy


def restore(backup_file: Path, db: Path) -> Restored:
    """Replace `db` with `backup_file`, keeping the old one as `<db>.replaced-STAMP.db`."""
    check_backup(backup_file)
    if db.exists() and db.samefile(backup_file):
        raise DatabaseUnavailable("The backup and the database are the same file; nothing was changed.")
    existed = db.exists() and db.stat().st_size > 0
    if existed:
        _check_sqlite_file(db, "database")
    elif not db.exists():
        _new_file_like(db, backup_file)
    replaced = db.with_name(f"{db.name}.replaced-{_stamp()}.db") if existed else None
    with _connect(db, timeout=LOCK_TIMEOUT_S) as target:
        _lock_alone(target, db)
        if replaced:
            _copy(target, replaced, db)
        with _connect(backup_file) as source:
            source.backup(target)
        problem = _integrity_problem(target)
    if problem:
        raise DatabaseUnavailable(f"The restored database failed its integrity check ({problem}); see {replaced}.")
    return Restored(db, replaced)
