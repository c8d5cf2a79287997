"""Introductions recorded through the store, on a real SQLite file, read back as the
stakeholder screen reads them: the board, the account's visits and who was met."""

from __future__ import annotations

from datetime import date

import pytest
from records import make_account

from planner.core import models as m
from planner.core.errors import ValidationError
from planner.core.introductions import path_text, short_text
from planner.core.stakeholders import Board, with_how_met
from planner.store import seed

DAY = date(2026, 11, 27)


def board(store, account_id: str) -> Board:
    """What `StakeholdersScreen.fetch` reads."""
    found = store.stakeholder_board(account_id, DAY)
    return with_how_met(found, store.list(m.Visit, account_id=account_id), store.attendees(account_id))


def paths(store, account_id: str) -> dict[str, str]:
    return {s.person.name: path_text(s.person.name, s.how) for s in board(store, account_id).people if s.how}


@pytest.fixture
def people(store):
    account = make_account(store, name="Jiangnan University")
    names = ("李明", "张伟", "王芳", "赵磊")
    return account, {name: store.create(m.Person, account_id=account.id, name=name) for name in names}


def test_a_chain_recorded_as_visits_reads_back_as_the_path(store, people):
    account, p = people
    store.save_visit(None, None, [p["李明"].id], account_id=account.id, visited_on=date(2026, 9, 1), channel="event")
    store.save_visit(
        None, None, [p["张伟"].id], account_id=account.id, visited_on=date(2026, 10, 1),
        channel="introduction", introduced_by_id=p["李明"].id,
    )  # fmt: skip
    store.save_visit(
        None, None, [p["王芳"].id, p["赵磊"].id], account_id=account.id, visited_on=date(2026, 11, 1),
        channel="introduction", introduced_by_id=p["张伟"].id,
    )  # fmt: skip

    found = paths(store, account.id)
    assert found["王芳"] == "王芳 ← introduced by 张伟 ← introduced by 李明 (李明 first met: event)"
    assert found["赵磊"] == "赵磊 ← introduced by 张伟 ← introduced by 李明 (李明 first met: event)"
    assert found["李明"] == "李明 — first met: event, 2026-09-01"
    cards = {s.person.name: short_text(s.how) for s in board(store, account.id).people if s.how}
    assert cards["王芳"] == "Introduced by 张伟 ← 李明"


def test_an_introduction_edited_or_deleted_changes_the_path_with_it(store, people):
    account, p = people
    store.save_visit(None, None, [p["李明"].id], account_id=account.id, visited_on=date(2026, 9, 1), channel="phone")
    intro = store.save_visit(
        None, None, [p["王芳"].id], account_id=account.id, visited_on=date(2026, 10, 1),
        channel="introduction", introduced_by_id=p["李明"].id,
    )  # fmt: skip
    assert paths(store, account.id)["王芳"].startswith("王芳 ← introduced by 李明")

    intro = store.save_visit(intro.id, intro.version, None, introduced_by_id=p["张伟"].id)
    assert paths(store, account.id)["王芳"] == "王芳 ← introduced by 张伟 (张伟 not met yet)"

    store.delete(m.Visit, intro.id, intro.version)
    assert paths(store, account.id)["王芳"] == "王芳: not met yet"


def test_an_introducer_deleted_since_reads_as_no_longer_recorded(store, people):
    account, p = people
    store.save_visit(
        None, None, [p["王芳"].id], account_id=account.id, visited_on=date(2026, 10, 1),
        channel="introduction", introduced_by_id=p["张伟"].id,
    )  # fmt: skip
    zhang = store.get(m.Person, p["张伟"].id)
    store.delete(m.Person, zhang.id, zhang.version)
    assert paths(store, account.id)["王芳"].startswith("王芳 ← introduced by (someone no longer recorded)")


def test_the_store_refuses_an_introducer_of_another_account(store, people):
    account, p = people
    other = make_account(store, name="Another customer")
    stranger = store.create(m.Person, account_id=other.id, name="陌生人")
    with pytest.raises(ValidationError) as refused:
        store.save_visit(
            None, None, [p["王芳"].id], account_id=account.id, visited_on=DAY,
            channel="introduction", introduced_by_id=stranger.id,
        )  # fmt: skip
    assert "introduced_by_id" in refused.value.errors


def test_every_demo_channel_lands_on_a_demo_visit_and_the_demo_shows_a_path(store):
    """`seed.HOW_CONTACTS_HAPPENED` is keyed by the visits' days in demo.json: an entry
    that matches no visit would silently leave the demo without its paths."""
    batches = dict(seed.demo_batches(DAY, "rep-a"))
    visits = batches[m.Visit]
    accounts = {row["id"]: row["name"] for row in batches[m.Account]}
    people = {row["id"]: row for row in batches[m.Person]}
    for channel, _introducer in seed.HOW_CONTACTS_HAPPENED.values():
        assert channel in m.CHANNELS
    assert sum(v["channel"] != "visit" for v in visits) == len(seed.HOW_CONTACTS_HAPPENED)
    introduced = [v for v in visits if v["channel"] == "introduction"]
    for visit in introduced:
        assert people[visit["introduced_by_id"]]["account_id"] == visit["account_id"]
    assert {v["channel"] for v in visits} == set(m.CHANNELS)

    seed.demo(store, DAY)
    university = next(a for a in store.list(m.Account) if a.name in accounts.values() and "大学" in a.name)
    assert (
        paths(store, university.id)["钱俊"] == "钱俊 ← introduced by 孙明 ← introduced by 林晨 (林晨 first met: visit)"
    )
    bank = next(a for a in store.list(m.Account) if a.name.startswith("Eastern Harbour"))
    assert paths(store, bank.id)["Victor Lam"] == "Victor Lam ← introduced by Grace Liu (Grace Liu first met: event)"


def test_the_store_refuses_an_introducer_the_form_would_refuse_and_writes_nothing(store, people):
    account, p = people
    with pytest.raises(ValidationError, match="one of the people introduced") as among:
        store.save_visit(
            None, None, [p["张伟"].id, p["李明"].id], account_id=account.id, visited_on=date(2026, 10, 1),
            channel="introduction", introduced_by_id=p["李明"].id,
        )  # fmt: skip
    assert set(among.value.errors) == {"introduced_by_id"}
    with pytest.raises(ValidationError, match="Only an introduction has an introducer"):
        store.save_visit(
            None, None, [p["张伟"].id], account_id=account.id, visited_on=date(2026, 10, 1),
            channel="phone", introduced_by_id=p["李明"].id,
        )  # fmt: skip
    assert store.list(m.Visit, account_id=account.id) == []
    visit = store.save_visit(
        None, None, [p["张伟"].id], account_id=account.id, visited_on=date(2026, 10, 1),
        channel="introduction", introduced_by_id=p["李明"].id,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="one of the people introduced"):
        store.save_visit(visit.id, visit.version, [p["张伟"].id, p["李明"].id])
    with pytest.raises(ValidationError, match="Only an introduction"):
        store.save_visit(visit.id, visit.version, None, channel="event")
    kept = store.get(m.Visit, visit.id)
    assert (kept.channel, kept.introduced_by_id, kept.version) == ("introduction", p["李明"].id, visit.version)
    assert [a.person_id for a in store.list(m.VisitAttendee, visit_id=visit.id)] == [p["张伟"].id]
