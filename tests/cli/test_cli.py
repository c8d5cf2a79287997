"""The `planner` command: exit codes and the one line a rep reads when it fails."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from records import make_account

from planner import __version__
from planner.cli import EXIT_FLAGS, EXIT_UNUSABLE, main
from planner.core import models as m
from planner.store.startup import open_store


def run_cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=60, **kwargs
    )


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"planner {__version__}"
    for command in ([], ["demo"], ["check"], ["run"]):
        with pytest.raises(SystemExit) as done:
            main([*command, "--help"])
        assert done.value.code == 0
    assert "--no-open" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["check", "--today", "2026-13-01"], "'2026-13-01' is not a real date; write YYYY-MM-DD"),
        (["export"], "required: account"),
    ],
    ids=["unknown-command", "impossible-date", "missing-argument"],
)
def test_bad_arguments_end_with_one_line_pointing_at_help(arguments, words):
    result = run_cli(*arguments)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert words in result.stderr and "--help" in result.stderr


def test_demo_no_open_creates_a_full_demo_database_once(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--no-open"]) == 0
    assert "created" in capsys.readouterr().out
    store = open_store(str(db))
    try:
        rows = store.account_rows()
        assert len(rows) >= 30
        assert main(["demo", "--db", str(db), "--no-open"]) == 0
        assert "already there" in capsys.readouterr().out
        assert len(store.account_rows()) == len(rows)
    finally:
        store.db.close()


def test_demo_reset_rebuilds(tmp_path, capsys):
    db = tmp_path / "demo.db"
    main(["demo", "--db", str(db), "--no-open"])
    store = open_store(str(db))
    make_account(store, name="Scribbled during a demo")
    store.db.close()
    assert main(["demo", "--db", str(db), "--no-open", "--reset"]) == 0
    store = open_store(str(db))
    assert "Scribbled during a demo" not in [r.name for r in store.account_rows()]
    store.db.close()


def test_demo_goes_to_the_data_folder_by_default(tmp_path, capsys):
    assert main(["demo", "--no-open"]) == 0
    assert (tmp_path / "xdg-data" / "planner" / "demo.db").exists()


def test_demo_data_is_a_realistic_portfolio(tmp_path):
    db = tmp_path / "demo.db"
    main(["demo", "--db", str(db), "--no-open"])
    store = open_store(str(db))
    try:
        today = date.today()
        summaries = store.portfolio(today)
        key = [s for s in summaries if s.pareto.key]
        assert 3 <= len(key) <= len(summaries) // 3, "the 80/20 flag should pick a real top set"
        tiers = {s.row.tier for s in summaries}
        assert tiers == {"major", "minor", "tracked", "other"}
        chinese = [s for s in summaries if any("\u4e00" <= ch <= "\u9fff" for ch in s.row.name)]
        assert len(chinese) >= len(summaries) // 4
        assert {s.quadrant.quadrant for s in summaries} >= {"Focus in: invest", "Focus in: grow"}
        university = next(s.row for s in summaries if "大学" in s.row.name)
        tree = store.org_tree(university.id)
        assert len(tree.people) >= 15
        assert {p.layer for p in tree.people} == set(m.LAYERS)
        assert len(tree.units) >= 5
        assert {a.status for a in store.list(m.Action)} == set(m.ACTION_STATUSES)
        visits = store.list(m.Visit)
        assert any(v.commitment for v in visits) and any(not v.commitment for v in visits)
        assert len({p.purchased_on.year for p in store.list(m.Purchase)}) >= 3
        assert store.list(m.Competitor) and store.list(m.SwotItem) and store.list(m.Goal)
        assert store.red_flags(today)
    finally:
        store.db.close()


def test_check_exits_1_and_lists_red_flags_and_stale_accounts(tmp_path, capsys):
    db = tmp_path / "demo.db"
    main(["demo", "--db", str(db), "--no-open"])
    capsys.readouterr()
    assert main(["check", "--db", str(db)]) == EXIT_FLAGS
    out = capsys.readouterr().out
    assert "Red flags" in out
    assert "Stale accounts" in out


def test_check_exits_0_when_all_is_well(db_path, capsys):
    store = open_store(str(db_path))
    account = make_account(store, account_class="C")
    boss = store.create(m.Person, account_id=account.id, name="Ms Kim", layer="decision", stance="supporter")
    visit = store.create(m.Visit, account_id=account.id, visited_on=date(2026, 11, 20), commitment="Pilot order")
    store.create(m.VisitAttendee, visit_id=visit.id, person_id=boss.id)
    store.db.close()
    assert main(["check", "--db", str(db_path), "--today", "2026-11-27"]) == 0
    assert "All clear" in capsys.readouterr().out


def test_the_db_comes_from_planner_db_when_not_given(tmp_path, monkeypatch, capsys):
    db = tmp_path / "from-env.db"
    monkeypatch.setenv("PLANNER_DB", str(db))
    assert main(["check"]) == 0
    assert db.exists()


@pytest.mark.parametrize(
    ("prepare", "words"),
    [
        (lambda d: d / "missing" / "x.db", "does not exist"),
        (lambda d: (d / "junk.db").write_text("not sqlite") and d / "junk.db", "not a planner database"),
        (lambda _d: "postgresql+nosuchdriver://rep@localhost/team", "PostgreSQL needs a Python driver"),
        (lambda _d: "mysql://rep@localhost/team", "does not support mysql databases"),
        (lambda _d: "://nothing", "is not a database URL"),
    ],
    ids=["missing-folder", "not-a-database", "missing-driver", "unsupported-kind", "not-a-url"],
)
def test_unusable_databases_end_with_one_clear_line(tmp_path, prepare, words):
    target = prepare(tmp_path)
    result = run_cli("check", "--db", str(target))
    assert result.returncode == EXIT_UNUSABLE
    assert result.stderr.count("\n") == 1
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_a_newer_schema_is_refused_by_the_cli(db_path):
    open_store(str(db_path)).db.close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
    result = run_cli("check", "--db", str(db_path))
    assert result.returncode == EXIT_UNUSABLE
    assert "newer version of the planner" in result.stderr
    assert "Traceback" not in result.stderr


def _main_as_another_user(args: list[str]) -> tuple[int, str]:
    """Run `main(args)` in a forked child that dropped root (root may write anything)."""
    import pwd

    import planner.store.reports
    import planner.store.startup  # noqa: F401 - imported before the fork: the child may not read them

    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        sys.stderr = os.fdopen(write_end, "w")
        nobody = pwd.getpwnam("nobody")
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)
        code = main(args)
        sys.stderr.flush()
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as stream:
        message = stream.read()
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status), message


def test_a_read_only_database_is_a_clear_error(capsys):
    folder = Path(tempfile.mkdtemp(prefix="planner-ro-"))
    try:
        folder.chmod(0o755)
        db = folder / "team.db"
        open_store(str(db)).db.close()
        db.chmod(0o644)
        if os.getuid() == 0:
            code, message = _main_as_another_user(["check", "--db", str(db)])
        else:
            db.chmod(0o444)
            code, message = main(["check", "--db", str(db)]), capsys.readouterr().err
        assert code == EXIT_UNUSABLE, message
        assert "read-only" in message
        assert "Traceback" not in message
    finally:
        for child in folder.iterdir():
            child.unlink()
        folder.rmdir()
