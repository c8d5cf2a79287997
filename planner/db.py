"""The one place that opens connections and transactions.

SQLite's Python driver sends no `BEGIN` before a `SELECT`, so under the defaults a
read-modify-write is not one transaction and concurrent edits are silently lost
(see RELIABILITY.md). Here the driver's own transaction handling is switched off
and every transaction begins explicitly: `BEGIN IMMEDIATE` for sessions that may
write (the write lock is taken up front, so `busy_timeout` applies and nothing
fails half-way), a plain `BEGIN` for reads (a consistent snapshot). Every flush
also stamps who and when and appends to the change log (`planner.audit`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from planner import audit
from planner.errors import DatabaseBusy, DatabaseUnavailable, PlannerError
from planner.identity import current_user

BUSY_TIMEOUT_MS = 5000
BEGIN_ATTEMPTS = 3
SQLITE_HEADER = b"SQLite format 3\x00"
_WRITE = "planner_write"


def to_url(db: str | os.PathLike) -> str:
    """Accept a plain path or a database URL (`sqlite:///…`, `postgresql://…`)."""
    text = os.fspath(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


KINDS = "give a file path, sqlite:///… or postgresql://…"


def parse_url(url: str) -> sa.engine.URL:
    try:
        return sa.engine.make_url(url)
    except sa.exc.ArgumentError as error:
        raise DatabaseUnavailable(f"{url!r} is not a database URL; {KINDS}") from error


def _engine(url: str, busy_timeout_ms: int) -> Engine:
    """The engine for `url`; a kind of database the planner does not support, or a
    missing PostgreSQL driver, is a clear sentence rather than an import error."""
    backend = parse_url(url).get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, busy_timeout_ms)
    if backend != "postgresql":
        raise DatabaseUnavailable(f"The planner does not support {backend} databases; {KINDS}")
    try:
        return sa.create_engine(url)
    except (ImportError, sa.exc.NoSuchModuleError) as error:
        raise DatabaseUnavailable(
            f"PostgreSQL needs a Python driver that is not installed ({error}); try: pip install 'psycopg[binary]'."
        ) from error


def sqlite_path(url: str) -> Path | None:
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


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
    """Turn a driver error into a sentence a rep understands."""
    text = str(getattr(error, "orig", error)).lower()
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
    return DatabaseUnavailable(f"The database reported an error: {getattr(error, 'orig', error)}")


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    engine = sa.create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE, False)
        statement = "BEGIN IMMEDIATE" if immediate else "BEGIN"
        for attempt in range(BEGIN_ATTEMPTS):
            try:
                connection.exec_driver_sql(statement)
                return
            except exc.OperationalError as error:
                # SQLite's lock wait is not fair: under load a writer can wait out the
                # busy timeout. Nothing has run in this transaction yet, so trying the
                # BEGIN again is safe (RELIABILITY.md); a busy error later is not retried.
                if attempt == BEGIN_ATTEMPTS - 1 or not isinstance(translate(error), DatabaseBusy):
                    raise

    return engine


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except exc.DBAPIError as error:
        raise translate(error) from error


class Database:
    """Engine plus session factories; built from a URL so tests pass a tmp file."""

    def __init__(self, url: str, user: str | None = None, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.url = url
        self.user = user or current_user()
        self.is_sqlite = parse_url(url).get_backend_name() == "sqlite"
        self.engine = _engine(url, busy_timeout_ms)
        self._write_engine = self.engine.execution_options(**{_WRITE: True})
        self._reader = sessionmaker(self.engine, class_=Session, expire_on_commit=False)
        self._writer = sessionmaker(self._write_engine, class_=Session, expire_on_commit=False)
        audit.install(self._writer)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot; objects leave it detached, with their fields loaded."""
        with _translated(), self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One `BEGIN IMMEDIATE` transaction: committed whole on success, else rolled back."""
        with _translated(), self._writer() as session:
            session.info["user"] = self.user
            with session.begin():
                yield session

    @contextmanager
    def write_connection(self) -> Iterator[sa.Connection]:
        """A Core connection in a `BEGIN IMMEDIATE` transaction, for bulk loads and migrations."""
        with _translated(), self._write_engine.begin() as connection:
            yield connection

    @contextmanager
    def immediate(self, connection: sa.Connection) -> Iterator[sa.Connection]:
        """Run a `BEGIN IMMEDIATE` transaction on a connection the caller prepared."""
        with _translated(), connection.execution_options(**{_WRITE: True}).begin():
            yield connection

    def close(self) -> None:
        self.engine.dispose()
