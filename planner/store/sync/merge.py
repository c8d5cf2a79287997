"""Apply another copy's change-log entries, field by field.

Both sides apply the same rule: a field takes an incoming value only when the
incoming change orders after the newest change to that field this copy has seen
(`order_key`), so every copy ends with the same values whatever order the entries
arrive in. Only the team database, which every laptop syncs with, judges conflicts
(`Peer` given): a same-field change the sender had not seen, a delete against an
edit, two new accounts of one name, a loop in the org chart. It writes each as a
`SyncConflict` row through its own change log, so every copy receives it.

Received entries keep their id, author, time, site and clock and get this copy's
next `seq`; an entry already here (a sync retried after a cut) is skipped.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, get_args

import sqlalchemy as sa

from planner.core import models as m
from planner.core.formatting import name_key
from planner.core.sync import POSITION_ONLY, TOMBSTONE, order_key
from planner.store import bulk
from planner.store.audit import encode, insert_changes, next_clock, next_seq

if TYPE_CHECKING:
    from planner.store.sync.serve import Peer

LOG = m.table_of(m.ChangeLog)
PARENTS: dict[type[m.Record], str] = {m.OrgUnit: "parent_id", m.Person: "reports_to_id"}
CHUNK = 500
NOT_JUDGED = POSITION_ONLY | {TOMBSTONE, "deleted_with"}


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


@dataclass
class Seen:
    """One change this copy has, reduced to what the merge compares."""

    seq: int
    site: str
    hlc: int
    action: str
    who: str
    at: str
    touched: dict[str, Any]

    @property
    def key(self) -> tuple[int, str]:
        return order_key(self.hlc, self.site)


def touched(action: str, at: str, changes: dict[str, Any]) -> dict[str, Any]:
    """The fields a change sets, with their new values (a delete sets the tombstone)."""
    values = {name: pair[1] for name, pair in changes.items() if name != "deleted_with"}
    if action == "delete":
        values[TOMBSTONE] = [at, (changes.get("deleted_with") or [None, None])[1]]
    elif action == "restore":
        values[TOMBSTONE] = None
    return values


@cache
def _kinds(model: type[m.Record]) -> dict[str, type]:
    """Each field's Python type, from the model (`datetime | None` gives `datetime`)."""
    found = {}
    for name, info in model.model_fields.items():
        options = [kind for kind in get_args(info.annotation) if kind is not type(None)] or [info.annotation]
        found[name] = options[0]
    return found


def python_value(model: type[m.Record], name: str, value: Any) -> Any:
    """A value from the log (JSON) in the form the field takes."""
    kind = _kinds(model).get(name)
    if value is None or not isinstance(value, str):
        return value
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    return value


def _blank(model: type[m.Record], name: str) -> Any:
    return {str: "", int: 0, float: 0.0, bool: False}.get(_kinds(model).get(name, str))


@dataclass
class Merge:
    """One merge inside the caller's `BEGIN IMMEDIATE` transaction."""

    connection: sa.Connection
    site: str
    who: str
    peer: Peer | None = None
    counts: Counter = field(default_factory=Counter)
    reattributed: list[str] = field(default_factory=list)
    _logs: dict[str, list[Seen]] = field(default_factory=dict)
    _seq: int = 0
    _clock: int = 0
    _log_rows: list[dict[str, Any]] = field(default_factory=list)
    _parents_moved: set[tuple[type[m.Record], str]] = field(default_factory=set)
    _deleted: dict[str, datetime | None] = field(default_factory=dict)
    """Each touched row's tombstone (absent: the row is not here yet)."""
    _pending: dict[sa.Update, list[dict[str, Any]]] = field(default_factory=dict)
    _pending_rows: set[str] = field(default_factory=set)

    def apply(self, entries: Sequence[dict[str, Any]]) -> Counter:
        self._seq = next_seq(self.connection)
        self._clock = next_clock(self.connection) - 1
        known = self._known({entry["id"] for entry in entries})
        fresh = [entry for entry in entries if entry["id"] not in known]
        self.counts["already"] += len(entries) - len(fresh)
        self._load_logs({entry["row_id"] for entry in fresh})
        self._load_rows(fresh)
        for entry in fresh:
            if self.peer is not None and entry["site"] != self.peer.site:
                self.counts["refused"] += 1  # a laptop sends its own changes only
                continue
            self._apply(entry)
        self._flush_updates()
        if self.peer is not None:
            self._break_loops()
        self._flush_log()
        return self.counts

    # --- reading what this copy has --------------------------------------------------

    def _known(self, ids: set[str]) -> set[str]:
        found: set[str] = set()
        ordered = sorted(ids)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            found.update(self.connection.execute(sa.select(LOG.c.id).where(LOG.c.id.in_(chunk))).scalars())
        return found

    def _load_logs(self, row_ids: set[str]) -> None:
        ordered = sorted(row_ids)
        columns = (LOG.c.row_id, LOG.c.seq, LOG.c.site, LOG.c.hlc, LOG.c.action, LOG.c.who, LOG.c.at, LOG.c.changes)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            for row in self.connection.execute(sa.select(*columns).where(LOG.c.row_id.in_(chunk))):
                self._remember(row.row_id, row.seq, row.site, row.hlc, row.action, row.who, _iso(row.at), row.changes)

    def _load_rows(self, entries: list[dict[str, Any]]) -> None:
        by_table: dict[str, set[str]] = {}
        for entry in entries:
            by_table.setdefault(entry["table_name"], set()).add(entry["row_id"])
        for name, ids in by_table.items():
            model = m.SYNCED_BY_TABLE.get(name)
            if model is None:
                continue
            table, ordered = m.table_of(model), sorted(ids)
            for start in range(0, len(ordered), CHUNK):
                query = sa.select(table.c.id, table.c.deleted_at).where(table.c.id.in_(ordered[start : start + CHUNK]))
                self._deleted.update({row_id: deleted for row_id, deleted in self.connection.execute(query)})

    def _remember(self, row_id: str, seq: int, site: str, hlc: int, action: str, who: str, at: str, changes: str):
        seen = Seen(seq, site, hlc, action, who, at, touched(action, at, json.loads(changes or "{}")))
        self._logs.setdefault(row_id, []).append(seen)

    def _latest(self, row_id: str, name: str) -> Seen | None:
        touching = [seen for seen in self._logs.get(row_id, ()) if name in seen.touched]
        return max(touching, key=lambda seen: seen.key, default=None)

    def _unseen_by_peer(self, row_id: str) -> list[Seen]:
        """This copy's changes to the row that the sending laptop had not received."""
        peer = self.peer
        assert peer is not None
        return [s for s in self._logs.get(row_id, ()) if s.seq > peer.seen and s.site != peer.site]

    # --- applying ------------------------------------------------------------------

    def _apply(self, entry: dict[str, Any]) -> None:
        model = m.SYNCED_BY_TABLE.get(entry["table_name"])
        if model is None:
            self.counts["unknown"] += 1
            return
        if self.peer is not None and entry["who"] != self.peer.user:
            entry = {**entry, "who": self.peer.user}
            self.reattributed.append(entry["id"])
        row_id = entry["row_id"]
        values = touched(entry["action"], entry["at"], json.loads(entry["changes"] or "{}"))
        key = order_key(entry["hlc"], entry["site"])
        if row_id not in self._deleted:
            if entry["action"] == "insert":
                self._insert(model, entry, values)
        else:
            if self.peer is not None:
                self._judge_row(model, row_id, entry, values)
            winning = {}
            for name, value in values.items():
                latest = self._latest(row_id, name)
                wins = latest is None or key > latest.key
                if self.peer is not None and name not in NOT_JUDGED:
                    self._judge_field(model, row_id, name, value, entry, wins, latest)
                if wins:
                    winning[name] = value
            self._update(model, row_id, entry, winning)
        self._store(entry)

    def _insert(self, model: type[m.Record], entry: dict[str, Any], values: dict[str, Any]) -> None:
        table = m.table_of(model)
        at = datetime.fromisoformat(entry["at"])
        row = {
            **bulk.model_defaults(model),
            **{n: python_value(model, n, v) for n, v in values.items() if n in table.c},
        }
        stamps = {"id": entry["row_id"], "created_at": at, "updated_at": at, "updated_by": entry["who"], "version": 1}
        for column in table.columns:
            if column.name not in row and column.name not in stamps and not column.nullable:
                row[column.name] = _blank(model, column.name)
        self.connection.execute(table.insert(), {**row, **stamps})
        self._deleted[entry["row_id"]] = None
        self.counts["created"] += 1
        if self.peer is not None and model is m.Account:
            self._judge_duplicate(entry, row.get("name", ""))
        if model in PARENTS and row.get(PARENTS[model]):
            self._parents_moved.add((model, entry["row_id"]))

    def _update(self, model: type[m.Record], row_id: str, entry: dict[str, Any], winning: dict[str, Any]) -> None:
        if not winning:
            self.counts["kept"] += 1
            return
        table = m.table_of(model)
        changes: dict[str, Any] = {}
        for name, value in winning.items():
            if name == TOMBSTONE:
                deleted_at, deleted_with = value or (None, None)
                changes["deleted_at"] = python_value(model, "deleted_at", deleted_at)
                changes["deleted_with"] = deleted_with
            elif name in table.c:
                changes[name] = python_value(model, name, value)
        stamps = {"b_id": row_id, "b_at": datetime.fromisoformat(entry["at"]), "b_by": entry["who"]}
        values = {f"v_{name}": value for name, value in changes.items()}
        if row_id in self._pending_rows:
            self._flush_updates()  # a row's updates run in the order they were made
        statement = _update_statement(m.table_name(model), tuple(sorted(changes)))
        self._pending.setdefault(statement, []).append({**values, **stamps})
        self._pending_rows.add(row_id)
        if "deleted_at" in changes:
            self._deleted[row_id] = changes["deleted_at"]
        self.counts["merged"] += 1
        if PARENTS.get(model) in changes:
            self._parents_moved.add((model, row_id))

    def _store(self, entry: dict[str, Any]) -> None:
        self._log_rows.append({**entry, "seq": self._seq, "at": datetime.fromisoformat(entry["at"])})
        self._remember(
            entry["row_id"], self._seq, entry["site"], entry["hlc"], entry["action"], entry["who"], entry["at"],
            entry["changes"],
        )  # fmt: skip
        self._seq += 1
        self._clock = max(self._clock, entry["hlc"])
        self.counts["received"] += 1

    def _flush_updates(self) -> None:
        """Run the waiting updates, one executemany per statement: one row is never in
        two of them (`_update` flushes first), so their order does not matter."""
        for statement, rows in self._pending.items():
            self.connection.execute(statement, rows)
        self._pending.clear()
        self._pending_rows.clear()

    def _flush_log(self) -> None:
        if self._log_rows:
            self.connection.execute(LOG.insert(), self._log_rows)
            self._log_rows = []

    # --- the team database's judgements --------------------------------------------

    def _judge_field(
        self, model: type[m.Record], row_id: str, name: str, value: Any, entry: dict, wins: bool, latest: Seen | None
    ) -> None:
        if latest is None or not any(name in s.touched for s in self._unseen_by_peer(row_id)):
            return
        current = latest.touched[name]
        if value == current:
            return
        theirs = {"value": value, "who": entry["who"], "at": entry["at"]}
        ours = {"value": current, "who": latest.who, "at": latest.at}
        kept, other = (theirs, ours) if wins else (ours, theirs)
        self._conflict(model, row_id, name, "field", kept, other)

    def _judge_row(self, model: type[m.Record], row_id: str, entry: dict[str, Any], values: dict[str, Any]) -> None:
        """A delete against an edit the deleter had not seen, either way round: the record
        stays deleted, the edit stays in its fields (a restore brings it back) and here."""
        unseen = self._unseen_by_peer(row_id)
        edits = {n: v for n, v in values.items() if n not in NOT_JUDGED}
        if entry["action"] == "update" and self._deleted.get(row_id) is not None and edits:
            deletion = next((s for s in reversed(unseen) if s.action == "delete"), None)
            if deletion:
                kept = {"value": "deleted", "who": deletion.who, "at": deletion.at}
                self._conflict(model, row_id, "", "deleted", kept, {"value": edits, **_by(entry)})
        elif entry["action"] == "delete":
            concurrent: dict[str, Any] = {}
            last: Seen | None = None
            for seen in unseen:
                if seen.action == "update":
                    concurrent.update({n: v for n, v in seen.touched.items() if n not in NOT_JUDGED})
                    last = seen
            if concurrent and last is not None:
                kept = {"value": "deleted", **_by(entry)}
                other = {"value": concurrent, "who": last.who, "at": last.at}
                self._conflict(model, row_id, "", "deleted", kept, other)

    def _judge_duplicate(self, entry: dict[str, Any], name: str) -> None:
        peer = self.peer
        assert peer is not None
        self._flush_updates()  # the names compared are the ones merged so far
        account = m.table_of(m.Account)
        created_apart = (
            sa.select(LOG.c.row_id)
            .where(LOG.c.table_name == "account", LOG.c.action == "insert")
            .where(LOG.c.seq > peer.seen, LOG.c.site != peer.site)
        )
        query = sa.select(account.c.id, account.c.name).where(
            account.c.deleted_at.is_(None), account.c.id.in_(created_apart), account.c.id != entry["row_id"]
        )
        for other_id, other_name in self.connection.execute(query):
            if name_key(other_name) == name_key(name):
                kept = {"value": other_id, "who": "", "at": None}
                self._conflict(m.Account, entry["row_id"], "name", "duplicate", kept, {"value": name, **_by(entry)})

    def _break_loops(self) -> None:
        """Two copies can each move a unit under the other: both moves are kept by the
        rule and together make a loop. The move that closed it is undone here (logged as
        the team's own change) and kept in a conflict."""
        for model, row_id in sorted(self._parents_moved, key=lambda pair: pair[1]):
            link = PARENTS[model]
            seen, current = {row_id}, self._parent(model, row_id)
            while current and current not in seen:
                seen.add(current)
                current = self._parent(model, current)
            if current != row_id:
                continue
            lost = self._parent(model, row_id)
            self._local_update(model, row_id, {link: [lost, None]})
            ours = {"value": None, "who": self.who, "at": _iso(m.utcnow())}
            self._conflict(model, row_id, link, "loop", ours, {"value": lost, "who": "", "at": None})

    def _parent(self, model: type[m.Record], row_id: str) -> str | None:
        table = m.table_of(model)
        return self.connection.execute(sa.select(table.c[PARENTS[model]]).where(table.c.id == row_id)).scalar()

    # --- the team database's own writes ----------------------------------------------

    def _tick(self) -> int:
        self._clock = max(time.time_ns() // 1_000_000, self._clock + 1)
        return self._clock

    def _log_local(self, table: str, row_id: str, action: str, changes: dict[str, Any], now: datetime) -> None:
        self._log_rows.append(
            {
                "id": m.new_id(), "seq": self._seq, "table_name": table, "row_id": row_id, "action": action,
                "who": self.who, "at": now, "changes": encode(changes), "site": self.site, "hlc": self._tick(),
            }
        )  # fmt: skip
        self._seq += 1

    def _local_update(self, model: type[m.Record], row_id: str, changes: dict[str, list[Any]]) -> None:
        table = m.table_of(model)
        values, now = {name: pair[1] for name, pair in changes.items()}, m.utcnow()
        self.connection.execute(
            table.update()
            .where(table.c.id == row_id)
            .values(**values, version=table.c.version + 1, updated_at=now, updated_by=self.who)
        )
        self._log_local(m.table_name(model), row_id, "update", changes, now)

    def _conflict(self, model: type[m.Record], row_id: str, name: str, kind: str, kept: dict, other: dict) -> None:
        now = m.utcnow()
        row = {
            "table_name": m.table_name(model), "row_id": row_id, "field": name, "kind": kind,
            "kept": encode(kept["value"]), "kept_who": kept["who"] or "", "kept_at": _when(kept["at"]),
            "other": encode(other["value"]), "other_who": other["who"] or "", "other_at": _when(other["at"]),
        }  # fmt: skip
        conflict_id = m.new_id()
        table = m.table_of(m.SyncConflict)
        full = {**bulk.model_defaults(m.SyncConflict), **row}
        stamps = {"id": conflict_id, "created_at": now, "updated_at": now, "updated_by": self.who, "version": 1}
        self.connection.execute(table.insert().values({**full, **stamps}))
        self._log_local("syncconflict", conflict_id, "insert", insert_changes(full), now)
        self.counts["duplicates" if kind == "duplicate" else "conflicts"] += 1


@cache
def _update_statement(table_name: str, names: tuple[str, ...]) -> sa.Update:
    """One UPDATE per table and set of columns, built once (statement building is most
    of a merge's time otherwise): values bind as `v_<column>`, the stamps as `b_*`."""
    table = m.table_of(m.SYNCED_BY_TABLE[table_name])
    values: dict[str, Any] = {name: sa.bindparam(f"v_{name}") for name in names}
    stamps = {"version": table.c.version + 1, "updated_at": sa.bindparam("b_at"), "updated_by": sa.bindparam("b_by")}
    return table.update().where(table.c.id == sa.bindparam("b_id")).values({**values, **stamps})


def _by(entry: dict[str, Any]) -> dict[str, Any]:
    return {"who": entry["who"], "at": entry["at"]}


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class _DryRun(Exception):
    """Raised at the end of a dry run's transaction so that it rolls back."""


def check_dry_run(dry_run: Any) -> None:
    if dry_run:
        raise _DryRun


@contextmanager
def rolled_back_if(dry_run: bool) -> Iterator[None]:
    """Around a write transaction: a dry run's `check_dry_run` ends it with a rollback."""
    try:
        yield
    except _DryRun:
        if not dry_run:
            raise


def merge(
    connection: sa.Connection, entries: Iterable[dict[str, Any]], *, site: str, who: str, peer: Peer | None = None
) -> Merge:
    """Apply `entries` in this transaction; the returned `Merge` holds what happened."""
    merging = Merge(connection, site, who, peer)
    merging.apply(list(entries))
    return merging
