"""Fixtures for the sync-over-SSH tests: `loopback_ssh`, a throwaway sshd on 127.0.0.1 (tests/sshd.py)."""

from __future__ import annotations

from shared_helpers import both_backends
from sshd import loopback_ssh as loopback_ssh


def pytest_generate_tests(metafunc) -> None:
    both_backends(metafunc)
