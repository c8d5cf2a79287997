"""Opening a PostgreSQL database passes the same start-up checks as an SQLite file:
a newer planner's schema, another program's tables, a server that is not there, and a
database or role that does not exist each get one clear line, and nothing is changed."""

from __future__ import annotations

import itertools
import threading

import pytest

from planner.cli import EXIT_UNUSABLE, main
from planner.core.errors import DatabaseUnavailable, NotPlannerDatabase, SchemaTooNew
from planner.store.startup import open_store

_NUMBERS = itertools.count(1)


def _new_database(cluster) -> str:
    name = f"startup_{next(_NUMBERS)}"
    cluster.psql(f"CREATE DATABASE {name}")
    return name


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_a_newer_planners_database_is_refused_untouched(pg_cluster, capsys):
    name = f"startup_{next(_NUMBERS)}"
    pg_cluster.psql(f"CREATE DATABASE {name} TEMPLATE planner_template")
    pg_cluster.psql("UPDATE alembic_version SET version_num = '9999'", name)
    with pytest.raises(SchemaTooNew, match="newer version of the planner"):
        open_store(pg_cluster.url(name))
    assert main(["check", "--db", pg_cluster.url(name)]) == EXIT_UNUSABLE
    assert "schema 9999" in _one_line(capsys)
    assert pg_cluster.psql("SELECT version_num FROM alembic_version", name) == "9999"


def test_another_programs_database_is_refused_untouched(pg_cluster):
    name = _new_database(pg_cluster)
    pg_cluster.psql("CREATE TABLE invoice (number integer PRIMARY KEY)", name)
    with pytest.raises(NotPlannerDatabase, match="another program"):
        open_store(pg_cluster.url(name))
    assert pg_cluster.psql("SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'", name) == (
        "invoice"
    )


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://rep@/team?host=/nonexistent", "Cannot reach the PostgreSQL server"),
        ("postgresql+psycopg://rep@/team?host=/nonexistent", "Cannot reach the PostgreSQL server"),
    ],
)
def test_a_server_that_is_not_there_is_one_line(url, words, capsys):
    assert main(["check", "--db", url]) == EXIT_UNUSABLE
    assert words in _one_line(capsys)


def test_a_missing_database_or_role_is_one_line(pg_cluster, capsys):
    assert main(["check", "--db", pg_cluster.url("no_such_database")]) == EXIT_UNUSABLE
    assert "does not exist" in _one_line(capsys)
    with pytest.raises(DatabaseUnavailable, match='refused the connection: role "nobody_here" does not exist'):
        open_store(pg_cluster.url("postgres", role="nobody_here"))


def test_reps_opening_a_new_database_at_once_migrate_and_seed_it_once(pg_cluster):
    name = _new_database(pg_cluster)
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def start() -> None:
        try:
            barrier.wait()
            open_store(pg_cluster.url(name), user="rep").db.close()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seeded = pg_cluster.psql("SELECT count(*), count(DISTINCT id) FROM industry", name).split("|")
    assert seeded[0] == seeded[1] != "0"
    assert pg_cluster.psql("SELECT count(*) FROM alembic_version", name) == "1"
