"""The change log and the sync marks read with the driver alone.

A sync with nothing to merge (the common case: a laptop checking in) must cost one SSH
round trip and a few queries, not the ORM's import on both ends; so what either side
reads to build a request or a reply, and the laptop's marks when nothing came back,
go through the plain driver connection (`sqlite3`, or psycopg's under a PostgreSQL
team database's SQLAlchemy connection), as a `Link`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from planner.store.connection import connect_sqlite, translate
from planner.store.sync.link import Link, link

COLUMNS = ("id", "seq", "table_name", "row_id", "action", "who", "at", "changes", "site", "hlc")
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM changelog WHERE seq > ?"


def utc_text(stored: Any) -> str:
    """A stored time (UTC, written without its zone) as ISO text with the zone."""
    when = stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored))
    return (when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)).isoformat()


def entries_after(
    connection: Any, after: int, *, site: str | None = None, not_site: str | None = None
) -> list[dict[str, Any]]:
    """Change-log entries above `seq` `after`, oldest first, as they travel: one site's
    own (`site`), or every site's but one (`not_site`)."""
    query, parameters = _SELECT, list[object]([after])
    if site is not None:
        query, parameters = query + " AND site = ?", [*parameters, site]
    if not_site is not None:
        query, parameters = query + " AND site != ?", [*parameters, not_site]
    rows = link(connection).execute(query + " ORDER BY seq", parameters).fetchall()
    return [{**dict(zip(COLUMNS, row, strict=True)), "at": utc_text(row[6])} for row in rows]


def newest_seq(connection: Any) -> int:
    return link(connection).execute("SELECT coalesce(max(seq), 0) FROM changelog").fetchone()[0]


def read_meta(connection: Any) -> dict[str, str]:
    """`planner_meta` as a dict (`connection`: a `Link` or either driver's own)."""
    return dict(link(connection).execute("SELECT key, value FROM planner_meta").fetchall())


def write_meta(connection: Any, values: dict[str, str]) -> None:
    link(connection).executemany(
        "INSERT INTO planner_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(values.items()),
    )


@contextmanager
def transaction(path: Path, *, write: bool) -> Iterator[Link]:
    """A connection of its own to the file, in one transaction (`BEGIN IMMEDIATE` when
    it will write), committed whole or rolled back; driver errors as planner errors."""
    try:
        with closing(connect_sqlite(path)) as connection:
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield Link(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
    except sqlite3.Error as error:
        raise translate(error) from error
