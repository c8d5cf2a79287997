"""A team database on PostgreSQL: the roles `init-team` makes, and a history reps cannot forge.

Each test sets up its own database and roles in the session's throwaway cluster (roles
belong to the whole cluster, so their names carry the test's number). The cluster
trusts local connections, so a test connects as any rep's role the way peer
authentication lets each rep in on a team server.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import threading

import pytest
from pgcluster import NOT_INSTALLED, Cluster, server_bin

from planner.cli import main
from planner.core import models as m
from planner.core.errors import Conflict, DatabaseUnavailable
from planner.store.startup import open_store
from planner.store.team_server import init_server_team

_NUMBERS = itertools.count(1)


class Team:
    def __init__(self, cluster, number: int):
        self.cluster = cluster
        self.database = f"team_{number}"
        self.group, self.owner = f"sales_{number}", f"owner_{number}"
        self.ann, self.bob = f"ann_{number}", f"bob_{number}"

    def url(self, role: str = "postgres") -> str:
        return self.cluster.url(self.database, role=role)

    def sql(self, statement: str, role: str = "postgres") -> str:
        return self.cluster.psql(statement, self.database, role=role)

    def store(self, role: str, *, claims: str | None = None):
        """A planner connected as `role`, whose client says it is `claims`."""
        return open_store(self.url(role), user=claims or role)

    def log(self, row_id: str) -> list[tuple[str, str, dict]]:
        rows = self.sql(f"SELECT action, who, changes FROM changelog WHERE row_id = '{row_id}' ORDER BY seq")
        return [
            (action, who, json.loads(changes)) for action, who, changes in (r.split("|", 2) for r in rows.splitlines())
        ]


@pytest.fixture
def team(pg_cluster) -> Team:
    made = Team(pg_cluster, next(_NUMBERS))
    init_server_team(made.url(), made.group, owner=made.owner, reps=(made.ann, made.bob))
    return made


def test_init_team_makes_the_roles_owns_the_tables_by_the_owner_and_prints_the_set_up(pg_cluster, capsys):
    made = Team(pg_cluster, next(_NUMBERS))
    args = ["init-team", made.url(), "--group", made.group, "--owner", made.owner, "--rep", made.ann]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"local   {made.database}   +{made.group}   peer" in out
    assert f"planner --db postgresql:///{made.database}" in out
    assert made.sql("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'") == made.owner
    assert made.sql(f"SELECT rolcanlogin FROM pg_roles WHERE rolname = '{made.group}'") == "f"
    assert made.sql(f"SELECT pg_has_role('{made.ann}', '{made.group}', 'MEMBER')") == "t"
    assert made.sql("SELECT value FROM planner_meta WHERE key = 'kind'") == "team"
    industries = made.sql("SELECT count(*) FROM industry")
    assert main(args) == 0, "running it again (after an upgrade, for a new rep) renews the grants"
    assert made.sql("SELECT count(*) FROM industry") == industries


def test_a_reps_saves_carry_their_role_whatever_the_client_claims(team):
    bob = team.store(team.bob, claims=team.ann)
    try:
        account = bob.create(m.Account, name="Acme")
        bob.update(m.Account, account.id, account.version, notes="met the buyer")
    finally:
        bob.db.close()
    assert [(action, who) for action, who, _ in team.log(account.id)] == [("insert", team.bob), ("update", team.bob)]
    assert team.sql(f"SELECT updated_by FROM account WHERE id = '{account.id}'") == team.bob


def test_the_change_log_is_append_only_for_reps(team):
    ann = team.store(team.ann)
    try:
        account = ann.create(m.Account, name="Acme")
    finally:
        ann.db.close()
    for forgery in (
        f"UPDATE changelog SET who = '{team.ann}'",
        "DELETE FROM changelog",
        "TRUNCATE changelog",
        "ALTER TABLE changelog DISABLE TRIGGER USER",
        "DROP TRIGGER planner_changelog_author ON changelog",
    ):
        with pytest.raises(RuntimeError, match=r"permission denied|must be owner"):
            team.sql(forgery, role=team.bob)
    team.sql(
        "INSERT INTO changelog (id, seq, table_name, row_id, action, who, at, changes, site, hlc) "
        f"VALUES ('forged1', 100000, 'account', '{account.id}', 'update', '{team.ann}', now(), '{{}}', '', 0)",
        role=team.bob,
    )
    assert team.sql("SELECT who FROM changelog WHERE id = 'forged1'") == team.bob
    assert [who for _, who, _ in team.log(account.id)] == [team.ann, team.bob]


def test_a_hand_typed_update_lands_in_the_change_log_under_the_reps_own_role(team):
    ann = team.store(team.ann)
    try:
        account = ann.create(m.Account, name="Acme", notes="")
        person = ann.create(m.Person, account_id=account.id, name="Wang Li")
    finally:
        ann.db.close()
    team.sql(
        f"UPDATE account SET name = 'Acme (forged)', updated_by = '{team.ann}' WHERE id = '{account.id}'",
        role=team.bob,
    )
    team.sql(f"UPDATE person SET deleted_at = now() WHERE id = '{person.id}'", role=team.bob)
    action, who, changes = team.log(account.id)[-1]
    assert (action, who) == ("update", team.bob)
    assert changes == {"name": ["Acme", "Acme (forged)"]}
    assert team.sql(f"SELECT updated_by FROM account WHERE id = '{account.id}'") == team.bob
    assert team.log(person.id)[-1][:2] == ("delete", team.bob)
    with pytest.raises(RuntimeError, match="permission denied"):
        team.sql(f"DELETE FROM person WHERE id = '{person.id}'", role=team.bob)

    reader = team.store(team.ann)
    try:
        entries = reader.history(m.Account, account.id)
    finally:
        reader.db.close()
    assert entries[0].who == team.bob, "the planner's history shows who really changed it"


def test_a_conflict_names_the_role_that_saved_first(team):
    ann, bob = team.store(team.ann), team.store(team.bob, claims="somebody else")
    try:
        account = ann.create(m.Account, name="Acme")
        bob.update(m.Account, account.id, account.version, notes="bob's")
        with pytest.raises(Conflict) as raised:
            ann.update(m.Account, account.id, account.version, notes="ann's")
    finally:
        ann.db.close()
        bob.db.close()
    assert raised.value.who == team.bob


def test_writers_at_once_never_draw_the_same_seq(team):
    stores = [team.store(rep) for rep in (team.ann, team.bob, team.ann, team.bob)]
    errors: list[BaseException] = []

    def write(store) -> None:
        try:
            for number in range(20):
                store.create(m.Account, name=f"Account {number}")
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.db.close()
    assert errors == []
    count, first, last = team.sql("SELECT count(*), min(seq), max(seq) FROM changelog").split("|")
    assert int(last) - int(first) + 1 == int(count), "seq runs without gaps or repeats"
    assert team.sql("SELECT count(*) FROM changelog WHERE table_name = 'account'") == "80"


@pytest.mark.parametrize(
    ("group", "words"),
    [("Sales Team", "cannot be the group"), ("sales;drop", "cannot be the group"), ("", "cannot be the group")],
)
def test_names_that_are_not_plain_logins_are_refused(pg_cluster, group, words):
    with pytest.raises(DatabaseUnavailable, match=words):
        init_server_team(pg_cluster.url("never_made"), group)
    assert pg_cluster.psql("SELECT count(*) FROM pg_database WHERE datname = 'never_made'") == "0"


@pytest.fixture
def peer_cluster():
    """A cluster of its own whose reps get in by peer authentication only (the team
    server's set-up), with two throwaway Unix users as the reps."""
    if os.geteuid() != 0 or not shutil.which("useradd") or server_bin() is None:
        pytest.skip("needs root (to add Unix users) and PostgreSQL's server: " + NOT_INSTALLED)
    cluster = Cluster.start()
    logins = [f"peer{os.getpid()}{n}" for n in "ab"]
    try:
        hba = cluster.folder / "data" / "pg_hba.conf"
        hba.write_text("local all postgres trust\nlocal all all peer\n")
        cluster.folder.chmod(0o711)
        cluster.socket_dir.chmod(0o755)
        cluster.psql("SELECT pg_reload_conf()")
        for login in logins:
            subprocess.run(["useradd", "--no-create-home", login], check=True)
        yield cluster, logins
    finally:
        for login in logins:
            subprocess.run(["userdel", login], check=False, capture_output=True)
        cluster.stop()


def _psql_as(cluster, login: str, sql: str, *, role: str | None = None) -> subprocess.CompletedProcess:
    command = [str(cluster.bin / "psql"), "-h", str(cluster.socket_dir), "-d", "team", "-XAtq", "-c", sql]
    if role:
        command += ["-U", role]
    return subprocess.run(["runuser", "-u", login, "--", *command], capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_reps_get_in_by_their_unix_login_and_only_as_themselves(peer_cluster, capsys):
    cluster, (ann, bob) = peer_cluster
    assert main(["init-team", cluster.url("team"), "--group", "sales", "--rep", ann, "--rep", bob]) == 0
    hba_line = next(line.strip() for line in capsys.readouterr().out.splitlines() if "peer" in line and "+" in line)
    hba = cluster.folder / "data" / "pg_hba.conf"
    hba.write_text(f"local all postgres trust\n{hba_line}\n")
    cluster.psql("SELECT pg_reload_conf()")
    admin = open_store(cluster.url("team"), user="admin")
    try:
        account = admin.create(m.Account, name="Acme").id
    finally:
        admin.db.close()
    assert _psql_as(cluster, ann, "SELECT current_user").stdout.strip() == ann
    as_other = _psql_as(cluster, ann, "SELECT 1", role=bob)
    assert as_other.returncode != 0 and "Peer authentication failed" in as_other.stderr
    changed = _psql_as(cluster, ann, f"UPDATE account SET notes = 'by hand' WHERE id = '{account}'")
    assert changed.returncode == 0, changed.stderr
    assert (
        cluster.psql(f"SELECT who, action FROM changelog WHERE row_id = '{account}' ORDER BY seq DESC LIMIT 1", "team")
        == f"{ann}|update"
    )


def test_what_the_grants_forbid_is_one_clear_sentence(team):
    bob = team.store(team.bob)
    try:
        with (
            pytest.raises(DatabaseUnavailable, match="does not let your role do that; nothing was changed"),
            bob.db.write_connection() as connection,
        ):
            connection.exec_driver_sql("DELETE FROM changelog")
    finally:
        bob.db.close()
    assert int(team.sql("SELECT count(*) FROM changelog")) > 0
