"""Reading values that someone wrote by hand in the wrong form, without falling over.

SQLite stores what it is given: `UPDATE account SET revenue = 'abc'` or a visit date of
'next tuesday' (an admin with the `sqlite3` shell, a script, a broken import) sit in
the table as text. Read through the ORM they would raise deep inside a screen or a
report. On SQLite the engine reads numbers, dates and times through the types here
instead: a value of the wrong form reads as 0 (numbers) or as missing (dates), and
`DataChecks.data_problems` says which row and column hold what, so the planner can show
the record and tell the rep what to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import DATE, DATETIME
from sqlalchemy.engine import Dialect, Engine


def _number(zero: float | int) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        return zero if isinstance(value, (str, bytes)) else value

    return read


def _forgiving(process: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    if process is None:
        return None

    def read(value: Any) -> Any:
        try:
            return process(value)
        except (ValueError, TypeError):
            return None

    return read


class TolerantFloat(sa.Float):
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        inner = super().result_processor(dialect, coltype)
        tolerant = _number(0.0)
        return tolerant if inner is None else lambda value: inner(tolerant(value))


class TolerantInteger(sa.Integer):
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        return _number(0)


class TolerantDate(DATE):
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        return _forgiving(super().result_processor(dialect, coltype))


class TolerantDateTime(DATETIME):
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        return _forgiving(super().result_processor(dialect, coltype))


def install(engine: Engine) -> None:
    """Make `engine` (SQLite) read numbers, dates and times with the tolerant types."""
    engine.dialect.colspecs = {
        **engine.dialect.colspecs,
        sa.Float: TolerantFloat,
        sa.Integer: TolerantInteger,
        sa.Date: TolerantDate,
        sa.DateTime: TolerantDateTime,
    }
