"""A team database: setgid group folder, 0660 files a teammate can write, no network filesystems."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from records import make_account

from planner.cli import EXIT_UNUSABLE, main
from planner.core import config
from planner.core import models as m
from planner.core.errors import DatabaseUnavailable
from planner.store import team
from planner.store.startup import init_team, open_store


@pytest.fixture(scope="module")
def team_group():
    """A group we may chown to: "users" as root (a throwaway one if missing), else our own."""
    if os.getuid() != 0:
        yield grp.getgrgid(os.getgid()).gr_name
        return
    try:
        grp.getgrnam("users")
    except KeyError:
        subprocess.run(["groupadd", "planner-test"], check=True)
        yield "planner-test"
        subprocess.run(["groupdel", "planner-test"], check=True)
    else:
        yield "users"


@pytest.fixture(autouse=True)
def usual_umask():
    """Reps usually run with 022, which would strip group write; restore whatever was set."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_init_team_makes_a_setgid_group_folder_and_a_ready_0660_file(tmp_path, team_group, capsys):
    db = tmp_path / "team" / "planner.db"
    assert main(["init-team", str(db), "--group", team_group]) == 0
    assert "ready" in capsys.readouterr().out
    gid = grp.getgrnam(team_group).gr_gid
    folder = db.parent.stat()
    assert stat.S_IMODE(folder.st_mode) == 0o2770
    assert folder.st_mode & stat.S_ISGID
    assert folder.st_gid == gid
    assert _mode(db) == 0o660
    assert db.stat().st_gid == gid
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()
        assert connection.execute("SELECT count(*) FROM industry").fetchone()[0] > 0


def test_team_wal_and_shm_are_group_writable_and_private_after_writes(tmp_path, team_group):
    db = tmp_path / "team" / "planner.db"
    init_team(db, team_group)
    os.umask(0o022)
    store = open_store(str(db), user="rep-a")
    try:
        assert os.umask(0o007) == team.TEAM_UMASK, "opening a team database sets the group umask"
        make_account(store, name="Shared account")
        for suffix in ("-wal", "-shm"):
            side = Path(f"{db}{suffix}")
            assert side.exists()
            assert _mode(side) & 0o060 == 0o060, f"{side.name} must be group-writable"
            assert _mode(side) & 0o007 == 0, f"{side.name} must not be open to everyone"
            assert side.stat().st_gid == grp.getgrnam(team_group).gr_gid
    finally:
        store.db.close()


def _as_rep(user: str, gid: int, db: Path, name: str) -> int:
    """In a forked child: become `user` with the team group as a supplementary group and
    save an account without closing (as a killed app would); the exit code says how it went."""
    child = os.fork()
    if child == 0:
        code = 1
        try:
            rep = pwd.getpwnam(user)
            os.setgroups([gid])
            os.setgid(rep.pw_gid)
            os.setuid(rep.pw_uid)
            os.umask(0o022)
            store = open_store(str(db), settings=config.Settings())
            make_account(store, name=name)
            code = 0
        except BaseException as error:
            print(f"{user} could not save: {error!r}", file=sys.stderr)
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to act as two other users")
def test_two_reps_of_the_group_share_the_database(team_group):
    outer = Path(tempfile.mkdtemp(prefix="planner-team-"))
    try:
        outer.chmod(0o755)  # reps must be able to reach the team folder inside
        db = outer / "team" / "planner.db"
        init_team(db, team_group)
        gid = grp.getgrnam(team_group).gr_gid
        warm = open_store(str(db))  # load every module the children need before they lose access
        make_account(warm, name="Set up by root")
        warm.db.close()
        assert _as_rep("nobody", gid, db, "Saved by nobody") == 0
        wal = Path(f"{db}-wal")
        assert wal.stat().st_uid == pwd.getpwnam("nobody").pw_uid
        assert wal.stat().st_gid == gid, "the setgid folder gives new files the team's group"
        assert _mode(wal) == 0o660
        assert _as_rep("daemon", gid, db, "Saved by daemon") == 0, "a teammate can write another rep's -wal"
        store = open_store(str(db))
        try:
            owners = {a.name: a.updated_by for a in store.list(m.Account)}
        finally:
            store.db.close()
        assert owners == {"Set up by root": "root", "Saved by nobody": "nobody", "Saved by daemon": "daemon"}
    finally:
        shutil.rmtree(outer)


def test_a_personal_database_stays_0600_and_leaves_the_umask_alone(tmp_path):
    db = tmp_path / "mine.db"
    store = open_store(str(db), user="rep-a")
    try:
        make_account(store)
        assert os.umask(0o022) == 0o022
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert _mode(path) == 0o600, path.name
    finally:
        store.db.close()


def test_an_existing_database_with_data_is_refused(db_path, team_group, capsys):
    store = open_store(str(db_path))
    make_account(store, name="Precious")
    store.db.close()
    before = _mode(db_path)
    assert main(["init-team", str(db_path), "--group", team_group]) == EXIT_UNUSABLE
    assert "already exists and holds a database" in _one_line_error(capsys)
    assert _mode(db_path) == before
    store = open_store(str(db_path))
    assert [a.name for a in store.list(m.Account)] == ["Precious"]
    store.db.close()


def test_an_existing_file_that_is_not_a_database_is_refused(tmp_path, team_group):
    target = tmp_path / "notes.db"
    target.write_text("shopping list")
    with pytest.raises(DatabaseUnavailable, match="not a planner database"):
        init_team(target, team_group)
    assert target.read_text() == "shopping list"


def test_a_folder_open_to_everyone_is_refused(tmp_path, team_group, capsys):
    folder = tmp_path / "public"
    folder.mkdir()
    folder.chmod(0o755)
    assert main(["init-team", str(folder / "team.db"), "--group", team_group]) == EXIT_UNUSABLE
    assert "open to every user (mode 0755)" in _one_line_error(capsys)
    assert not (folder / "team.db").exists()


def test_a_folder_without_the_group_setup_is_refused(tmp_path, team_group):
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    with pytest.raises(DatabaseUnavailable, match=f"not a setgid folder of group {team_group}"):
        init_team(folder / "team.db", team_group)


def test_an_unknown_group_is_a_clear_error(tmp_path, capsys):
    assert main(["init-team", str(tmp_path / "t" / "team.db"), "--group", "no-such-group-xyz"]) == EXIT_UNUSABLE
    assert "There is no group 'no-such-group-xyz'" in _one_line_error(capsys)
    assert not (tmp_path / "t").exists()


@pytest.mark.parametrize("kind", sorted(team.NETWORK_FILESYSTEMS))
def test_network_filesystems_are_refused(tmp_path, team_group, monkeypatch, capsys, kind):
    share = tmp_path / "share"
    share.mkdir()
    monkeypatch.setattr(team, "read_mounts", lambda: [("/", "ext4"), (str(share), kind)])
    db = share / "team" / "planner.db"
    assert main(["init-team", str(db), "--group", team_group]) == EXIT_UNUSABLE
    err = _one_line_error(capsys)
    assert f"network filesystem ({kind})" in err and "local disk" in err
    assert not db.parent.exists(), "nothing is created on a network filesystem"


def test_the_mount_holding_a_path_is_the_longest_matching_one(tmp_path, monkeypatch):
    for name in ("srv/local/db", "srv/other", "srvx"):
        (tmp_path / name).mkdir(parents=True)
    mounts = [("/", "ext4"), (str(tmp_path / "srv"), "nfs"), (str(tmp_path / "srv/local"), "xfs")]
    monkeypatch.setattr(team, "read_mounts", lambda: mounts)
    assert team.filesystem_of(tmp_path / "srv/local/db/x.db") == "xfs"
    assert team.filesystem_of(tmp_path / "srv/other/missing/x.db") == "nfs"
    assert team.filesystem_of(tmp_path / "srvx/x.db") == "ext4"


def test_mount_points_with_spaces_are_decoded():
    text = "server:/export /mnt/team\\040share nfs4 rw 0 0\n/dev/vda / ext4 rw 0 0\n"
    assert team.parse_mounts(text) == [("/mnt/team share", "nfs4"), ("/", "ext4")]


def test_init_team_help():
    with pytest.raises(SystemExit) as done:
        main(["init-team", "--help"])
    assert done.value.code == 0


def test_init_team_marks_the_database_a_team_database(tmp_path, team_group):
    db = tmp_path / "team" / "planner.db"
    init_team(db, team_group)
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT value FROM planner_meta WHERE key = 'kind'").fetchone() == ("team",)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://rep@/team?host=/nonexistent", "Cannot reach the PostgreSQL server"),
        ("postgresql+psycopg://rep@/team?host=/nonexistent", "Cannot reach the PostgreSQL server"),
        ("mysql://rep@server/team", "not a mysql URL"),
        ("sqlite://", "names no database file"),
    ],
)
def test_init_team_refuses_server_urls_and_creates_no_folder(tmp_path, team_group, monkeypatch, capsys, url, words):
    monkeypatch.chdir(tmp_path)
    assert main(["init-team", url, "--group", team_group]) == EXIT_UNUSABLE
    assert words in _one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


def test_init_team_accepts_the_path_an_sqlite_url_names(tmp_path, team_group, capsys):
    db = tmp_path / "team" / "planner.db"
    assert main(["init-team", f"sqlite:///{db}", "--group", team_group]) == 0
    assert _mode(db) == 0o660
    assert f"planner --db {db}" in capsys.readouterr().out


def test_init_team_refuses_a_fifo_instead_of_hanging(tmp_path, team_group, capsys):
    folder = tmp_path / "team"
    folder.mkdir(mode=0o700)
    os.chown(folder, -1, grp.getgrnam(team_group).gr_gid)
    folder.chmod(0o2770)
    fifo = folder / "team.db"
    os.mkfifo(fifo, 0o600)
    assert main(["init-team", str(fifo), "--group", team_group]) == EXIT_UNUSABLE
    assert "not a regular file" in _one_line_error(capsys)
    assert _mode(fifo) == 0o600
