"""A throwaway OpenSSH server on 127.0.0.1 for the sync-over-SSH tests.

`loopback_ssh` (session-scoped) starts the machine's own `sshd` on a free high port with
keys made for the session, and hands back an ssh client config whose Host alias
`planner-test` logs in to it as the current user:

    def test_x(loopback_ssh):
        remote = shlex.join([sys.executable, "-c", "print('ok')"])  # one command line, quoted
        subprocess.run(["ssh", "-F", str(loopback_ssh.config), loopback_ssh.alias, remote])
        # or, for a tool that takes an ssh command line (rsync -e, GIT_SSH_COMMAND):
        #     loopback_ssh.ssh_command  ->  "ssh -F /tmp/.../ssh_config"

Register it in a conftest with `from sshd import loopback_ssh as loopback_ssh`
(tests/ is on the import path; `pytest_plugins` is refused in a non-root conftest).

What the remote side is (found out on a Debian 12 machine with OpenSSH 9.2, as root and as
a throwaway ordinary user):

* ssh joins its arguments into one line that the user's shell runs (`$SHELL -c LINE`):
  quote the remote command with shlex.join, or spaces and quotes in it are split again.
* The remote command runs in the user's real home folder,
  with the environment sshd builds (HOME, USER, PATH from the shell's startup files), not
  the test's: nothing set with monkeypatch.setenv, XDG_DATA_HOME and XDG_CONFIG_HOME from
  the autouse `isolated_dirs` fixture included, reaches it. A remote command must
  therefore name everything by absolute path (`sys.executable`, tmp_path files) and pass
  any variable it needs in the command itself, e.g.
  `ssh -F CONFIG planner-test env XDG_DATA_HOME=/tmp/... /abs/.venv/bin/python -m planner ...`,
  or a remote planner reads and writes the real user's files. There is no `env` field:
  ssh has no way to carry the test's environment across (SendEnv needs AcceptEnv and
  still names variables one by one).
* Bash reads ~/.bashrc for a command run over ssh, so anything it prints lands in the
  remote command's stdout.
* `Subsystem sftp internal-sftp` is set, so scp (SFTP by default since OpenSSH 9) and sftp
  work as well as plain commands.

Running sshd here:

* It is exec'd by absolute path (sshd refuses to start otherwise: "sshd re-exec requires
  execution with an absolute path"), looked up in PATH and then /usr/sbin/sshd (a non-root
  PATH usually lacks /usr/sbin). Missing, the tests that use the fixture are skipped.
* As root, sshd exits at once with "Missing privilege separation directory: /run/sshd"
  unless that folder exists: it does not on a machine where openssh-server was installed
  but never started as a service (apt's policy-rc.d forbids starting it in containers),
  so the fixture creates it. Root logs in with the key since PermitRootLogin's default,
  prohibit-password, allows keys.
* Not root, sshd starts without /run/sshd (no privilege separation to set up) and can
  only log in the user it runs as, which is the one the client config names; UsePAM no
  and StrictModes no keep it from needing anything a normal user cannot read or own.
* A user whose shell is nologin or false can log in but runs nothing, so the fixture
  skips then too, saying so.
* sshd's log (-e) goes to a file, not a pipe: a pipe nobody reads fills up over many
  logins and stalls sshd. The fixture waits for both its "Server listening on" line and a
  connection to the port (a port merely accepting could be another server that took it
  between the probe and sshd's bind; sshd then exits and the fixture tries another port),
  and quotes the log if sshd exits or is not listening within 10 s.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ALIAS = "planner-test"
START_TIMEOUT = 10.0
NOT_INSTALLED = "sshd is not installed: apt-get install openssh-server"


@dataclass(frozen=True)
class LoopbackSSH:
    """How to reach the loopback sshd.

    The remote command must use absolute paths and carries none of the test's environment
    (see the module docstring)."""

    alias: str  # "planner-test", the Host in `config`
    config: Path  # the ssh client config file: `ssh -F config alias CMD`
    ssh_command: str  # "ssh -F <config>", quoted for a shell, for rsync -e or GIT_SSH_COMMAND
    port: int
    user: str


def find_sshd() -> str | None:
    """The absolute path of sshd, or None."""
    found = shutil.which("sshd")
    if found:
        return os.path.abspath(found)
    return "/usr/sbin/sshd" if os.access("/usr/sbin/sshd", os.X_OK) else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _quote(path: Path) -> str:
    return f'"{path}"'


def _keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", path.name, "-f", str(path)],
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )


def _write_sshd_config(folder: Path, port: int) -> Path:
    config = folder / "sshd_config"
    config.write_text(
        "\n".join(
            [
                "ListenAddress 127.0.0.1",
                f"Port {port}",
                f"HostKey {_quote(folder / 'host_key')}",
                f"AuthorizedKeysFile {_quote(folder / 'authorized_keys')}",
                f"PidFile {_quote(folder / 'sshd.pid')}",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "X11Forwarding no",
                "PrintMotd no",
                "PrintLastLog no",
                "LogLevel INFO",
                "Subsystem sftp internal-sftp",
                "",
            ]
        )
    )
    return config


def _write_client_config(folder: Path, port: int, user: str) -> Path:
    config = folder / "ssh_config"
    config.write_text(
        "\n".join(
            [
                f"Host {ALIAS}",
                "    HostName 127.0.0.1",
                f"    Port {port}",
                f"    User {user}",
                f"    IdentityFile {_quote(folder / 'client_key')}",
                "    IdentitiesOnly yes",
                "    StrictHostKeyChecking no",
                "    UserKnownHostsFile /dev/null",
                "    LogLevel ERROR",
                "    BatchMode yes",
                "",
            ]
        )
    )
    return config


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _start(sshd: str, folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    """sshd listening on a free port; another port if the first was taken in between."""
    log = folder / "sshd.log"
    for _attempt in range(3):
        port = free_port()
        config = _write_sshd_config(folder, port)
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [sshd, "-D", "-e", "-f", str(config)], stdin=subprocess.DEVNULL, stdout=sink, stderr=sink
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            # sshd's own word too: a port taken in between by another server accepts as well.
            if f"Server listening on 127.0.0.1 port {port}." in log.read_text(errors="replace") and _listening(port):
                return process, port
            time.sleep(0.05)
        exited = process.poll()
        _stop(process)
        said = log.read_text(errors="replace")
        if "Address already in use" not in said:
            break
    how = f"exited with {exited}" if exited is not None else f"did not listen within {START_TIMEOUT:.0f} s"
    raise SshdFailed(f"sshd on 127.0.0.1:{port} {how}; it said:\n{said}")


class SshdFailed(RuntimeError):
    """sshd would not start (its log is in the message)."""


def why_not_runnable() -> str | None:
    """Why this machine cannot run the loopback sshd, or None when it can."""
    if find_sshd() is None:
        return NOT_INSTALLED
    for tool in ("ssh", "ssh-keygen"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed: apt-get install openssh-client"
    account = pwd.getpwuid(os.getuid())
    shell = account.pw_shell or "/bin/sh"
    if os.path.basename(shell) in ("nologin", "false") or not os.access(shell, os.X_OK):
        return f"user {account.pw_name} has no shell that runs commands over ssh ({shell})"
    return None


@contextmanager
def running_sshd(folder: Path) -> Iterator[LoopbackSSH]:
    """sshd on 127.0.0.1 with keys made in `folder`, for as long as the block runs (also
    for benchmarks, outside pytest). Call `why_not_runnable` first."""
    sshd = find_sshd()
    assert sshd is not None
    if os.geteuid() == 0:
        # Missing on a machine where the ssh service was never started: sshd refuses to run.
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    account = pwd.getpwuid(os.getuid())
    _keygen(folder / "host_key")
    _keygen(folder / "client_key")
    (folder / "authorized_keys").write_text((folder / "client_key.pub").read_text())
    process, port = _start(sshd, folder)
    client_config = _write_client_config(folder, port, account.pw_name)
    try:
        yield LoopbackSSH(
            alias=ALIAS,
            config=client_config,
            ssh_command=f"ssh -F {shlex.quote(str(client_config))}",
            port=port,
            user=account.pw_name,
        )
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def loopback_ssh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackSSH]:
    """An sshd on 127.0.0.1 for this session and a client config to log in to it as the
    current user, via the Host alias `planner-test`. Skipped when sshd, ssh or ssh-keygen
    is missing, or the user's shell cannot run commands. Remote commands get none of the
    test's environment: use absolute paths and `env VAR=...` in the command."""
    reason = why_not_runnable()
    if reason:
        pytest.skip(reason)
    try:
        with running_sshd(tmp_path_factory.mktemp("sshd")) as ssh:
            yield ssh
    except SshdFailed as error:
        pytest.fail(str(error))
