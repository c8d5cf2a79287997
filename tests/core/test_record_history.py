"""The readable change log and the deleted-records lists, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from planner import models as m
from planner import record_history as rh
from planner.startup import open_store


@pytest.fixture
def stores(tmp_path):
    """Two reps on one database, so the log can tell them apart."""
    path = str(tmp_path / "history.db")
    a, b = open_store(path, user="rep-a"), open_store(path, user="rep-b")
    yield a, b
    a.db.close()
    b.db.close()


def test_entries_are_newest_first_with_labels_readable_values_and_who(stores):
    a, b = stores
    industry = a.create(m.Industry, name_en="Education", tier="major")
    account = a.create(m.Account, name="Acme", region="East", revenue=1_200_000.0, industry_id=industry.id)
    b.update(m.Account, account.id, account.version, region="North", revenue=1_500_000.0)

    changed, created = rh.entries(a, m.Account, account.id)
    assert (changed.who, changed.action, created.who, created.action) == ("rep-b", "update", "rep-a", "insert")
    assert changed.lines == ("Region: East → North", "Revenue this year: 1,200,000 → 1,500,000")
    assert "Industry: Education" in created.lines  # a link shows what it points at
    assert "Name: Acme" in created.lines and not any("→" in line for line in created.lines)
    assert "rep-b" in changed.heading and "changed" in changed.heading
    assert changed.when.tzinfo is not None


def test_long_text_is_one_shortened_line_and_flags_read_yes_or_no(stores):
    a, _ = stores
    account = a.create(m.Account, name="Acme")
    visit = a.save_visit(None, None, None, account_id=account.id, visited_on=date(2026, 1, 5), brought_cards=True)
    a.update(m.Visit, visit.id, visit.version, outcome="line one\nline two " + "x" * 100)
    changed, created = rh.entries(a, m.Visit, visit.id)
    (line,) = changed.lines
    assert line.startswith("Outcome: — → line one line two x") and line.endswith("…") and "\n" not in line
    assert "Business cards: yes" in created.lines


def test_delete_and_restore_are_logged(stores):
    a, _ = stores
    account = a.create(m.Account, name="Acme")
    a.delete(m.Account, account.id, account.version)
    a.restore(m.Account, account.id)
    assert [e.action for e in rh.entries(a, m.Account, account.id)] == ["restore", "delete", "insert"]


def test_deleted_records_of_an_account_newest_first_with_who(stores):
    a, b = stores
    account = a.create(m.Account, name="Acme")
    other = a.create(m.Account, name="Other")
    project = a.create(m.Project, account_id=account.id, name="Data centre")
    goal = a.create(m.Goal, account_id=account.id, text="Win the pilot")
    a.create(m.Project, account_id=account.id, name="Still here")
    gone_elsewhere = a.create(m.Project, account_id=other.id, name="Elsewhere")
    a.delete(m.Project, project.id, project.version)
    b.delete(m.Goal, goal.id, goal.version)
    a.delete(m.Project, gone_elsewhere.id, gone_elsewhere.version)

    found = rh.deleted_records(a, account.id)
    assert [(d.model, d.id, d.label, d.who, d.noun) for d in found] == [
        (m.Goal, goal.id, "Win the pilot", "rep-b", "goal"),
        (m.Project, project.id, "Data centre", "rep-a", "project"),
    ]
    assert found[0].deleted_at >= found[1].deleted_at

    a.restore(m.Project, project.id)
    assert [d.id for d in rh.deleted_records(a, account.id)] == [goal.id]


def test_deleted_accounts_and_restoring_one_brings_its_records_back(stores):
    a, _ = stores
    account = a.create(m.Account, name="Acme")
    a.create(m.Account, name="Live")
    project = a.create(m.Project, account_id=account.id, name="Data centre")
    a.delete(m.Account, account.id, account.version)

    assert [(d.model, d.label) for d in rh.deleted_accounts(a)] == [(m.Account, "Acme")]
    a.restore(m.Account, account.id)
    assert rh.deleted_accounts(a) == []
    assert a.get(m.Project, project.id).name == "Data centre"


def test_labels_of_dated_records_and_naive_times_are_utc():
    purchase = m.Purchase(account_id="x", purchased_on=date(2025, 3, 1), amount=5.0, description="Disks")
    assert rh.label(purchase) == "2025-03-01 Disks"
    assert rh.utc(datetime(2026, 1, 1, 8, 0)) == datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
