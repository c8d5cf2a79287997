"""Fixtures for the sync-over-SSH tests: `loopback_ssh`, a throwaway sshd on 127.0.0.1 (tests/sshd.py)."""

from __future__ import annotations

from sshd import loopback_ssh as loopback_ssh
