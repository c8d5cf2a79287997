"""Sync conflicts as a rep reads them: which record, which field, what was kept and
what was not, by whom and when, and what can be done about it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from planner.core import models as m
from planner.core.history import field_spec, label, show

KEEP, OTHER, NEW = "keep", "other", "new"
CHOICES = {
    "field": (KEEP, OTHER, NEW),
    "deleted": (KEEP, OTHER),
    "duplicate": (KEEP,),
    "loop": (KEEP,),
}
"""What a rep may do with each kind: keep what the merge kept, take the other value
(for a delete against an edit: restore the record, edit included), or type a new one."""

IMPORTED = " import ("
"""In `other_by`, between the source and the file and line: the other value came from an import."""

RESOLUTIONS = {KEEP: "kept", OTHER: "took the other", NEW: "typed a new value"}


@dataclass(frozen=True)
class ConflictView:
    id: str
    version: int
    kind: str
    model: type[m.Record]
    row_id: str
    record: str
    field: str
    field_label: str
    kept: str
    kept_by: str
    kept_at: datetime | None
    other: str
    other_by: str
    other_at: datetime | None
    other_value: Any
    resolved: str

    @property
    def choices(self) -> tuple[str, ...]:
        return () if self.resolved else CHOICES.get(self.kind, (KEEP,))

    @property
    def summary(self) -> str:
        """One line: what happened to what."""
        if self.kind == "deleted":
            return f"{self.record}: deleted while it was edited elsewhere"
        if self.kind == "duplicate":
            return f"{self.record}: another new account has the same name"
        if self.kind == "loop":
            return f"{self.record}: two moves made a loop; {self.field_label} was cleared"
        where = "in the planner and in an imported file" if IMPORTED in self.other_by else "on two copies"
        return f"{self.record}: {self.field_label} changed {where}"


def _text(model: type[m.Record], name: str, value: Any, names: dict[str, str]) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{_label(model, n)}: {show(field_spec(model, n), v, names)}" for n, v in value.items())
    return show(field_spec(model, name), value, names) if name else str(value)


def _label(model: type[m.Record], name: str) -> str:
    spec = field_spec(model, name)
    return spec.label if spec else name.replace("_", " ").capitalize()


def describe(conflict: m.SyncConflict, row: m.Record | None, names: dict[str, str]) -> ConflictView:
    """`row` is the record the conflict is about (None if it is gone for good); `names`
    labels rows that link values point at."""
    model = m.SYNCED_BY_TABLE.get(conflict.table_name, m.Account)
    kept, other = json.loads(conflict.kept), json.loads(conflict.other)
    if conflict.kind == "duplicate":
        kept_text, other_text = f"the account {names.get(kept, str(kept)[:8])}", f"this one ({other})"
    else:
        kept_text, other_text = _text(model, conflict.field, kept, names), _text(model, conflict.field, other, names)
    return ConflictView(
        id=conflict.id, version=conflict.version, kind=conflict.kind, model=model, row_id=conflict.row_id,
        record=label(row, names) if row is not None else conflict.row_id[:8], field=conflict.field,
        field_label=_label(model, conflict.field) if conflict.field else "", kept=kept_text,
        kept_by=conflict.kept_who, kept_at=conflict.kept_at, other=other_text, other_by=conflict.other_who,
        other_at=conflict.other_at, other_value=other, resolved=conflict.resolution,
    )  # fmt: skip
