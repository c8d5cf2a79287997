"""Connections and transactions: what the database is actually asked to do."""

from __future__ import annotations

import sqlite3
import stat

import pytest
from records import make_account
from shared_helpers import holding_the_write_lock
from sqlalchemy import event

from planner.core import models as m
from planner.core.errors import DatabaseBusy, DatabaseUnavailable
from planner.store.connection import prepare_sqlite_file, to_url
from planner.store.db import Database
from planner.store.startup import open_store
from planner.store.store import Store


@pytest.fixture
def trace(store):
    """Every statement SQLite runs on connections opened from now on."""
    statements: list[str] = []

    def on_connect(dbapi_connection, _record):
        dbapi_connection.set_trace_callback(statements.append)

    store.db.engine.dispose()
    event.listen(store.db.engine, "connect", on_connect)
    return statements


@pytest.mark.sqlite_only
def test_writes_begin_immediate_and_reads_begin_deferred(store, trace):
    account = make_account(store)
    writes = [s for s in trace if s.startswith(("BEGIN", "COMMIT", "INSERT"))]
    assert writes[0] == "BEGIN IMMEDIATE"
    assert writes[-1] == "COMMIT"
    assert any(s.startswith("INSERT INTO account") for s in writes)

    trace.clear()
    store.get(m.Account, account.id)
    assert trace[0] == "BEGIN"
    assert not any(s.startswith(("INSERT", "UPDATE", "DELETE")) for s in trace)


@pytest.mark.sqlite_only
def test_an_update_reads_and_writes_inside_one_immediate_transaction(store, trace):
    account = make_account(store)
    trace.clear()
    store.update(m.Account, account.id, account.version, notes="new")
    begin = trace.index("BEGIN IMMEDIATE")
    select = next(i for i, s in enumerate(trace) if s.startswith("SELECT"))
    update = next(i for i, s in enumerate(trace) if s.startswith("UPDATE account"))
    commit = trace.index("COMMIT")
    assert begin < select < update < commit
    assert "BEGIN" not in trace[begin + 1 : commit]


def test_on_postgresql_a_write_takes_the_write_lock_before_it_reads_and_a_read_is_one_snapshot(store, backend):
    if backend == "sqlite":
        pytest.skip("SQLite's BEGIN IMMEDIATE is traced above")
    account = make_account(store)
    statements: list[str] = []
    event.listen(store.db.engine, "before_cursor_execute", lambda _c, _cur, sql, *_rest: statements.append(sql))
    store.update(m.Account, account.id, account.version, notes="new")
    lock = next(i for i, s in enumerate(statements) if "pg_advisory_xact_lock" in s)
    select = next(i for i, s in enumerate(statements) if s.startswith("SELECT") and "FROM account" in s)
    update = next(i for i, s in enumerate(statements) if s.startswith("UPDATE account"))
    assert lock < select < update
    with store.db.read() as session:
        assert session.connection().exec_driver_sql("SHOW transaction_isolation").scalar() == "repeatable read"


@pytest.mark.sqlite_only
def test_connections_use_wal_foreign_keys_full_sync_and_a_busy_timeout(store):
    with store.db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2
        assert pragma("busy_timeout") == 5000


@pytest.mark.sqlite_only
def test_a_new_database_file_is_private_to_its_owner(db_path, store):
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DatabaseUnavailable, match="does not exist"):
        prepare_sqlite_file(tmp_path / "nowhere" / "planner.db")


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("shopping list")
    with pytest.raises(DatabaseUnavailable, match="not a planner database"):
        open_store(str(notes))
    assert notes.read_text() == "shopping list"


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(DatabaseUnavailable, match="is a folder"):
        prepare_sqlite_file(tmp_path)


def test_another_writer_holding_the_lock_gives_database_busy_and_no_change(database_url, store):
    account = make_account(store)
    impatient = Store(Database(to_url(database_url), user="rep-b", busy_timeout_ms=50))
    try:
        with holding_the_write_lock(database_url), pytest.raises(DatabaseBusy, match="try again"):
            impatient.update(m.Account, account.id, account.version, notes="blocked")
    finally:
        impatient.db.close()
    assert store.get(m.Account, account.id).notes == ""
    store.update(m.Account, account.id, account.version, notes="after the lock")
    assert store.get(m.Account, account.id).notes == "after the lock"


def test_url_and_path_forms_are_accepted(tmp_path):
    assert to_url(tmp_path / "a.db") == f"sqlite:///{tmp_path / 'a.db'}"
    assert to_url("postgresql://team@server/planner") == "postgresql://team@server/planner"


@pytest.mark.sqlite_only
def test_the_wal_is_cut_back_to_its_limit_once_a_long_reader_lets_go(db_path, store, monkeypatch):
    from planner.store import connection

    limit = 512 * 1024  # well under what the reader lets it grow to, above a few writes
    monkeypatch.setattr(connection, "JOURNAL_SIZE_LIMIT", limit)
    store.db.engine.dispose()  # connections from now on get the small limit
    make_account(store, name="Before the reader")
    wal = db_path.with_name(db_path.name + "-wal")
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM account").fetchone()  # holds its snapshot: no checkpoint can finish
    rows = [{"id": m.new_id(), "name": f"Bulk {n}", "notes": "x" * 4000} for n in range(1500)]
    store.bulk_insert([(m.Account, rows)])
    make_account(store, name="While the reader reads")
    grown = wal.stat().st_size
    assert grown > 4 * 1024 * 1024
    reader.execute("COMMIT")
    reader.close()
    for n in range(3):  # the next commits checkpoint, then restart the WAL from its start
        make_account(store, name=f"After the reader {n}")
    assert wal.exists() and wal.stat().st_size <= limit, (grown, wal.stat().st_size)
