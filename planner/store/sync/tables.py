"""The synced tables as SQLite holds them, read from the file itself, and values from
the change log (JSON) in the form SQLite stores them, so that a merge needs the
driver alone: importing the ORM would cost a check-in more than the merge itself.

The stored forms are SQLAlchemy's for SQLite (a test holds them to it): times as UTC
text `YYYY-MM-DD HH:MM:SS.ffffff`, days as `YYYY-MM-DD`, flags as 0 and 1.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

SYNCED_TABLES = (
    "industry", "account", "orgunit", "person", "project", "purchase", "competitor", "competitorposition",
    "swotitem", "goal", "strategy", "action", "visit", "visitattendee", "planreview", "syncconflict",
)  # fmt: skip
"""Every table whose rows travel between copies (`models.SYNCED`, which a test compares)."""

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


class Tables:
    """Each synced table's columns, read once per merge."""

    def __init__(self, connection: sqlite3.Connection):
        self._connection = connection
        self._found: dict[str, Table | None] = {}

    def get(self, name: str) -> Table | None:
        """None for a table this planner does not sync."""
        if name not in self._found:
            self._found[name] = self._read(name) if name in SYNCED_TABLES else None
        return self._found[name]

    def _read(self, name: str) -> Table:
        rows = self._connection.execute(f"PRAGMA table_info({name})").fetchall()
        kinds = {row[1]: str(row[2]).upper() for row in rows}
        return Table(name, kinds, frozenset(row[1] for row in rows if row[3]))
