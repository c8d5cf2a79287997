"""One face for the two drivers a sync runs on: `sqlite3` (every laptop, a team file)
and psycopg 3 (a team database on PostgreSQL).

The merge and the change-log reads are written once, in SQL both engines take, with
`?` placeholders; here they become psycopg's `%s` (no statement of the sync holds a
`?` or a `%` of its own). Rows come back as tuples from both. psycopg is imported by
nobody here: a laptop's sync never pays for it.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable, Sequence
from typing import Any


class Link:
    """A driver connection inside the caller's transaction."""

    def __init__(self, connection: Any):
        self.connection = connection
        self.postgres = not isinstance(connection, sqlite3.Connection)

    def _sql(self, query: str) -> str:
        return query.replace("?", "%s") if self.postgres else query

    def execute(self, query: str, parameters: Sequence[Any] = ()) -> Any:
        """A cursor over the statement's rows (tuples)."""
        return self.connection.execute(self._sql(query), parameters)

    def executemany(self, query: str, rows: Iterable[Sequence[Any]]) -> None:
        if self.postgres:
            with self.connection.cursor() as cursor:
                cursor.executemany(self._sql(query), list(rows))
        else:
            self.connection.executemany(query, rows)


def link(connection: Any) -> Link:
    """`connection` as a `Link` (a raw driver connection is wrapped)."""
    return connection if isinstance(connection, Link) else Link(connection)


def driver_errors() -> tuple[type[BaseException], ...]:
    """The errors either driver raises: psycopg's only once it is loaded (a process that
    never imported it cannot meet them)."""
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error, psycopg.Error) if psycopg is not None else (sqlite3.Error,)
