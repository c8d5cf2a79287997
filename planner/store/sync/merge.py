"""Apply another copy's change-log entries, field by field.

Both sides apply the same rule: a field takes an incoming value only when the
incoming change orders after the newest change to that field this copy has seen
(`order_key`), so every copy ends with the same values whatever order the entries
arrive in. Only the team database, which every laptop syncs with, judges conflicts
(`Peer` given): a same-field change the sender had not seen, a delete against an
edit, two new accounts of one name, a loop in the org chart. It writes each as a
`syncconflict` row through its own change log, so every copy receives it.

Received entries keep their id, author, time, site and clock and get this copy's
next `seq`; an entry already here (a sync retried after a cut) is skipped. The merge
runs on the driver's connection (`Link`: SQLite's, or PostgreSQL's for a team
database there) inside the caller's write transaction, which holds the write lock
(`BEGIN IMMEDIATE`, or the advisory lock), with no ORM (`tables`).
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from planner.core.changes import encode, insert_changes
from planner.core.formatting import name_key
from planner.core.pinyin import search_key
from planner.core.sync import POSITION_ONLY, TOMBSTONE, order_key
from planner.store.sync.light import utc_text
from planner.store.sync.link import Link, link
from planner.store.sync.tables import PARENTS, Table, Tables, stored_when

if TYPE_CHECKING:
    from planner.store.sync.serve import Peer

CHUNK = 500
NOT_JUDGED = POSITION_ONLY | {TOMBSTONE, "deleted_with"}
LOG_COLUMNS = ("id", "seq", "table_name", "row_id", "action", "who", "at", "changes", "site", "hlc")
_INSERT_LOG = f"INSERT INTO changelog ({', '.join(LOG_COLUMNS)}) VALUES ({', '.join('?' * len(LOG_COLUMNS))})"


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _now() -> datetime:
    return datetime.now(UTC)


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


@dataclass
class Merge:
    """One merge inside the caller's write transaction."""

    connection: Link
    site: str
    who: str
    peer: Peer | None = None
    counts: Counter = field(default_factory=Counter)
    reattributed: list[str] = field(default_factory=list)
    _logs: dict[str, list[Seen]] = field(default_factory=dict)
    _seq: int = 0
    _clock: int = 0
    _log_rows: list[tuple[Any, ...]] = field(default_factory=list)
    _parents_moved: set[tuple[str, str]] = field(default_factory=set)
    _deleted: dict[str, Any] = field(default_factory=dict)
    """Each touched row's tombstone (absent: the row is not here yet)."""
    _pending: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    _pending_rows: set[str] = field(default_factory=set)
    _tables: Tables = field(init=False)
    _final: set[tuple[str, str, str]] = field(default_factory=set)
    """(entry, row, field): the sender's last change to each field in this batch, the only
    one judged (its earlier ones the rep overwrote themselves)."""

    def __post_init__(self) -> None:
        self._tables = Tables(self.connection)

    def apply(self, entries: Sequence[dict[str, Any]]) -> Counter:
        self._seq = self._one("SELECT coalesce(max(seq), 0) + 1 FROM changelog")
        self._clock = self._one("SELECT coalesce(max(hlc), 0) FROM changelog")
        known = self._known({entry["id"] for entry in entries})
        fresh = [entry for entry in entries if entry["id"] not in known]
        self.counts["already"] += len(entries) - len(fresh)
        self._load_logs({entry["row_id"] for entry in fresh})
        self._load_rows(fresh)
        last: dict[tuple[str, str], str] = {}
        for entry in fresh:
            for name in json.loads(entry["changes"] or "{}"):
                last[(entry["row_id"], name)] = entry["id"]
        self._final = {(entry_id, row_id, name) for (row_id, name), entry_id in last.items()}
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

    def _one(self, query: str, parameters: Sequence[Any] = ()) -> Any:
        return self.connection.execute(query, parameters).fetchone()[0]

    def _chunks(self, query: str, ids: Iterable[str]) -> Iterator[tuple[Any, ...]]:
        """`query`'s rows for `ids`, where `{}` in it stands for the ids' placeholders."""
        ordered = sorted(ids)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            yield from self.connection.execute(query.format(_marks(len(chunk))), chunk)

    def _known(self, ids: set[str]) -> set[str]:
        return {row[0] for row in self._chunks("SELECT id FROM changelog WHERE id IN ({})", ids)}

    def _load_logs(self, row_ids: set[str]) -> None:
        query = "SELECT row_id, seq, site, hlc, action, who, at, changes FROM changelog WHERE row_id IN ({})"
        for row_id, seq, site, hlc, action, who, at, changes in self._chunks(query, row_ids):
            self._remember(row_id, seq, site, hlc, action, who, utc_text(at), changes)

    def _load_rows(self, entries: list[dict[str, Any]]) -> None:
        by_table: dict[str, set[str]] = {}
        for entry in entries:
            by_table.setdefault(entry["table_name"], set()).add(entry["row_id"])
        for name, ids in by_table.items():
            if self._tables.get(name) is not None:
                query = f"SELECT id, deleted_at FROM {name} WHERE id IN ({{}})"
                self._deleted.update(dict(self._chunks(query, ids)))

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
        table = self._tables.get(entry["table_name"])
        if table is None:
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
                self._insert(table.name, entry, values)
        else:
            if self.peer is not None and table.name != "syncconflict":
                self._judge_row(table.name, row_id, entry, values)
            winning = {}
            for name, value in values.items():
                latest = self._latest(row_id, name)
                wins = latest is None or key > latest.key
                if self._judged(table.name, entry, name):
                    self._judge_field(table.name, row_id, name, value, entry)
                if wins:
                    winning[name] = value
            self._update(table.name, row_id, entry, winning)
        self._store(entry)

    def _insert_row(self, name: str, values: dict[str, Any]) -> None:
        """Insert a row of logged values: stored forms, required columns filled."""
        table = self._tables.get(name)
        assert table is not None
        row = {column: table.stored(column, value) for column, value in values.items() if column in table.kinds}
        _derive(table, row)
        for column in table.required - row.keys():
            row[column] = table.blank(column)
        columns = list(row)
        self.connection.execute(
            f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({_marks(len(columns))})", [row[c] for c in columns]
        )

    def _insert(self, name: str, entry: dict[str, Any], values: dict[str, Any]) -> None:
        stamps = {
            "id": entry["row_id"], "created_at": entry["at"], "updated_at": entry["at"],
            "updated_by": entry["who"], "version": 1,
        }  # fmt: skip
        self._insert_row(name, {**values, **stamps})
        self._deleted[entry["row_id"]] = None
        self.counts["created"] += 1
        if self.peer is not None and name == "account":
            self._judge_duplicate(entry, values.get("name", ""))
        if values.get(PARENTS.get(name, "")):
            self._parents_moved.add((name, entry["row_id"]))

    def _update(self, name: str, row_id: str, entry: dict[str, Any], winning: dict[str, Any]) -> None:
        if not winning:
            self.counts["kept"] += 1
            return
        table = self._tables.get(name)
        assert table is not None
        changes: dict[str, Any] = {}
        for column, value in winning.items():
            if column == TOMBSTONE:
                deleted_at, deleted_with = value or (None, None)
                changes["deleted_at"], changes["deleted_with"] = table.stored("deleted_at", deleted_at), deleted_with
            elif column in table.kinds:
                changes[column] = table.stored(column, value)
        _derive(table, changes)
        if row_id in self._pending_rows:
            self._flush_updates()  # a row's updates run in the order they were made
        columns = sorted(changes)
        statement = (
            f"UPDATE {name} SET {', '.join(f'{c} = ?' for c in columns)}, "
            "version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?"
        )
        parameters = (*(changes[c] for c in columns), table.stored("updated_at", entry["at"]), entry["who"], row_id)
        self._pending.setdefault(statement, []).append(parameters)
        self._pending_rows.add(row_id)
        if "deleted_at" in changes:
            self._deleted[row_id] = changes["deleted_at"]
        self.counts["merged"] += 1
        if PARENTS.get(name) in changes:
            self._parents_moved.add((name, row_id))

    def _flush_updates(self) -> None:
        """Run the waiting updates, one executemany per statement: one row is never in
        two of them (`_update` flushes first), so their order does not matter."""
        for statement, rows in self._pending.items():
            self.connection.executemany(statement, rows)
        self._pending.clear()
        self._pending_rows.clear()

    def _store(self, entry: dict[str, Any]) -> None:
        row = {**entry, "seq": self._seq, "at": self._when(entry["at"])}
        self._log_rows.append(tuple(row[column] for column in LOG_COLUMNS))
        self._remember(
            entry["row_id"], self._seq, entry["site"], entry["hlc"], entry["action"], entry["who"], entry["at"],
            entry["changes"],
        )  # fmt: skip
        self._seq += 1
        self._clock = max(self._clock, entry["hlc"])
        self.counts["received"] += 1

    def _flush_log(self) -> None:
        if self._log_rows:
            self.connection.executemany(_INSERT_LOG, self._log_rows)
            self._log_rows = []

    # --- the team database's judgements --------------------------------------------

    def _judged(self, name: str, entry: dict[str, Any], column: str) -> bool:
        """Whether this change to `column` is weighed against the team's: on the team side,
        the sender's last change to the field in this batch, of a field that is not only
        an order, of a record that is not itself a conflict (two reps deciding one
        conflict differently converge by the rule; a conflict about it would be noise)."""
        return (
            self.peer is not None
            and column not in NOT_JUDGED
            and name != "syncconflict"
            and (entry["id"], entry["row_id"], column) in self._final
        )

    def _judge_field(self, name: str, row_id: str, column: str, value: Any, entry: dict) -> None:
        """Against the newest change to the field the sender had not seen: another copy's."""
        rivals = [s for s in self._unseen_by_peer(row_id) if column in s.touched]
        rival = max(rivals, key=lambda seen: seen.key, default=None)
        if rival is None or rival.touched[column] == value:
            return
        theirs = {"value": value, "who": entry["who"], "at": entry["at"]}
        ours = {"value": rival.touched[column], "who": rival.who, "at": rival.at}
        wins = order_key(entry["hlc"], entry["site"]) > rival.key
        kept, other = (theirs, ours) if wins else (ours, theirs)
        self._conflict(name, row_id, column, "field", kept, other)

    def _judge_row(self, name: str, row_id: str, entry: dict[str, Any], values: dict[str, Any]) -> None:
        """A delete against an edit the deleter had not seen, either way round: the record
        stays deleted, the edit stays in its fields (a restore brings it back) and here."""
        unseen = self._unseen_by_peer(row_id)
        edits = {n: v for n, v in values.items() if n not in NOT_JUDGED}
        if entry["action"] == "update" and self._deleted.get(row_id) is not None and edits:
            deletion = next((s for s in reversed(unseen) if s.action == "delete"), None)
            if deletion:
                kept = {"value": "deleted", "who": deletion.who, "at": deletion.at}
                self._conflict(name, row_id, "", "deleted", kept, {"value": edits, **_by(entry)})
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
                self._conflict(name, row_id, "", "deleted", kept, other)

    def _judge_duplicate(self, entry: dict[str, Any], name: str) -> None:
        peer = self.peer
        assert peer is not None
        self._flush_updates()  # the names compared are the ones merged so far
        query = (
            "SELECT id, name FROM account WHERE deleted_at IS NULL AND id != ? AND id IN ("
            "SELECT row_id FROM changelog WHERE table_name = 'account' AND action = 'insert' AND seq > ? AND site != ?)"
        )
        for other_id, other_name in self.connection.execute(query, (entry["row_id"], peer.seen, peer.site)):
            if name_key(other_name) == name_key(name):
                kept = {"value": other_id, "who": "", "at": None}
                self._conflict("account", entry["row_id"], "name", "duplicate", kept, {"value": name, **_by(entry)})

    def _break_loops(self) -> None:
        """Two copies can each move a unit under the other: both moves are kept by the
        rule and together make a loop. The move that closed it is undone here (logged as
        the team's own change) and kept in a conflict."""
        for name, row_id in sorted(self._parents_moved, key=lambda pair: pair[1]):
            seen, current = {row_id}, self._parent(name, row_id)
            while current and current not in seen:
                seen.add(current)
                current = self._parent(name, current)
            if current != row_id:
                continue
            parent, lost = PARENTS[name], self._parent(name, row_id)
            now = _now()
            self.connection.execute(
                f"UPDATE {name} SET {parent} = NULL, version = version + 1, updated_at = ?, updated_by = ? "
                "WHERE id = ?",
                (self._when(now), self.who, row_id),
            )
            self._log_local(name, row_id, "update", {parent: [lost, None]}, now)
            ours = {"value": None, "who": self.who, "at": now.isoformat()}
            self._conflict(name, row_id, parent, "loop", ours, {"value": lost, "who": "", "at": None})

    def _parent(self, name: str, row_id: str) -> str | None:
        found = self.connection.execute(f"SELECT {PARENTS[name]} FROM {name} WHERE id = ?", (row_id,)).fetchone()
        return found[0] if found else None

    # --- the team database's own writes ----------------------------------------------

    def _when(self, value: Any) -> Any:
        return stored_when(value, postgres=self.connection.postgres)

    def _tick(self) -> int:
        self._clock = max(time.time_ns() // 1_000_000, self._clock + 1)
        return self._clock

    def _log_local(self, name: str, row_id: str, action: str, changes: dict[str, Any], now: datetime) -> None:
        entry = {
            "id": uuid.uuid4().hex, "seq": self._seq, "table_name": name, "row_id": row_id, "action": action,
            "who": self.who, "at": self._when(now), "changes": encode(changes), "site": self.site,
            "hlc": self._tick(),
        }  # fmt: skip
        self._log_rows.append(tuple(entry[column] for column in LOG_COLUMNS))
        self._seq += 1

    def _conflict(self, name: str, row_id: str, column: str, kind: str, kept: dict, other: dict) -> None:
        now = _now()
        values = {
            "table_name": name, "row_id": row_id, "field": column, "kind": kind,
            "kept": encode(kept["value"]), "kept_who": kept["who"] or "", "kept_at": kept["at"],
            "other": encode(other["value"]), "other_who": other["who"] or "", "other_at": other["at"],
            "resolved_by": "", "resolution": "",
        }  # fmt: skip
        conflict_id = uuid.uuid4().hex
        stamps = {"id": conflict_id, "created_at": now, "updated_at": now, "updated_by": self.who, "version": 1}
        self._insert_row("syncconflict", {**values, **stamps})
        self._log_local("syncconflict", conflict_id, "insert", insert_changes(values), now)
        self.counts["duplicates" if kind == "duplicate" else "conflicts"] += 1


def _derive(table: Table, row: dict[str, Any]) -> None:
    """Add the derived columns (`DERIVED`: a name's pinyin) that the row's new name
    decides. They are never logged, so every copy works them out from the merged name."""
    if "search_key" in table.kinds and "name" in row:
        row["search_key"] = search_key(row["name"] or "")


def _by(entry: dict[str, Any]) -> dict[str, Any]:
    return {"who": entry["who"], "at": entry["at"]}


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
    connection: Any,
    entries: Iterable[dict[str, Any]],
    *,
    site: str,
    who: str,
    peer: Peer | None = None,
) -> Merge:
    """Apply `entries` in this transaction; the returned `Merge` holds what happened."""
    merging = Merge(link(connection), site, who, peer)
    merging.apply(list(entries))
    return merging
