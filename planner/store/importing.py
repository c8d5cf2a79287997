"""Imports: read what an import may touch, and apply its plan in one transaction.

The plan is made again inside the write transaction that applies it, from what the
database holds under the write lock, so a rep's save between a dry run and
`--apply` is compared, not overwritten. New records go in by the bulk path (as
fast as the demo generator's); updates go through the ordinary update (versions,
link checks, the change log); a field both sides changed becomes a conflict a rep
resolves in the Conflicts screen.
"""

from __future__ import annotations

import sqlalchemy as sa

from planner.core import models as m
from planner.core.changes import encode
from planner.core.conflicts import IMPORTED
from planner.core.formatting import name_key
from planner.core.imports import plan as planning
from planner.core.imports.records import MODELS, SOURCE_NAMES, Batch
from planner.store.audit import SEQS
from planner.store.writes import Writes, _complete

IMPORT_ORDER = (m.Industry, m.Account, m.OrgUnit, m.Person, m.Project)


def read_existing(connection: sa.Connection, source: str) -> planning.Existing:
    """What `plan` compares a batch of `source` with."""
    found = planning.Existing()
    for kind, model in MODELS.items():
        table = m.table_of(model)
        mine = table.c.import_source == source
        rows = connection.execute(
            sa.select(table).where(table.c.deleted_at.is_(None) | mine).order_by(table.c.created_at, table.c.id)
        )
        for mapping in rows.mappings():
            values = dict(mapping)
            found.rows[values["id"]] = values
            found.names[values["id"]] = values["name"]
            if values["import_source"] == source:
                found.links.setdefault((kind, values["import_id"]), planning.Link(values["id"], values["imported"]))
                continue  # found by its id, never by name: another record of its name is another record
            if kind == "account":
                found.accounts.setdefault(name_key(values["name"]), []).append(values["id"])
            else:
                key3 = (kind, values["account_id"], name_key(values["name"]))
                found.named.setdefault(key3, []).append(values["id"])
    unit = m.table_of(m.OrgUnit).c
    for found_unit in connection.execute(
        sa.select(unit.id, unit.account_id, unit.name).where(unit.deleted_at.is_(None))
    ):
        found.units.setdefault((found_unit.account_id, name_key(found_unit.name)), found_unit.id)
        found.names[found_unit.id] = found_unit.name
    industry = m.table_of(m.Industry).c
    query = sa.select(industry.id, industry.name_en, industry.name_zh).where(industry.deleted_at.is_(None))
    for known in connection.execute(query):
        found.names[known.id] = known.name_en
        for name in (known.name_en, known.name_zh):
            if name:
                found.industries.setdefault(name_key(name), known.id)
    return found


class Imports(Writes):
    def plan_import(self, batch: Batch) -> planning.Plan:
        """What `apply_import` would do now; writes nothing (the dry run)."""
        with self.db.read() as session:
            return planning.plan(batch, read_existing(session.connection(), batch.source))

    def apply_import(self, batch: Batch) -> planning.Plan:
        """Import `batch` in one transaction: all of it, or (on any error) nothing."""
        with self.db.write() as session:
            connection = session.connection()
            plan = planning.plan(batch, read_existing(connection, batch.source))
            # every value was checked by the readers, with the forms' rules (`records.Typing`)
            full = _complete([(model, plan.creates.get(model, [])) for model in IMPORT_ORDER], checked=True)
            self._insert_logged(connection, full)
            session.info.setdefault(SEQS, []).extend(connection.info.pop(SEQS, []))
            for update in plan.updates:
                self._update_in(session, update.model, update.row_id, update.version, dict(update.changes))
            for conflict in plan.conflicts:
                session.add(_conflict_row(conflict, plan.source))
        return plan


def _conflict_row(conflict: planning.Conflict, source: str) -> m.SyncConflict:
    return m.SyncConflict(
        table_name=m.table_name(conflict.model),
        row_id=conflict.row_id,
        field=conflict.field,
        kind="field",
        kept=encode(conflict.planner),  # the plan holds values as the log does
        kept_who=conflict.planner_who,
        kept_at=conflict.planner_at,
        other=encode(conflict.file),
        other_who=f"{SOURCE_NAMES[source]}{IMPORTED}{conflict.where})",
        other_at=m.utcnow(),
    )
