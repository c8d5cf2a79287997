"""A laptop's first copy of a team database on PostgreSQL: a new SQLite file.

SQLite's backup API copies a team file page by page; a server database has no pages to
copy, so the copy is built: a new file migrated to the same schema, then every table's
rows read in one snapshot (`Database.read`: REPEATABLE READ) and written in the form
SQLite stores them (`tables.stored`). The laptop then checks and adopts it as it does a
copied file. Not `planner copy` (`copying`): that moves a team whose reps have stopped,
and refuses a copy that no longer matches its source; a clone is taken while reps save.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from planner.store import migrate
from planner.store.connection import connect_sqlite, to_url
from planner.store.db import Database
from planner.store.sync.link import Link
from planner.store.sync.replica import raw
from planner.store.sync.tables import stored

if TYPE_CHECKING:
    from planner.store.store import Store

BATCH = 5000
"""Rows fetched and written at a time: a large portfolio never sits in memory whole."""


def sqlite_copy(store: Store, target: Path) -> None:
    """Write the database `store` has open into the empty SQLite file `target`."""
    made = Database(to_url(target), store.db.user)
    try:
        migrate.upgrade(made)
    finally:
        made.close()
    with closing(connect_sqlite(target)) as out, store.db.read() as session:
        source = Link(raw(session.connection()))
        out.execute("PRAGMA foreign_keys = OFF")  # rows arrive table by table, parents not always first
        out.execute("BEGIN IMMEDIATE")
        for name in _tables(out):
            _copy_table(source, out, name)
        out.execute("COMMIT")
        out.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to send


def _tables(out: sqlite3.Connection) -> list[str]:
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != ?"
    return [row[0] for row in out.execute(query, ("alembic_version",))]


def _copy_table(source: Link, out: sqlite3.Connection, name: str) -> None:
    kinds = {row[1]: str(row[2]).upper() for row in out.execute(f"PRAGMA table_info({name})")}
    columns = list(kinds)
    out.execute(f"DELETE FROM {name}")  # what the migrations wrote is the team's to give
    insert = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    cursor = source.execute(f"SELECT {', '.join(columns)} FROM {name}")
    while rows := cursor.fetchmany(BATCH):
        out.executemany(insert, [tuple(stored(kinds[c], v) for c, v in zip(columns, row, strict=True)) for row in rows])
