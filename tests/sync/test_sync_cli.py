"""`planner clone` and `planner sync` as a rep meets them, failures first: each ends with
one line on stderr that says what is wrong and what to do, a non-zero exit, no
traceback, and nothing written (no laptop file after a failed clone; the laptop file
and the team file byte for byte as they were after a failed sync).

The team database is an SQLite file or a PostgreSQL database (`team`: its `--db` value;
nothing written there means the same content and change log). The commands run
in-process through `planner.cli.main`; the team side runs for real as
`python -m planner sync-serve` in a subprocess, reached through a fake `ssh` in tmp_path
(`PLANNER_SSH_COMMAND`, as `GIT_SSH_COMMAND` for git) that runs the remote command line
here with `sh -c`, as sshd has the login shell do. Real OpenSSH is in test_sync_over_ssh.py.
"""

from __future__ import annotations

import hashlib
import io
import os
import pwd
import shlex
import shutil
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from records import make_account
from replicas import content, open_conflicts

import planner
from planner.cli import main
from planner.cli_args import progress
from planner.core import models as m
from planner.core.errors import EXIT_UNUSABLE
from planner.core.sync import SyncError
from planner.store import schema
from planner.store.startup import open_store

PYTHON = sys.executable
REMOTE_PLANNER = shlex.join([PYTHON, "-m", "planner"])
FAKE_SSH = '#!/bin/sh\nshift\nexec sh -c "$1"\n'  # drops the host, runs the command line here
UNREACHABLE_SSH = '#!/bin/sh\necho "ssh: connect to host $1 port 22: Connection refused" >&2\nexit 255\n'


def script(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


def digest(where: Path | str) -> str | None:
    """The file's bytes and its write-ahead log's, if any: None when there is no file. A
    server database: its content and its change log's newest number."""
    if isinstance(where, str) and "://" in where:
        store = open_store(where)
        try:
            return f"{content(store)} {store.latest_change()}"
        finally:
            store.db.close()
    path = Path(where)
    if not path.exists():
        return None
    wal = path.with_name(path.name + "-wal")
    return hashlib.sha256(path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")).hexdigest()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str) -> str:
    """The message of the one `planner: ...` line that is all of stderr."""
    assert err.startswith("planner: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err and "Error:" not in err, err
    return err.removeprefix("planner: ").removesuffix("\n")


def refused(capsys, untouched: list[Path | str], *args: str) -> str:
    """Run a command that must fail; the message, once the databases are checked unchanged."""
    before = {where: digest(where) for where in untouched}
    code, out, err = run(capsys, *args)
    assert (code, out) == (EXIT_UNUSABLE, ""), err
    message = one_line(err)
    assert {where: digest(where) for where in untouched} == before
    for path in (Path(where) for where in untouched if "://" not in str(where)):
        assert not path.with_name(path.name + ".clone-part").exists()
    return message


def edit(path: Path | str, name: str = "Acme", **values) -> None:
    """A rep's edit on one copy, through the store as the planner makes it."""
    store = open_store(str(path))
    try:
        [account] = [a for a in store.list(m.Account) if a.name == name]
        store.update(m.Account, account.id, account.version, **values)
    finally:
        store.db.close()


def set_meta(path: Path, key: str, value: str) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE planner_meta SET value = ? WHERE key = ?", (value, key))


@pytest.fixture
def ssh(tmp_path, monkeypatch) -> Path:
    """The fake ssh, as every command's default (`PLANNER_SSH_COMMAND`)."""
    fake = script(tmp_path / "ssh", FAKE_SSH)
    monkeypatch.setenv("PLANNER_SSH_COMMAND", str(fake))
    return fake


@pytest.fixture
def team(database_url) -> str:
    """A team database with one account, closed (an SQLite file's file is all there is)."""
    server = open_store(database_url, user="boss")
    try:
        make_account(server, name="Acme", region="North", revenue=100.0)
    finally:
        server.db.close()
    return database_url


def clone(capsys, team: str, laptop: Path, *extra: str) -> None:
    code, out, err = run(capsys, "clone", f"team:{team}", "--db", str(laptop), *extra)
    assert (code, err) == (0, ""), err
    assert out.startswith(f"Cloned team:{team} to {laptop} (")


@pytest.fixture
def laptop(tmp_path, team, ssh, capsys) -> Path:
    """A laptop copy of `team`, with an offline edit waiting to be sent."""
    path = tmp_path / "laptop.db"
    clone(capsys, team, path, "--remote-planner", REMOTE_PLANNER)
    edit(path, region="Offline")
    return path


# The happy path


def test_clone_edit_sync_and_a_dry_run_that_writes_nothing(tmp_path, team, ssh, capsys):
    path = tmp_path / "laptop.db"
    clone(capsys, team, path, "--remote-planner", REMOTE_PLANNER)  # no progress line off a terminal
    edit(path, region="Offline")
    before = (digest(path), digest(team))
    code, out, err = run(capsys, "sync", "--db", str(path), "--dry-run")
    assert (code, err) == (0, "")
    assert out == "Dry run (nothing written): would send 1, received 0, merged 1, conflicts 0\n"
    assert (digest(path), digest(team)) == before
    code, out, err = run(capsys, "sync", "--db", str(path))
    assert (code, err) == (0, "")
    assert out.startswith("Synced: sent 1, received 0, merged 1, conflicts 0")
    server = open_store(str(team))
    try:
        assert [a.region for a in server.list(m.Account)] == ["Offline"]
    finally:
        server.db.close()
    assert run(capsys, "sync", "--db", str(path))[1] == "Synced: sent 0, received 0, merged 0, conflicts 0\n"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_is_for_a_terminal_and_is_wiped_when_done_or_failed():
    terminal = _Terminal()
    with progress("Cloning team:/srv/team.db …", terminal):
        assert terminal.getvalue() == "Cloning team:/srv/team.db …"
    assert terminal.getvalue().endswith("…\r\033[K")
    with pytest.raises(SyncError), progress("Syncing with the team database …", terminal):
        raise SyncError("cannot reach team over SSH.")
    assert terminal.getvalue().endswith("Syncing with the team database …\r\033[K")
    piped = io.StringIO()
    with progress("Cloning team:/srv/team.db …", piped):
        pass
    assert piped.getvalue() == ""


# The host cannot be reached


@pytest.mark.parametrize("command", ["clone", "sync"])
def test_an_unreachable_host_is_one_line(tmp_path, team, request, capsys, command):
    unreachable = script(tmp_path / "unreachable-ssh", UNREACHABLE_SSH)
    laptop = request.getfixturevalue("laptop") if command == "sync" else None
    if laptop is None:
        fresh = tmp_path / "fresh.db"
        message = refused(
            capsys, [fresh, team], "clone", f"nowhere:{team}", "--db", str(fresh), "--ssh-command", str(unreachable)
        )
        host = "nowhere"
    else:
        message = refused(capsys, [laptop, team], "sync", "--db", str(laptop), "--ssh-command", str(unreachable))
        host = "team"
    assert message == (
        f"cannot reach {host} over SSH (ssh: connect to host {host} port 22: Connection refused). "
        "Nothing was written on this laptop."
    )


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the probe is: nobody listens


@pytest.mark.skipif(shutil.which("ssh") is None, reason="ssh is not installed: apt-get install openssh-client")
@pytest.mark.parametrize("command", ["clone", "sync"])
def test_real_ssh_to_a_closed_port_is_one_line(tmp_path, team, request, capsys, command):
    laptop = request.getfixturevalue("laptop") if command == "sync" else None
    port = closed_port()
    config = tmp_path / "ssh_config"
    config.write_text(
        f"Host nowhere team\n  HostName 127.0.0.1\n  Port {port}\n  BatchMode yes\n  ConnectTimeout 10\n"
        "  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n"
    )
    real = f"ssh -F {shlex.quote(str(config))}"
    if laptop is None:
        fresh = tmp_path / "fresh.db"
        message = refused(capsys, [fresh, team], "clone", f"nowhere:{team}", "--db", str(fresh), "--ssh-command", real)
        host = "nowhere"
    else:
        message = refused(capsys, [laptop, team], "sync", "--db", str(laptop), "--ssh-command", real)
        host = "team"
    assert message == (
        f"cannot reach {host} over SSH (ssh: connect to host 127.0.0.1 port {port}: Connection refused). "
        "Nothing was written on this laptop."
    )


@pytest.mark.parametrize(
    ("ssh_command", "said"),
    [
        ("no-such-ssh-here", "cannot run the SSH command 'no-such-ssh-here' (No such file or directory)"),
        ("ssh -o 'ProxyCommand", 'the SSH command (--ssh-command or $PLANNER_SSH_COMMAND) "ssh -o \'ProxyCommand"'),
    ],
)
def test_an_ssh_command_that_cannot_run_is_one_line(tmp_path, team, capsys, ssh_command, said):
    fresh = tmp_path / "fresh.db"
    message = refused(capsys, [fresh, team], "clone", f"team:{team}", "--db", str(fresh), "--ssh-command", ssh_command)
    assert message.startswith(said)


def test_a_login_script_that_prints_is_named_as_the_cause(tmp_path, team, laptop, capsys):
    """What git users know as "protocol error: bad line length character". The team side
    ran and may have merged; the laptop wrote nothing, and the next sync completes it."""
    greeting = script(tmp_path / "greeting-ssh", '#!/bin/sh\nshift\necho "Welcome to the team server!"\nsh -c "$1"\n')
    message = refused(capsys, [laptop], "sync", "--db", str(laptop), "--ssh-command", str(greeting))
    assert message == (
        "team printed 'Welcome to the team server!' where planner's answer should be: a login script there "
        "(~/.bashrc, ~/.profile) prints even for SSH commands; make it print only in interactive shells. "
        "Nothing was written on this laptop."
    )
    code, out, err = run(capsys, "sync", "--db", str(laptop))
    assert (code, err) == (0, "") and out.startswith("Synced: sent 1, received 0, ")
    assert _content(team) == _content(laptop)


# planner is not installed on the server


@pytest.mark.parametrize(
    ("remote_planner", "said"),
    [
        ("/opt/nowhere/bin/planner", "/opt/nowhere/bin/planner"),  # sh: 1: /opt/nowhere/bin/planner: not found
        ("planner-is-not-on-this-path", "planner-is-not-on-this-path"),
        (shlex.join([PYTHON, "-I", "-S", "-m", "planner"]), "No module named planner"),
    ],
    ids=["full-path", "not-on-path", "python-without-planner"],
)
def test_planner_not_installed_on_the_server_is_one_line(tmp_path, team, ssh, capsys, remote_planner, said):
    fresh = tmp_path / "fresh.db"
    message = refused(
        capsys, [fresh, team], "clone", f"team:{team}", "--db", str(fresh), "--remote-planner", remote_planner
    )
    start = "cannot run planner on team: it is not installed there, or not on the PATH of its SSH commands ("
    end = "); install it, or give its full path with --remote-planner. Nothing was written on this laptop."
    assert message.startswith(start) and message.endswith(end)
    assert said in message.removeprefix(start).removesuffix(end)


def test_planner_gone_from_the_server_since_the_clone_is_one_line(team, laptop, capsys):
    set_meta(laptop, "sync_remote_planner", "/opt/nowhere/bin/planner")  # uninstalled since
    message = refused(capsys, [laptop, team], "sync", "--db", str(laptop))
    assert message.startswith("cannot run planner on team: it is not installed there")


# No permission on the team database


@dataclass(frozen=True)
class OtherUser:
    """How to run the team side as a Unix user the team file may refuse."""

    ssh: Path
    remote_planner: str
    folder: Path  # where that user can reach a team file


def _probe(ssh: Path, remote_planner: str) -> bool:
    done = subprocess.run(
        [str(ssh), "team", f"{remote_planner} --version"], capture_output=True, timeout=60, stdin=subprocess.DEVNULL
    )
    return done.returncode == 0


def _same_version_pythons() -> list[str]:
    """This Python's version elsewhere on the PATH and in the system's folders (a Python in
    root's home, pyenv's, is out of other users' reach)."""
    name = f"python{sys.version_info.major}.{sys.version_info.minor}"
    folders = [*os.environ.get("PATH", "").split(os.pathsep), "/usr/local/bin", "/usr/bin"]
    found = {os.path.realpath(Path(folder, name)): str(Path(folder, name)) for folder in folders if folder}
    return [python for real, python in found.items() if os.access(real, os.X_OK)]


@pytest.fixture
def other_user(tmp_path) -> Iterator[OtherUser]:
    """Not root: the team side as ourselves, whom a mode-000 file refuses. Root reads any
    file, so as root the team side runs as `nobody` (setpriv), in a folder `nobody` can
    reach, with a Python `nobody` can run this planner with; skipped if there is none."""
    if os.geteuid() != 0:
        yield OtherUser(script(tmp_path / "ssh-as-me", FAKE_SSH), REMOTE_PLANNER, tmp_path)
        return
    if shutil.which("setpriv") is None:
        pytest.skip("running as root and setpriv is missing: no other user to refuse the team file to")
    nobody = pwd.getpwnam("nobody")
    folder = Path(tempfile.mkdtemp(prefix="planner-permission-"))
    try:
        folder.chmod(0o755)
        home = folder / "home"
        home.mkdir(mode=0o777)
        home.chmod(0o777)
        source = str(Path(planner.__file__).resolve().parent.parent)
        packages = f"PYTHONPATH={sysconfig.get_paths()['purelib']}:{source}"
        candidates = [(PYTHON, "")]  # this Python, when nobody may run it; else one of the same version
        candidates += [(python, packages) for python in _same_version_pythons()]  # with this planner's packages
        for python, path in candidates:
            environment = f"env HOME={home} XDG_DATA_HOME={home}/data XDG_CONFIG_HOME={home}/config {path}"
            as_nobody = script(
                folder / "ssh-as-nobody",
                "#!/bin/sh\nshift\n"
                f"exec setpriv --reuid={nobody.pw_uid} --regid={nobody.pw_gid} --clear-groups {environment} "
                'sh -c "$1"\n',
            )
            remote_planner = shlex.join([python, "-m", "planner"])
            if _probe(as_nobody, remote_planner):
                yield OtherUser(as_nobody, remote_planner, folder)
                return
        pytest.skip("running as root and user nobody cannot run this planner: no other user to refuse the file to")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", ["clone", "sync"])
def test_a_team_database_the_rep_may_not_read_is_one_line(tmp_path, team, ssh, other_user, capsys, command):
    shared = other_user.folder / "team.db"
    shutil.copyfile(team, shared)
    try:
        if command == "clone":
            fresh = tmp_path / "fresh.db"
            shared.chmod(0o000)
            message = refused(
                capsys, [fresh, shared], "clone", f"team:{shared}", "--db", str(fresh),
                "--ssh-command", str(other_user.ssh), "--remote-planner", other_user.remote_planner,
            )  # fmt: skip
        else:
            laptop = tmp_path / "laptop.db"
            clone(capsys, shared, laptop, "--remote-planner", REMOTE_PLANNER)
            edit(laptop, region="Offline")
            set_meta(laptop, "sync_remote_planner", other_user.remote_planner)
            shared.chmod(0o000)
            message = refused(
                capsys, [laptop, shared], "sync", "--db", str(laptop), "--ssh-command", str(other_user.ssh)
            )
    finally:
        shared.chmod(0o600)
    assert message == f"team: {shared} cannot be read: you have no permission to open it. Nothing was written."


DENYING_PLANNER = """\
import errno, os, pathlib, sys

# What the team side meets when its Unix user may not read the team file, for a test
# run as root (whom no file refuses): access() says no, opening raises EACCES.
denied = os.path.realpath(os.environ["PLANNER_TEST_DENIED"])
real_access, real_open = os.access, pathlib.Path.open


def refused(path):
    return os.path.realpath(os.fspath(path)) == denied


def access(path, mode, *args, **kwargs):
    return False if refused(path) else real_access(path, mode, *args, **kwargs)


def path_open(self, *args, **kwargs):
    if refused(self):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
    return real_open(self, *args, **kwargs)


os.access, pathlib.Path.open = access, path_open
from planner.cli import main

sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", ["clone", "sync"])
def test_a_refused_team_database_is_one_line_also_as_root(tmp_path, team, ssh, capsys, monkeypatch, command):
    """The same refusal where no user but root is at hand: the team side's checks see
    the answers a user without permission gets from the system (the file's bytes stay
    readable to root, so this proves the message, not the system's refusal)."""
    denying = tmp_path / "denying_planner.py"
    denying.write_text(DENYING_PLANNER)
    remote_planner = shlex.join([PYTHON, str(denying)])
    monkeypatch.setenv("PLANNER_TEST_DENIED", "/nothing/yet")
    if command == "clone":
        fresh = tmp_path / "fresh.db"
        monkeypatch.setenv("PLANNER_TEST_DENIED", str(team))
        message = refused(
            capsys, [fresh, team], "clone", f"team:{team}", "--db", str(fresh), "--remote-planner", remote_planner
        )
    else:
        laptop = tmp_path / "laptop.db"
        clone(capsys, team, laptop, "--remote-planner", remote_planner)
        edit(laptop, region="Offline")
        monkeypatch.setenv("PLANNER_TEST_DENIED", str(team))
        message = refused(capsys, [laptop, team], "sync", "--db", str(laptop))
    assert message == f"team: {team} cannot be read: you have no permission to open it. Nothing was written."


# Laptop and team at different schemas

TEAM_AT_SCHEMA = """\
import os, sys

# A team side whose planner is at another schema (PLANNER_TEST_TEAM_SCHEMA) than this one.
from planner.store import schema

schema.HEAD = os.environ.get("PLANNER_TEST_TEAM_SCHEMA") or schema.HEAD
from planner.cli import main

sys.exit(main(sys.argv[1:]))
"""


def _other_schema(step: int) -> str:
    return f"{int(schema.HEAD) + step:04d}"


@pytest.mark.parametrize(("step", "upgrade"), [(1, "this laptop"), (-1, "the team server")], ids=["newer", "older"])
@pytest.mark.parametrize("command", ["clone", "sync"])
def test_a_team_at_another_schema_refuses_naming_both_and_who_upgrades(
    tmp_path, team, ssh, capsys, monkeypatch, command, step, upgrade
):
    team_planner = tmp_path / "team_planner.py"
    team_planner.write_text(TEAM_AT_SCHEMA)
    remote_planner = shlex.join([PYTHON, str(team_planner)])
    theirs = _other_schema(step)
    laptop = tmp_path / "laptop.db"
    if command == "clone":
        monkeypatch.setenv("PLANNER_TEST_TEAM_SCHEMA", theirs)
        message = refused(
            capsys, [laptop, team], "clone", f"team:{team}", "--db", str(laptop), "--remote-planner", remote_planner
        )
    else:
        clone(capsys, team, laptop, "--remote-planner", remote_planner)
        edit(laptop, region="Offline")
        monkeypatch.setenv("PLANNER_TEST_TEAM_SCHEMA", theirs)
        message = refused(capsys, [laptop, team], "sync", "--db", str(laptop))
    assert message == (
        f"team: this laptop's planner writes schema {schema.HEAD}, the team server's schema {theirs}: "
        f"upgrade planner on {upgrade} so both are at the same version. Nothing was written."
    )


def test_a_laptop_database_newer_than_its_planner_is_refused_on_the_laptop(team, laptop, capsys):
    """A laptop copy written by a newer planner (then the planner was downgraded): the
    laptop refuses before it connects, and says to upgrade."""
    newer = _other_schema(90)
    with closing(sqlite3.connect(laptop)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (newer,))
    message = refused(capsys, [laptop, team], "sync", "--db", str(laptop))
    assert message == (
        f"{laptop} was written by a newer version of the planner (schema {newer}). "
        "Upgrade the planner to open it; the file was not changed."
    )


# The laptop database: never cloned, missing, in the way


def test_a_laptop_database_that_was_never_cloned_is_one_line(tmp_path, team, ssh, capsys):
    plain = tmp_path / "plain.db"
    open_store(str(plain)).db.close()
    message = refused(capsys, [plain, team], "sync", "--db", str(plain))
    assert message == (
        f"{plain} is not a laptop copy of a team database (it was never cloned); "
        "make one with `planner clone HOST:PATH`."
    )


def test_syncing_a_laptop_copy_that_is_not_there_creates_nothing(tmp_path, team, ssh, capsys):
    missing = tmp_path / "missing.db"
    message = refused(capsys, [missing, team], "sync", "--db", str(missing))
    assert message.startswith(f"there is no laptop copy at {missing}; make one with `planner clone HOST:PATH")
    assert list(tmp_path.glob("missing.db*")) == []


def test_cloning_into_an_existing_file_is_refused(team, laptop, capsys):
    message = refused(capsys, [laptop, team], "clone", f"team:{team}", "--db", str(laptop))
    assert message == f"{laptop} already exists; clone into a new file (--db) or sync it with `planner sync`."


@pytest.mark.parametrize("source", ["team", "/srv/planner/team.db", "team:", ":/srv/team.db", "a/b:/srv/team.db"])
def test_a_malformed_host_path_is_one_line(tmp_path, ssh, capsys, source):
    fresh = tmp_path / "fresh.db"
    message = refused(capsys, [fresh], "clone", source, "--db", str(fresh))
    assert message == f"'{source}' is not HOST:PATH (for example rep@team-server:/srv/planner/team.db)."


@pytest.mark.sqlite_only
@pytest.mark.parametrize("where", ["missing.db", "no-folder/team.db"])
def test_a_mistyped_team_path_is_refused_and_nothing_is_created_there(tmp_path, team, ssh, capsys, where):
    fresh, mistyped = tmp_path / "fresh.db", tmp_path / where
    message = refused(
        capsys, [fresh, mistyped, team], "clone", f"team:{mistyped}", "--db", str(fresh),
        "--remote-planner", REMOTE_PLANNER,
    )  # fmt: skip
    assert message == f"team: there is no team database at {mistyped}. Nothing was written."


def test_a_mistyped_team_database_name_is_refused_and_nothing_is_created(tmp_path, team, ssh, capsys, backend):
    if backend == "sqlite":
        pytest.skip("a server database's name; a mistyped SQLite path is the test above")
    fresh, mistyped = tmp_path / "fresh.db", team.replace(sa.engine.make_url(team).database, "no_such_team", 1)
    message = refused(
        capsys, [fresh, team], "clone", f"team:{mistyped}", "--db", str(fresh), "--remote-planner", REMOTE_PLANNER
    )
    assert message.startswith("team: ") and message.endswith(" Nothing was written.")
    assert 'database "no_such_team" does not exist' in message


# A sync killed mid-way

CUTTER = """\
import os, signal, subprocess, sys, threading

# ssh that runs the team side here and kills it (SIGKILL) at a chosen moment, then ends
# as ssh does when the far side is gone. PLANNER_TEST_CUT: "request" after CUT_AT bytes
# of the request reached it; "merge" as soon as the team file's write-ahead log grows or
# the reply begins (none of it gets through); "reply" after CUT_AT bytes of the reply.
mode, at = os.environ["PLANNER_TEST_CUT"], int(os.environ.get("PLANNER_TEST_CUT_AT", "0"))
wal = os.environ["PLANNER_TEST_TEAM"] + "-wal"
server = subprocess.Popen(
    ["sh", "-c", sys.argv[-1]], stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True
)
killed = threading.Event()


def kill():
    if not killed.is_set():
        killed.set()
        os.killpg(server.pid, signal.SIGKILL)


def request():
    passed = 0
    try:
        while chunk := sys.stdin.buffer.read1(65536):
            if mode == "request" and passed + len(chunk) >= at:
                server.stdin.write(chunk[: at - passed])
                server.stdin.flush()
                kill()
                return
            server.stdin.write(chunk)
            server.stdin.flush()
            passed += len(chunk)
        server.stdin.close()
    except OSError:
        pass


def reply():
    passed = 0
    while chunk := server.stdout.read1(65536):
        if killed.is_set():
            return
        if mode == "merge" or (mode == "reply" and passed + len(chunk) >= at):
            if mode == "reply":
                sys.stdout.buffer.write(chunk[: at - passed])
                sys.stdout.buffer.flush()
            kill()
            return
        sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        passed += len(chunk)


def writes():
    while not killed.is_set() and server.poll() is None:
        if os.path.exists(wal) and os.path.getsize(wal) > 0:
            kill()
        killed.wait(0.0005)


threads = [threading.Thread(target=job, daemon=True) for job in (request, reply, writes)]
for thread in threads if mode == "merge" else threads[:2]:
    thread.start()
server.wait()
threads[1].join()
if killed.is_set():
    print(f"Connection to {sys.argv[-2]} closed by remote host.", file=sys.stderr, flush=True)
    os._exit(255)
os._exit(server.returncode)
"""

MANY = 300


@pytest.mark.parametrize(
    ("cut", "at"), [("request", 2000), ("merge", 0), ("reply", 20)], ids=["in-the-request", "merging", "in-the-reply"]
)
def test_a_sync_killed_mid_way_leaves_both_as_they_were_or_merged_and_the_next_completes_it(
    tmp_path, team, ssh, capsys, monkeypatch, cut, at
):
    laptop = tmp_path / "laptop.db"
    clone(capsys, team, laptop, "--remote-planner", REMOTE_PLANNER)
    rep = open_store(str(laptop))
    try:
        for number in range(MANY):
            make_account(rep, name=f"Prospect {number}", region="East", notes="met at the fair " * 20)
    finally:
        rep.db.close()
    edit(team, revenue=250.0)  # the team's news for the laptop
    team_before, laptop_before = _content(team), digest(laptop)
    cutter = script(tmp_path / "cutting-ssh", f"#!{PYTHON}\n{CUTTER}")
    monkeypatch.setenv("PLANNER_TEST_TEAM", str(team))
    monkeypatch.setenv("PLANNER_TEST_CUT", cut)
    monkeypatch.setenv("PLANNER_TEST_CUT_AT", str(at))
    code, out, err = run(capsys, "sync", "--db", str(laptop), "--ssh-command", str(cutter))
    assert (code, out) == (EXIT_UNUSABLE, "")
    message = one_line(err)
    assert message == (
        "the SSH connection to team broke off before the team side finished "
        "(Connection to team closed by remote host); try again. Nothing was written on this laptop."
    )
    assert digest(laptop) == laptop_before
    team_after_cut = _content(team)
    if cut == "request":
        assert team_after_cut == team_before
    code, out, err = run(capsys, "sync", "--db", str(laptop))  # the ssh of every day
    assert (code, err) == (0, ""), err
    assert out.startswith(f"Synced: sent {MANY}, received 1, ")
    assert _content(team) == _content(laptop)
    assert team_after_cut in (team_before, _content(team))  # as it was, or merged whole
    server = open_store(str(team))
    try:
        assert len(server.list(m.Account)) == MANY + 1 and open_conflicts(server) == []
    finally:
        server.db.close()


def _content(path: Path | str) -> str:
    store = open_store(str(path))
    try:
        return content(store)
    finally:
        store.db.close()
