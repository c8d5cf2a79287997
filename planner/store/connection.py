"""Database files and driver connections, with nothing heavier than `sqlite3`.

Everything here is needed before the ORM is: where a `--db` value points, whether
the file is usable, how a driver error reads to a rep, and how every SQLite
connection is set up. SQLAlchemy's engine makes its connections with `connect_sqlite`
too, so the settings that keep reps' edits safe (docs/reliability.md) live in one place.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import quote, unquote

from planner.core.errors import DatabaseBusy, DatabaseUnavailable, PlannerError, WriteCancelled

BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"
_SQLITE_URL = re.compile(r"^sqlite(?:\+pysqlite)?://(?:/(?P<database>[^?]*))?(?:\?.*)?$")


WRITE_CANCEL: ContextVar[threading.Event | None] = ContextVar("planner_write_cancel", default=None)
"""Set by whoever runs a write that the rep may still withdraw (a form's save that
waits for a busy database): once the event is set, the write rolls back instead of
committing."""


def check_not_cancelled() -> None:
    """Raise `WriteCancelled` if the running write was withdrawn; called last thing
    before every commit, while the write lock is held."""
    cancel = WRITE_CANCEL.get()
    if cancel is not None and cancel.is_set():
        raise WriteCancelled("The change was withdrawn before it was saved; nothing was written.")


def to_url(db: str | os.PathLike) -> str:
    """Accept a plain path or a database URL (`sqlite:///…`, `postgresql://…`)."""
    text = os.fspath(db)
    if "://" in text:
        return text
    return "sqlite:///" + quote(str(Path(text).expanduser().resolve()), safe="/")


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL; None for in-memory and server databases."""
    found = _SQLITE_URL.match(url)
    if found is None or not found["database"] or found["database"] == ":memory:":
        return None
    return Path(unquote(found["database"]))


def prepare_sqlite_file(path: Path, mode: int = 0o600) -> None:
    """Check the file is usable before SQLite sees it; create it with `mode`.

    SQLite would create a missing file 0644 minus umask (world-readable notes about
    customers) and report a missing folder or a read-only file only at the first
    write, as a bare driver error.
    """
    folder = path.parent
    if not folder.is_dir():
        raise DatabaseUnavailable(f"The folder {folder} does not exist; create it or choose another --db.")
    if path.is_dir():
        raise DatabaseUnavailable(f"{path} is a folder, not a database file.")
    if not path.exists():
        if not os.access(folder, os.W_OK):
            raise DatabaseUnavailable(f"Cannot create {path}: the folder is read-only for you.")
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode))
        return
    if not os.access(path, os.R_OK):
        raise DatabaseUnavailable(f"{path} cannot be read: you have no permission to open it.")
    if not os.access(path, os.W_OK) or not os.access(folder, os.W_OK):
        raise DatabaseUnavailable(
            f"{path} is read-only for you: the planner needs to write to the file and its folder."
        )
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise DatabaseUnavailable(f"{path} is not a planner database (it is not an SQLite file).")


def translate(error: BaseException) -> PlannerError:
    """Turn a driver error (bare or wrapped by SQLAlchemy) into a sentence a rep understands."""
    original = getattr(error, "orig", None) or error
    text = str(original).lower()
    if "locked" in text or "busy" in text:
        return DatabaseBusy("The database is busy: another rep is saving. Nothing was changed; try again in a moment.")
    if "readonly" in text or "read-only" in text:
        return DatabaseUnavailable("The database is read-only for you; nothing was changed.")
    if "not a database" in text or "malformed" in text:
        return DatabaseUnavailable("The database file is damaged or not a planner database.")
    if "unable to open" in text:
        return DatabaseUnavailable("The database file cannot be opened (check its folder and permissions).")
    if "disk" in text and ("full" in text or "i/o" in text):
        return DatabaseUnavailable("The disk is full or failing; nothing was changed.")
    return DatabaseUnavailable(f"The database reported an error: {original}")


def connect_sqlite(path: Path | str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A connection that begins its transactions only when told to (`BEGIN` or
    `BEGIN IMMEDIATE`: the driver's own implicit transactions lose concurrent edits),
    waits for a busy database, writes through a WAL with full syncs and enforces
    foreign keys."""
    connection = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False)
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        connection.close()
        raise
    return connection
