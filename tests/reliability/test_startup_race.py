"""Eight apps starting at once on a database that needs a migration upgrade it exactly once.

The database is built at the shipped head with data; the scripts folder adds one
revision that rebuilds the `account` table (the dangerous kind: a batch rebuild of a
parent table; on PostgreSQL, whose foreign keys forbid that, it adds the column in
place). Eight processes wait on a barrier, then all call `migrate.upgrade`: on SQLite
the upgrade takes the file's write lock and backs the file up first, on PostgreSQL it
runs in one transaction under the planner's write lock.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import traceback
from contextlib import closing

import sqlalchemy as sa
from shared_helpers import assert_sound, by_hand, collect, is_postgres, outside_engine, scripts_with_a_rebuild

from planner.core import models as m
from planner.store import migrate
from planner.store.connection import to_url
from planner.store.db import Database
from planner.store.startup import open_store

APPS = 8
TIMEOUT = 180


def _start_app(url: str, scripts: str, app: int, barrier, results) -> None:
    try:
        # Note whether this app saw the old revision and went for the lock: that is the race.
        contended = []
        locked = "_upgrade_plain" if is_postgres(url) else "_upgrade_sqlite"
        locked_upgrade = getattr(migrate, locked)

        def spy(*args, **kwargs):
            contended.append(True)
            return locked_upgrade(*args, **kwargs)

        setattr(migrate, locked, spy)
        database = Database(to_url(url), user=f"app{app}")
        barrier.wait(timeout=60)
        try:
            result = migrate.upgrade(database, scripts=scripts)
        finally:
            database.close()
        results.put(("ok", app, result, bool(contended)))
    except BaseException:
        results.put(("error", app, traceback.format_exc()))


def test_eight_apps_starting_at_once_upgrade_exactly_once(tmp_path, database_url):
    """One Upgrade, seven None, every row kept, one backup (SQLite), alembic_version at the new head."""
    store = open_store(database_url, user="setup")
    accounts = [store.create(m.Account, name=f"Account {i}", notes="kept ✓") for i in range(20)]
    for account in accounts:
        for name in ("Zhang", "Li"):
            store.create(m.Person, account_id=account.id, name=name)
    store.db.close()
    before = _counts(database_url)
    scripts = scripts_with_a_rebuild(tmp_path, recreate="auto" if is_postgres(database_url) else "always")

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(APPS)
    results = ctx.Queue()
    procs = [ctx.Process(target=_start_app, args=(database_url, scripts, i, barrier, results)) for i in range(APPS)]
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
    if is_postgres(database_url):
        assert backups == [] and upgrade.backup is None
    else:
        assert backups == [upgrade.backup]
        with closing(sqlite3.connect(upgrade.backup)) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert by_hand(str(upgrade.backup), "SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]
        assert _counts(str(upgrade.backup)) == before

    assert_sound(database_url)
    assert by_hand(database_url, "SELECT version_num FROM alembic_version") == [("9000",)]
    after = _counts(database_url)
    assert after == before
    assert not [name for name in after if name.startswith("_alembic_tmp")]
    with outside_engine(database_url) as engine:
        assert "website" in [column["name"] for column in sa.inspect(engine).get_columns("account")]
    assert by_hand(database_url, "SELECT count(*) FROM account WHERE notes = 'kept ✓'") == [(20,)]


def _counts(url: str) -> dict[str, int]:
    """Every table's row count."""
    with outside_engine(url) as engine:
        tables = sorted(sa.inspect(engine).get_table_names())
    return {table: by_hand(url, f'SELECT count(*) FROM "{table}"')[0][0] for table in tables}
