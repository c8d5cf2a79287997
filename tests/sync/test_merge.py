"""Two laptops and the team database: field-by-field merges, conflicts kept, nothing lost."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date

import pytest
import sqlalchemy as sa
from records import make_account
from replicas import content, make_laptop, open_conflicts, sync

from planner.core import models as m
from planner.core.errors import PlannerError, ValidationError
from planner.core.identity import current_user
from planner.store.startup import open_store
from planner.store.sync import tables


@pytest.fixture
def team(store, database_url):
    """The team database (SQLite or PostgreSQL) with one account."""
    account = make_account(store, name="Acme", region="North", revenue=100.0)
    return store, database_url, account


def test_edits_to_different_fields_both_survive(team, tmp_path):
    server, team_db, acme = team
    laptop = make_laptop(team_db, tmp_path / "laptop.db")
    server.update(m.Account, acme.id, acme.version, region="South")
    mine = laptop.get(m.Account, acme.id)
    laptop.update(m.Account, acme.id, mine.version, profit=7.0)
    report = sync(laptop, team_db)
    assert (report.sent, report.received, report.conflicts) == (1, 1, 0)
    for side in (server, laptop):
        got = side.get(m.Account, acme.id)
        assert (got.region, got.profit) == ("South", 7.0)
    assert content(server) == content(laptop)
    assert sync(laptop, team_db).sent == 0 and sync(laptop, team_db).received == 0


def test_same_field_edits_pick_one_winner_and_keep_the_other_as_a_conflict(team, tmp_path):
    server, team_db, acme = team
    one = make_laptop(team_db, tmp_path / "one.db", user="rep1")
    two = make_laptop(team_db, tmp_path / "two.db", user="rep2")
    one.update(m.Account, acme.id, acme.version, region="East")
    two.update(m.Account, acme.id, acme.version, region="West")
    sync(one, team_db)
    assert sync(two, team_db).conflicts == 1
    sync(one, team_db)
    assert content(server) == content(one) == content(two)
    region = server.get(m.Account, acme.id).region
    for side in (server, one, two):
        [conflict] = open_conflicts(side)
        assert (conflict.row_id, conflict.field) == (acme.id, "region")
        assert {json.loads(conflict.kept), json.loads(conflict.other)} == {"East", "West"}
        assert json.loads(conflict.kept) == region


@pytest.mark.parametrize("first", ["deleter", "editor"])
def test_a_delete_against_an_edit_stays_deleted_and_a_restore_brings_the_edit(team, tmp_path, first):
    server, team_db, acme = team
    one = make_laptop(team_db, tmp_path / "one.db")
    two = make_laptop(team_db, tmp_path / "two.db")
    one.delete(m.Account, acme.id, acme.version)
    two.update(m.Account, acme.id, acme.version, revenue=555.0)
    order = [one, two] if first == "deleter" else [two, one]
    sync(order[0], team_db)
    assert sync(order[1], team_db).conflicts == 1
    sync(order[0], team_db)
    for side in (server, one, two):
        assert side.list(m.Account) == []
        [conflict] = open_conflicts(side)
        assert conflict.kind == "deleted" and json.loads(conflict.other) == {"revenue": 555.0}
    one.restore(m.Account, acme.id)
    sync(one, team_db)
    sync(two, team_db)
    for side in (server, one, two):
        assert side.get(m.Account, acme.id).revenue == 555.0


@pytest.mark.parametrize("first", ["one", "two"])
def test_two_laptops_in_either_order_end_identical(team, tmp_path, first):
    server, team_db, acme = team
    laptops = {"one": make_laptop(team_db, tmp_path / "one.db"), "two": make_laptop(team_db, tmp_path / "two.db")}
    laptops["one"].update(m.Account, acme.id, acme.version, region="East", profit=1.0)
    laptops["two"].update(m.Account, acme.id, acme.version, region="West", notes="two")
    make_account(laptops["two"], name="Beta")
    order = [first, "two" if first == "one" else "one"]
    for name in order + order:
        sync(laptops[name], team_db)
    assert content(server) == content(laptops["one"]) == content(laptops["two"])
    assert len(open_conflicts(server)) == len(open_conflicts(laptops["one"])) == 1
    for name in order:
        report = sync(laptops[name], team_db)
        assert (report.sent, report.received) == (0, 0)


def test_the_history_on_the_team_shows_the_laptop_reps_edit_at_its_time(team, tmp_path):
    server, team_db, acme = team
    laptop = make_laptop(team_db, tmp_path / "laptop.db")
    laptop.update(m.Account, acme.id, acme.version, region="Offline")
    edited = laptop.history(m.Account, acme.id)[0]
    sync(laptop, team_db)
    newest = server.history(m.Account, acme.id)[0]
    assert (newest.who, newest.when, newest.lines) == (edited.who, edited.when, edited.lines)


def test_changes_claimed_for_another_rep_are_recorded_as_the_connecting_user(team, tmp_path):
    server, team_db, acme = team
    laptop = make_laptop(team_db, tmp_path / "laptop.db", user="someone-else")
    laptop.update(m.Account, acme.id, acme.version, region="Forged")
    report = sync(laptop, team_db)
    assert report.reattributed == 1 and any("recorded as" in line for line in report.lines())
    assert server.history(m.Account, acme.id)[0].who == current_user()
    assert laptop.history(m.Account, acme.id)[0].who == current_user()


def test_a_dry_run_writes_nothing_on_either_side(team, tmp_path):
    server, team_db, acme = team
    laptop = make_laptop(team_db, tmp_path / "laptop.db")
    laptop.update(m.Account, acme.id, acme.version, region="Maybe")
    server.update(m.Account, acme.id, acme.version, profit=3.0)
    before = (content(server), content(laptop))
    report = sync(laptop, team_db, dry_run=True)
    assert (report.sent, report.received, report.dry_run) == (1, 1, True)
    assert (content(server), content(laptop)) == before
    assert sync(laptop, team_db).sent == 1


@pytest.mark.parametrize("cut", [{"cut_request": 10}, {"cut_request": 200}, {"cut_reply": 5}, {"cut_reply": 300}])
def test_a_cut_sync_leaves_both_as_they_were_or_merged_and_the_next_completes_it(team, tmp_path, cut):
    server, team_db, acme = team
    laptop = make_laptop(team_db, tmp_path / "laptop.db")
    laptop.update(m.Account, acme.id, acme.version, region="Lobby")
    server.update(m.Account, acme.id, acme.version, profit=9.0)
    laptop_before = content(laptop)
    with pytest.raises(PlannerError, match="Nothing was written on this laptop"):
        sync(laptop, team_db, **cut)
    assert content(laptop) == laptop_before
    sync(laptop, team_db)
    assert content(server) == content(laptop)
    got = server.get(m.Account, acme.id)
    assert (got.region, got.profit) == ("Lobby", 9.0)
    assert open_conflicts(server) == []


def test_two_new_accounts_of_one_name_are_listed_as_possible_duplicates(team, tmp_path):
    _, team_db, _ = team
    one = make_laptop(team_db, tmp_path / "one.db")
    two = make_laptop(team_db, tmp_path / "two.db")
    make_account(one, name="Delta Bank")
    make_account(two, name="ＤＥＬＴＡ bank")
    sync(one, team_db)
    assert sync(two, team_db).duplicates == 1
    sync(one, team_db)
    assert [c.kind for c in open_conflicts(one)] == ["duplicate"]


def test_a_laptop_that_was_never_cloned_is_told_so(team, tmp_path):
    _, team_db, _ = team
    plain = open_store(str(tmp_path / "plain.db"))
    with pytest.raises(PlannerError, match="never cloned"):
        sync(plain, team_db)


def test_a_conflict_is_resolved_on_one_copy_and_every_copy_learns_it(team, tmp_path):
    server, team_db, acme = team
    one = make_laptop(team_db, tmp_path / "one.db")
    server.update(m.Account, acme.id, acme.version, region="Server")
    one.update(m.Account, acme.id, acme.version, region="Laptop")
    sync(one, team_db)
    [view] = one.sync_conflicts()
    assert view.field_label == "Region" and {view.kept, view.other} == {"Server", "Laptop"}
    assert one.replica_status().open_conflicts == 1
    one.resolve_conflict(view.id, view.version, "other")
    assert one.get(m.Account, acme.id).region == view.other
    assert one.replica_status().waiting == 2  # the edit and the resolution
    sync(one, team_db)
    assert server.sync_conflicts() == [] and server.get(m.Account, acme.id).region == view.other
    assert content(server) == content(one)


def test_typing_a_new_value_checks_it_like_any_edit(team, tmp_path):
    server, team_db, acme = team
    one = make_laptop(team_db, tmp_path / "one.db")
    server.update(m.Account, acme.id, acme.version, revenue=1.0)
    one.update(m.Account, acme.id, acme.version, revenue=2.0)
    sync(one, team_db)
    [view] = one.sync_conflicts()
    with pytest.raises(ValidationError):
        one.resolve_conflict(view.id, view.version, "new", "lots")
    one.resolve_conflict(view.id, view.version, "new", 3.0)
    assert one.get(m.Account, acme.id).revenue == 3.0 and one.sync_conflicts() == []


SKIPPED = ("version", "updated_at", "updated_by")


def _raw(path, table: str, row_id: str) -> dict:
    """A row as the SQLite file stores it."""
    with closing(sqlite3.connect(path)) as connection:
        connection.row_factory = sqlite3.Row
        row = dict(connection.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone())
    return {k: v for k, v in row.items() if k not in SKIPPED}


def _typed(store, model, row_id: str) -> dict:
    """A row as the database's driver gives it to SQLAlchemy, in Python's types."""
    table = m.table_of(model)
    with store.db.read() as session:
        row = session.connection().execute(sa.select(table).where(table.c.id == row_id)).one()._mapping
    return {k: v for k, v in row.items() if k not in SKIPPED}


def test_a_merged_row_is_stored_byte_for_byte_as_the_orm_stores_it(team, tmp_path, backend):
    """The merge writes with the driver alone: times, days, flags and numbers must land in
    the very form SQLAlchemy gives them, or copies would differ where no one looks (on
    PostgreSQL, which has no bytes to compare: as the same values of the same types)."""
    server, team_db, acme = team
    laptop_db = tmp_path / "laptop.db"
    laptop = make_laptop(team_db, laptop_db)
    purchase = server.create(m.Purchase, account_id=acme.id, purchased_on=date(2026, 1, 2), amount=99.5)
    visit = laptop.create(
        m.Visit, account_id=acme.id, visited_on=date(2026, 11, 3), appointment_made=True, next_step="Call",
        next_step_date=date(2026, 11, 10),
    )  # fmt: skip
    laptop.update(m.Account, acme.id, acme.version, revenue=12.5, influence=4, cadence_days=9)
    sync(laptop, team_db)
    for model, row_id in ((m.Visit, visit.id), (m.Account, acme.id), (m.Purchase, purchase.id)):
        if backend == "sqlite":
            table = m.table_name(model)
            assert _raw(team_db, table, row_id) == _raw(laptop_db, table, row_id)
        assert _typed(server, model, row_id) == _typed(laptop, model, row_id)


def test_the_merge_knows_every_synced_table():
    assert tuple(m.table_name(model) for model in m.SYNCED) == tables.SYNCED_TABLES


def test_a_role_the_team_database_does_not_let_write_is_told_so_and_nothing_is_written(
    team, tmp_path, backend, request
):
    """On PostgreSQL each rep's sync-serve connects as their own role: a role that may
    read but not write gets the server's refusal in a rep's words, raised by the merge's
    own driver statements, and the team database as it was."""
    if backend == "sqlite":
        pytest.skip("roles and grants are PostgreSQL's; an SQLite file's permissions are test_sync_cli's")
    server, team_db, acme = team
    cluster = request.getfixturevalue("pg_cluster")
    name = sa.engine.make_url(team_db).database
    cluster.psql("DO $$ BEGIN CREATE ROLE reader LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    cluster.psql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader", name)
    laptop = make_laptop(team_db, tmp_path / "laptop.db")
    laptop.update(m.Account, acme.id, acme.version, region="Denied")
    before = content(server)
    with pytest.raises(PlannerError, match="does not let your role do that") as refusal:
        sync(laptop, cluster.url(name, role="reader"))
    assert "permission denied for table account" in str(refusal.value)  # the merge's UPDATE
    assert content(server) == before and server.get(m.Account, acme.id).region == "North"


def test_a_reps_own_role_is_who_the_team_records_and_the_merge_logs_every_row_it_writes(
    team, tmp_path, backend, request
):
    """On PostgreSQL a rep's sync-serve connects as their own role, which does not own the
    tables: the database stamps that role on what it writes (migration 0009), so the
    team records the laptop's changes under it and tells the laptop so; and since the
    merge logs every row it writes (the edit, the conflict it judged), the database's
    catch-all for unlogged writes adds nothing of its own. The clone already told the
    laptop the role, so its rep's edits carry it from the start."""
    if backend == "sqlite":
        pytest.skip("roles are PostgreSQL's")
    server, team_db, acme = team
    cluster = request.getfixturevalue("pg_cluster")
    name = sa.engine.make_url(team_db).database
    cluster.psql("DO $$ BEGIN CREATE ROLE rep_one LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    cluster.psql("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO rep_one", name)
    as_rep = cluster.url(name, role="rep_one")
    laptop = make_laptop(as_rep, tmp_path / "laptop.db")
    server.update(m.Account, acme.id, acme.version, region="Team")
    laptop.update(m.Account, acme.id, acme.version, region="Laptop")
    before = server.latest_change()
    report = sync(laptop, as_rep)
    assert (report.sent, report.conflicts, report.reattributed) == (1, 1, 0)
    with server.db.read() as session:
        log = m.table_of(m.ChangeLog)
        added = session.connection().execute(sa.select(log.c.table_name, log.c.who).where(log.c.seq > before)).all()
    assert sorted(added) == [("account", "rep_one"), ("syncconflict", "rep_one")]
    assert server.history(m.Account, acme.id)[0].who == laptop.history(m.Account, acme.id)[0].who == "rep_one"
    again = sync(laptop, as_rep)
    assert (again.sent, again.received) == (0, 0) and content(server) == content(laptop)
