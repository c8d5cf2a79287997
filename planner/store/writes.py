"""Every write: validated first, one `BEGIN IMMEDIATE` transaction, optimistic versions.

Writes validate every field first (a `ValidationError` maps fields to messages and
nothing is written), run in one transaction, and take the version the caller read:
if the row moved on since, a `Conflict` says who changed it and when. Deletes set a
tombstone, cascading to the rows that belong to the deleted one, so a restore brings
the whole record back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from planner.core import fields
from planner.core import models as m
from planner.core.errors import Conflict, InUse, NotFound, ValidationError
from planner.core.formatting import count
from planner.core.i18n import _
from planner.core.introductions import introduction_problems
from planner.core.org import PERSON, UNIT, Ref
from planner.core.pinyin import search_key
from planner.store import bulk
from planner.store.audit import SEQS, STAMPS, encode, insert_changes, next_position
from planner.store.base import StoreBase, T, live, live_row

CHILDREN: dict[type[m.Record], tuple[tuple[type[m.Record], str], ...]] = {
    m.Account: tuple(
        (child, "account_id")
        for child in (
            m.OrgUnit,
            m.Person,
            m.Project,
            m.Purchase,
            m.CompetitorPosition,
            m.SwotItem,
            m.Goal,
            m.Action,
            m.Visit,
            m.PlanReview,
        )
    ),
    m.Competitor: ((m.CompetitorPosition, "competitor_id"),),
    m.Goal: ((m.Strategy, "goal_id"),),
    m.Visit: ((m.VisitAttendee, "visit_id"),),
}
"""The rows that belong to a row: deleted and restored with it. A goal's strategies go
with it (and so with its account); a strategy's measures are actions of the account
and stay on the board: while the strategy is deleted they serve its goal alone, and
its restore brings them back under it (their link is kept)."""

USED_BY: dict[type[m.Record], tuple[type[m.Record], str, str]] = {m.Industry: (m.Account, "industry_id", "account")}
"""Rows others link to without belonging to them (model → linking model, its field, its
noun): not deleted while a live row links to them."""

BULK_CACHE_KIB = 128 * 1024  # room for the indexes a 100k-row import fills
PARENT_FIELD = {m.OrgUnit: "parent_id", m.Person: "reports_to_id"}


def _complete(
    batches: Sequence[tuple[type[m.Record], Sequence[dict[str, Any]]]], *, checked: bool = False
) -> list[tuple[type[m.Record], list[dict[str, Any]]]]:
    """Rows for the bulk path: each model's defaults filled in, every row validated
    (a `ValidationError` for the first bad one, before anything is written) unless the
    caller `checked` every value with the same rules already (an import's readers do),
    then the derived columns (a name's pinyin) worked out."""
    full: list[tuple[type[m.Record], list[dict[str, Any]]]] = []
    for model, rows in batches:
        defaults = bulk.model_defaults(model)
        complete = [{**defaults, **row} for row in rows]
        if not checked and (
            errors := fields.first_invalid(model, complete, creating=True, ignore=STAMPS | m.NOT_IN_FORMS)
        ):
            raise ValidationError(errors)
        if "search_key" in defaults:
            for row in complete:
                row["search_key"] = search_key(row["name"])
        full.append((model, complete))
    return full


def _validate(model: type[m.Record], values: dict[str, Any], *, creating: bool) -> None:
    errors = fields.validate(model, values, creating=creating)
    if errors:
        raise ValidationError(errors)


class Writes(StoreBase):
    def create(self, model: type[T], **values: Any) -> T:
        _validate(model, values, creating=True)
        with self.db.write() as session:
            return self._create_in(session, model, values)

    def update(self, model: type[T], row_id: str, version: int, **changes: Any) -> T:
        """Apply `changes` if the row is still at `version`, else raise `Conflict`."""
        _validate(model, changes, creating=False)
        try:
            with self.db.write() as session:
                return self._update_in(session, model, row_id, version, changes)
        except StaleDataError:
            raise self._conflict(model, row_id) from None

    def confirm_guess(self, model: type[T], row_id: str, version: int) -> T:
        """A rep says what an import guessed (a person's layer, an industry's tier) is right."""
        field = m.GUESSES[model][0]
        try:
            with self.db.write() as session:
                row = self._current(session, model, row_id, version)
                return self._update_in(session, model, row_id, version, {field: getattr(row, field)})
        except StaleDataError:
            raise self._conflict(model, row_id) from None

    def save_visit(
        self, visit_id: str | None, version: int | None, people: Sequence[str] | None, **values: Any
    ) -> m.Visit:
        """Create (no `visit_id`) or update a visit and set who was met, in one transaction.
        `people` None leaves the attendees as they are."""
        _validate(m.Visit, values, creating=visit_id is None)
        try:
            with self.db.write() as session:
                if visit_id is None:
                    visit = self._create_in(session, m.Visit, values)
                else:
                    visit = self._update_in(session, m.Visit, visit_id, version or 0, values)
                if people is not None:
                    self._set_attendees(session, visit, set(people))
                met = people if people is not None else self._attendees(session, visit.id)
                if problems := introduction_problems(visit.channel, visit.introduced_by_id, met):
                    raise ValidationError(problems)
                return visit
        except StaleDataError:
            raise self._conflict(m.Visit, visit_id or "") from None

    def move_action(self, action_id: str, version: int, status: str, index: int) -> m.Action:
        """Put an action at `index` (0 = top) of the `status` column and renumber the
        column, so the board's order survives reloads and other reps' moves."""
        _validate(m.Action, {"status": status}, creating=False)
        act = m.Action
        try:
            with self.db.write() as session:
                moving = self._current(session, act, action_id, version)
                column = list(
                    session.exec(
                        select(act)
                        .where(
                            act.account_id == moving.account_id, act.status == status, live(act), act.id != action_id
                        )
                        .order_by(col(act.position), col(act.created_at))
                    )
                )
                column.insert(max(0, min(index, len(column))), moving)
                moving.status = status
                for position, row in enumerate(column):
                    if row.position != position:
                        row.position = position
                return moving
        except StaleDataError:
            raise self._conflict(act, action_id) from None

    def _create_in(self, session: Session, model: type[T], values: dict[str, Any]) -> T:
        row = model(**values)
        self._check_links(session, row, values)
        self._fill_defaults(session, row, values)
        self._keep_measures_with_goals(session, row, values, {})
        session.add(row)
        return row

    def _update_in(self, session: Session, model: type[T], row_id: str, version: int, changes: dict[str, Any]) -> T:
        row = self._current(session, model, row_id, version)
        before = {name: getattr(row, name) for name in changes}
        with session.no_autoflush:  # one flush at commit: one version step, one log entry
            for name, value in changes.items():
                setattr(row, name, value)
            guess = m.GUESSES.get(model)
            if guess and guess[0] in changes and guess[1] not in changes:  # a rep who sets a guess confirms it
                setattr(row, guess[1], False)
            self._check_links(session, row, changes)
            self._follow_changes(session, row, before)
            self._keep_measures_with_goals(session, row, changes, before)
        return row

    def _attendees(self, session: Session, visit_id: str) -> list[str]:
        va = m.VisitAttendee
        return list(session.exec(select(va.person_id).where(va.visit_id == visit_id, live(va))))

    def _set_attendees(self, session: Session, visit: m.Visit, wanted: set[str]) -> None:
        va = m.VisitAttendee
        current = {a.person_id: a for a in session.exec(select(va).where(va.visit_id == visit.id, live(va)))}
        for person_id in wanted - current.keys():
            person = session.get(m.Person, person_id)
            if person is None or person.deleted_at is not None or person.account_id != visit.account_id:
                raise ValidationError({"people": _("Only people of this account can be recorded as met.")})
            session.add(va(visit_id=visit.id, person_id=person_id))
        now = m.utcnow()
        for person_id in current.keys() - wanted:
            current[person_id].deleted_at = now

    def delete(self, model: type[m.Record], row_id: str, version: int) -> None:
        """Tombstone the row and everything that belongs to it. A deleted unit's
        sub-units and people move up to its parent, never vanish."""
        with self.db.write() as session:
            row = self._current(session, model, row_id, version)
            self._refuse_if_used(session, row)
            if isinstance(row, m.OrgUnit):
                self._hand_members_to(session, row, row.parent_id)
            self._tombstone(session, row, m.utcnow())

    def delete_unit(self, unit_id: str, version: int, target: str | None) -> None:
        """Delete an org unit after moving its sub-units and people to `target` (a unit
        of the same account, or None: the top level / no unit), in one transaction."""
        with self.db.write() as session:
            unit = self._current(session, m.OrgUnit, unit_id, version)
            if target is not None:
                self._check_links(session, unit, {"parent_id": target})
            self._hand_members_to(session, unit, target)
            self._tombstone(session, unit, m.utcnow())

    def move_in_org(self, ref: Ref, version: int, target: str | None) -> None:
        """Put a unit under `target` (None: top level) or a person into it (None: no unit)."""
        if ref.kind == UNIT:
            self.update(m.OrgUnit, ref.id, version, parent_id=target)
        elif ref.kind == PERSON:
            self.update(m.Person, ref.id, version, unit_id=target)
        else:
            raise ValueError(f"cannot move a {ref.kind} node")

    def restore(self, model: type[T], row_id: str) -> T:
        """Bring back a deleted row and the rows deleted with it."""
        with self.db.write() as session:
            row = session.get(model, row_id)
            if row is None or row.deleted_at is None:
                raise NotFound(f"There is no deleted {model.__name__.lower()} to restore.")
            self._untombstone(session, row, row.id, row.deleted_at)
            self._restore_used(session, row)
        return row

    def bulk_insert(
        self,
        batches: Sequence[tuple[type[m.Record], Sequence[dict[str, Any]]]],
        unless_any: type[m.Record] | None = None,
    ) -> int:
        """Insert many validated rows in one transaction (imports, demo data, benchmarks).

        Rows carry their own `id`; links between them may point forwards (checked by
        the database at commit). With `unless_any`, nothing is inserted when that
        table already has rows, decided inside the write lock. Every row is logged.
        """
        full = _complete(batches)
        with self.db.write_connection() as connection:
            if unless_any is not None and connection.execute(select(unless_any.id).limit(1)).first():
                return 0
            return self._insert_logged(connection, full)

    def _insert_logged(self, connection: sa.Connection, full: list[tuple[type[m.Record], list[dict[str, Any]]]]) -> int:
        """The bulk path inside a write transaction the caller holds: rows from
        `_complete`, inserted at driver speed, each with its change-log entry."""
        now = m.utcnow()
        who = self.db.user
        stamps = {"created_at": now, "updated_at": now, "updated_by": who, "version": 1, "deleted_at": None}
        log_stamps = {"action": "insert", "who": who, "at": now, "site": next_position(connection).site}
        count = 0
        if self.db.is_sqlite:
            connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        with bulk.page_cache(connection, BULK_CACHE_KIB):
            for model, rows in full:
                if not rows:
                    continue
                self._insert_linking_forwards(connection, model, rows, stamps)
                table = m.table_name(model)
                first, clock, _ = next_position(connection)
                log = [
                    {
                        "id": entry_id,
                        "seq": first + offset,
                        "hlc": clock + offset,
                        "table_name": table,
                        "row_id": row["id"],
                        "changes": encode(insert_changes(row)),
                    }
                    for offset, (entry_id, row) in enumerate(zip(m.new_ids(len(rows)), rows, strict=True))
                ]
                bulk.insert_rows(connection, m.table_of(m.ChangeLog), log, log_stamps)
                connection.info.setdefault(SEQS, []).append((first, first + len(rows) - 1))
                count += len(rows)
        return count

    def _insert_linking_forwards(
        self, connection: sa.Connection, model: type[m.Record], rows: list[dict[str, Any]], stamps: dict[str, Any]
    ) -> None:
        """Insert rows whose links to their own table (a contact's boss, a unit's parent)
        may name a row further on: SQLite checks them at commit (deferred above), but
        PostgreSQL checks each as it goes in, so there the links are set once all are in."""
        field = PARENT_FIELD.get(model)
        table = m.table_of(model)
        if self.db.is_sqlite or field is None:
            bulk.insert_rows(connection, table, rows, stamps)
            return
        links = [{"row": row["id"], "link": row[field]} for row in rows if row.get(field)]
        bulk.insert_rows(connection, table, [{**row, field: None} for row in rows], stamps)
        if links:
            update = sa.update(table).where(table.c.id == sa.bindparam("row")).values({field: sa.bindparam("link")})
            connection.execute(update, links)

    # --- helpers ---------------------------------------------------------------------

    def _current(self, session: Session, model: type[T], row_id: str, version: int) -> T:
        row = live_row(session, model, row_id)
        if row.version != version:
            raise Conflict(m.table_name(model), row_id, row.updated_by, row.updated_at, row.version)
        return row

    def _conflict(self, model: type[m.Record], row_id: str) -> Conflict:
        row = self.get(model, row_id)
        return Conflict(m.table_name(model), row_id, row.updated_by, row.updated_at, row.version)

    @staticmethod
    def _check_links(session: Session, row: m.Record, values: dict[str, Any]) -> None:
        """Links must point at live rows of the same account, and trees may not loop."""
        errors: dict[str, str] = {}
        for field in fields.FIELDS[type(row)]:
            target_id = values.get(field.name)
            if field.kind != "ref" or not target_id or field.target is None:
                continue
            target = session.get(field.target, target_id)
            if target is None or target.deleted_at is not None:
                errors[field.name] = f"{field.label}: that {field.target.__name__.lower()} does not exist."
            elif (
                field.name != "account_id"
                and hasattr(target, "account_id")
                and getattr(row, "account_id", None) not in (None, target.account_id)
            ):
                errors[field.name] = f"{field.label} belongs to another account."
            elif PARENT_FIELD.get(type(row)) == field.name:
                parent: m.Record | None = target
                while parent is not None:
                    if parent.id == row.id:
                        errors[field.name] = f"{field.label} cannot be this record or one below it."
                        break
                    next_id = getattr(parent, field.name)
                    parent = session.get(type(row), next_id) if next_id else None
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _fill_defaults(session: Session, row: m.Record, values: dict[str, Any]) -> None:
        if isinstance(row, m.Person) and "value_orientation" not in values:
            row.value_orientation = m.LAYER_VALUES[row.layer]
        if isinstance(row, m.Action) and "position" not in values:
            row.position = Writes._column_end(session, row.account_id, row.status)
        if isinstance(row, m.Strategy) and "position" not in values:
            row.position = Writes._strategies_end(session, row.goal_id)

    @staticmethod
    def _follow_changes(session: Session, row: m.Record, before: dict[str, Any]) -> None:
        """Keep derived defaults in step: a person's values follow the layer unless
        edited; an action moved to another column goes to its end."""
        if (
            isinstance(row, m.Person)
            and before.get("layer", row.layer) != row.layer
            and "value_orientation" not in before
            and row.value_orientation in ("", m.LAYER_VALUES.get(before["layer"]))
        ):
            row.value_orientation = m.LAYER_VALUES[row.layer]
        if isinstance(row, m.Action) and before.get("status", row.status) != row.status and "position" not in before:
            row.position = Writes._column_end(session, row.account_id, row.status, exclude=row.id)

    @staticmethod
    def _keep_measures_with_goals(
        session: Session, row: m.Record, values: dict[str, Any], before: dict[str, Any]
    ) -> None:
        """A measure serves its strategy's goal: an action given a strategy takes the
        strategy's goal (a different goal given with it is refused), an action given
        another goal leaves its strategy, and a strategy moved to another goal takes
        its measures and goes to the end of that goal's strategies."""
        if isinstance(row, m.Action):
            strategy = session.get(m.Strategy, row.strategy_id) if row.strategy_id else None
            if strategy is None:
                return
            if values.get("strategy_id"):
                if values.get("goal_id") not in (None, strategy.goal_id):
                    raise ValidationError(
                        {"goal_id": _("That strategy serves another goal: leave the goal empty or pick its own.")}
                    )
                row.goal_id = strategy.goal_id
            elif "goal_id" in values and row.goal_id != strategy.goal_id:
                row.strategy_id = None
        elif isinstance(row, m.Strategy) and before and before.get("goal_id", row.goal_id) != row.goal_id:
            if "position" not in before:
                row.position = Writes._strategies_end(session, row.goal_id, exclude=row.id)
            measures = select(m.Action).where(m.Action.strategy_id == row.id, live(m.Action))
            for action in session.exec(measures):
                action.goal_id = row.goal_id

    @staticmethod
    def _strategies_end(session: Session, goal_id: str, exclude: str | None = None) -> int:
        query = select(sa.func.max(m.Strategy.position)).where(m.Strategy.goal_id == goal_id, live(m.Strategy))
        if exclude:
            query = query.where(m.Strategy.id != exclude)
        highest = session.exec(query).one()
        return 0 if highest is None else highest + 1

    @staticmethod
    def _column_end(session: Session, account_id: str, status: str, exclude: str | None = None) -> int:
        query = select(sa.func.max(m.Action.position)).where(
            m.Action.account_id == account_id, m.Action.status == status, live(m.Action)
        )
        if exclude:
            query = query.where(m.Action.id != exclude)
        highest = session.exec(query).one()
        return 0 if highest is None else highest + 1

    @staticmethod
    def _refuse_if_used(session: Session, row: m.Record) -> None:
        if type(row) not in USED_BY:
            return
        user, link, noun = USED_BY[type(row)]
        query = select(sa.func.count()).select_from(user).where(getattr(user, link) == row.id, live(user))
        used = session.exec(query).one()
        if used:
            what = m.table_name(type(row))
            raise InUse(
                f"{count(used, noun)} still {'uses' if used == 1 else 'use'} this {what}: "
                f"give {'it' if used == 1 else 'them'} another {what} first, then delete it."
            )

    @staticmethod
    def _restore_used(session: Session, row: m.Record) -> None:
        """A restored row comes back whole: what it uses (an account's industry) or
        hangs from (a strategy's goal), if deleted since, comes back with it."""
        links = [(used, link) for used, (user, link, _noun) in USED_BY.items() if isinstance(row, user)]
        if isinstance(row, m.Strategy):
            links.append((m.Goal, "goal_id"))
        for used, link in links:
            target_id = getattr(row, link)
            target = session.get(used, target_id) if target_id else None
            if target is not None and target.deleted_at is not None:
                target.deleted_at = None
                target.deleted_with = None

    @staticmethod
    def _hand_members_to(session: Session, unit: m.OrgUnit, target: str | None) -> None:
        for child in session.exec(select(m.OrgUnit).where(m.OrgUnit.parent_id == unit.id, live(m.OrgUnit))):
            child.parent_id = target
        for person in session.exec(select(m.Person).where(m.Person.unit_id == unit.id, live(m.Person))):
            person.unit_id = target

    def _tombstone(self, session: Session, row: m.Record, now: datetime, root: str | None = None) -> None:
        """Delete `row`, and what belongs to it with it: each marked with the id of the row
        the rep deleted (`deleted_with`; the row itself carries its own id)."""
        row.deleted_at = now
        row.deleted_with = root or row.id
        for child_model, link in CHILDREN.get(type(row), ()):
            query = select(child_model).where(getattr(child_model, link) == row.id, live(child_model))
            for child in session.exec(query):
                self._tombstone(session, child, now, root or row.id)

    def _untombstone(self, session: Session, row: m.Record, root: str, stamp: datetime) -> None:
        """Bring back `row` and the rows its deletion took with it (rows deleted before
        the planner recorded that are matched by the time of the deletion instead)."""
        row.deleted_at = None
        row.deleted_with = None
        for child_model, link in CHILDREN.get(type(row), ()):
            took = sa.or_(
                col(child_model.deleted_with) == root,
                sa.and_(col(child_model.deleted_with).is_(None), col(child_model.deleted_at) == stamp),
            )
            query = select(child_model).where(getattr(child_model, link) == row.id, took)
            for child in session.exec(query):
                self._untombstone(session, child, root, stamp)
