"""The way to the team database: `ssh HOST planner sync-serve --db PATH`, as git runs
`git-upload-pack`, over the rep's own SSH (their keys, their `~/.ssh/config`).

`--ssh-command` or `PLANNER_SSH_COMMAND` replace `ssh` (as `GIT_SSH_COMMAND` does for
git); tests use that to run the team side as a local subprocess. When the far side
ends without a whole reply, what it printed on stderr says why in one line: the last
line, which for ssh is its own complaint and for a Python that crashed is the
exception, never the traceback above it.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import threading
from contextlib import suppress
from dataclasses import dataclass, field
from typing import IO, Protocol, cast

from planner.core.i18n import _
from planner.core.sync import Remote, SyncError

ENV_SSH = "PLANNER_SSH_COMMAND"
SSH_FAILED = 255  # what ssh exits with when it could not connect or log in
NOT_FOUND = 127  # what a shell exits with for a command it cannot find
NOT_RUNNABLE = 126  # what a shell exits with for a file it found but may not run
LONGEST = 300  # of the far side's last line, quoted in ours
GREETING = 64  # of the far side's stdout, kept to tell a login script's greeting from an answer
NO_PLANNER = ("not found", "no module named planner", "no module named 'planner'", "command not found")


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


def _words(command: str, what: str) -> list[str]:
    """A command line split as a shell would, or one sentence on why it cannot be."""
    try:
        words = shlex.split(command)
    except ValueError as error:  # an unclosed quote, a lone backslash
        raise SyncError(
            _("{what} {command!r} cannot be read as a command line ({error}).").format(
                what=what, command=command, error=error
            )
        ) from None
    if not words:
        raise SyncError(_("{what} is empty.").format(what=what))
    return words


def serve_command(remote: Remote, remote_planner: str) -> str:
    """The command line the far side's shell runs."""
    planner = _words(remote_planner or "planner", _("the remote planner command (--remote-planner)"))
    return shlex.join([*planner, "sync-serve", "--db", remote.path])


class _Watched:
    """The far side's stdout as the client reads it, remembering how it began: whether
    anything came back at all, and whether it was planner's answer or a login script's
    greeting."""

    def __init__(self, stream: IO[bytes]):
        self.stream, self.start = stream, b""

    def _seen(self, data: bytes) -> bytes:
        if len(self.start) < GREETING:
            self.start += data[: GREETING - len(self.start)]
        return data

    def read(self, size: int = -1) -> bytes:
        return self._seen(self.stream.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._seen(self.stream.readline(size))

    def close(self) -> None:
        self.stream.close()

    def greeting(self) -> str | None:
        """What came back first when it was not planner's answer (a frame's header)."""
        if not self.start or any(self.start.startswith(kind + b" ") for kind in (b"json", b"chunk")):
            return None
        first = self.start.decode("utf-8", "replace").strip().splitlines()
        return first[0] if first else None


@dataclass
class SshChannel:
    remote: Remote
    command: str
    remote_planner: str
    process: subprocess.Popen[bytes] = field(init=False)
    _errors: list[bytes] = field(default_factory=list)
    _drainer: threading.Thread = field(init=False)
    _incoming: _Watched = field(init=False)

    def __post_init__(self) -> None:
        ssh = _words(self.command, _("the SSH command (--ssh-command or ${variable})").format(variable=ENV_SSH))
        argv = [*ssh, self.remote.host, serve_command(self.remote, self.remote_planner)]
        try:
            self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as error:
            raise SyncError(
                _("cannot run the SSH command {command!r} ({reason}); check --ssh-command or ${variable}.").format(
                    command=argv[0], reason=error.strerror or error, variable=ENV_SSH
                )
            ) from error
        assert self.process.stderr is not None and self.process.stdout is not None
        self._incoming = _Watched(self.process.stdout)
        self._drainer = threading.Thread(target=self._drain, args=(self.process.stderr,), daemon=True)
        self._drainer.start()

    def _drain(self, stream: IO[bytes]) -> None:
        while chunk := stream.read(4096):
            self._errors.append(chunk)

    @property
    def outgoing(self) -> IO[bytes]:
        assert self.process.stdin is not None
        return self.process.stdin

    @property
    def incoming(self) -> IO[bytes]:
        return cast(IO[bytes], self._incoming)

    def failure(self) -> str:
        """One sentence, ending in a full stop, from the exit code and the last line of stderr."""
        host = self.remote.host
        greeting = self._incoming.greeting()
        self._close_streams()  # a far side still writing (a clone) gets EPIPE and ends, not a 30 s wait
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._drainer.join(timeout=5)  # all of stderr, not what the thread had read when the process ended
        if greeting is not None:
            return _(
                "{host} printed {greeting!r} where planner's answer should be: a login script there "
                "(~/.bashrc, ~/.profile) prints even for SSH commands; make it print only in interactive shells."
            ).format(host=host, greeting=greeting[:60])
        said = [line.strip() for line in b"".join(self._errors).decode("utf-8", "replace").splitlines()]
        said = [line for line in said if line]
        if not said:
            last = (
                _("it ended with exit code {code} and said nothing").format(code=code) if code else _("it said nothing")
            )
        else:
            last = said[-1].removeprefix("planner: ").removesuffix(".")  # a planner there names itself
            last = last if len(last) <= LONGEST else last[: LONGEST - 1] + "…"
        if code == SSH_FAILED:
            if self._incoming.start or "closed by remote host" in last:
                return _(
                    "the SSH connection to {host} broke off before the team side finished ({last}); try again."
                ).format(host=host, last=last)
            return _("cannot reach {host} over SSH ({last}).").format(host=host, last=last)
        if code == NOT_FOUND or any(last.lower().endswith(sign) for sign in NO_PLANNER):
            return _(
                "cannot run planner on {host}: it is not installed there, or not on the PATH of its SSH "
                "commands ({last}); install it, or give its full path with --remote-planner."
            ).format(host=host, last=last)
        if code == NOT_RUNNABLE:
            return _("the planner command on {host} cannot be run ({last}); check --remote-planner.").format(
                host=host, last=last
            )
        return _("the team side on {host} stopped before it finished ({last}).").format(host=host, last=last)

    def _close_streams(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with suppress(OSError):
                    stream.close()

    def close(self) -> None:
        self._close_streams()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
