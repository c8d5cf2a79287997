"""`planner copy`: a team's database moved between SQLite and PostgreSQL, row for row.

Real databases on both sides: SQLite files in tmp_path and new databases in the
session's PostgreSQL cluster. The source must come out of every copy, refused or
not, byte for byte (SQLite) or hash for hash (PostgreSQL) as it went in.
"""

from __future__ import annotations

import itertools
import sqlite3
import sys
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from planner.cli import main
from planner.core import models as m
from planner.core.errors import EXIT_UNUSABLE, SchemaTooNew
from planner.store import copying, seed
from planner.store.copying import CopyFailed, CopyMismatch, Refused, copy_database, digests, reading, tables
from planner.store.schema import HEAD
from planner.store.startup import open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import generate

_NUMBERS = itertools.count(1)


def _new_pg(cluster) -> str:
    name = f"copy_{next(_NUMBERS)}"
    cluster.psql(f"CREATE DATABASE {name}")
    return cluster.url(name)


def _files(path: Path) -> dict[str, bytes]:
    """The database file and anything beside it that SQLite may leave (-wal, -shm)."""
    return {found.name: found.read_bytes() for found in path.parent.glob(path.name + "*")}


@pytest.fixture
def demo_db(tmp_path) -> Path:
    path = tmp_path / "demo.db"
    store = open_store(str(path), user="rep-a")
    try:
        seed.demo(store, date(2026, 3, 2))
    finally:
        store.db.close()
    return path


def _scalar(url: str, statement) -> object:
    with reading(url) as connection:
        return connection.execute(statement).scalar()


def test_demo_round_trips_sqlite_postgresql_sqlite_and_the_copy_is_the_same_team_database(
    demo_db, pg_cluster, tmp_path
):
    before = _files(demo_db)
    original = digests(str(demo_db))
    pg, back = _new_pg(pg_cluster), tmp_path / "back.db"

    there = copy_database(str(demo_db), pg)
    again = copy_database(pg, str(back))

    assert there.digests == original == again.digests == digests(pg) == digests(str(back))
    assert there.rows == sum(digest.rows for digest in original) > 1000
    assert {digest.table for digest in original} == {table.name for table in tables()}
    assert all(digest.rows for digest in original if digest.table not in ("draft", "syncconflict"))
    assert _files(demo_db) == before  # the source, byte for byte, and nothing left beside it

    log = m.table_of(m.ChangeLog).c
    meta = m.table_of(m.Meta).c
    last = _scalar(pg, sa.select(sa.func.max(log.seq)))
    site = _scalar(str(demo_db), sa.select(meta.value).where(meta.key == "site"))
    assert site and _scalar(pg, sa.select(meta.value).where(meta.key == "site")) == site
    store = open_store(pg, user="rep-b")
    try:
        assert _scalar(pg, sa.select(sa.func.count()).select_from(m.table_of(m.Industry))) == 18  # not seeded twice
        account = store.list(m.Account)[0]
        updated = store.update(m.Account, account.id, account.version, notes="moved to PostgreSQL")
        created = store.create(m.Competitor, name="Newcomer")
    finally:
        store.db.close()
    assert updated.version == account.version + 1 and updated.updated_by == "rep-b"
    assert len(created.id) == 32 and int(created.id, 16)
    entries = [
        row._mapping
        for row in _rows(pg, sa.select(log.seq, log.site, log.who, log.row_id).where(log.seq > last).order_by(log.seq))
    ]
    assert [(entry["seq"], entry["row_id"]) for entry in entries] == [(last + 1, account.id), (last + 2, created.id)]
    assert {entry["site"] for entry in entries} == {site} and {entry["who"] for entry in entries} == {"rep-b"}


def _rows(url: str, statement) -> list:
    with reading(url) as connection:
        return list(connection.execute(statement))


@pytest.mark.slow
def test_a_bench_portfolio_round_trips(tmp_path, pg_cluster):
    source = tmp_path / "bench.db"
    store = open_store(str(source), user="bench")
    try:
        made = generate(store, accounts=300, people=1000)
    finally:
        store.db.close()
    pg, back = _new_pg(pg_cluster), tmp_path / "back.db"
    there = copy_database(str(source), pg)
    again = copy_database(pg, str(back))
    counts = {digest.table: digest.rows for digest in again.digests}
    assert there.digests == again.digests == digests(str(source))
    assert {table: counts[table] for table in made} == made
    assert counts["changelog"] == sum(made.values()) + counts["industry"]  # every row's insert, and the seeding's
    assert again.rows == there.rows == sum(counts.values())


def test_people_reporting_in_a_loop_copy_to_postgresql(demo_db, pg_cluster):
    """PostgreSQL checks each link as it is inserted: a loop of reports-to links is set afterwards."""
    with closing(sqlite3.connect(demo_db)) as connection, connection:
        first, second = [row[0] for row in connection.execute("SELECT id FROM person ORDER BY id LIMIT 2")]
        connection.execute("UPDATE person SET reports_to_id = ? WHERE id = ?", (second, first))
        connection.execute("UPDATE person SET reports_to_id = ? WHERE id = ?", (first, second))
        unit = connection.execute("SELECT id FROM orgunit ORDER BY id DESC LIMIT 1").fetchone()[0]
        connection.execute("UPDATE orgunit SET parent_id = id WHERE id = ?", (unit,))
    pg = _new_pg(pg_cluster)
    assert copy_database(str(demo_db), pg).digests == digests(str(demo_db))
    person = m.table_of(m.Person).c
    assert _scalar(pg, sa.select(person.reports_to_id).where(person.id == first)) == second


def test_a_destination_holding_a_planner_database_is_refused_and_left_alone(demo_db, tmp_path, pg_cluster):
    other = tmp_path / "other.db"
    store = open_store(str(other), user="rep-a")
    try:
        store.create(m.Competitor, name="Already here")
    finally:
        store.db.close()
    before = _files(other)
    with pytest.raises(
        Refused, match=r"already holds a planner database \(competitor has rows\).*nothing was overwritten"
    ):
        copy_database(str(demo_db), str(other))
    assert _files(other) == before

    pg = _new_pg(pg_cluster)
    copy_database(str(demo_db), pg)
    held = digests(pg)
    with pytest.raises(Refused, match=r"already holds a planner database \(account has rows\)"):
        copy_database(str(other), pg)
    assert digests(pg) == held


def test_an_empty_planner_database_is_a_fine_destination(demo_db, tmp_path):
    """A database the planner just made (migrated, industries seeded) takes the copy,
    its own industries and site id replaced by the source's."""
    made = tmp_path / "made.db"
    open_store(str(made), user="rep-a").db.close()
    assert copy_database(str(demo_db), str(made)).digests == digests(str(demo_db))


def test_a_missing_source_is_refused_and_no_destination_is_made(tmp_path):
    with pytest.raises(Refused, match="does not exist or is empty: there is nothing to copy"):
        copy_database(str(tmp_path / "missing.db"), str(tmp_path / "dest.db"))
    assert list(tmp_path.glob("*.db*")) == []


def _stamp(path: Path, revision: str) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))


def test_a_source_from_a_newer_planner_is_refused_unchanged(demo_db, tmp_path):
    _stamp(demo_db, "9999")
    before = _files(demo_db)
    with pytest.raises(SchemaTooNew, match="newer version of the planner"):
        copy_database(str(demo_db), str(tmp_path / "dest.db"))
    assert _files(demo_db) == before
    assert not (tmp_path / "dest.db").exists()


def test_a_source_at_an_older_schema_is_refused_not_upgraded(demo_db, tmp_path):
    older = f"{int(HEAD) - 1:04d}"
    _stamp(demo_db, older)
    before = _files(demo_db)
    with pytest.raises(Refused, match=rf"older schema \({older}.*open it once with this planner"):
        copy_database(str(demo_db), str(tmp_path / "dest.db"))
    assert _files(demo_db) == before
    assert list(tmp_path.glob("demo.db.before-*")) == []  # no upgrade's backup either


def _break_a_link(path: Path) -> None:
    """A visit of an account that is not there (written by hand, foreign keys off)."""
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE visit SET account_id = 'no-such-account' WHERE id = (SELECT max(id) FROM visit)")


def test_a_copy_failing_midway_leaves_postgresql_empty(demo_db, pg_cluster):
    _break_a_link(demo_db)
    pg = _new_pg(pg_cluster)
    with pytest.raises(CopyFailed, match="nothing was copied and it is as it was"):
        copy_database(str(demo_db), pg)
    counts = {digest.table: digest.rows for digest in digests(pg)}
    assert counts["account"] == counts["person"] == counts["visit"] == 0  # tables before the failing one too


def test_a_copy_failing_midway_leaves_no_sqlite_file(demo_db, tmp_path):
    _break_a_link(demo_db)
    before = _files(demo_db)
    with pytest.raises(CopyFailed, match="FOREIGN KEY"):
        copy_database(str(demo_db), str(tmp_path / "dest.db"))
    assert not list(tmp_path.glob("dest.db*"))
    assert _files(demo_db) == before


def test_the_command_prints_each_table_and_the_check(demo_db, tmp_path, capsys):
    dest = tmp_path / "dest.db"
    assert main(["copy", str(demo_db), str(dest)]) == 0
    lines = capsys.readouterr().out.splitlines()
    expected = {digest.table: digest for digest in digests(str(demo_db))}
    assert [line.split()[0] for line in lines[:-1]] == [table.name for table in tables()]
    for line in lines[:-1]:
        table, rows, short = line.split()
        assert (int(rows.replace(",", "")), short) == (expected[table].rows, expected[table].sha256[:12])
    assert lines[-1].startswith(f"copied {sum(d.rows for d in expected.values()):,} rows in ")
    assert lines[-1].endswith("every table's rows and content match")

    assert main(["copy", str(demo_db), str(dest)]) == EXIT_UNUSABLE
    assert "nothing was overwritten" in capsys.readouterr().err


def test_a_rep_saving_to_the_source_during_the_copy_is_caught_by_the_check(demo_db, tmp_path, monkeypatch):
    fill = copying._fill

    def fill_while_a_rep_saves(destination, source):
        copied = fill(destination, source)
        store = open_store(str(demo_db), user="rep-b")  # the copy's snapshot of the source is already read
        try:
            account = store.list(m.Account)[0]
            store.update(m.Account, account.id, account.version, notes="saved during the copy")
        finally:
            store.db.close()
        return copied

    monkeypatch.setattr(copying, "_fill", fill_while_a_rep_saves)
    with pytest.raises(CopyMismatch, match=r"does not match .* in: changelog, account\. If reps were saving"):
        copy_database(str(demo_db), str(tmp_path / "dest.db"))
