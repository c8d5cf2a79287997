"""Eight apps starting at once on a database that needs a migration upgrade it exactly once.

The database is built at the shipped head with data; the scripts folder adds one
revision that rebuilds the `account` table (the dangerous kind: a batch rebuild of a
parent table). Eight processes wait on a barrier, then all call `migrate.upgrade`.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import traceback

from shared_helpers import collect, scripts_with_a_rebuild

from planner.core import models as m
from planner.store import migrate
from planner.store.connection import to_url
from planner.store.db import Database
from planner.store.startup import open_store

APPS = 8
TIMEOUT = 180


def _start_app(path: str, scripts: str, app: int, barrier, results) -> None:
    try:
        # Note whether this app saw the old revision and went for the lock: that is the race.
        contended = []
        locked_upgrade = migrate._upgrade_sqlite

        def spy(*args, **kwargs):
            contended.append(True)
            return locked_upgrade(*args, **kwargs)

        migrate._upgrade_sqlite = spy
        database = Database(to_url(path), user=f"app{app}")
        barrier.wait(timeout=60)
        try:
            result = migrate.upgrade(database, scripts=scripts)
        finally:
            database.close()
        results.put(("ok", app, result, bool(contended)))
    except BaseException:
        results.put(("error", app, traceback.format_exc()))


def test_eight_apps_starting_at_once_upgrade_exactly_once(tmp_path, db_path):
    """One Upgrade, seven None, every row kept, one backup, alembic_version at the new head."""
    store = open_store(str(db_path), user="setup")
    accounts = [store.create(m.Account, name=f"Account {i}", notes="kept ✓") for i in range(20)]
    for account in accounts:
        for name in ("Zhang", "Li"):
            store.create(m.Person, account_id=account.id, name=name)
    store.db.close()
    with sqlite3.connect(db_path) as con:
        before = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in _tables(con)}
    scripts = scripts_with_a_rebuild(tmp_path)

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(APPS)
    results = ctx.Queue()
    procs = [ctx.Process(target=_start_app, args=(str(db_path), scripts, i, barrier, results)) for i in range(APPS)]
    for proc in procs:
        proc.start()
    reports = collect(procs, results, TIMEOUT, "apps")

    errors = [r[2] for r in reports if r[0] == "error"]
    assert not errors, "an app failed to start:\n" + "\n".join(errors)
    upgrades = [r[2] for r in reports if r[2] is not None]
    assert len(upgrades) == 1, upgrades
    assert sum(r[2] is None for r in reports) == APPS - 1
    (upgrade,) = upgrades
    contenders = sum(r[3] for r in reports)
    print(f"\n{contenders} of {APPS} apps saw the old revision and queued for the upgrade lock")
    assert contenders >= 2, "the apps did not actually race (all but one saw the new revision)"
    assert (upgrade.from_revision, upgrade.to_revision) == (migrate.head_revision(), "9000")

    backups = list(tmp_path.glob("*.bak"))
    assert backups == [upgrade.backup]
    with sqlite3.connect(upgrade.backup) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == migrate.head_revision()
        assert {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in _tables(con)} == before

    with sqlite3.connect(db_path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("9000",)]
        assert {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in _tables(con)} == before
        assert "website" in [row[1] for row in con.execute("PRAGMA table_info(account)")]
        assert con.execute("SELECT count(*) FROM account WHERE notes = 'kept ✓'").fetchone()[0] == 20
        assert not [name for name in _tables(con) if name.startswith("_alembic_tmp")]


def _tables(con: sqlite3.Connection) -> list[str]:
    return [row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
