"""The throwaway sshd answers: a command run through the client config's Host alias comes back."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_a_command_runs_over_the_loopback_sshd(loopback_ssh) -> None:
    assert loopback_ssh.alias == "planner-test"
    done = subprocess.run(
        # ssh hands the remote shell one command line: quote it as a whole.
        ["ssh", "-F", str(loopback_ssh.config), loopback_ssh.alias, shlex.join([sys.executable, "-c", "print('ok')"])],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok\n", "")
