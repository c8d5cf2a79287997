"""Start-up migrations: from nothing, on an existing file, through a rebuild, and refusal."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from records import make_account, raw_log
from shared_helpers import by_hand, is_postgres, scripts_with_a_rebuild

from planner.core import models as m
from planner.core.errors import SchemaTooNew
from planner.store import migrate
from planner.store.connection import to_url
from planner.store.db import Database
from planner.store.startup import open_store


def _revision(url: str | Path) -> str | None:
    rows = by_hand(str(url), "SELECT version_num FROM alembic_version")
    return rows[0][0] if rows else None


def test_an_empty_database_is_migrated_to_head_without_a_backup(tmp_path, empty_database_url):
    database = Database(to_url(empty_database_url))
    result = migrate.upgrade(database)
    database.close()
    assert result == migrate.Upgrade(None, migrate.head_revision(), None)
    assert _revision(empty_database_url) == migrate.head_revision()
    assert list(tmp_path.glob("*.bak")) == []


def test_starting_on_a_current_database_changes_nothing(tmp_path, database_url, store):
    make_account(store)
    database = Database(to_url(database_url))
    assert migrate.upgrade(database) is None
    database.close()
    reopened = open_store(database_url)
    assert [r.name for r in reopened.account_rows()] == ["Acme"]
    reopened.db.close()
    assert list(tmp_path.glob("*.bak")) == []


def _contents(url: str) -> object:
    """What a refusal must leave as it was: the file's bytes, or a server database's
    revision and every table's rows."""
    if not is_postgres(url):
        return Path(url).read_bytes()
    tables = [name for (name,) in by_hand(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    return {table: sorted(map(repr, by_hand(url, f'SELECT * FROM "{table}"'))) for table in sorted(tables)}


def test_a_database_from_a_newer_planner_is_refused_untouched(database_url, store):
    make_account(store)
    store.db.close()
    by_hand(database_url, "UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = _contents(database_url)
    with pytest.raises(SchemaTooNew, match="newer version of the planner"):
        open_store(database_url)
    assert _contents(database_url) == before


@pytest.mark.sqlite_only  # SQLite's table rebuild (batch mode) and its file backup
def test_a_rebuild_of_a_parent_table_keeps_every_child_row_and_backs_up_first(tmp_path, db_path, store):
    account = make_account(store)
    for name in ("Zhang", "Li", "Wang"):
        store.create(m.Person, account_id=account.id, name=name)
    store.db.close()

    database = Database(to_url(db_path))
    result = migrate.upgrade(database, scripts=scripts_with_a_rebuild(tmp_path))
    database.close()

    assert result.to_revision == "9000"
    assert result.backup is not None and result.backup.exists()
    with sqlite3.connect(result.backup) as backup:
        assert backup.execute("SELECT count(*) FROM person").fetchone()[0] == 3
        assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with sqlite3.connect(db_path) as upgraded:
        assert upgraded.execute("SELECT count(*) FROM person").fetchone()[0] == 3
        assert upgraded.execute("SELECT count(*) FROM account").fetchone()[0] == 1
        assert "website" in [row[1] for row in upgraded.execute("PRAGMA table_info(account)")]
        assert upgraded.execute("PRAGMA foreign_key_check").fetchall() == []
    assert _revision(db_path) == "9000"


@pytest.mark.sqlite_only
def test_foreign_keys_are_back_on_after_an_upgrade(tmp_path, db_path, store):
    store.db.close()
    database = Database(to_url(db_path))
    migrate.upgrade(database, scripts=scripts_with_a_rebuild(tmp_path))
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.close()


def test_the_head_constant_matches_the_shipped_scripts():
    assert migrate.head_revision() == migrate.HEAD


def test_a_current_database_opens_without_loading_alembic(database_url, store):
    import subprocess
    import sys

    code = (
        "import sys; from planner.store.startup import open_store; "
        f"open_store({database_url!r}); print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def _database_at(url: str, revision: str) -> None:
    """An empty database (`empty_database_url`) as an older planner left it, at `revision`."""
    from alembic import command

    database = Database(to_url(url))
    with database.engine.begin() as connection:
        config = migrate._config(migrate.SCRIPTS)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    database.close()


def test_the_migrations_build_exactly_the_models_schema(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with store.db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []


def test_a_0001_database_gets_the_customer_list_index_after_a_backup(tmp_path, empty_database_url):
    url = empty_database_url
    _database_at(url, "0001")
    store = open_store(url)
    make_account(store, name="Acme", revenue=5.0)
    assert [store.account_listing().row(0).name] == ["Acme"]
    store.db.close()
    assert _revision(url) == migrate.HEAD
    if is_postgres(url):  # upgraded in one transaction, no file to back up
        assert list(tmp_path.glob("*.bak")) == []
        [(sql,)] = by_hand(url, "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_account_list'")
        assert "revenue DESC" in sql and "WHERE (deleted_at IS NULL)" in sql
        return
    assert len(list(tmp_path.glob("*.bak"))) == 1
    [(sql,)] = by_hand(url, "SELECT sql FROM sqlite_master WHERE name = 'ix_account_list'")
    assert "revenue DESC" in sql and "WHERE deleted_at IS NULL" in sql


def test_change_log_entries_keep_their_order_and_get_uuid_keys_from_0002(tmp_path, empty_database_url):
    url = empty_database_url
    _database_at(url, "0002")
    for n in (1, 2, 3):
        by_hand(
            url,
            sa.text(
                "INSERT INTO changelog (table_name, row_id, action, who, at, changes)"
                " VALUES ('account', :row, 'update', 'li', :at, '{}')"
            ).bindparams(sa.bindparam("at", type_=sa.DateTime())),
            row=f"row{n}",
            at=datetime(2026, 11, n, 9),
        )
    store = open_store(url, user="rep-a")  # upgrades, then seeds the industries (logged)
    try:
        before = store.latest_change()
        account = make_account(store)
        assert store.latest_change() == before + 1
        assert [e.action for e in raw_log(store, m.Account, account.id)] == ["insert"]
    finally:
        store.db.close()
    rows = by_hand(url, "SELECT id, seq, row_id FROM changelog ORDER BY seq")
    assert [(seq, row_id) for _, seq, row_id in rows[:3]] == [(1, "row1"), (2, "row2"), (3, "row3")]
    assert [seq for _, seq, _ in rows] == list(range(1, before + 2)) and rows[-1][2] == account.id
    keys = [key for key, _, _ in rows]
    assert len(set(keys)) == len(keys) and all(len(key) == 32 and int(key, 16) >= 0 for key in keys)
    assert len(list(tmp_path.glob("*.bak"))) == (0 if is_postgres(url) else 1)


def test_the_revisions_the_pre_flight_knows_are_the_shipped_ones():
    from planner.store.connection import KNOWN_REVISIONS

    shipped = sorted(script.revision for script in migrate._scripts(migrate.SCRIPTS).walk_revisions())
    assert list(KNOWN_REVISIONS) == shipped
    assert KNOWN_REVISIONS[-1] == migrate.HEAD


def _scripts_with_a_failing_step(tmp_path: Path) -> str:
    """The shipped migrations plus revision 9000, which fails (as a killed start-up would)."""
    import shutil

    from shared_helpers import PACKAGE_SCRIPTS

    scripts = tmp_path / "failing-scripts"
    shutil.copytree(PACKAGE_SCRIPTS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9000_fails.py").write_text(
        f"revision = '9000'\ndown_revision = {migrate.HEAD!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n    raise RuntimeError('killed half-way')\n\n\ndef downgrade():\n    pass\n"
    )
    return str(scripts)


def test_failed_upgrades_keep_one_whole_backup_per_revision_and_no_partial_one(tmp_path, db_path, database_url, store):
    make_account(store, name="Acme")
    store.db.close()
    scripts = _scripts_with_a_failing_step(tmp_path)
    partial = db_path.with_name(f"planner.db.before-{migrate.HEAD}.bak.partial")
    if not is_postgres(database_url):
        partial.write_bytes(b"")  # what a start-up killed while copying left behind
    for _ in range(3):
        database = Database(to_url(database_url))
        with pytest.raises(RuntimeError, match="killed half-way"):
            migrate.upgrade(database, scripts=scripts)
        database.close()
    if is_postgres(database_url):  # one transaction: rolled back whole, nothing to back up
        assert by_hand(database_url, "SELECT version_num FROM alembic_version") == [(migrate.HEAD,)]
        assert by_hand(database_url, "SELECT name FROM account") == [("Acme",)]
        return
    assert sorted(path.name for path in tmp_path.glob("planner.db.*")) == [f"planner.db.before-{migrate.HEAD}.bak"]
    backup = migrate.backup_path(db_path, migrate.HEAD)
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT name FROM account").fetchall() == [("Acme",)]
    assert _revision(db_path) == migrate.HEAD
