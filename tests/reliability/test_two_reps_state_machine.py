"""Two reps reading, editing and saving the same records: no acknowledged edit is ever lost.

A Hypothesis state machine drives two `Store`s on one database (users "rep-a" and
"rep-b"), each holding the version it last read, like an open form. It models what
the database must contain: a save on the version currently stored must land (one
version step, stamped with its author); a save on an older version must raise
`Conflict` naming who changed the record, and change nothing. After every step the
database (read with a plain engine of its own, not through the store) and its change
log must match the model exactly.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from shared_helpers import copy_of, drop_copy, is_postgres, plain_engine

from planner.core import models as m
from planner.core.errors import Conflict
from planner.store.startup import open_store

REPS = ("rep-a", "rep-b")
TOTALS = {"saves": 0, "conflicts": 0}
LINE = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=20)
EDITABLE = {
    m.Account: {
        "notes": st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=60),
        "revenue": st.floats(0, 1e9, allow_nan=False),
        "influence": st.integers(1, 5),
        "region": LINE,
    },
    m.Person: {
        "title": LINE,
        "closeness": st.integers(1, 5),
        "stance": st.sampled_from(m.STANCES),
        "notes": st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=60),
    },
}


def _build_template(url: str) -> list[tuple[type[m.Record], str]]:
    store = open_store(url, user="setup")
    try:
        first = store.create(m.Account, name="Acme Bank")
        second = store.create(m.Account, name="Harbour Port")
        people = [store.create(m.Person, account_id=first.id, name=name) for name in ("Zhang", "Li")]
    finally:
        store.db.close()
    return [(m.Account, first.id), (m.Account, second.id)] + [(m.Person, p.id) for p in people]


class TwoReps(RuleBasedStateMachine):
    def __init__(self, template: str, rows: list[tuple[type[m.Record], str]], workdir: Path, cluster):
        super().__init__()
        self.cluster = cluster
        self.url = copy_of(template, Path(tempfile.mkdtemp(dir=workdir)) / "planner.db", cluster)
        self.stores = {rep: open_store(self.url, user=rep) for rep in REPS}
        self.outside = plain_engine(self.url)
        self.rows = rows
        reader = self.stores["rep-a"]
        # The model: each row's editable fields, version and last author.
        self.expected: dict[str, dict] = {}
        for model, row_id in rows:
            row = reader.get(model, row_id)
            self.expected[row_id] = {
                "fields": {name: getattr(row, name) for name in EDITABLE[model]},
                "version": row.version,
                "by": row.updated_by,
            }
        self.held: dict[str, dict[str, int]] = {rep: {} for rep in REPS}  # version each rep's form holds
        self.acked: dict[str, list[tuple[str, dict]]] = {row_id: [] for _, row_id in rows}
        self.conflicts = 0
        self.saves = 0

    def teardown(self) -> None:
        TOTALS["saves"] += self.saves
        TOTALS["conflicts"] += self.conflicts
        for store in self.stores.values():
            store.db.close()
        self.outside.dispose()
        drop_copy(self.url, self.cluster)

    def _read(self, rep: str, index: int) -> None:
        model, row_id = self.rows[index]
        row = self.stores[rep].get(model, row_id)
        want = self.expected[row_id]
        assert {name: getattr(row, name) for name in EDITABLE[model]} == want["fields"]
        assert (row.version, row.updated_by) == (want["version"], want["by"])
        self.held[rep][row_id] = row.version

    @rule(rep=st.sampled_from(REPS), index=st.integers(0, 3))
    def read(self, rep: str, index: int) -> None:
        """A rep opens a record: the form shows what the database holds, at its version."""
        self._read(rep, index)

    @rule(rep=st.sampled_from(REPS))
    def re_read(self, rep: str) -> None:
        """A rep reloads every record it has open (what it does after a conflict)."""
        for index, (_, row_id) in enumerate(self.rows):
            if row_id in self.held[rep]:
                self._read(rep, index)

    @rule(rep=st.sampled_from(REPS), index=st.integers(0, 3), data=st.data())
    def edit_and_save(self, rep: str, index: int, data: st.DataObject) -> None:
        """A rep changes some fields of a record it holds and saves with the version it read."""
        model, row_id = self.rows[index]
        if row_id not in self.held[rep]:
            self._read(rep, index)  # opening the form reads the record
        names = data.draw(st.sets(st.sampled_from(sorted(EDITABLE[model])), min_size=1), label="fields")
        changes = {name: data.draw(EDITABLE[model][name], label=name) for name in sorted(names)}
        held = self.held[rep][row_id]
        want = self.expected[row_id]
        try:
            saved = self.stores[rep].update(model, row_id, held, **changes)
        except Conflict as conflict:
            # Only a stale form may be refused, and the refusal says who moved the row on.
            assert held != want["version"], "a save on the current version was refused"
            assert (conflict.current_version, conflict.who) == (want["version"], want["by"])
            self.conflicts += 1
            return
        self.saves += 1
        assert held == want["version"], "a save on a stale version was accepted: the other rep's edit is lost"
        effective = {k: v for k, v in changes.items() if want["fields"][k] != v}
        if effective:
            want["fields"].update(effective)
            want["version"] += 1
            want["by"] = rep
            self.acked[row_id].append((rep, effective))
        assert (saved.version, saved.updated_by) == (want["version"], want["by"])
        self.held[rep][row_id] = saved.version

    @invariant()
    def the_database_holds_exactly_the_acknowledged_edits(self) -> None:
        with self.outside.connect() as con:
            for model, row_id in self.rows:
                query = sa.text(f"SELECT * FROM {model.__tablename__} WHERE id = :id")
                row = con.execute(query, {"id": row_id}).mappings().one()
                want = self.expected[row_id]
                assert {name: row[name] for name in EDITABLE[model]} == want["fields"]
                assert (row["version"], row["updated_by"]) == (want["version"], want["by"])
                query = sa.text(
                    "SELECT who, changes FROM changelog WHERE row_id = :id AND action = 'update' ORDER BY seq"
                )
                log = con.execute(query, {"id": row_id}).all()
                logged = [(who, {k: new for k, (_, new) in json.loads(changes).items()}) for who, changes in log]
                assert logged == self.acked[row_id]


def test_two_reps_editing_the_same_records_never_lose_an_acknowledged_edit(request, tmp_path, database_url):
    """Every save lands on the current version or raises Conflict to its author; the database matches the model."""
    TOTALS.update(saves=0, conflicts=0)
    rows = _build_template(database_url)
    cluster = request.getfixturevalue("pg_cluster") if is_postgres(database_url) else None
    run_state_machine_as_test(
        lambda: TwoReps(database_url, rows, tmp_path, cluster),
        settings=settings(
            max_examples=15 if cluster else 30,  # on PostgreSQL each step costs round trips: half the runs
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    # The runs did exercise both outcomes (not just one rep saving alone).
    assert TOTALS["saves"] > 0 and TOTALS["conflicts"] > 0, TOTALS
    print(f"\nstate machine: {TOTALS['saves']} saves landed, {TOTALS['conflicts']} conflicts raised")
