"""Stamp every written row with who and when, and append it to the change log.

Hooked into the write sessions' flush, so no code path can change a row without
leaving a trace: inserts log every field, updates log each changed field as
[old, new], and setting or clearing the tombstone logs a delete or a restore. The
same hook keeps the derived columns (a name's pinyin) in step, unlogged.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, event, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from planner.core.changes import DERIVED, STAMPS, encode, insert_changes, plain
from planner.core.models import Account, ChangeLog, Meta, Person, Record, table_name, table_of, utcnow
from planner.core.pinyin import search_key

SEQS = "planner_seqs"  # session/connection info: the change-log numbers this transaction took
REASSERT = "planner_reassert"  # session info: (row, field) pairs to log as set again, unchanged


def _update_entry(row: Record) -> tuple[str, dict[str, Any]] | None:
    state = inspect(row)
    changes: dict[str, Any] = {}
    tombstone = None
    for attr in state.mapper.column_attrs:
        name = attr.key
        history = state.attrs[name].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        if name == "deleted_at":
            tombstone = "delete" if new is not None else "restore"
        elif name not in STAMPS and name not in DERIVED:
            changes[name] = [plain(old), plain(new)]
    if tombstone:
        if tombstone == "delete":  # a copy that merges this delete needs the cascade's root
            changes["deleted_with"] = [None, row.deleted_with]
        return tombstone, changes
    return ("update", changes) if changes else None


class LogPosition(NamedTuple):
    seq: int  # the change log's next `seq`: safe because every write holds the write lock
    clock: int  # the next entry's hybrid logical clock
    site: str  # this database's site id


def next_position(connection: Connection) -> LogPosition:
    """Where the next change-log entries go, in one query (it runs inside the write lock,
    so every round trip here is time other reps wait).

    The clock is the wall time in milliseconds, or one above the newest clock this
    database has seen (its own or merged from a laptop) when that is ahead, so a change
    always orders after what it could have seen. The site id is made by the migration
    that brought sync (a laptop copy gets a new one when it is cloned)."""
    log, meta = table_of(ChangeLog).c, table_of(Meta).c
    site = select(meta.value).where(meta.key == "site").scalar_subquery()
    seq, clock, found = connection.execute(select(func.max(log.seq), func.max(log.hlc), site)).one()
    return LogPosition((seq or 0) + 1, max(time.time_ns() // 1_000_000, (clock or 0) + 1), found or "")


def _derive(rows: Iterable[object]) -> None:
    """Work out the derived columns (`DERIVED`) of rows whose name is new or changed."""
    for row in rows:
        if isinstance(row, Account | Person):
            state = inspect(row)
            if state.pending or state.attrs.name.history.has_changes():
                row.search_key = search_key(row.name)


def _record(session: Session, _context, _instances) -> None:
    who = session.info.get("user", "")
    now = utcnow()
    entries: list[ChangeLog] = []
    _derive((*session.new, *session.dirty))
    for row in session.new:
        if isinstance(row, Record):
            row.created_at = row.updated_at = now
            row.updated_by = who
            entries.append(_entry(row, "insert", insert_changes(row.model_dump()), who, now))
    for row in session.dirty:
        if isinstance(row, Record) and (found := _update_entry(row)):
            action, changes = found
            row.updated_at = now
            row.updated_by = who
            entries.append(_entry(row, action, changes, who, now))
    for row, name in session.info.pop(REASSERT, []):
        # A rep's explicit "keep this value": a change like any other, so that on copies
        # that merge it orders after what the rep saw (a decision, not a no-op).
        value = plain(getattr(row, name))
        entries.append(_entry(row, "update", {name: [value, value]}, who, now))
    if entries:
        first, clock, site = next_position(session.connection())
        for offset, entry in enumerate(entries):
            entry.seq, entry.hlc, entry.site = first + offset, clock + offset, site
        session.info.setdefault(SEQS, []).append((first, first + len(entries) - 1))
    session.add_all(entries)


def _entry(row: Record, action: str, changes: dict[str, Any], who: str, now: datetime) -> ChangeLog:
    return ChangeLog(
        table_name=table_name(type(row)), row_id=row.id, seq=0, action=action, who=who, at=now, changes=encode(changes)
    )


def install(factory: sessionmaker) -> None:
    event.listen(factory, "before_flush", _record)
