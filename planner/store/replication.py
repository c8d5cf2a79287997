"""A laptop copy's state for the header, and the sync conflicts a rep decides on.

Resolving is an ordinary write (logged, and so synced like any edit): keeping marks
the conflict resolved; taking the other value or typing a new one writes it to the
record with the version the rep saw, in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, get_args

from sqlmodel import col, select

from planner.core import conflicts as readable
from planner.core import fields
from planner.core import history as labels
from planner.core import models as m
from planner.core.errors import NotFound, ValidationError
from planner.core.i18n import _
from planner.core.sync import Remote
from planner.store.audit import REASSERT
from planner.store.history import fetch_all, fetch_rows
from planner.store.sync import replica as r
from planner.store.writes import Writes


@dataclass(frozen=True)
class ReplicaStatus:
    """What the header says on a laptop copy."""

    remote: Remote
    synced_at: datetime | None
    waiting: int
    open_conflicts: int


def python_value(model: type[m.Record], name: str, value: Any) -> Any:
    """A value as a conflict keeps it (JSON) in the form the field takes."""
    if not isinstance(value, str):
        return value
    options = [kind for kind in get_args(model.model_fields[name].annotation) if kind is not type(None)]
    kind = options[0] if options else model.model_fields[name].annotation
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    return value


class Replication(Writes):
    def replica_status(self) -> ReplicaStatus | None:
        """None on a team database or any database that was not cloned."""
        with self.db.read() as session:
            connection = r.raw(session.connection())
            laptop = r.Replica.of(r.read_meta(connection))
            if laptop is None:
                return None
            waiting = r.waiting(connection, laptop)
            conflict = m.SyncConflict
            query = select(conflict.id).where(col(conflict.resolved_at).is_(None), col(conflict.deleted_at).is_(None))
            count = len(session.exec(query).all())
        return ReplicaStatus(laptop.remote, laptop.synced_at, waiting, count)

    def sync_conflicts(self, *, resolved: bool = False) -> list[readable.ConflictView]:
        """Open conflicts, newest first (`resolved`: the resolved ones too)."""
        conflict = m.SyncConflict
        query = select(conflict).where(col(conflict.deleted_at).is_(None))
        if not resolved:
            query = query.where(col(conflict.resolved_at).is_(None))
        with self.db.read() as session:
            found = list(session.exec(query.order_by(col(conflict.created_at).desc())))
            wanted: dict[type[m.Record], set[str]] = {}
            for item in found:
                wanted.setdefault(m.SYNCED_BY_TABLE.get(item.table_name, m.Account), set()).add(item.row_id)
                if item.kind == "duplicate":
                    wanted.setdefault(m.Account, set()).add(str(item.kept).strip('"'))
            rows = fetch_all(session, wanted)
            linked = fetch_all(session, labels.named_by_links(rows))
        names = labels.names(rows, linked)
        by_id = {row.id: row for row in rows}
        return [readable.describe(item, by_id.get(item.row_id), names) for item in found]

    def resolve_conflict(self, conflict_id: str, version: int, choice: str, value: Any = None) -> None:
        """Keep what the merge kept, take the other value, or write `value` (choice `new`)."""
        with self.db.write() as session:
            item = session.get(m.SyncConflict, conflict_id)
            if item is None or item.resolved_at is not None:
                raise NotFound(_("That conflict was resolved already (perhaps on another copy)."))
            if item.version != version:
                raise NotFound(_("That conflict changed since you opened it; look again."))
            if choice not in readable.CHOICES.get(item.kind, (readable.KEEP,)):
                raise ValueError(f"{choice} is not a choice for a {item.kind} conflict")
            model = m.SYNCED_BY_TABLE[item.table_name]
            if choice == readable.KEEP and item.kind == "field":
                kept = session.get(model, item.row_id)
                if kept is not None and kept.deleted_at is None:
                    session.info.setdefault(REASSERT, []).append((kept, item.field))
            elif choice == readable.OTHER and item.kind == "deleted":
                row = session.get(model, item.row_id)
                if row is not None and row.deleted_at is not None:
                    self._untombstone(session, row, row.id, row.deleted_at)
            elif choice in (readable.OTHER, readable.NEW):
                wanted = json.loads(item.other) if choice == readable.OTHER else value
                wanted = python_value(model, item.field, wanted)
                if errors := fields.validate(model, {item.field: wanted}, creating=False):
                    raise ValidationError(errors)
                rows = fetch_rows(session, model, [item.row_id])
                if not rows or rows[0].deleted_at is not None:
                    raise NotFound(_("The record was deleted; restore it first."))
                self._update_in(session, model, item.row_id, rows[0].version, {item.field: wanted})
            item.resolved_by, item.resolved_at = self.db.user, m.utcnow()
            item.resolution = readable.RESOLUTIONS[choice]
