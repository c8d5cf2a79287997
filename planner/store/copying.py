"""Move a team's database between SQLite and PostgreSQL (`planner copy SRC DEST`).

The copy is the same team database moved, not a laptop clone: every row goes across
as it is (ids, versions, who and when, the change log's seq, clock and site, the
site id in `planner_meta`) through Core on `write_connection` (COPY on PostgreSQL),
so the audit hook adds nothing to the change log. The source is only ever read: an
SQLite file through the read-only inspection connection, PostgreSQL in a READ ONLY
snapshot; one at another schema revision is refused, never upgraded. The
destination must be new or empty; it is migrated as `open_store` does, then filled
in one transaction that first removes what the migration seeded (the industries,
their change-log entries and the new site id, which the source's rows replace), so
a failure leaves it as it was. At the end both sides are read afresh and each
table's row count and content hash must agree.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.pool import NullPool

from planner.core import models as m
from planner.core.errors import DatabaseUnavailable, NotPlannerDatabase, PlannerError, SchemaTooNew
from planner.core.i18n import _
from planner.store import bulk, migrate, tolerant
from planner.store.connection import (
    KNOWN_REVISIONS,
    file_info,
    inspect_database,
    inspection_connection,
    sqlite_path,
    to_url,
    translate,
)
from planner.store.db import Database, parse_url
from planner.store.schema import HEAD
from planner.store.startup import open_store

BATCH = 5000
CACHE_KIB = 256 * 1024
_LOG = m.table_of(m.ChangeLog)
SEEDED = (m.table_of(m.Industry), m.table_of(m.Meta), _LOG)
"""What a freshly migrated destination already holds (the industries, their change-log
entries, a site id): replaced by the source's rows."""
_REFERENCE = {m.table_name(m.Industry), m.table_name(m.Meta)}


class Refused(DatabaseUnavailable):
    """The copy was not started: nothing was read into or written to the destination."""


class CopyFailed(DatabaseUnavailable):
    """The copy stopped part-way; the destination's transaction was rolled back."""


class CopyMismatch(PlannerError):
    """The finished copy does not read back the same as its source."""


@dataclass(frozen=True)
class TableDigest:
    """One table's row count and the SHA-256 of its rows in key order."""

    table: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class Copied:
    rows: int
    seconds: float
    digests: list[TableDigest]


def tables() -> list[sa.Table]:
    """Every table of the model, parents before children."""
    return list(m.table_of(m.Meta).metadata.sorted_tables)


def shown(url: str) -> str:
    """A database as the rep named it, without a password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return parse_url(url).render_as_string(hide_password=True)


def _file_of(url: str) -> Path | None:
    """The SQLite file behind `url`; None for a server database. An in-memory database is refused."""
    path = sqlite_path(url)
    if path is None and parse_url(url).get_backend_name() == "sqlite":
        raise Refused(_("{url} is not a database file; give a file path or a postgresql:// URL.").format(url=url))
    return path


@contextmanager
def reading(db: str) -> Iterator[sa.Connection]:
    """A read-only snapshot of the database at `db` (a path or URL) that nothing here can change:
    an SQLite file through the inspection connection (no WAL switch, no files left
    behind), PostgreSQL in a READ ONLY, REPEATABLE READ transaction."""
    url = to_url(db)
    path = _file_of(url)
    if path is None:
        database = Database(url)
        try:
            with database.read() as session:
                connection = session.connection()
                connection.exec_driver_sql("SET TRANSACTION READ ONLY")
                yield connection
        finally:
            database.close()
        return
    engine = sa.create_engine("sqlite://", creator=lambda: inspection_connection(path), poolclass=NullPool)
    tolerant.install(engine)  # values written by hand in the wrong form read as the planner reads them
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("BEGIN")  # one snapshot for every table
            yield connection
    except exc.DBAPIError as error:
        raise translate(error) from error
    finally:
        engine.dispose()


def check_source(url: str) -> None:
    """Refuse a source that is missing, not a planner database, or not at this planner's schema."""
    path = _file_of(url)
    if path is not None:
        info = file_info(path)
        if info is None or info.st_size == 0:
            raise Refused(_("{src} does not exist or is empty: there is nothing to copy.").format(src=path))
        revision = inspect_database(path).revision
    else:
        with reading(url) as connection:
            revision = migrate.current_revision(connection)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise SchemaTooNew(
                _(
                    "{src} was written by a newer version of the planner (schema {revision}). "
                    "Upgrade the planner to copy it; nothing was changed."
                ).format(src=shown(url), revision=revision)
            )
    if revision is None:
        raise NotPlannerDatabase(_("{src} holds no planner database: there is nothing to copy.").format(src=shown(url)))
    if revision != HEAD:
        raise Refused(
            _(
                "{src} is at an older schema ({revision}; this planner's is {head}): open it once with this "
                "planner (planner --db {src}), which upgrades it, then copy it. Nothing was changed."
            ).format(src=shown(url), revision=revision, head=HEAD)
        )


def _holding(connection: sa.Connection, url: str) -> None:
    """Refuse a destination with anything in it but what a fresh migration puts there."""
    present = set(sa.inspect(connection).get_table_names())
    ours = {table.name for table in tables()} | {"alembic_version"}
    if foreign := sorted(present - ours):
        raise Refused(
            _("{dest} holds tables that are not the planner's ({tables}); copy into a new or empty database.").format(
                dest=shown(url), tables=", ".join(foreign)
            )
        )
    telling = sorted(tables(), key=lambda table: (table.name != m.table_name(m.Account), table is _LOG))
    for table in telling:
        if table.name not in present or table.name in _REFERENCE:
            continue
        rows = sa.select(sa.literal(1)).select_from(table).limit(1)
        if table is _LOG:
            rows = rows.where(_LOG.c.table_name != m.table_name(m.Industry))
        if connection.execute(rows).first() is not None:
            raise Refused(
                _(
                    "{dest} already holds a planner database ({table} has rows); the copy goes only into a "
                    "new or empty database, so nothing was overwritten."
                ).format(dest=shown(url), table=table.name)
            )


def check_destination(url: str) -> None:
    """Refuse, before anything is migrated, a destination that is not new or empty."""
    path = _file_of(url)
    if path is not None:
        info = file_info(path)
        if info is None or info.st_size == 0 or inspect_database(path, integrity=False).revision is None:
            return
    with reading(url) as connection:
        _holding(connection, url)


def _key_order(table: sa.Table, dialect: sa.Dialect) -> list[Any]:
    """Key order as Python compares strings (code points): PostgreSQL's "C" collation
    does, a database's default one (en_US …) does not; SQLite compares bytes."""
    keys = list(table.primary_key.columns)
    if dialect.name == "postgresql":
        return [key.collate("C") if isinstance(key.type, sa.String) else key for key in keys]
    return keys


def _select(connection: sa.Connection, table: sa.Table) -> sa.CursorResult:
    statement = sa.select(*table.columns).order_by(*_key_order(table, connection.dialect))
    return connection.execution_options(yield_per=BATCH).execute(statement)


def _parents_first(
    rows: list[dict[str, Any]], key: str, links: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of a table that links to itself (an org unit's parent, whom a person
    reports to), each after the rows it links to, since PostgreSQL checks each link
    as it is inserted. A link in a loop is left empty and returned to set afterwards."""
    by_key = {row[key]: row for row in rows}
    placed: dict[Any, bool] = {}  # False while its parents are being placed
    ordered: list[dict[str, Any]] = []
    later: list[dict[str, Any]] = []
    for root in rows:
        if root[key] in placed:
            continue
        placed[root[key]] = False
        stack = [(root, iter(links))]
        while stack:
            row, pending = stack[-1]
            for link in pending:
                parent = by_key.get(row[link])
                if parent is None:
                    continue
                if parent[key] not in placed:
                    placed[parent[key]] = False
                    stack.append((parent, iter(links)))
                    break
                if not placed[parent[key]]:
                    later.append({"copy_key": row[key], "link": link, "copy_value": row[link]})
                    row[link] = None
            else:
                stack.pop()
                placed[row[key]] = True
                ordered.append(row)
    return ordered, later


def _batches(source: sa.Connection, table: sa.Table) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """The source table's rows in batches, with the links to set once all are in."""
    names = [column.name for column in table.columns]
    result = _select(source, table)
    links = [key.parent.name for key in table.foreign_keys if key.column.table is table]
    if not links:
        for part in result.partitions():
            yield [dict(zip(names, row, strict=True)) for row in part], []
        return
    (key,) = [column.name for column in table.primary_key.columns]
    ordered, later = _parents_first([dict(zip(names, row, strict=True)) for row in result], key, links)
    for start in range(0, len(ordered), BATCH):
        yield ordered[start : start + BATCH], later if start + BATCH >= len(ordered) else []


def _insert(connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert at driver speed: on PostgreSQL with COPY (an executemany of single-row
    INSERTs managed a few thousand rows a second), on SQLite with one executemany."""
    dialect = connection.dialect
    if dialect.name != "postgresql":
        bulk.insert_rows(connection, table, rows, {})
        return
    names = [column.name for column in table.columns]
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in table.columns]
    quote = dialect.identifier_preparer
    statement = f"COPY {quote.format_table(table)} ({', '.join(quote.quote(name) for name in names)}) FROM STDIN"
    driver: Any = connection.connection.driver_connection  # psycopg's, in this transaction
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        value if process is None or value is None else process(value)
                        for process, value in zip(processors, (row[name] for name in names), strict=True)
                    ]
                )
    except dialect.loaded_dbapi.Error as error:  # the driver's own: SQLAlchemy did not run it
        raise translate(error) from error


def _fill(destination: sa.Connection, source: sa.Connection) -> int:
    """Copy every table, parents first; returns the rows copied."""
    if destination.dialect.name == "sqlite":
        destination.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    for table in SEEDED:
        destination.execute(sa.delete(table))
    count = 0
    with bulk.page_cache(destination, CACHE_KIB):
        for table in tables():
            for rows, later in _batches(source, table):
                if rows:
                    _insert(destination, table, rows)
                    count += len(rows)
                for link in {entry["link"] for entry in later}:
                    (key,) = table.primary_key.columns
                    update = (
                        sa.update(table)
                        .where(key == sa.bindparam("copy_key"))
                        .values({link: sa.bindparam("copy_value")})
                    )
                    destination.execute(update, [entry for entry in later if entry["link"] == link])
    return count


def copy_database(source: str, destination: str) -> Copied:
    """Copy the planner database at `source` into the new or empty `destination`, then
    check both read back the same; raises `Refused`, `CopyFailed` or `CopyMismatch`."""
    src, dest = to_url(source), to_url(destination)
    if src == dest:
        raise Refused(_("The source and the destination are the same database; nothing was copied."))
    check_source(src)
    check_destination(dest)
    path = _file_of(dest)
    made = path if path is not None and file_info(path) is None else None
    started = time.perf_counter()
    try:
        store = open_store(dest)
        try:
            with store.db.write_connection() as connection, reading(src) as reader:
                _holding(connection, dest)
                count = _fill(connection, reader)
        finally:
            store.db.close()
    except BaseException as error:
        if made is not None:
            for leftover in (made, Path(f"{made}-wal"), Path(f"{made}-shm")):
                leftover.unlink(missing_ok=True)
        if isinstance(error, exc.DBAPIError):
            error = translate(error)
        if isinstance(error, PlannerError) and not isinstance(error, Refused):
            raise CopyFailed(
                _("Copying into {dest} failed, so nothing was copied and it is as it was: {error}").format(
                    dest=shown(dest), error=error
                )
            ) from error
        raise
    seconds = time.perf_counter() - started
    expected, found = digests(src), digests(dest)
    if expected != found:
        differing = [theirs.table for ours, theirs in zip(found, expected, strict=True) if ours != theirs]
        raise CopyMismatch(
            _(
                "The copy in {dest} does not match {src} in: {tables}. If reps were saving to {src} meanwhile, "
                "stop them and copy again into a new database; do not use this copy."
            ).format(dest=shown(dest), src=shown(src), tables=", ".join(differing))
        )
    return Copied(count, seconds, found)


def digests(url: str) -> list[TableDigest]:
    """Each table's row count and content hash, read in one snapshot; the same on
    SQLite and PostgreSQL for the same rows (see `_row_text`)."""
    with reading(url) as connection:
        return [_digest(connection, table) for table in tables()]


def _digest(connection: sa.Connection, table: sa.Table) -> TableDigest:
    hasher = hashlib.sha256()
    count = 0
    text = _row_text(table)
    for part in _select(connection, table).partitions():
        hasher.update("".join(text(row) for row in part).encode())
        count += len(part)
    return TableDigest(table.name, count, hasher.hexdigest())


def _when(value: datetime) -> str:
    return (value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value).isoformat()


def _canonical(value: Any) -> Any:
    """A value of a type the model does not use, as text both drivers agree on."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return _when(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bytes):
        return value.hex()
    return value


def _same(value: Any) -> Any:
    return value


_CANONICAL: dict[type[sa.types.TypeEngine], Callable[[Any], Any]] = {
    sa.String: _same,
    sa.Integer: _same,
    sa.Float: float,  # an integral value SQLite hands back as an int is still a float
    sa.Boolean: int,
    sa.DateTime: _when,
    sa.Date: date.isoformat,
}


def _row_text(table: sa.Table) -> Callable[[Any], str]:
    """One row as one line, the `repr` of its values made canonical: text, integers
    and floats (by repr) as they are, booleans as 0/1, None as None, dates and times
    as ISO 8601 (times in UTC, without a zone)."""
    converters = []
    for i, column in enumerate(table.columns):
        kind = column.type.impl if isinstance(column.type, sa.TypeDecorator) else column.type
        convert = next((way for base, way in _CANONICAL.items() if isinstance(kind, base)), _canonical)
        if convert is not _same:
            converters.append((i, convert))

    def text(row: Any) -> str:
        values = list(row)
        for i, convert in converters:
            if values[i] is not None:
                values[i] = convert(values[i])
        return repr(values) + "\n"

    return text
