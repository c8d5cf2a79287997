"""The synced tables as the database holds them, read from its catalog, and values
from the change log (JSON) in the form it stores them, so that a merge needs the
driver alone: importing the ORM would cost a check-in more than the merge itself.

The stored forms are SQLAlchemy's for SQLite (a test holds them to it): times as UTC
text `YYYY-MM-DD HH:MM:SS.ffffff`, days as `YYYY-MM-DD`, flags as 0 and 1. PostgreSQL
is strict about types: there times are aware UTC datetimes (`timestamptz`) and flags
booleans, and its catalog's type names are read as SQLite's (`POSTGRES_KINDS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from planner.store.sync.link import Link

SYNCED_TABLES = (
    "industry", "account", "orgunit", "person", "project", "purchase", "competitor", "competitorposition",
    "swotitem", "goal", "strategy", "action", "visit", "visitattendee", "planreview", "syncconflict",
)  # fmt: skip
"""Every table whose rows travel between copies (`models.SYNCED`, which a test compares)."""

POSTGRES_KINDS = {
    "timestamp with time zone": "DATETIME", "timestamp without time zone": "DATETIME", "date": "DATE",
    "boolean": "BOOLEAN", "character varying": "VARCHAR", "text": "TEXT",
}  # fmt: skip
"""PostgreSQL's names (`information_schema.columns.data_type`) for the kinds the merge converts."""

PARENTS = {"orgunit": "parent_id", "person": "reports_to_id"}
"""The links that make a tree: two copies' moves together could make a loop."""


def stored_time(value: Any) -> str | None:
    """A time (ISO text or a datetime) as SQLite holds it: UTC, without the zone."""
    if value is None:
        return None
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")


def stored_when(value: Any, *, postgres: bool) -> Any:
    """A time as the database stores it: SQLite's text (`stored_time`), PostgreSQL's
    aware datetime in UTC."""
    if not postgres or value is None:
        return stored_time(value)
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def stored(kind: str, value: Any) -> Any:
    """A logged value in the stored form of a column declared `kind`."""
    if value is None:
        return None
    if kind == "DATETIME":
        return stored_time(value)
    if kind == "DATE":
        return str(value)[:10]
    if kind == "BOOLEAN":
        return int(bool(value))
    return value


def blank(kind: str) -> Any:
    """What a required column holds when an insert's log left it out (empty text, 0)."""
    return "" if kind.startswith("VARCHAR") or kind == "TEXT" else 0


@dataclass(frozen=True)
class Table:
    name: str
    kinds: dict[str, str]  # column → declared type, upper case
    required: frozenset[str]  # NOT NULL columns
    postgres: bool = False

    def stored(self, column: str, value: Any) -> Any:
        """A logged value of `column` in the form this database stores it."""
        kind = self.kinds[column]
        if self.postgres and kind == "DATETIME":
            return stored_when(value, postgres=True)
        if self.postgres and kind == "BOOLEAN" and value is not None:
            return bool(value)
        return stored(kind, value)

    def blank(self, column: str) -> Any:
        return self.stored(column, blank(self.kinds[column]))


class Tables:
    """Each synced table's columns, read once per merge."""

    def __init__(self, connection: Link):
        self._connection = connection
        self._found: dict[str, Table | None] = {}

    def get(self, name: str) -> Table | None:
        """None for a table this planner does not sync."""
        if name not in self._found:
            self._found[name] = self._read(name) if name in SYNCED_TABLES else None
        return self._found[name]

    def _read(self, name: str) -> Table:
        if self._connection.postgres:
            query = (
                "SELECT column_name, data_type, is_nullable = 'NO' FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"
            )
            found = self._connection.execute(query, (name,)).fetchall()
            columns = [(column, POSTGRES_KINDS.get(kind, kind), required) for column, kind, required in found]
        else:
            found = self._connection.execute(f"PRAGMA table_info({name})").fetchall()
            columns = [(row[1], row[2], row[3]) for row in found]
        kinds = {column: str(kind).upper() for column, kind, _ in columns}
        required = frozenset(column for column, _, not_null in columns if not_null)
        return Table(name, kinds, required, self._connection.postgres)
