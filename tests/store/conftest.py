"""The tests here run on SQLite and on PostgreSQL (see `both_backends`)."""

from __future__ import annotations

import pytest
from shared_helpers import both_backends, empty_database


def pytest_generate_tests(metafunc) -> None:
    both_backends(metafunc)


@pytest.fixture
def empty_database_url(request, backend, db_path) -> str:
    """A database with nothing in it yet, of the test's backend."""
    return empty_database(request, backend, db_path)
