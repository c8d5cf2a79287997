"""The tests here run on SQLite and on PostgreSQL (see `both_backends`)."""

from __future__ import annotations

from shared_helpers import both_backends


def pytest_generate_tests(metafunc) -> None:
    both_backends(metafunc)
