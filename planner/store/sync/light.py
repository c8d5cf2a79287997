"""The change log and the sync marks read with SQLite's driver alone.

A sync with nothing to merge (the common case: a laptop checking in) must cost one SSH
round trip and a few queries, not the ORM's import on both ends; so what either side
reads to build a request or a reply, and the laptop's marks when nothing came back,
go through the plain `sqlite3` connection (also the one under a SQLAlchemy session).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from planner.store.connection import connect_sqlite, translate

COLUMNS = ("id", "seq", "table_name", "row_id", "action", "who", "at", "changes", "site", "hlc")
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM changelog WHERE seq > ?"


def utc_text(stored: Any) -> str:
    """A stored time (UTC, written without its zone) as ISO text with the zone."""
    when = stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored))
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).isoformat()


def entries_after(
    connection: sqlite3.Connection, after: int, *, site: str | None = None, not_site: str | None = None
) -> list[dict[str, Any]]:
    """Change-log entries above `seq` `after`, oldest first, as they travel: one site's
    own (`site`), or every site's but one (`not_site`)."""
    query, parameters = _SELECT, list[object]([after])
    if site is not None:
        query, parameters = query + " AND site = ?", [*parameters, site]
    if not_site is not None:
        query, parameters = query + " AND site != ?", [*parameters, not_site]
    rows = connection.execute(query + " ORDER BY seq", parameters).fetchall()
    return [{**dict(zip(COLUMNS, row, strict=True)), "at": utc_text(row[6])} for row in rows]


def newest_seq(connection: sqlite3.Connection) -> int:
    return connection.execute("SELECT coalesce(max(seq), 0) FROM changelog").fetchone()[0]


def read_meta(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(connection.execute("SELECT key, value FROM planner_meta").fetchall())


def write_meta(connection: sqlite3.Connection, values: dict[str, str]) -> None:
    connection.executemany(
        "INSERT INTO planner_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(values.items()),
    )


@contextmanager
def transaction(path: Path, *, write: bool) -> Iterator[sqlite3.Connection]:
    """A connection of its own to the file, in one transaction (`BEGIN IMMEDIATE` when
    it will write), committed whole or rolled back; driver errors as planner errors."""
    try:
        with closing(connect_sqlite(path)) as connection:
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
    except sqlite3.Error as error:
        raise translate(error) from error
