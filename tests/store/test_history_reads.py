"""The change log reads as a rep would say it, for one record and for a whole account,
and the deleted records that could come back are listed; on a real SQLite file."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest
from records import make_account

from planner.cli import EXIT_FLAGS, main
from planner.core import history
from planner.core import models as m
from planner.store.startup import open_store


@pytest.fixture
def rep_b(database_url, store):
    """A second rep on the same database, so the log can tell them apart."""
    other = open_store(database_url, user="rep-b")
    yield other
    other.db.close()


@pytest.fixture
def acme(store, rep_b):
    """Acme's life: created, a person added, edited by rep-b, deleted and restored, the account too."""
    account = make_account(store, name="Acme", account_class="A")
    person = store.create(m.Person, account_id=account.id, name="张伟", title="Chief", layer="decision")
    person = rep_b.update(m.Person, person.id, person.version, title="Director")
    store.delete(m.Person, person.id, person.version)
    store.restore(m.Person, person.id)
    account = store.get(m.Account, account.id)
    store.delete(m.Account, account.id, account.version)
    store.restore(m.Account, account.id)
    other = make_account(store, name="Other Corp")
    store.create(m.Person, account_id=other.id, name="Somebody else")
    return account, person


def _text(lines):
    return [history.format_line(line, UTC) for line in lines]


# --- one record (the history screen) ---------------------------------------------------


def test_entries_are_newest_first_with_labels_readable_values_and_who(store, rep_b):
    industry = store.create(m.Industry, name_en="Education", tier="major")
    account = store.create(m.Account, name="Acme", region="East", revenue=1_200_000.0, industry_id=industry.id)
    rep_b.update(m.Account, account.id, account.version, region="North", revenue=1_500_000.0)

    changed, created = store.history(m.Account, account.id)
    assert (changed.who, changed.action, created.who, created.action) == ("rep-b", "update", "rep-a", "insert")
    assert changed.lines == ("Region: East → North", "Revenue this year: 1,200,000 → 1,500,000")
    assert "Industry: Education" in created.lines  # a link shows what it points at
    assert "Name: Acme" in created.lines and not any("→" in line for line in created.lines)
    assert (changed.noun, changed.label, changed.row_id) == ("account", "Acme", account.id)
    assert "  rep-b  changed  account Acme: Region: East → North; " in history.format_line(changed)
    assert changed.when.tzinfo is not None


def test_long_text_is_one_shortened_line_and_flags_read_yes_or_no(store):
    account = store.create(m.Account, name="Acme")
    visit = store.save_visit(None, None, None, account_id=account.id, visited_on=date(2026, 1, 5), brought_cards=True)
    store.update(m.Visit, visit.id, visit.version, outcome="line one\nline two " + "x" * 100)
    changed, created = store.history(m.Visit, visit.id)
    (line,) = changed.lines
    assert line.startswith("Outcome: — → line one line two x") and line.endswith("…") and "\n" not in line
    assert "Business cards: yes" in created.lines


def test_delete_and_restore_are_logged(store):
    account = store.create(m.Account, name="Acme")
    store.delete(m.Account, account.id, account.version)
    store.restore(m.Account, account.id)
    assert [e.action for e in store.history(m.Account, account.id)] == ["restore", "delete", "insert"]


def test_labels_of_dated_records_and_naive_times_are_utc():
    purchase = m.Purchase(account_id="x", purchased_on=date(2025, 3, 1), amount=5.0, description="Disks")
    assert history.label(purchase) == "2025-03-01 Disks"
    assert history.utc(datetime(2026, 1, 1, 8, 0)) == datetime(2026, 1, 1, 8, 0, tzinfo=UTC)


# --- a whole account (`planner history`) -----------------------------------------------


def test_history_lists_every_change_to_the_account_and_its_people_newest_first(store, acme):
    account, person = acme
    lines = store.account_history(account.id)
    assert [line.when for line in lines] == sorted((line.when for line in lines), reverse=True)
    assert Counter((line.action, line.noun) for line in lines) == Counter(
        {
            ("insert", "account"): 1,
            ("insert", "person"): 1,
            ("update", "person"): 1,
            ("delete", "person"): 2,  # once alone, once with the account
            ("restore", "person"): 2,
            ("delete", "account"): 1,
            ("restore", "account"): 1,
        }
    )
    assert {lines[0].action, lines[1].action} == {"restore"}
    assert (lines[-1].action, lines[-1].noun) == ("insert", "account")
    assert all(line.row_id in (account.id, person.id) for line in lines), "nothing from other accounts"


def test_history_lines_read_as_sentences(store, acme):
    account, _ = acme
    lines = store.account_history(account.id)
    update = next(line for line in lines if line.action == "update")
    stamp = update.when.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    assert history.format_line(update, UTC) == f"{stamp}  rep-b  changed  person 张伟: Title: Chief → Director"
    text = _text(lines)
    insert = next(t for t in text if "created  person" in t)
    assert "Name: 张伟" in insert and "Title: Chief" in insert and "Layer: decision" in insert
    assert "Account:" not in insert, "a create lists its own fields briefly, not the link to the account"
    assert text[-1].endswith("created  account Acme: Name: Acme; Class: A")
    assert any(t.endswith("rep-a  deleted  person 张伟") for t in text)
    assert any(t.endswith("rep-a  restored  account Acme") for t in text)


def test_a_brief_create_counts_the_fields_it_leaves_out(store):
    account = store.create(m.Account, name="Acme", region="East", owner="rep-a", revenue=5e5, profit=1e5)
    (created,) = store.account_history(account.id)
    assert created.lines == ("Name: Acme", "Region: East", "Owner: rep-a", "Revenue this year: 500,000", "+1 more")


def test_history_follows_links_and_visits(store, acme):
    account, person = acme
    unit = store.create(m.OrgUnit, account_id=account.id, name="Finance office")
    person = store.get(m.Person, person.id)
    store.update(m.Person, person.id, person.version, unit_id=unit.id)
    store.save_visit(None, None, [person.id], account_id=account.id, visited_on=date(2026, 11, 1), purpose="Intro")
    text = _text(store.account_history(account.id))
    assert text[0].endswith("created  attendee 张伟: Visit: 2026-11-01 Intro; Person: 张伟")
    assert text[1].endswith("created  visit 2026-11-01 Intro: Date: 2026-11-01; Purpose: Intro")
    assert text[2].endswith("changed  person 张伟: Unit: — → Finance office")


# --- deleted records -------------------------------------------------------------------


def test_deleted_records_of_an_account_newest_first_with_who(store, rep_b):
    account = store.create(m.Account, name="Acme")
    other = store.create(m.Account, name="Other")
    project = store.create(m.Project, account_id=account.id, name="Data centre")
    goal = store.create(m.Goal, account_id=account.id, text="Win the pilot")
    store.create(m.Project, account_id=account.id, name="Still here")
    gone_elsewhere = store.create(m.Project, account_id=other.id, name="Elsewhere")
    store.delete(m.Project, project.id, project.version)
    rep_b.delete(m.Goal, goal.id, goal.version)
    store.delete(m.Project, gone_elsewhere.id, gone_elsewhere.version)

    found = store.deleted_records(account.id)
    assert [(d.model, d.id, d.label, d.who, d.noun) for d in found] == [
        (m.Goal, goal.id, "Win the pilot", "rep-b", "goal"),
        (m.Project, project.id, "Data centre", "rep-a", "project"),
    ]
    assert found[0].deleted_at >= found[1].deleted_at

    store.restore(m.Project, project.id)
    assert [d.id for d in store.deleted_records(account.id)] == [goal.id]


def test_deleted_records_are_listed_for_restore(store, acme):
    account, person = acme
    gone = store.create(m.Person, account_id=account.id, name="Li", title="Engineer")
    visit = store.save_visit(None, None, [person.id], account_id=account.id, visited_on=date(2026, 11, 1))
    assert store.deleted_records(account.id) == []
    store.delete(m.Person, gone.id, gone.version)
    store.delete(m.Visit, visit.id, store.get(m.Visit, visit.id).version)
    deleted = store.deleted_records(account.id)
    assert [(d.noun, d.label, d.who) for d in deleted] == [("visit", "2026-11-01", "rep-a"), ("person", "Li", "rep-a")]
    assert deleted[0].deleted_at >= deleted[1].deleted_at
    assert all(d.deleted_at is not None for d in deleted)
    store.restore(deleted[1].model, deleted[1].id)
    assert [d.label for d in store.deleted_records(account.id)] == ["2026-11-01"]


def test_an_attendee_taken_off_a_visit_is_not_offered_for_restore(store, acme):
    account, person = acme
    visit = store.save_visit(None, None, [person.id], account_id=account.id, visited_on=date(2026, 11, 1))
    store.save_visit(visit.id, store.get(m.Visit, visit.id).version, [], account_id=account.id)
    assert store.deleted_records(account.id) == []


def test_a_deleted_account_lists_itself_not_what_went_with_it(store, acme):
    account, _ = acme
    account = store.get(m.Account, account.id)
    store.delete(m.Account, account.id, account.version)
    assert [(d.noun, d.label) for d in store.deleted_records(account.id)] == [("account", "Acme")]
    assert store.find_account("Acme", deleted=True).id == account.id, "a deleted account is still found by name"
    assert store.find_account(account.id, deleted=True).id == account.id, "and by id"


def test_deleted_accounts_and_restoring_one_brings_its_records_back(store):
    account = store.create(m.Account, name="Acme")
    store.create(m.Account, name="Live")
    project = store.create(m.Project, account_id=account.id, name="Data centre")
    store.delete(m.Account, account.id, account.version)

    assert [(d.model, d.label) for d in store.deleted_accounts()] == [(m.Account, "Acme")]
    store.restore(m.Account, account.id)
    assert store.deleted_accounts() == []
    assert store.get(m.Project, project.id).name == "Data centre"


# --- the command -----------------------------------------------------------------------


def test_history_command_prints_the_log(database_url, store, acme, capsys):
    assert main(["history", "Acme", "--db", database_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 9
    assert "restored  " in out[0] and "changed  person 张伟: Title: Chief → Director" in "\n".join(out)
    assert out[-1].endswith("created  account Acme: Name: Acme; Class: A")


def test_history_command_finds_a_deleted_account(database_url, store, acme, capsys):
    account, _ = acme
    account = store.get(m.Account, account.id)
    store.delete(m.Account, account.id, account.version)
    assert main(["history", "Acme", "--db", database_url]) == 0
    newest = capsys.readouterr().out.splitlines()[:2]  # the account and 张伟, gone in one delete
    assert any(line.endswith("rep-a  deleted  account Acme") for line in newest)


def test_history_of_an_unknown_account_is_one_clear_line(database_url, store, acme, capsys):
    assert main(["history", "Nobody Inc", "--db", database_url]) == EXIT_FLAGS
    err = capsys.readouterr().err
    assert err == "planner: No account matches 'Nobody Inc'.\n"


def test_history_help():
    with pytest.raises(SystemExit) as done:
        main(["history", "--help"])
    assert done.value.code == 0
