"""`planner demo --reset` deletes only a demo database nobody uses, and backs it up first."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from records import make_account

from planner.cli import EXIT_UNUSABLE, main
from planner.core import locations
from planner.store import seed
from planner.store.startup import open_store

HOLDER = """
import sys
from planner.store.startup import open_store
store = open_store(sys.argv[1], user="holder")
store.account_rows()
print("open", flush=True)
sys.stdin.read()
store.db.close()
"""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _kind(db: Path) -> str | None:
    with closing(sqlite3.connect(db)) as connection:
        row = connection.execute("SELECT value FROM planner_meta WHERE key = 'kind'").fetchone()
    return row[0] if row else None


def _names(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as connection:
        return sorted(row[0] for row in connection.execute("SELECT name FROM account"))


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.fixture
def folder(tmp_path) -> Path:
    made = tmp_path / "dbs"
    made.mkdir()
    return made


@pytest.fixture
def demo_db(folder, capsys) -> Path:
    db = folder / "demo.db"
    assert main(["demo", "--no-open", "--db", str(db)]) == 0
    capsys.readouterr()
    return db


def test_the_demo_marks_its_database(demo_db):
    assert _kind(demo_db) == "demo"


def test_the_demo_does_not_mark_a_database_that_already_has_accounts(folder, capsys):
    db = folder / "mine.db"
    store = open_store(str(db))
    make_account(store, name="My real customer")
    store.db.close()
    assert main(["demo", "--no-open", "--db", str(db)]) == 0
    assert "already there" in capsys.readouterr().out
    assert _kind(db) is None and _names(db) == ["My real customer"]


def test_reset_backs_up_the_old_demo_before_deleting_it(demo_db, capsys):
    store = open_store(str(demo_db))
    make_account(store, name="Scribbled during a demo")
    store.db.close()
    assert main(["demo", "--no-open", "--reset", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    (kept,) = demo_db.parent.glob("demo.db.backup-*.db")
    assert str(kept) in out
    assert "Scribbled during a demo" in _names(kept)
    assert "Scribbled during a demo" not in _names(demo_db)
    assert _kind(demo_db) == "demo"
    assert sorted(os.listdir(demo_db.parent)) == ["demo.db", kept.name]


def _refused_untouched(db: Path, capsys, words: str) -> None:
    before, files = _sha256(db), sorted(os.listdir(db.parent))
    assert main(["demo", "--no-open", "--reset", "--db", str(db)]) == EXIT_UNUSABLE
    assert words in _one_line(capsys)
    assert _sha256(db) == before
    assert sorted(os.listdir(db.parent)) == files


def test_reset_refuses_a_database_the_demo_did_not_make(folder, capsys):
    db = folder / "planner.db"
    store = open_store(str(db))
    make_account(store, name="My real customer")
    store.db.close()
    _refused_untouched(db, capsys, "is not a demo database")


def test_reset_refuses_a_team_database(demo_db, capsys):
    demo_db.chmod(0o660)  # group-writable: shared by a team (init-team makes it so)
    _refused_untouched(demo_db, capsys, "is a team database")


def test_reset_refuses_a_database_marked_team(folder, capsys):
    db = folder / "team.db"
    store = open_store(str(db))
    seed.mark(store, seed.KIND_TEAM)
    store.db.close()
    _refused_untouched(db, capsys, "is a team database")


@pytest.mark.parametrize("team", [True, False], ids=["team-database", "demo-database"])
def test_reset_refuses_a_database_another_process_has_open(demo_db, capsys, team):
    if team:
        demo_db.chmod(0o660)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(demo_db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        _refused_untouched(demo_db, capsys, "is a team database" if team else "is in use")
    finally:
        holder.communicate("", timeout=30)


def test_an_unmarked_demo_at_the_default_path_may_be_reset(capsys):
    db = Path(locations.demo_database())
    assert main(["demo", "--no-open"]) == 0
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("DELETE FROM planner_meta")  # as a planner before the mark left it
        connection.commit()
    assert main(["demo", "--no-open", "--reset"]) == 0
    assert len(list(db.parent.glob("demo.db.backup-*.db"))) == 1


def test_the_demo_is_not_poured_into_a_team_database(folder, capsys):
    db = folder / "team.db"
    store = open_store(str(db))
    seed.mark(store, seed.KIND_TEAM)
    store.db.close()
    before = _sha256(db)
    assert main(["demo", "--no-open", "--db", str(db)]) == EXIT_UNUSABLE
    assert "is a team database" in _one_line(capsys)
    assert _names(db) == [] and _sha256(db) == before
