"""Helpers several test folders share (tests/ is on the import path via its conftest)."""

from __future__ import annotations

import queue
import shutil
import sqlite3
import textwrap
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from planner.store import migrate
from planner.store.connection import prepare_sqlite_file, to_url
from planner.store.db import WRITE_LOCK, parse_url, postgres_url

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


def scripts_with_a_rebuild(tmp_path: Path, recreate: str = "always") -> str:
    """The shipped migrations plus revision 9000, which rebuilds the parent table `account`
    (`recreate="auto"`: adds its column in place, as PostgreSQL can and must, since its
    foreign keys forbid dropping a parent table)."""
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
                with op.batch_alter_table("account", recreate={recreate!r}) as batch:
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


def is_postgres(url: str) -> bool:
    """Whether `url` (a path or a URL) names a PostgreSQL database."""
    return parse_url(to_url(url)).get_backend_name() == "postgresql"


def plain_engine(url: str) -> sa.Engine:
    """An engine on the database at `url` (a path or a URL) as another program would
    open it: none of the planner's hooks; dispose of it when done."""
    return sa.create_engine(postgres_url(to_url(url)), poolclass=sa.pool.NullPool)


@contextmanager
def outside_engine(url: str) -> Iterator[sa.Engine]:
    """`plain_engine` for the length of a `with`."""
    engine = plain_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def by_hand(url: str, statement: str | sa.TextClause, **params) -> list[tuple]:
    """Run one SQL statement on the database at `url` in a transaction of its own, as
    someone editing the database outside the planner would; the rows it returns."""
    with outside_engine(url) as engine, engine.begin() as connection:
        result = connection.execute(sa.text(statement) if isinstance(statement, str) else statement, params)
        return [tuple(row) for row in result] if result.returns_rows else []


@contextmanager
def holding_the_write_lock(url: str) -> Iterator[None]:
    """Another program holds the write lock of the database at `url`: SQLite's
    `BEGIN IMMEDIATE`, PostgreSQL's planner advisory lock in an open transaction."""
    if not is_postgres(url):
        with closing(sqlite3.connect(url, isolation_level=None)) as blocker:
            blocker.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                blocker.execute("ROLLBACK")
        return
    with outside_engine(url) as engine, engine.begin() as connection:
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
        yield


def snapshot(connection: sa.Connection) -> dict[str, list[str]]:
    """Every row of every table, as text: what a refused write must leave as it was."""
    tables = sorted(sa.inspect(connection).get_table_names())
    return {table: sorted(map(repr, connection.execute(sa.text(f'SELECT * FROM "{table}"')))) for table in tables}


def copy_of(url: str, target: Path, cluster=None) -> str:
    """A new database holding what the closed database at `url` holds: the file copied
    to `target`, or on PostgreSQL a database made with it as the template (`cluster`
    is the session's `pg_cluster`)."""
    if not is_postgres(url):
        copy_database(Path(url), target)
        return str(target)
    name = f"copy_{uuid.uuid4().hex[:16]}"
    cluster.psql(f'CREATE DATABASE {name} TEMPLATE "{parse_url(url).database}"')
    return cluster.url(name)


def drop_copy(url: str, cluster=None) -> None:
    """Remove a database `copy_of` made (its connections closed)."""
    if is_postgres(url):
        cluster.psql(f'DROP DATABASE "{parse_url(url).database}"')
    else:
        Path(url).unlink(missing_ok=True)


def empty_database(request, backend: str, path: Path) -> str:
    """A database with nothing in it yet: a new SQLite file at `path`, or a new
    database in the session's PostgreSQL cluster."""
    if backend == "sqlite":
        prepare_sqlite_file(path)
        return str(path)
    cluster = request.getfixturevalue("pg_cluster")
    name = f"empty_{uuid.uuid4().hex[:16]}"
    cluster.psql(f"CREATE DATABASE {name}")
    return cluster.url(name)


def assert_sound(url: str) -> None:
    """The database at `url` is whole: SQLite's integrity and foreign-key checks pass
    (a PostgreSQL server enforces its keys at every commit and has no such check)."""
    if is_postgres(url):
        return
    with closing(sqlite3.connect(url)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


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
