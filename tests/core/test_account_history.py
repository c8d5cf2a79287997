"""An account's change log reads as sentences, covers what belongs to it, and finds deleted records."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date

import pytest
from records import make_account

from planner import history
from planner import models as m
from planner.cli import EXIT_FLAGS, main
from planner.startup import open_store


@pytest.fixture
def rep_b(db_path, store):
    other = open_store(str(db_path), user="rep-b")
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


def test_history_lists_every_change_to_the_account_and_its_people_newest_first(store, acme):
    account, person = acme
    lines = history.account_history(store, account.id)
    assert [line.at for line in lines] == sorted((line.at for line in lines), reverse=True)
    assert Counter((line.action, line.table) for line in lines) == Counter(
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
    assert (lines[-1].action, lines[-1].table) == ("insert", "account")
    assert all(line.row_id in (account.id, person.id) for line in lines), "nothing from other accounts"


def test_history_lines_read_as_sentences(store, acme):
    account, _ = acme
    lines = history.account_history(store, account.id)
    update = next(line for line in lines if line.action == "update")
    stamp = update.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    assert history.format_line(update, UTC) == f'{stamp}  rep-b  update  person 张伟: title "Chief" → "Director"'
    text = _text(lines)
    insert = next(t for t in text if "insert  person" in t)
    assert 'name "张伟"' in insert and 'title "Chief"' in insert and 'layer "decision"' in insert
    assert "account_id" not in insert, "an insert lists its own fields briefly, not the link to the account"
    assert text[-1].endswith('insert  account Acme: account_class "A", name "Acme"')
    assert any(t.endswith("rep-a  delete  person 张伟") for t in text)
    assert any(t.endswith("rep-a  restore  account Acme") for t in text)


def test_history_follows_links_and_visits(store, acme):
    account, person = acme
    unit = store.create(m.OrgUnit, account_id=account.id, name="Finance office")
    person = store.get(m.Person, person.id)
    store.update(m.Person, person.id, person.version, unit_id=unit.id)
    store.save_visit(None, None, [person.id], account_id=account.id, visited_on=date(2026, 11, 1), purpose="Intro")
    text = _text(history.account_history(store, account.id))
    assert text[0].endswith("insert  attendee 张伟: person_id 张伟, visit_id 2026-11-01")
    assert text[1].endswith('insert  visit 2026-11-01: purpose "Intro", visited_on 2026-11-01')
    assert text[2].endswith("update  person 张伟: unit_id — → Finance office")


def test_deleted_records_are_listed_for_restore(store, acme):
    account, person = acme
    gone = store.create(m.Person, account_id=account.id, name="Li", title="Engineer")
    visit = store.save_visit(None, None, [person.id], account_id=account.id, visited_on=date(2026, 11, 1))
    assert history.deleted_records(store, account.id) == []
    store.delete(m.Person, gone.id, gone.version)
    store.delete(m.Visit, visit.id, store.get(m.Visit, visit.id).version)
    deleted = history.deleted_records(store, account.id)
    assert [(d.table, d.label, d.who) for d in deleted] == [("visit", "2026-11-01", "rep-a"), ("person", "Li", "rep-a")]
    assert deleted[0].deleted_at >= deleted[1].deleted_at
    assert all(d.deleted_at is not None for d in deleted)
    store.restore(deleted[1].model, deleted[1].id)
    assert [d.label for d in history.deleted_records(store, account.id)] == ["2026-11-01"]


def test_a_deleted_account_lists_itself_not_what_went_with_it(store, acme):
    account, _ = acme
    account = store.get(m.Account, account.id)
    store.delete(m.Account, account.id, account.version)
    assert [(d.table, d.label) for d in history.deleted_records(store, account.id)] == [("account", "Acme")]
    assert history.find_account(store, "Acme").id == account.id, "a deleted account is still found by name"


def test_history_command_prints_the_log(db_path, store, acme, capsys):
    assert main(["history", "Acme", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 9
    assert "restore  " in out[0] and 'update  person 张伟: title "Chief" → "Director"' in "\n".join(out)
    assert out[-1].endswith('insert  account Acme: account_class "A", name "Acme"')


def test_history_of_an_unknown_account_is_one_clear_line(db_path, store, acme, capsys):
    assert main(["history", "Nobody Inc", "--db", str(db_path)]) == EXIT_FLAGS
    err = capsys.readouterr().err
    assert err == "planner: No account matches 'Nobody Inc'.\n"


def test_history_help():
    with pytest.raises(SystemExit) as done:
        main(["history", "--help"])
    assert done.value.code == 0
