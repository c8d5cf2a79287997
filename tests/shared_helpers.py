"""Helpers several test folders share (tests/ is on the import path via its conftest)."""

from __future__ import annotations

import queue
import shutil
import sqlite3
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest

from planner.store import migrate

PACKAGE_SCRIPTS = Path(migrate.__file__).parent / "migrations"


def copy_database(template: Path, target: Path) -> None:
    """A test's own copy of a closed (fully checkpointed) template database."""
    assert not template.with_name(template.name + "-wal").exists(), "the template must be closed"
    shutil.copyfile(template, target)
    target.chmod(0o600)


def trash_page(path: Path, pgno: int) -> None:
    """Overwrite page `pgno` (1-based) with bytes no page can hold."""
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    size = 65536 if size == 1 else size
    data[(pgno - 1) * size : pgno * size] = b"\xa5" * size
    path.write_bytes(bytes(data))


def make_damaged(template: Path, target: Path) -> Path:
    """A planner database with a corrupt page in the middle (the account table's root)."""
    target.write_bytes(template.read_bytes())
    target.chmod(0o600)
    with closing(sqlite3.connect(f"{target.as_uri()}?immutable=1", uri=True)) as connection:
        (root,) = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'account'").fetchone()
    trash_page(target, root)
    return target


def scripts_with_a_rebuild(tmp_path: Path) -> str:
    """The shipped migrations plus revision 9000, which rebuilds the parent table `account`."""
    scripts = tmp_path / "scripts"
    shutil.copytree(PACKAGE_SCRIPTS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9000_rebuild_account.py").write_text(
        textwrap.dedent(
            f"""
            import sqlalchemy as sa
            from alembic import op

            revision = "9000"
            down_revision = {migrate.head_revision()!r}
            branch_labels = None
            depends_on = None


            def upgrade():
                with op.batch_alter_table("account", recreate="always") as batch:
                    batch.add_column(sa.Column("website", sa.String(), nullable=True))


            def downgrade():
                pass
            """
        )
    )
    return str(scripts)


def collect(procs: list, results, timeout: float, what: str = "processes") -> list:
    """One report per process from `results` within `timeout`, then join (or kill) them all."""
    reports = []
    deadline = time.monotonic() + timeout
    try:
        for _ in procs:
            reports.append(results.get(timeout=max(1, deadline - time.monotonic())))
    except queue.Empty:
        pytest.fail(f"{what} did not finish within {timeout}s; got {len(reports)} reports")
    finally:
        for proc in procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
                proc.join()
    return reports


def both_backends(metafunc) -> None:
    """`pytest_generate_tests` for the folders whose tests run on SQLite and on
    PostgreSQL: a test that uses the database runs on each, unless it is marked
    `sqlite_only` (it is about the SQLite file itself)."""
    if "backend" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("sqlite_only")
        metafunc.parametrize("backend", ["sqlite"] if only else ["sqlite", "postgresql"])


SLOW_FOLDERS = ("tui", "reliability")


def pytest_collection_modifyitems(items) -> None:
    """The app driven through Pilot and the multi-process proofs take seconds each:
    `pytest -m "not slow"` leaves them out for a quick inner loop; CI runs them all."""
    for item in items:
        if Path(item.fspath).parent.name in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)
