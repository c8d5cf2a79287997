"""The one place that opens connections and transactions.

SQLite's Python driver sends no `BEGIN` before a `SELECT`, so under the defaults a
read-modify-write is not one transaction and concurrent edits are silently lost
(see docs/reliability.md). Here the driver's own transaction handling is switched off
and every transaction begins explicitly: `BEGIN IMMEDIATE` for sessions that may
write (the write lock is taken up front, so `busy_timeout` applies and nothing
fails half-way), a plain `BEGIN` for reads (a consistent snapshot). Every flush
also stamps who and when and appends to the change log (`planner.audit`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from planner.core.errors import DatabaseBusy, DatabaseUnavailable
from planner.core.i18n import _
from planner.core.identity import current_user
from planner.store import audit, tolerant
from planner.store.connection import BUSY_TIMEOUT_MS, check_not_cancelled, connect_sqlite, sqlite_path, translate

BEGIN_ATTEMPTS = 3
_WRITE = "planner_write"
WRITE_LOCK = 0x706C616E  # "plan": the advisory lock a PostgreSQL write holds until it commits


def parse_url(url: str) -> sa.engine.URL:
    try:
        return sa.engine.make_url(url)
    except sa.exc.ArgumentError as error:
        raise DatabaseUnavailable(
            _("{url!r} is not a database URL; give a file path, sqlite:///… or postgresql://…").format(url=url)
        ) from error


def _engine(url: str, busy_timeout_ms: int) -> Engine:
    """The engine for `url`; a kind of database the planner does not support, or a
    missing PostgreSQL driver, is a clear sentence rather than an import error."""
    backend = parse_url(url).get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, busy_timeout_ms)
    if backend != "postgresql":
        raise DatabaseUnavailable(
            _(
                "The planner does not support {backend} databases; give a file path, sqlite:///… or postgresql://…"
            ).format(backend=backend)
        )
    try:
        engine = sa.create_engine(postgres_url(url), pool_pre_ping=True)
    except (ImportError, sa.exc.NoSuchModuleError) as error:
        raise DatabaseUnavailable(
            _("PostgreSQL needs a Python driver that is not installed ({error}); try: pip install '{extra}'.").format(
                error=error, extra="planner[postgres]"
            )
        ) from error

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        if connection.get_execution_options().get(_WRITE, False):
            # What SQLite's BEGIN IMMEDIATE is: one writer at a time, waited for up to the
            # busy timeout. Every write reads before it writes (versions, positions, the
            # change log's next seq), so writers take turns rather than race.
            timeout = f"set_config('lock_timeout', '{int(busy_timeout_ms)}', true)"
            connection.exec_driver_sql(f"SELECT {timeout}, pg_advisory_xact_lock({WRITE_LOCK})")

    return engine


def postgres_url(url: str) -> str:
    """`postgresql://…` names psycopg 3 (SQLAlchemy's default would be psycopg2)."""
    parsed = parse_url(url)
    if parsed.drivername == "postgresql":
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    path = sqlite_path(url)
    target = str(path) if path else ":memory:"
    engine = sa.create_engine(url, creator=lambda: connect_sqlite(target, busy_timeout_ms))
    tolerant.install(engine)  # values written by hand in the wrong form read as 0 or missing

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
                # BEGIN again is safe (docs/reliability.md); a busy error later is not retried.
                if attempt == BEGIN_ATTEMPTS - 1 or not isinstance(translate(error), DatabaseBusy):
                    raise

    return engine


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except exc.DBAPIError as error:
        raise translate(error) from error


class OwnChanges:
    """The change-log numbers this process committed, as (first, last) runs.

    The screens poll the newest number to see other reps' saves; a rep's own save
    already reloads the screen it was made on, so the poll must tell the two apart.
    Numbers are recorded after the commit: a rolled-back write's numbers are taken
    by someone else's next write."""

    def __init__(self) -> None:
        self._runs: list[tuple[int, int]] = []
        self.latest = 0

    def add(self, runs: list[tuple[int, int]]) -> None:
        for first, last in runs:
            self._runs.append((first, last))
            self.latest = max(self.latest, last)

    def cover(self, after: int, upto: int) -> bool:
        """Whether every number in (after, upto] is one of ours."""
        ours = sum(max(0, min(last, upto) - max(first, after + 1) + 1) for first, last in self._runs)
        return ours >= upto - after


class Database:
    """Engine plus session factories; built from a URL so tests pass a tmp file."""

    def __init__(self, url: str, user: str | None = None, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.url = url
        self.user = user or current_user()
        self.is_sqlite = parse_url(url).get_backend_name() == "sqlite"
        self.engine = _engine(url, busy_timeout_ms)
        self._write_engine = self.engine.execution_options(**{_WRITE: True})
        # A read is one snapshot, as SQLite's BEGIN gives (PostgreSQL's default would let
        # each statement of a screen's load see a different moment).
        reads = self.engine if self.is_sqlite else self.engine.execution_options(isolation_level="REPEATABLE READ")
        self._reader = sessionmaker(reads, class_=Session, expire_on_commit=False)
        self._writer = sessionmaker(self._write_engine, class_=Session, expire_on_commit=False)
        audit.install(self._writer)
        self.own_changes = OwnChanges()

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
                session.flush()
                check_not_cancelled()
            self.own_changes.add(session.info.pop(audit.SEQS, []))

    @contextmanager
    def write_connection(self) -> Iterator[sa.Connection]:
        """A Core connection in a `BEGIN IMMEDIATE` transaction, for bulk loads and migrations."""
        with _translated(), self._write_engine.connect() as connection:
            with connection.begin():
                yield connection
                check_not_cancelled()
            self.own_changes.add(connection.info.pop(audit.SEQS, []))

    @contextmanager
    def immediate(self, connection: sa.Connection) -> Iterator[sa.Connection]:
        """Run a `BEGIN IMMEDIATE` transaction on a connection the caller prepared."""
        with _translated(), connection.execution_options(**{_WRITE: True}).begin():
            yield connection

    def close(self) -> None:
        self.engine.dispose()
