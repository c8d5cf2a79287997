"""Insert many rows at driver speed, with the same stored form as the ORM's.

SQLAlchemy's executemany builds and converts parameters per row and per value; for
a 100k-row import that is most of the time. Here a statement is compiled once, each
column's bind processor is looked up once, and values that are the same for every
row (the who/when stamps) are converted once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from pydantic_core import PydanticUndefined
from sqlmodel import SQLModel


def model_defaults(model: type[SQLModel]) -> dict[str, Any]:
    """The plain defaults of a model's fields (not factories: ids, stamps)."""
    return {
        name: info.default
        for name, info in model.model_fields.items()
        if info.default is not PydanticUndefined and info.default_factory is None
    }


def insert_rows(
    connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]], fixed: dict[str, Any]
) -> None:
    """Insert `rows` (each a dict of column values; absent columns get NULL), with the
    `fixed` values in the same columns of every row."""
    dialect = connection.dialect
    names = [column.name for column in table.columns]
    compiled = sa.insert(table).compile(dialect=dialect, column_keys=names)
    order = list(compiled.positiontup or ()) if compiled.positional else names
    columns: list[list[Any]] = []
    for name in order:
        process = table.columns[name].type.dialect_impl(dialect).bind_processor(dialect)
        if name in fixed:
            value = fixed[name]
            columns.append([process(value) if process and value is not None else value] * len(rows))
            continue
        values = [row.get(name) for row in rows]
        if process:
            values = [None if value is None else process(value) for value in values]
        columns.append(values)
    parameters: list[Any]
    if compiled.positional:
        parameters = list(zip(*columns, strict=True))
    else:
        parameters = [dict(zip(order, values, strict=True)) for values in zip(*columns, strict=True)]
    connection.exec_driver_sql(str(compiled), parameters)


@contextmanager
def page_cache(connection: sa.Connection, kib: int) -> Iterator[None]:
    """On SQLite, a page cache of `kib` KiB for this connection while inside, so a big
    insert keeps its half-built index pages in memory instead of spilling them to the
    WAL mid-transaction; the connection's own size comes back after."""
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    connection.exec_driver_sql(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")
