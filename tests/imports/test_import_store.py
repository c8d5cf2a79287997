"""Imports against a real database: org charts built, one transaction, and a second
import of the same or a newer export updating instead of duplicating, with a rep's
own changes kept and reported."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
import sqlalchemy as sa
from crm_exports import build, inject_problems, write, write_salesforce

from planner.core import models as m
from planner.core.export import account_plan_markdown as export_markdown
from planner.core.imports import salesforce
from planner.store.writes import Writes


def _count(store, model) -> int:
    with store.db.read() as session:
        return session.exec(sa.select(sa.func.count()).select_from(m.table_of(model))).one()[0]


def _log_size(store) -> int:
    return _count(store, m.ChangeLog)


def _person(store, source_id: str) -> m.Person:
    (found,) = [p for p in store.list(m.Person) if (p.import_source, p.import_id) == ("salesforce", source_id)]
    return found


def test_a_salesforce_export_comes_in_with_its_org_charts_and_again_changes_nothing(store, tmp_path):
    export = write_salesforce(tmp_path / "sf")
    batch = salesforce.read(tmp_path / "sf")
    accounts_before = _count(store, m.Account)
    plan = store.apply_import(batch)
    assert plan.counts["account"]["created"] == 40
    assert plan.counts["person"]["created"] == 298
    assert plan.counts["project"]["created"] == 90
    assert _count(store, m.Account) == accounts_before + 40
    # reports-to lines and departments make the org chart
    boss, report = export.contacts[40], export.contacts[40 + 40 * 2]
    managed = 0
    for contact in export.contacts[100:140]:
        person = _person(store, contact["Id"][:15])
        assert person.unit_id is not None
        if person.reports_to_id:
            manager = store.get(m.Person, person.reports_to_id)
            assert _person(store, contact["ReportsToId"][:15]).id == manager.id
            assert manager.account_id == person.account_id
            managed += 1
    assert managed >= 30
    assert _person(store, report["Id"][:15]).account_id == _person(store, boss["Id"][:15]).account_id
    tree = store.org_tree(_person(store, boss["Id"][:15]).account_id)
    assert len(tree.units) == 5 and tree.people
    # the layer is guessed from the title, and marked so
    president = next(c for c in export.contacts if c["Title"] == "President" and c["IsDeleted"] == "false")
    person = _person(store, president["Id"][:15])
    assert (person.layer, person.layer_guessed) == ("image", True)
    assert person.value_orientation == m.LAYER_VALUES["image"]
    # a new industry's tier is guessed from its name, and the plan says so
    bank = next(a for a in export.accounts if a["Industry"] == "Banking")
    plan_text = export_markdown(store.plan_document(store.find_account(bank["Name"]).id, date(2026, 12, 3)))
    assert "- Industry: Banking (major, guessed)" in plan_text
    log = _log_size(store)
    again = store.apply_import(salesforce.read(tmp_path / "sf"))
    assert not again.changes_anything
    assert _log_size(store) == log
    assert again.counts["person"]["unchanged"] == 298


def test_a_dry_run_writes_nothing(store, db_path, tmp_path):
    write_salesforce(tmp_path / "sf")
    store.db.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    from planner.store.startup import open_store

    reopened = open_store(str(db_path), user="rep-a")
    plan = reopened.plan_import(salesforce.read(tmp_path / "sf"))
    reopened.db.close()
    assert plan.counts["account"]["created"] == 40
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_a_newer_export_updates_and_a_reps_change_is_kept_and_reported(store, tmp_path):
    export = build(tmp_path / "sf", 40, 300, 90)
    inject_problems(export)
    write(export)
    store.apply_import(salesforce.read(export.folder))
    edited, untouched, renamed = export.contacts[10], export.contacts[11], export.contacts[12]
    rep_edit = _person(store, edited["Id"][:15])
    store.update(m.Person, rep_edit.id, rep_edit.version, title="Chief Architect", phone="555")
    kept = _person(store, untouched["Id"][:15])
    store.update(m.Person, kept.id, kept.version, email="mine@example.com")
    # the CRM moves on: a new title for the edited person (same field), a new title for another
    edited["Title"], renamed["Title"] = "Head of Data", "Director of Sales"
    export.accounts[0]["AnnualRevenue"] = "7777777"
    write(export)
    plan = store.apply_import(salesforce.read(export.folder))
    assert plan.counts["person"]["updated"] == 1 and plan.counts["account"]["updated"] == 1
    assert [(c.field, c.planner, c.file) for c in plan.conflicts] == [("title", "Chief Architect", "Head of Data")]
    assert _person(store, edited["Id"][:15]).title == "Chief Architect"  # the rep's value stays
    assert _person(store, edited["Id"][:15]).phone == "555"  # and their other edit too
    assert _person(store, untouched["Id"][:15]).email == "mine@example.com"  # the file did not change it
    moved = _person(store, renamed["Id"][:15])
    assert (moved.title, moved.layer, moved.layer_guessed) == ("Director of Sales", "decision", True)
    assert moved.value_orientation == m.LAYER_VALUES["decision"]  # the values follow a layer still guessed
    conflicts = store.sync_conflicts()
    assert len(conflicts) == 1 and "Salesforce import (Contact.csv:" in conflicts[0].other_by
    assert conflicts[0].summary.endswith("Title changed in the planner and in an imported file")
    assert json.loads(json.dumps(conflicts[0].other)) == conflicts[0].other
    # once reported, the same files do not report it again
    assert not store.apply_import(salesforce.read(export.folder)).changes_anything


def test_a_confirmed_layer_is_the_reps_and_the_file_no_longer_guesses_it(store, tmp_path):
    export = build(tmp_path / "sf", 4, 20, 0)
    write(export)
    store.apply_import(salesforce.read(export.folder))
    contact = export.contacts[0]
    person = _person(store, contact["Id"][:15])
    confirmed = store.confirm_guess(m.Person, person.id, person.version)
    assert not confirmed.layer_guessed and confirmed.layer == person.layer
    other = _person(store, export.contacts[1]["Id"][:15])
    changed = store.update(m.Person, other.id, other.version, layer="image")
    assert not changed.layer_guessed
    contact["Title"] = export.contacts[1]["Title"] = "Clerk"
    write(export)
    store.apply_import(salesforce.read(export.folder))
    assert _person(store, contact["Id"][:15]).layer == person.layer
    assert _person(store, export.contacts[1]["Id"][:15]).layer == "image"


def test_records_deleted_in_the_planner_are_skipped_not_brought_back(store, tmp_path):
    export = write_salesforce(tmp_path / "sf", accounts=4, contacts=20, opportunities=4, problems=False)
    store.apply_import(salesforce.read(export.folder))
    account = store.find_account(export.accounts[1]["Name"])
    store.delete(m.Account, account.id, account.version)
    plan = store.apply_import(salesforce.read(export.folder))
    assert plan.counts["account"]["skipped"] == 1
    assert plan.counts["person"]["skipped"] == 5
    assert any("deleted in the planner" in s.message for s in plan.skipped)
    assert store.find_account(account.id, deleted=True).deleted_at is not None


def test_an_account_typed_by_hand_is_matched_by_name_and_filled_not_overwritten(store, tmp_path):
    export = build(tmp_path / "sf", 3, 6, 0)
    typed = store.create(m.Account, name=export.accounts[0]["Name"].upper(), region="", owner="Me")
    write(export)
    plan = store.apply_import(salesforce.read(export.folder))
    assert plan.counts["account"]["created"] == 2 and plan.counts["account"]["updated"] == 1
    matched = store.get(m.Account, typed.id)
    assert matched.region == export.accounts[0]["BillingCity"]  # empty in the planner: filled
    assert matched.owner == "Me"  # different in the planner: kept, and reported
    assert [c.field for c in plan.conflicts] == ["owner"]


def test_an_import_that_fails_half_way_writes_nothing(store, tmp_path, monkeypatch):
    export = write_salesforce(tmp_path / "sf", accounts=4, contacts=20, opportunities=4, problems=False)
    store.apply_import(salesforce.read(export.folder))
    export.accounts[0]["AnnualRevenue"] = "123"
    write(export)
    log = _log_size(store)

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Writes, "_update_in", broken)
    export.contacts.append({**export.contacts[0], "Id": "003NEWCONTACT01", "LastName": "New"})
    write(export)
    with pytest.raises(OSError):
        store.apply_import(salesforce.read(export.folder))
    assert _log_size(store) == log
    assert not any(p.name.endswith("New") for p in store.list(m.Person))
