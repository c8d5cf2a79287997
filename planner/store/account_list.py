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


def _day(value: Any) -> date:
    """SQLite hands dates back as ISO text; server drivers as dates."""
    return value if isinstance(value, date) else date.fromisoformat(value)


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
            last = {account_id: _day(day) for account_id, day in cursor.fetchall()}
            cursor.execute(ACCOUNTS_SQL)
            columns = AccountColumns.of(cursor.fetchall())
        finally:
            cursor.close()
    except driver_error as error:
        raise translate(error) from error
    return AccountListing(columns, industries, last)
