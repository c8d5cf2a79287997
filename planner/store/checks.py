"""Finding values stored in the wrong form, by row and column.

SQLite keeps whatever it is given, so a number column can hold 'abc' and a date
column 'next tuesday' after a hand edit. The planner reads those as 0 or as missing
(`tolerant`); this says where they are, so a rep can correct them. Other databases
enforce their column types, so there is nothing to find there.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, select

from planner.core import fields, history
from planner.core import models as m
from planner.core.problems import DataProblem
from planner.store.base import StoreBase

ISO_DATE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
# A column's kind and the SQLite condition its value must meet ({c} is the column).
KINDS: tuple[tuple[type[sa.types.TypeEngine], str, str], ...] = (
    (sa.DateTime, "date and time", f"typeof({{c}}) = 'text' AND {{c}} GLOB '{ISO_DATE} [0-9][0-9]:*'"),
    (sa.Date, "date", f"typeof({{c}}) = 'text' AND {{c}} GLOB '{ISO_DATE}'"),
    (sa.Boolean, "yes or no", "{c} IN (0, 1)"),
    (sa.Float, "number", "typeof({c}) IN ('integer', 'real')"),
    (sa.Integer, "number", "typeof({c}) = 'integer'"),
)


def _kind(column: sa.Column) -> tuple[str, str] | None:
    impl = getattr(column.type, "impl", column.type)  # a TypeDecorator's stored type
    for kind, expected, condition in KINDS:
        if isinstance(impl, kind):
            return expected, condition.format(c=column.name)
    return None


class DataChecks(StoreBase):
    def data_problems(self, account_id: str | None = None) -> list[DataProblem]:
        """Every live value of the wrong form (of one account's records, with
        `account_id`): one scan per table on SQLite, nothing elsewhere."""
        if not self.db.is_sqlite:
            return []
        found: list[tuple[type[m.Record], str, str, object, str]] = []
        with self.db.read() as session:
            connection = session.connection()
            for model in m.ENTITIES:
                table = m.table_of(model)
                checked = [(c.name, *kind) for c in table.columns if (kind := _kind(c))]
                if account_id is not None and "account_id" not in table.columns and model is not m.Account:
                    continue
                wrong = " OR ".join(f"({name} IS NOT NULL AND NOT ({ok}))" for name, _, ok in checked)
                scope = ""
                if account_id is not None:
                    scope = " AND id = :account" if model is m.Account else " AND account_id = :account"
                sql = (
                    f"SELECT id, {', '.join(name for name, _, _ in checked)} FROM {table.name} "
                    f"WHERE deleted_at IS NULL AND ({wrong}){scope}"
                )
                for row_id, *values in connection.execute(sa.text(sql), {"account": account_id}):
                    for (name, expected, _), value in zip(checked, values, strict=True):
                        if value is not None and not _fits(expected, value):
                            found.append((model, row_id, name, value, expected))
            rows = {
                (model, row.id): row
                for model in {f[0] for f in found}
                for row in session.exec(select(model).where(col(model.id).in_([f[1] for f in found if f[0] is model])))
            }
        labels = history.names(rows.values())
        return [
            DataProblem(history.NOUNS[model], labels.get(row_id, row_id[:8]), row_id, _label(model, name), value, kind)
            for model, row_id, name, value, kind in found
        ]


def _fits(expected: str, value: object) -> bool:
    """Whether one value of a row the scan found is right (the row may be there for
    another of its columns); a real in an integer column reads fine."""
    if expected == "number":
        return isinstance(value, (int, float))
    if expected == "yes or no":
        return value in (0, 1)
    text = value if isinstance(value, str) else ""
    try:
        if expected == "date":
            date.fromisoformat(text)
        else:
            datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _label(model: type[m.Record], name: str) -> str:
    try:
        return fields.spec(model, name).label
    except KeyError:
        return name.replace("_", " ")
