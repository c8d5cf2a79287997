"""The customer list's read: every live account, at driver speed, with the driver alone.

The list is the first thing a rep sees and the one read that touches every account,
so it skips the ORM twice over: rows come straight off a DBAPI cursor as plain
tuples (no result wrappers), and the SQL is written here rather than compiled, so
the first screen is filled before SQLAlchemy and SQLModel are even imported. A test
holds these statements to the models' tables and checks that SQLite answers the
account query from `ix_account_list` without a sort.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from planner.core.rows import AccountColumns, AccountListing, AccountRecord
from planner.store.connection import translate

ACCOUNTS_SQL = (
    f"SELECT {', '.join(AccountRecord._fields)} FROM account WHERE deleted_at IS NULL ORDER BY revenue DESC, name, id"
)
LAST_VISITS_SQL = "SELECT account_id, max(visited_on) FROM visit WHERE deleted_at IS NULL GROUP BY account_id"
INDUSTRIES_SQL = "SELECT id, name_en, name_zh, tier FROM industry"


def read_day(value: Any) -> date | None:
    """A date as the driver hands it back (ISO text on SQLite, a date elsewhere), or None
    when what is stored is not a date (written by hand, say)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


NUMBERS = {int, float}
NUMERIC_FIELDS = ("revenue", "profit", "influence", "input_people", "input_money", "input_material", "version")
_NUMERIC = [AccountRecord._fields.index(name) for name in NUMERIC_FIELDS]
_CADENCE = AccountRecord._fields.index("cadence_days")


def _mended(rows: list[tuple]) -> list[tuple]:
    """Rows whose numbers are all numbers, in 80/20 order again: a value written by hand
    as text (SQLite keeps it, and sorts it above every number) reads as 0, or as no
    cadence of its own (`DataChecks.data_problems` reports it)."""

    def mend(row: tuple) -> tuple:
        values = list(row)
        for index in _NUMERIC:
            if type(values[index]) not in NUMBERS:
                values[index] = 0
        if values[_CADENCE] is not None and type(values[_CADENCE]) is not int:
            values[_CADENCE] = None
        return tuple(values)

    return sorted(map(mend, rows), key=lambda row: (-row[5], row[1], row[0]))


def _all_numbers(rows: list[tuple]) -> bool:
    if not rows:
        return True
    columns = list(zip(*rows, strict=True))
    numeric = all({type(value) for value in columns[index]} <= NUMBERS for index in _NUMERIC)
    return numeric and {type(value) for value in columns[_CADENCE]} <= {int, type(None)}


def read_listing(connection: Any) -> AccountListing:
    """The listing from a DBAPI connection, in the caller's transaction (so the three
    reads see one snapshot)."""
    driver_error = getattr(connection, "Error", sqlite3.Error)  # DB-API's optional Connection.Error
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(INDUSTRIES_SQL)
            industries = {row[0]: (row[1], row[2], row[3]) for row in cursor.fetchall()}
            cursor.execute(LAST_VISITS_SQL)
            last = {account_id: day for account_id, text in cursor.fetchall() if (day := read_day(text))}
            cursor.execute(ACCOUNTS_SQL)
            rows = cursor.fetchall()
        finally:
            cursor.close()
    except driver_error as error:
        raise translate(error) from error
    columns = AccountColumns.of(rows if _all_numbers(rows) else _mended(rows))
    return AccountListing(columns, industries, last)
