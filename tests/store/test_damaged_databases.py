"""A file that is not a database this planner can use is refused before anything touches it.

The rule for every case: one clear line on stderr, a non-zero exit code, the file
byte-for-byte unchanged and nothing new beside it (no -wal, -shm or .bak), never a
traceback. Each case is tried with every command that opens a database.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from records import make_account
from shared_helpers import make_damaged

from planner.cli import EXIT_BUG, EXIT_UNUSABLE, main
from planner.core import models as m
from planner.core.errors import DatabaseDamaged, DatabaseUnavailable, SchemaTooNew
from planner.store import backup
from planner.store.opening import open_for_screen
from planner.store.startup import open_store

# Damaged, foreign and newer SQLite files: what the planner makes of a file it is given.
pytestmark = pytest.mark.sqlite_only


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


@pytest.fixture(scope="module")
def planner_template(tmp_path_factory) -> Path:
    """A closed planner database whose account table spans many pages."""
    path = tmp_path_factory.mktemp("damaged-template") / "planner.db"
    store = open_store(str(path), user="rep-a")
    rows = [{"id": m.new_id(), "name": f"Acme {n:03d}", "notes": "x" * 400} for n in range(300)]
    store.bulk_insert([(m.Account, rows)])
    make_account(store, name="Acme")
    store.db.close()
    assert not path.with_name("planner.db-wal").exists()
    return path


@pytest.fixture(scope="module")
def good_backup(planner_template, tmp_path_factory) -> Path:
    return backup.backup(planner_template, tmp_path_factory.mktemp("backups") / "good.db")


def _copy_of(template: Path, target: Path) -> Path:
    target.write_bytes(template.read_bytes())
    target.chmod(0o600)
    return target


def make_newer(template: Path, target: Path, journal: str) -> Path:
    _copy_of(template, target)
    with closing(sqlite3.connect(target, isolation_level=None)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
        connection.execute(f"PRAGMA journal_mode = {journal}")
    return target


def make_other_program(_template: Path, target: Path, journal: str = "delete", alembic: bool = False) -> Path:
    with closing(sqlite3.connect(target, isolation_level=None)) as connection:
        connection.execute(f"PRAGMA journal_mode = {journal}")
        connection.execute("CREATE TABLE recipe (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO recipe (name) VALUES ('dumplings')")
        if alembic:
            connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            connection.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
    return target


def make_not_sqlite(_template: Path, target: Path) -> Path:
    target.write_text("customer notes, not a database\n")
    return target


CASES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "damaged": (make_damaged, "is damaged"),
    "newer-rollback-journal": (lambda t, p: make_newer(t, p, "delete"), "newer version of the planner"),
    "newer-wal": (lambda t, p: make_newer(t, p, "wal"), "newer version of the planner"),
    "other-program": (make_other_program, "an SQLite database of another program"),
    "other-program-wal": (lambda t, p: make_other_program(t, p, "wal"), "an SQLite database of another program"),
    "other-program-alembic": (
        lambda t, p: make_other_program(t, p, alembic=True),
        "an SQLite database of another program",
    ),
    "not-sqlite": (make_not_sqlite, "not an SQLite file"),
}

COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "check": lambda db, _good: ["check", "--db", str(db)],
    "export": lambda db, _good: ["export", "Acme", "--db", str(db)],
    "history": lambda db, _good: ["history", "Acme", "--db", str(db)],
    "demo": lambda db, _good: ["demo", "--no-open", "--db", str(db)],
    "demo-reset": lambda db, _good: ["demo", "--no-open", "--reset", "--db", str(db)],
    "backup": lambda db, _good: ["backup", "--db", str(db)],
    "restore": lambda db, good: ["restore", str(good), "--db", str(db)],
}


@pytest.fixture
def case_folder(tmp_path) -> Path:
    folder = tmp_path / "db"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(CASES))
def test_every_command_refuses_an_unusable_file_untouched(
    case, command, case_folder, planner_template, good_backup, capsys
):
    if case == "damaged" and command == "restore":
        pytest.skip("a restore over a damaged database is what it is for (tested below)")
    make, words = CASES[case]
    db = make(planner_template, case_folder / "planner.db")
    before, files = _sha256(db), _listing(case_folder)
    assert files == ["planner.db"]
    capsys.readouterr()

    code = main(COMMANDS[command](db, good_backup))

    captured = capsys.readouterr()
    assert code == EXIT_UNUSABLE, captured
    assert captured.err.count("\n") == 1 and captured.err.startswith("planner: "), captured.err
    assert words in captured.err
    assert "Traceback" not in captured.err
    assert _sha256(db) == before, "the file was modified"
    assert _listing(case_folder) == files, "something was created beside the database"


@pytest.mark.parametrize("case", list(CASES))
def test_the_tui_opening_refuses_an_unusable_file_untouched(case, case_folder, planner_template):
    make, words = CASES[case]
    db = make(planner_template, case_folder / "planner.db")
    before, files = _sha256(db), _listing(case_folder)
    assert files == ["planner.db"]

    with pytest.raises(DatabaseUnavailable, match=words) as refused:
        opening = open_for_screen(str(db))
        try:
            opening.listing()
        finally:
            opening.close()

    assert "\n" not in str(refused.value)
    assert _sha256(db) == before
    assert _listing(case_folder) == files


def test_a_damaged_database_says_how_to_restore_and_names_the_newest_backup(case_folder, planner_template, capsys):
    db = case_folder / "planner.db"
    _copy_of(planner_template, db)
    kept = backup.backup(db)
    make_damaged(planner_template, db)
    assert main(["check", "--db", str(db)]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"planner restore {kept} --db {db}" in err


def test_without_a_backup_beside_it_the_line_still_says_how_to_restore(case_folder, planner_template, capsys):
    db = make_damaged(planner_template, case_folder / "planner.db")
    assert main(["history", "Acme", "--db", str(db)]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "is damaged" in err and f"planner restore BACKUP --db {db}" in err


def test_the_tui_finds_damage_in_the_background_and_listing_raises(case_folder, planner_template):
    db = make_damaged(planner_template, case_folder / "planner.db")
    opening = open_for_screen(str(db))  # quick: the integrity check runs in a thread
    try:
        with pytest.raises(DatabaseDamaged, match="is damaged"):
            opening.ensure_sound()
        with pytest.raises(DatabaseDamaged):
            opening.listing()
    finally:
        opening.close()


def test_a_sound_database_opens_for_the_tui_and_lists(case_folder, planner_template):
    db = _copy_of(planner_template, case_folder / "planner.db")
    opening = open_for_screen(str(db))
    try:
        opening.ensure_sound()
        _seq, listing = opening.listing()
        assert len(listing) == 301
    finally:
        opening.close()
    assert _listing(case_folder) == ["planner.db"]


def test_a_newer_schema_in_rollback_journal_mode_is_not_switched_to_wal(case_folder, planner_template):
    db = make_newer(planner_template, case_folder / "planner.db", "delete")
    header = db.read_bytes()[18:20]
    with pytest.raises(SchemaTooNew):
        open_store(str(db))
    assert db.read_bytes()[18:20] == header == b"\x01\x01"


def test_an_empty_sqlite_file_is_a_new_database(case_folder, capsys):
    db = case_folder / "planner.db"
    sqlite3.connect(db).close()
    assert main(["check", "--db", str(db)]) == 0


def test_restore_over_a_damaged_database_keeps_it_aside_byte_for_byte(
    case_folder, planner_template, good_backup, capsys
):
    db = make_damaged(planner_template, case_folder / "planner.db")
    damaged = _sha256(db)
    assert main(["restore", str(good_backup), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    aside = [case_folder / name for name in _listing(case_folder) if ".damaged-" in name]
    assert len(aside) == 1 and str(aside[0]) in out
    assert _sha256(aside[0]) == damaged
    assert _listing(case_folder) == sorted(["planner.db", aside[0].name])
    store = open_store(str(db))
    try:
        assert len(store.account_rows()) == 301
    finally:
        store.db.close()


HOLD = """
import sqlite3, sys

connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA journal_mode = WAL")
connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
print("open", flush=True)
sys.stdin.read()
"""


@pytest.mark.slow
def test_restore_over_a_damaged_database_in_use_is_refused_and_leaves_nothing(
    case_folder, planner_template, good_backup, capsys
):
    db = make_damaged(planner_template, case_folder / "planner.db")
    damaged = _sha256(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        files = _listing(case_folder)
        assert main(["restore", str(good_backup), "--db", str(db)]) == EXIT_UNUSABLE
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "is in use" in err
        assert _sha256(db) == damaged
        assert _listing(case_folder) == files
    finally:
        holder.communicate("", timeout=30)


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("command", ["check", "backup", "demo", "run"])
def test_a_symlink_loop_or_a_fifo_as_db_is_one_line_not_a_hang(tmp_path, command):
    loop = tmp_path / "loop.db"
    loop.symlink_to(loop)
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    extra = ["--no-open"] if command == "demo" else []
    for target, words in ((loop, "symbolic link"), (fifo, "not a regular file")):
        result = _run(command, *extra, "--db", str(target))
        assert result.returncode == EXIT_UNUSABLE, result
        assert result.returncode != EXIT_BUG
        assert result.stderr.count("\n") == 1 and words in result.stderr, result.stderr
    assert sorted(os.listdir(tmp_path)) == ["fifo.db", "loop.db"]


def test_closing_the_opening_stops_its_check_and_leaves_nothing_beside_the_file(case_folder, planner_template):
    db = _copy_of(planner_template, case_folder / "planner.db")
    for _ in range(5):
        open_for_screen(str(db)).close()  # a rep who quits at once: the check is interrupted, its connection closed
        assert _listing(case_folder) == ["planner.db"]
    assert _sha256(db) == _sha256(planner_template)
