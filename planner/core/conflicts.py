"""Sync conflicts as a rep reads them: which record, which field, what was kept and
what was not, by whom and when, and what can be done about it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from planner.core import models as m
from planner.core.history import field_spec, label, show
from planner.core.i18n import N_, _

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

RESOLUTIONS = {KEEP: N_("kept"), OTHER: N_("took the other"), NEW: N_("typed a new value")}
"""How a conflict was resolved, stored in English with it; shown through `_`."""


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
            return _("{record}: deleted while it was edited elsewhere").format(record=self.record)
        if self.kind == "duplicate":
            return _("{record}: another new account has the same name").format(record=self.record)
        if self.kind == "loop":
            return _("{record}: two moves made a loop; {field} was cleared").format(
                record=self.record, field=self.field_label
            )
        if IMPORTED in self.other_by:
            return _("{record}: {field} changed in the planner and in an imported file").format(
                record=self.record, field=self.field_label
            )
        return _("{record}: {field} changed on two copies").format(record=self.record, field=self.field_label)


def _text(model: type[m.Record], name: str, value: Any, names: dict[str, str]) -> str:
    if isinstance(value, dict):
        return "; ".join(
            _("{field}: {value}").format(field=_label(model, n), value=show(field_spec(model, n), v, names))
            for n, v in value.items()
        )
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
        kept_text = _("the account {name}").format(name=names.get(kept, str(kept)[:8]))
        other_text = _("this one ({name})").format(name=other)
    else:
        kept_text, other_text = _text(model, conflict.field, kept, names), _text(model, conflict.field, other, names)
    return ConflictView(
        id=conflict.id, version=conflict.version, kind=conflict.kind, model=model, row_id=conflict.row_id,
        record=label(row, names) if row is not None else conflict.row_id[:8], field=conflict.field,
        field_label=_label(model, conflict.field) if conflict.field else "", kept=kept_text,
        kept_by=conflict.kept_who, kept_at=conflict.kept_at, other=other_text, other_by=conflict.other_who,
        other_at=conflict.other_at, other_value=other,
        resolved=_(conflict.resolution) if conflict.resolution else "",
    )  # fmt: skip
