"""Backups of a live database are consistent; a restore never hits a database in use."""

from __future__ import annotations

import re
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from records import make_account

from planner.cli import EXIT_UNUSABLE, main
from planner.core import models as m
from planner.core.errors import DatabaseBusy, DatabaseUnavailable
from planner.store import backup
from planner.store.startup import open_store

# `planner backup` and `restore` copy SQLite files (a server database has its own tools:
# test_server_databases_are_left_to_their_own_tools).
pytestmark = pytest.mark.sqlite_only

WRITER = """
import sys
from planner.core import models as m
from planner.store.startup import open_store
store = open_store(sys.argv[1], user="writer")
for i in range(int(sys.argv[2])):
    store.create(m.Account, name=f"row-{i:04d}")
    if i == 10:
        print("writing", flush=True)
store.db.close()
"""

HOLDER = """
import sys
from planner.store.startup import open_store

store = open_store(sys.argv[1], user="holder")
store.account_rows()
print("open", flush=True)
sys.stdin.read()
store.db.close()
"""


def _names(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as connection:
        return sorted(row[0] for row in connection.execute("SELECT name FROM account"))


def _integrity(db: Path) -> str:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.fixture
def planner_db(db_path):
    """A planner database with two accounts, closed."""
    store = open_store(str(db_path), user="rep-a")
    make_account(store, name="Acme")
    make_account(store, name="Globex")
    store.db.close()
    return db_path


@pytest.mark.slow
def test_backups_taken_while_another_process_writes_are_consistent(planner_db, tmp_path):
    rows = 400
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(planner_db), str(rows)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "writing"
        taken = []
        while writer.poll() is None or not taken:
            committed = len([n for n in _names(planner_db) if n.startswith("row-")])
            copy = backup.backup(planner_db, tmp_path / f"copy-{len(taken)}.db")
            taken.append((committed, copy))
        assert writer.wait(timeout=60) == 0
    finally:
        writer.kill()
    assert len(taken) >= 2
    partial = 0
    for committed, copy in taken:
        assert _integrity(copy) == "ok"
        got = [n for n in _names(copy) if n.startswith("row-")]
        assert got == [f"row-{i:04d}" for i in range(len(got))], "a backup is one moment: no gaps"
        assert len(got) >= committed, "every transaction committed before the backup is in it"
        partial += len(got) < rows
        store = open_store(str(copy))
        assert {"Acme", "Globex"} <= {a.name for a in store.list(m.Account)}
        store.db.close()
    assert partial, "some backups were taken mid-way through the writes"
    final = backup.backup(planner_db, tmp_path / "final.db")
    assert len(_names(final)) == rows + 2


def test_backup_defaults_to_a_stamped_file_beside_the_database_with_its_mode(planner_db, capsys):
    planner_db.chmod(0o640)
    assert main(["backup", "--db", str(planner_db)]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.parent == planner_db.parent
    assert re.fullmatch(r"planner\.db\.backup-\d{8}-\d{6}\.db", printed.name)
    assert _mode(printed) == 0o640
    assert _names(printed) == ["Acme", "Globex"]
    assert not Path(f"{printed}-wal").exists(), "a backup is one self-contained file"


def test_backup_into_a_folder_uses_the_default_name(planner_db, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    copy = backup.backup(planner_db, folder)
    assert copy.parent == folder and copy.name.startswith("planner.db.backup-")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (lambda d, t: ["backup", "--db", str(t / "missing.db")], "There is no database at"),
        (lambda d, t: ["backup", str(d), "--db", str(d)], "already exists; choose another name"),
        (lambda d, t: ["backup", str(t / "no" / "x.db"), "--db", str(d)], "does not exist"),
    ],
    ids=["missing-database", "existing-dest", "missing-folder"],
)
def test_backup_failures_are_one_clear_line(planner_db, tmp_path, capsys, args, words):
    assert main(args(planner_db, tmp_path)) == EXIT_UNUSABLE
    assert words in _one_line_error(capsys)
    assert not (tmp_path / "missing.db").exists()


def test_restore_brings_back_the_backup_and_keeps_the_replaced_database(planner_db, tmp_path, capsys):
    saved = backup.backup(planner_db, tmp_path / "saved.db")
    store = open_store(str(planner_db), user="rep-a")
    make_account(store, name="Added after the backup")
    store.db.close()
    assert main(["restore", str(saved), "--db", str(planner_db)]) == 0
    out = capsys.readouterr().out
    replaced = Path(re.search(r"kept as (\S+)\.$", out.strip())[1])
    assert re.fullmatch(r"planner\.db\.replaced-\d{8}-\d{6}\.db", replaced.name)
    assert _names(planner_db) == ["Acme", "Globex"]
    assert _names(replaced) == ["Acme", "Added after the backup", "Globex"]
    assert _integrity(replaced) == "ok" and _mode(replaced) == _mode(planner_db)
    store = open_store(str(planner_db), user="rep-a")
    try:
        make_account(store, name="Life goes on")
        assert len(store.list(m.Account)) == 3
    finally:
        store.db.close()


@pytest.mark.slow
def test_restore_refuses_while_another_process_has_the_database_open(planner_db, tmp_path, capsys):
    saved = backup.backup(planner_db, tmp_path / "saved.db")
    store = open_store(str(planner_db), user="rep-a")
    make_account(store, name="Unsaved work elsewhere")
    store.db.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(planner_db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        assert main(["restore", str(saved), "--db", str(planner_db)]) == EXIT_UNUSABLE
        assert "is in use" in _one_line_error(capsys)
        assert "Unsaved work elsewhere" in _names(planner_db)
        assert not list(tmp_path.glob("*.replaced-*"))
    finally:
        holder.communicate("", timeout=30)
    assert main(["restore", str(saved), "--db", str(planner_db)]) == 0
    assert "Unsaved work elsewhere" not in _names(planner_db)


def test_restore_refuses_while_this_process_has_the_database_open(planner_db, tmp_path):
    saved = backup.backup(planner_db, tmp_path / "saved.db")
    store = open_store(str(planner_db), user="rep-a")
    try:
        store.account_rows()
        with pytest.raises(DatabaseBusy, match="in use"):
            backup.restore(saved, planner_db)
        make_account(store, name="Still writable")
    finally:
        store.db.close()


def _corrupt(path: Path) -> Path:
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page, len(data), page):
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    return path


def _not_planner(path: Path) -> Path:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE t (x)")
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda db, t: _corrupt(backup.backup(db, t / "bad.db")), "is damaged"),
        (lambda db, t: _not_planner(t / "other.db"), "is not a planner database backup"),
        (lambda db, t: (t / "notes.txt").write_text("hello") and t / "notes.txt", "not an SQLite file"),
        (lambda db, t: t / "missing.db", "There is no backup at"),
    ],
    ids=["corrupt", "not-planner", "not-sqlite", "missing"],
)
def test_bad_backups_are_refused_and_the_database_is_untouched(planner_db, tmp_path, capsys, make, words):
    bad = make(planner_db, tmp_path)
    assert main(["restore", str(bad), "--db", str(planner_db)]) == EXIT_UNUSABLE
    assert words in _one_line_error(capsys)
    assert _names(planner_db) == ["Acme", "Globex"]
    assert not list(tmp_path.glob("*.replaced-*"))


def test_restoring_a_database_onto_itself_is_refused(planner_db):
    with pytest.raises(DatabaseUnavailable, match="same file"):
        backup.restore(planner_db, planner_db)


def test_server_databases_are_left_to_their_own_tools():
    with pytest.raises(DatabaseUnavailable, match="not an SQLite database file"):
        backup.database_file("postgresql://server/planner")


def test_backup_and_restore_help():
    for command in ("backup", "restore"):
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0


def test_two_backups_in_the_same_second_get_two_names(planner_db, monkeypatch, capsys):
    monkeypatch.setattr(backup, "_stamp", lambda: "20261203-101010")
    assert main(["backup", "--db", str(planner_db)]) == 0
    assert main(["backup", "--db", str(planner_db)]) == 0
    first, second = (Path(line) for line in capsys.readouterr().out.split())
    assert first.name == "planner.db.backup-20261203-101010.db"
    assert second.name == "planner.db.backup-20261203-101010-2.db"
    assert _names(first) == _names(second) == ["Acme", "Globex"]


def test_a_backup_written_by_a_newer_planner_is_refused(planner_db, tmp_path, capsys):
    newer = backup.backup(planner_db, tmp_path / "newer.db")
    with closing(sqlite3.connect(newer)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
        connection.commit()
    store = open_store(str(planner_db), user="rep-a")
    make_account(store, name="Kept")
    store.db.close()
    before = planner_db.read_bytes()
    assert main(["restore", str(newer), "--db", str(planner_db)]) == EXIT_UNUSABLE
    assert "newer version of the planner" in _one_line_error(capsys)
    assert planner_db.read_bytes() == before
    assert not list(tmp_path.glob("*.replaced-*"))


def test_restoring_from_a_file_in_wal_mode_leaves_nothing_beside_the_database(planner_db, tmp_path, capsys):
    source = tmp_path / "elsewhere" / "wal-copy.db"
    source.parent.mkdir()
    backup.backup(planner_db, source)
    with closing(sqlite3.connect(source)) as connection:  # as an upgrade's copy or a database file is
        assert connection.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    assert main(["restore", str(source), "--db", str(planner_db)]) == 0
    assert sorted(path.name for path in planner_db.parent.glob("planner.db*")) == [
        "planner.db",
        re.search(r"kept as \S+/(\S+)\.$", capsys.readouterr().out.strip())[1],
    ]
    assert _names(planner_db) == ["Acme", "Globex"] and _integrity(planner_db) == "ok"
