"""The way to the team database: `ssh HOST planner sync-serve --db PATH`, as git runs
`git-upload-pack`, over the rep's own SSH (their keys, their `~/.ssh/config`).

`--ssh-command` or `PLANNER_SSH_COMMAND` replace `ssh` (as `GIT_SSH_COMMAND` does for
git); tests use that to run the team side as a local subprocess. When the far side
ends without a whole reply, what it printed on stderr says why in one line.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import threading
from contextlib import suppress
from dataclasses import dataclass, field
from typing import IO, Protocol

from planner.core.sync import Remote, SyncError

ENV_SSH = "PLANNER_SSH_COMMAND"
SSH_FAILED = 255  # what ssh exits with when it could not connect or log in
NOT_FOUND = 127  # what a shell exits with for a command it cannot find


class Channel(Protocol):
    """Bytes to and from `planner sync-serve`."""

    @property
    def outgoing(self) -> IO[bytes]: ...

    @property
    def incoming(self) -> IO[bytes]: ...

    def failure(self) -> str:
        """Why the far side stopped, once a reply came back cut short."""
        ...

    def close(self) -> None: ...


def ssh_command(given: str | None, remembered: str = "") -> str:
    return given or os.environ.get(ENV_SSH) or remembered or "ssh"


def serve_command(remote: Remote, remote_planner: str) -> str:
    """The command line the far side's shell runs."""
    return shlex.join([*shlex.split(remote_planner or "planner"), "sync-serve", "--db", remote.path])


@dataclass
class SshChannel:
    remote: Remote
    command: str
    remote_planner: str
    process: subprocess.Popen[bytes] = field(init=False)
    _errors: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        argv = [*shlex.split(self.command), self.remote.host, serve_command(self.remote, self.remote_planner)]
        try:
            self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as error:
            raise SyncError(f"cannot run the SSH command {argv[0]!r}: {error.strerror or error}.") from error
        assert self.process.stderr is not None
        threading.Thread(target=self._drain, args=(self.process.stderr,), daemon=True).start()

    def _drain(self, stream: IO[bytes]) -> None:
        while chunk := stream.read(4096):
            self._errors.append(chunk)

    @property
    def outgoing(self) -> IO[bytes]:
        assert self.process.stdin is not None
        return self.process.stdin

    @property
    def incoming(self) -> IO[bytes]:
        assert self.process.stdout is not None
        return self.process.stdout

    def failure(self) -> str:
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        said = b"".join(self._errors).decode("utf-8", "replace").strip().splitlines()
        last = said[-1].strip() if said else f"exit code {code}"
        host = self.remote.host
        if code == NOT_FOUND or last.endswith("not found"):
            return (
                f"planner is not installed on {host}, or not on the PATH its SSH commands get ({last}); "
                f"install it there, or give its full path with --remote-planner."
            )
        if code == SSH_FAILED:
            return f"cannot reach {host} over SSH: {last}"
        return f"the team side on {host} stopped before it answered: {last}"

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with suppress(OSError):
                    stream.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
