"""The store against a real SQLite file: CRUD, versions, the log, tombstones, links."""

from __future__ import annotations

import json
import math
import os
import pwd
import uuid
from datetime import date

import pytest
from records import EDITABLE, make_account, raw_log, sample_values
from shared_helpers import by_hand

from planner.core import fields
from planner.core import models as m
from planner.core.errors import Conflict, DatabaseUnavailable, NotFound, ValidationError
from planner.core.rows import AccountRecord
from planner.store import account_list, bulk
from planner.store.startup import open_store

ENTITIES = [model for model in m.ENTITIES]


def test_keys_are_uuid7_and_ordered_by_time():
    first, *batch = m.new_ids(50)
    keys = [first, *batch, m.new_id()]
    assert all(uuid.UUID(key).hex == key and uuid.UUID(key).version == 7 for key in keys)
    assert len(set(keys)) == len(keys)
    assert keys[-1][:12] >= first[:12]  # the leading 48 bits are the time in milliseconds


@pytest.mark.parametrize("model", ENTITIES, ids=lambda model: model.__name__)
def test_create_read_update_delete_restore_every_entity(store, model):
    values = sample_values(store, model)
    created = store.create(model, **values)
    assert created.version == 1
    assert created.updated_by == "rep-a"

    fetched = store.get(model, created.id)
    for name, value in values.items():
        assert getattr(fetched, name) == value
    assert created.id in [row.id for row in store.list(model)]

    field = EDITABLE.get(model)
    if field:
        updated = store.update(model, created.id, created.version, **{field: "changed ✓ 已更新"})
        assert updated.version == 2
        assert getattr(store.get(model, created.id), field) == "changed ✓ 已更新"
    current = store.get(model, created.id)

    store.delete(model, current.id, current.version)
    with pytest.raises(NotFound):
        store.get(model, created.id)
    assert created.id not in [row.id for row in store.list(model)]

    restored = store.restore(model, created.id)
    assert restored.deleted_at is None
    assert store.get(model, created.id).id == created.id


def test_update_with_a_stale_version_raises_conflict_naming_who(database_url, store):
    account = make_account(store)
    other = open_store(database_url, user="rep-b")
    try:
        other.update(m.Account, account.id, account.version, notes="theirs")
        with pytest.raises(Conflict) as raised:
            store.update(m.Account, account.id, account.version, notes="mine")
    finally:
        other.db.close()
    assert raised.value.who == "rep-b"
    assert raised.value.current_version == 2
    assert "rep-b" in str(raised.value)
    assert store.get(m.Account, account.id).notes == "theirs"


def test_delete_with_a_stale_version_raises_conflict(store):
    account = make_account(store)
    store.update(m.Account, account.id, account.version, region="East")
    with pytest.raises(Conflict):
        store.delete(m.Account, account.id, account.version)
    assert store.get(m.Account, account.id).region == "East"


def test_change_log_records_insert_update_delete_restore_with_old_and_new(store):
    account = make_account(store, revenue=100.0)
    account = store.update(m.Account, account.id, account.version, revenue=250.0, region="华东")
    store.delete(m.Account, account.id, account.version)
    store.restore(m.Account, account.id)

    entries = raw_log(store, m.Account, account.id)
    assert [e.action for e in entries] == ["insert", "update", "delete", "restore"]
    assert {e.who for e in entries} == {"rep-a"}
    inserted = json.loads(entries[0].changes)
    assert inserted["name"] == [None, "Acme"]
    assert inserted["revenue"] == [None, 100.0]
    assert json.loads(entries[1].changes) == {"revenue": [100.0, 250.0], "region": ["", "华东"]}


def test_changes_are_signed_with_the_real_login_not_user(database_url, monkeypatch):
    monkeypatch.setenv("USER", "mallory")
    monkeypatch.setenv("LOGNAME", "mallory")
    login = pwd.getpwuid(os.getuid()).pw_name
    store = open_store(database_url)
    try:
        account = make_account(store)
        store.update(m.Account, account.id, account.version, notes="Met the CIO")
        assert store.get(m.Account, account.id).updated_by == login != "mallory"
        assert {entry.who for entry in raw_log(store, m.Account, account.id)} == {login}
    finally:
        store.db.close()


def test_an_update_that_changes_nothing_is_not_logged_and_keeps_the_version(store):
    account = make_account(store, region="North")
    same = store.update(m.Account, account.id, account.version, region="North")
    assert same.version == account.version
    assert [e.action for e in raw_log(store, m.Account, account.id)] == ["insert"]


def test_deleting_an_account_hides_its_records_and_restore_brings_them_back(store):
    account = make_account(store)
    person = store.create(m.Person, account_id=account.id, name="王处长")
    visit = store.create(m.Visit, account_id=account.id, visited_on=date(2026, 10, 1))
    store.create(m.VisitAttendee, visit_id=visit.id, person_id=person.id)

    store.delete(m.Account, account.id, account.version)
    assert store.list(m.Person) == []
    assert store.list(m.VisitAttendee) == []
    assert store.search_people("王") == []
    assert store.account_rows() == []

    store.restore(m.Account, account.id)
    assert [p.name for p in store.list(m.Person)] == ["王处长"]
    assert len(store.list(m.VisitAttendee)) == 1


def test_restore_leaves_rows_deleted_earlier_deleted(store):
    account = make_account(store)
    gone = store.create(m.Person, account_id=account.id, name="Left earlier")
    store.create(m.Person, account_id=account.id, name="Stays")
    store.delete(m.Person, gone.id, gone.version)
    account = store.get(m.Account, account.id)
    store.delete(m.Account, account.id, account.version)
    store.restore(m.Account, account.id)
    assert [p.name for p in store.list(m.Person)] == ["Stays"]


def test_restore_brings_back_what_the_deletion_took_not_what_shares_its_time(store, monkeypatch):
    """Two deletions in the same instant: restoring the account must not bring back the
    person deleted on her own (the cascade is matched by id, not by time)."""
    account = make_account(store)
    alone = store.create(m.Person, account_id=account.id, name="Deleted on her own")
    store.create(m.Person, account_id=account.id, name="Deleted with the account")
    instant = m.utcnow()
    monkeypatch.setattr(m, "utcnow", lambda: instant)
    store.delete(m.Person, alone.id, alone.version)
    account = store.get(m.Account, account.id)
    store.delete(m.Account, account.id, account.version)
    monkeypatch.undo()
    assert store.deleted_records(account.id)[0].label == "Acme"
    assert {d.label for d in store.deleted_records(account.id)} == {"Acme", "Deleted on her own"}
    store.restore(m.Account, account.id)
    assert [p.name for p in store.list(m.Person)] == ["Deleted with the account"]


def test_deleting_a_unit_moves_its_people_and_sub_units_up(store):
    account = make_account(store)
    top = store.create(m.OrgUnit, account_id=account.id, name="President's office")
    middle = store.create(m.OrgUnit, account_id=account.id, name="Asset office", parent_id=top.id)
    below = store.create(m.OrgUnit, account_id=account.id, name="Network centre", parent_id=middle.id)
    person = store.create(m.Person, account_id=account.id, name="Chen", unit_id=middle.id)

    store.delete(m.OrgUnit, middle.id, middle.version)
    assert store.get(m.OrgUnit, below.id).parent_id == top.id
    assert store.get(m.Person, person.id).unit_id == top.id


def test_restore_of_something_not_deleted_is_refused(store):
    account = make_account(store)
    with pytest.raises(NotFound):
        store.restore(m.Account, account.id)


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"name": ""}, "name", "required"),
        ({"name": "   "}, "name", "blank"),
        ({"name": "x" * 201}, "name", "too long"),
        ({"name": "ok", "notes": "x" * 10_000}, "notes", "too long"),
        ({"name": "ok", "revenue": float("nan")}, "revenue", "real number"),
        ({"name": "ok", "revenue": math.inf}, "revenue", "real number"),
        ({"name": "ok", "revenue": -5.0}, "revenue", "negative"),
        ({"name": "ok", "revenue": "12k"}, "revenue", "number"),
        ({"name": "ok", "influence": 9}, "influence", "between 1 and 5"),
        ({"name": "ok", "account_class": "D"}, "account_class", "one of A, B, C"),
        ({"name": "bad\x00name"}, "name", "control characters"),
        ({"name": "ok", "cadence_days": 0}, "cadence_days", "between"),
        ({"name": "ok", "colour": "red"}, "colour", "not a field"),
    ],
)
def test_bad_account_values_get_a_message_at_the_field_and_nothing_is_written(store, values, field, words):
    with pytest.raises(ValidationError) as raised:
        store.create(m.Account, **values)
    assert field in raised.value.errors
    assert words in raised.value.errors[field]
    assert store.account_rows() == []


def test_impossible_dates_are_refused(store):
    account = make_account(store)
    with pytest.raises(ValidationError) as raised:
        store.create(m.Visit, account_id=account.id, visited_on=date(1066, 10, 14))
    assert "between 1900 and 2200" in raised.value.errors["visited_on"]
    assert store.list(m.Visit) == []


def test_a_rejected_update_leaves_the_row_unchanged(store):
    account = make_account(store, revenue=10.0)
    with pytest.raises(ValidationError):
        store.update(m.Account, account.id, account.version, revenue=float("nan"), region="West")
    row = store.get(m.Account, account.id)
    assert (row.revenue, row.region, row.version) == (10.0, "", 1)


def test_cjk_and_emoji_text_round_trips(store):
    account = make_account(store, name="江南科技大学 🎓", notes="重点客户 — 📈 " * 100)
    assert store.get(m.Account, account.id).name == "江南科技大学 🎓"
    assert [r.name for r in store.account_rows("科技")] == ["江南科技大学 🎓"]


def test_links_must_point_at_live_rows_of_the_same_account(store):
    first, second = make_account(store, name="First"), make_account(store, name="Second")
    unit = store.create(m.OrgUnit, account_id=second.id, name="Library")
    with pytest.raises(ValidationError) as raised:
        store.create(m.Person, account_id=first.id, name="Zhou", unit_id=unit.id)
    assert "another account" in raised.value.errors["unit_id"]
    with pytest.raises(ValidationError) as raised:
        store.create(m.Person, account_id=first.id, name="Zhou", unit_id="no-such-unit")
    assert "does not exist" in raised.value.errors["unit_id"]


def test_a_unit_cannot_be_moved_under_itself_or_its_descendants(store):
    account = make_account(store)
    top = store.create(m.OrgUnit, account_id=account.id, name="Top")
    child = store.create(m.OrgUnit, account_id=account.id, name="Child", parent_id=top.id)
    with pytest.raises(ValidationError) as raised:
        store.update(m.OrgUnit, top.id, top.version, parent_id=child.id)
    assert "parent_id" in raised.value.errors
    assert store.get(m.OrgUnit, top.id).parent_id is None


def test_reports_to_cannot_loop(store):
    account = make_account(store)
    boss = store.create(m.Person, account_id=account.id, name="Boss")
    aide = store.create(m.Person, account_id=account.id, name="Aide", reports_to_id=boss.id)
    with pytest.raises(ValidationError):
        store.update(m.Person, boss.id, boss.version, reports_to_id=aide.id)


def test_person_values_follow_the_layer_unless_edited(store):
    account = make_account(store)
    person = store.create(m.Person, account_id=account.id, name="Sun", layer="usage")
    assert person.value_orientation == m.LAYER_VALUES["usage"]
    person = store.update(m.Person, person.id, person.version, layer="image")
    assert person.value_orientation == m.LAYER_VALUES["image"]
    person = store.update(m.Person, person.id, person.version, value_orientation="Wants a quiet life")
    person = store.update(m.Person, person.id, person.version, layer="decision")
    assert person.value_orientation == "Wants a quiet life"
    cleared = store.update(m.Person, person.id, person.version, value_orientation="")
    same = store.update(m.Person, person.id, cleared.version, layer="decision")  # the layer it already has
    assert (same.value_orientation, same.version) == ("", cleared.version)


def test_new_actions_go_to_the_end_of_their_column(store):
    account = make_account(store)
    first = store.create(m.Action, account_id=account.id, title="One")
    second = store.create(m.Action, account_id=account.id, title="Two")
    doing = store.create(m.Action, account_id=account.id, title="Three", status="doing")
    assert (first.position, second.position, doing.position) == (0, 1, 0)
    moved = store.update(m.Action, first.id, first.version, status="doing")
    assert moved.position == 1


def test_account_rows_carry_industry_and_last_contact_and_filter(store):
    industry = next(i for i in store.list(m.Industry) if i.name_en == "Finance")
    bank = make_account(store, name="Harbour Bank", industry_id=industry.id, owner="anna")
    make_account(store, name="Hill School", owner="li.wei")
    store.create(m.Visit, account_id=bank.id, visited_on=date(2026, 9, 1))
    store.create(m.Visit, account_id=bank.id, visited_on=date(2026, 11, 3))

    rows = {r.name: r for r in store.account_rows()}
    assert rows["Harbour Bank"].industry == "Finance"
    assert rows["Harbour Bank"].industry_zh == "金融"
    assert rows["Harbour Bank"].tier == "major"
    assert rows["Harbour Bank"].last_contact == date(2026, 11, 3)
    assert rows["Hill School"].last_contact is None
    assert rows["Hill School"].tier == "other"
    assert [r.name for r in store.account_rows("金融")] == ["Harbour Bank"]
    assert [r.name for r in store.account_rows("LI.WEI")] == ["Hill School"]
    assert [r.name for r in store.account_rows("100%_")] == []


def test_the_account_listing_is_in_80_20_order_and_skips_deleted_accounts(store):
    for name, revenue in (("B", 10.0), ("A", 10.0), ("C", 0.0), ("D", 99.0)):
        make_account(store, name=name, revenue=revenue)
    gone = make_account(store, name="Gone", revenue=1e9)
    store.delete(m.Account, gone.id, gone.version)
    listing = store.account_listing()
    assert [listing.row(i).name for i in range(len(listing))] == ["D", "A", "B", "C"]
    assert listing.columns.revenue == (99.0, 10.0, 10.0, 0.0)
    assert listing.record(0).name == "D" and listing.record(-1).revenue == 0.0


@pytest.mark.sqlite_only
def test_the_account_listing_is_answered_from_its_index_without_a_sort(store):
    """A later migration that rebuilds `account` must re-create `ix_account_list` as
    it was (batch rebuilds drop the DESC); this catches one that does not."""
    with store.db.read() as session:
        connection = session.connection()
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + account_list.ACCOUNTS_SQL)
        plan = " ".join(row[-1] for row in rows)
    assert "USING COVERING INDEX ix_account_list" in plan
    assert "TEMP B-TREE" not in plan


def test_the_hand_written_listing_reads_what_the_models_hold(store):
    """`account_list` skips the ORM for speed: its rows must be the models' rows."""
    industry = store.list(m.Industry)[0]
    first = make_account(store, name="First", industry_id=industry.id, revenue=5.0, cadence_days=7)
    second = make_account(store, name="Second", revenue=9.0, account_class="A", influence=5)
    store.create(m.Visit, account_id=first.id, visited_on=date(2026, 11, 3))
    store.create(m.Visit, account_id=first.id, visited_on=date(2026, 10, 1))
    listing = store.account_listing()
    for index, account in enumerate((second, first)):
        stored = store.get(m.Account, account.id)
        assert listing.record(index) == tuple(getattr(stored, name) for name in AccountRecord._fields)
    assert listing.last_contact == {first.id: date(2026, 11, 3)}
    assert listing.industry(industry.id) == (industry.name_en, industry.name_zh, industry.tier)


def test_the_listing_takes_dates_as_text_or_as_dates():
    """SQLite hands dates back as ISO text, server drivers as dates."""
    assert account_list.read_day("2026-11-03") == account_list.read_day(date(2026, 11, 3)) == date(2026, 11, 3)
    assert account_list.read_day("soon") is None


def test_search_people_by_name_or_title_across_accounts(store):
    first, second = make_account(store, name="First"), make_account(store, name="Second")
    store.create(m.Person, account_id=first.id, name="张校长", title="校长")
    store.create(m.Person, account_id=second.id, name="Mary Chen", title="IT director")
    store.create(m.Person, account_id=second.id, name="Tom", title="Teacher")
    assert [(h.name, h.account_name) for h in store.search_people("校长")] == [("张校长", "First")]
    assert [h.name for h in store.search_people("direct")] == ["Mary Chen"]
    assert len(store.search_people("", limit=2)) == 2


def test_org_tree_returns_units_and_people_of_one_account(store):
    account = make_account(store)
    unit = store.create(m.OrgUnit, account_id=account.id, name="Library")
    store.create(m.Person, account_id=account.id, name="Librarian", unit_id=unit.id)
    store.create(m.Person, account_id=make_account(store, name="Other").id, name="Stranger")
    tree = store.org_tree(account.id)
    assert [u.name for u in tree.units] == ["Library"]
    assert [(p.name, p.unit_id) for p in tree.people] == [("Librarian", unit.id)]


def test_visit_people_lists_who_was_met(store):
    account = make_account(store)
    visit = store.create(m.Visit, account_id=account.id, visited_on=date(2026, 11, 20))
    for name in ("Zhao", "Qian"):
        person = store.create(m.Person, account_id=account.id, name=name)
        store.create(m.VisitAttendee, visit_id=visit.id, person_id=person.id)
    assert [p.name for p in store.visit_people(visit.id)] == ["Qian", "Zhao"]


def test_industries_are_seeded_once_with_all_tiers(store, database_url):
    industries = store.list(m.Industry)
    assert {i.tier for i in industries} == {"major", "minor", "tracked", "other"}
    assert len([i for i in industries if i.tier != "other"]) == 15
    again = open_store(database_url)
    try:
        assert len(again.list(m.Industry)) == len(industries)
    finally:
        again.db.close()


def test_bulk_insert_validates_before_writing_anything(store):
    rows = [{"id": m.new_id(), "name": "Fine"}, {"id": m.new_id(), "name": ""}]
    with pytest.raises(ValidationError):
        store.bulk_insert([(m.Account, rows)])
    assert store.account_rows() == []


def test_a_driver_error_in_a_fast_listing_gets_the_databases_message(store, database_url):
    make_account(store)
    store.db.close()
    by_hand(database_url, "ALTER TABLE visit RENAME TO visit_gone")
    broken = open_store(database_url)
    with pytest.raises(DatabaseUnavailable, match=r'no such table: visit|relation "visit" does not exist'):
        broken.account_listing()
    broken.db.close()


@pytest.mark.sqlite_only
def test_a_bulk_insert_widens_the_page_cache_only_while_it_runs(store):
    def cache_size(connection):
        return connection.exec_driver_sql("PRAGMA cache_size").scalar()

    with store.db.write_connection() as connection:
        before = cache_size(connection)
        with bulk.page_cache(connection, 4096):
            assert cache_size(connection) == -4096
        assert cache_size(connection) == before
    store.bulk_insert([(m.Account, [{"id": m.new_id(), "name": "Imported"}])])
    with store.db.write_connection() as connection:
        assert cache_size(connection) == before


@pytest.mark.parametrize(
    ("model", "field", "values"),
    [
        (m.Visit, "appointment_made", [True, 1]),  # True == 1, but only a bool is yes or no
        (m.Account, "influence", [3, 3.0]),  # 3.0 == 3, but a score is a whole number
        (m.Account, "revenue", [5, "5"]),
        (m.Account, "notes", ["", None]),
    ],
)
def test_bulk_validation_keeps_look_alike_values_apart(model, field, values):
    base = {m.Visit: {"account_id": "a1", "visited_on": date(2025, 1, 2)}, m.Account: {"name": "Acme"}}[model]
    rows = [{**base, field: value} for value in values]
    assert fields.validate(model, rows[0], creating=True) == {}
    expected = fields.validate(model, rows[1], creating=True)
    assert field in expected
    assert fields.first_invalid(model, rows, creating=True) == expected
    assert fields.first_invalid(model, rows[:1], creating=True) is None


def _form(stored):
    """How a time is stored: SQLite's text by its length, a server's value by its type and zone."""
    return len(stored) if isinstance(stored, str) else (type(stored), stored.utcoffset())


def test_bulk_rows_are_stored_exactly_like_rows_saved_one_by_one(store):
    one = make_account(store, name="One by one")
    bulk_id = m.new_id()
    store.bulk_insert([(m.Account, [{"id": bulk_id, "name": "In bulk"}])])
    with store.db.engine.connect() as connection:
        stored = dict(connection.exec_driver_sql("SELECT name, created_at FROM account").all())
        logged = connection.exec_driver_sql("SELECT row_id, at FROM changelog").all()
    assert _form(stored["In bulk"]) == _form(stored["One by one"])
    assert {_form(at) for _, at in logged} == {_form(stored["One by one"])}
    row = store.get(m.Account, bulk_id)
    assert (row.region, row.account_class, row.influence, row.version) == ("", "C", 3, 1)
    assert row.created_at.tzinfo is not None
    assert row.created_at >= store.get(m.Account, one.id).created_at
    assert [e.action for e in raw_log(store, m.Account, bulk_id)] == ["insert"]


def test_move_action_reorders_its_column_and_persists(store):
    account = make_account(store)
    one, two, three = (store.create(m.Action, account_id=account.id, title=t) for t in ("One", "Two", "Three"))
    store.move_action(three.id, three.version, "todo", 0)
    todo = [a.title for a in store.list(m.Action, account_id=account.id, status="todo")]
    assert todo == ["Three", "One", "Two"]
    two = store.get(m.Action, two.id)
    store.move_action(two.id, two.version, "doing", 5)
    assert [a.title for a in store.list(m.Action, account_id=account.id, status="todo")] == ["Three", "One"]
    assert [(a.title, a.position) for a in store.list(m.Action, account_id=account.id, status="doing")] == [("Two", 0)]
    with pytest.raises(Conflict):  # renumbering the column moved "One" on: the version read is stale
        store.move_action(one.id, one.version, "done", 0)


def test_last_met_per_person(store):
    account = make_account(store)
    boss = store.create(m.Person, account_id=account.id, name="Boss")
    store.save_visit(None, None, [boss.id], account_id=account.id, visited_on=date(2026, 10, 1))
    store.save_visit(None, None, [boss.id], account_id=account.id, visited_on=date(2026, 11, 5))
    assert store.last_met(account.id) == {boss.id: date(2026, 11, 5)}


def test_one_update_is_one_version_step_and_one_log_entry(store):
    account = make_account(store)
    action = store.create(m.Action, account_id=account.id, title="Call")
    moved = store.update(m.Action, action.id, action.version, status="done")
    assert moved.version == action.version + 1
    assert [e.action for e in raw_log(store, m.Action, action.id)] == ["insert", "update"]


def test_a_bulk_insert_may_name_a_boss_further_on(store):
    """An import's contact may report to someone later in the file (PostgreSQL checks
    each link as the row goes in; SQLite at commit)."""
    account, boss, rep = m.new_ids(3)
    store.bulk_insert(
        [
            (m.Account, [{"id": account, "name": "Acme"}]),
            (
                m.Person,
                [
                    {"id": rep, "account_id": account, "name": "Li Rep", "reports_to_id": boss},
                    {"id": boss, "account_id": account, "name": "Wang Boss"},
                ],
            ),
        ]
    )
    assert store.get(m.Person, rep).reports_to_id == boss
    assert store.get(m.Person, rep).version == 1
