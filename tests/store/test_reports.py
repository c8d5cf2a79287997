"""Portfolio figures from the store: the overview, visits, agenda and flags."""

from __future__ import annotations

from datetime import date

import pytest
from records import make_account

from planner.core import models as m
from planner.core.errors import NotFound, ValidationError
from planner.core.overview import project_stages

DAY = date(2026, 11, 27)


@pytest.fixture
def portfolio(store):
    bank = make_account(store, name="Harbour Bank", revenue=800.0, account_class="A", owner="rep-a")
    school = make_account(store, name="江南大学", revenue=150.0, account_class="B", owner="li")
    shop = make_account(store, name="Corner Shop", revenue=50.0, account_class="C", owner="rep-a")
    store.create(m.Visit, account_id=bank.id, visited_on=date(2026, 11, 20), commitment="PO next week")
    return {"bank": bank, "school": school, "shop": shop}


def test_overview_gathers_the_account_and_its_derived_figures(store, portfolio):
    bank = portfolio["bank"]
    store.create(m.Purchase, account_id=bank.id, purchased_on=date(2024, 5, 1), amount=100.0)
    store.create(m.Purchase, account_id=bank.id, purchased_on=date(2025, 5, 1), amount=200.0)
    store.create(m.Purchase, account_id=bank.id, purchased_on=date(2026, 3, 1), amount=250.0)
    store.create(m.Project, account_id=bank.id, name="Core banking", amount=1000.0, stage="incubating")
    data = store.overview(bank.id, DAY)
    assert data.account.name == "Harbour Bank"
    assert data.summary.pareto.key
    assert data.yearly == [(2024, 100.0), (2025, 200.0), (2026, 250.0)]
    # 27 November: the forecast targets 2027 from 100, 200, 250 (trend +75 a year).
    assert (data.forecast.year, data.forecast.amount) == (2027, pytest.approx(333.33, abs=0.01))
    assert data.purchased_this_year == 250.0
    assert store.overview(bank.id, date(2026, 6, 1)).forecast.amount == pytest.approx(300.0)
    assert [v.commitment for v in data.visits] == ["PO next week"]
    stages = dict((stage, (count, amount)) for stage, count, amount in project_stages(data.projects))
    assert stages["incubating"] == (1, 1000.0) and stages["won"] == (0, 0.0)
    with pytest.raises(NotFound):
        store.overview("gone", DAY)


def test_save_visit_records_who_was_met_in_one_transaction(store, portfolio):
    bank = portfolio["bank"]
    boss = store.create(m.Person, account_id=bank.id, name="Director Wu", layer="decision")
    aide = store.create(m.Person, account_id=bank.id, name="Aide")
    visit = store.save_visit(None, None, [boss.id], account_id=bank.id, visited_on=DAY, commitment="Trial")
    assert store.attendees(bank.id) == {visit.id: [(boss.id, "Director Wu")]}
    visit = store.save_visit(visit.id, visit.version, [aide.id], outcome="Good")
    assert store.attendees(bank.id) == {visit.id: [(aide.id, "Aide")]}
    assert store.get(m.Visit, visit.id).outcome == "Good"


def test_save_visit_refuses_people_of_another_account_and_writes_nothing(store, portfolio):
    stranger = store.create(m.Person, account_id=portfolio["school"].id, name="Stranger")
    before = len(store.list(m.Visit))
    with pytest.raises(ValidationError):
        store.save_visit(None, None, [stranger.id], account_id=portfolio["bank"].id, visited_on=DAY)
    assert len(store.list(m.Visit)) == before


def test_meeting_the_decision_layer_clears_the_not_met_flag(store, portfolio):
    bank = portfolio["bank"]
    boss = store.create(m.Person, account_id=bank.id, name="Director Wu", layer="decision", stance="supporter")
    codes = lambda: [f.code for f in store.red_flags(DAY, bank.id).get(bank.id, [])]  # noqa: E731
    assert codes() == ["decision-not-met"]
    store.save_visit(None, None, [boss.id], account_id=bank.id, visited_on=DAY, commitment="Sign")
    assert codes() == []


def test_agenda_orders_class_first_and_lists_stale_accounts(store, portfolio):
    store.create(m.Action, account_id=portfolio["shop"].id, title="Send catalogue", due_date=date(2026, 11, 20))
    store.create(m.Action, account_id=portfolio["bank"].id, title="Contract", due_date=date(2026, 11, 29))
    items = store.agenda(DAY)
    titles = [(i.account_class, i.kind, i.title) for i in items]
    assert titles[0] == ("A", "action", "Contract")
    assert ("C", "action", "Send catalogue") in titles
    assert ("B", "stale", "Never contacted") in titles


def test_agenda_keeps_every_open_follow_up_of_every_visit_until_it_is_done(store, portfolio):
    bank, school = portfolio["bank"], portfolio["school"]
    old = store.create(
        m.Visit, account_id=bank.id, visited_on=date(2026, 10, 1), next_step="Send the NDA",
        next_step_date=date(2026, 10, 8),
    )  # fmt: skip
    later = store.create(
        m.Visit, account_id=bank.id, visited_on=date(2026, 11, 25), next_step="  Book\nthe demo ",
        next_step_date=date(2026, 11, 30),
    )  # fmt: skip
    dateless = store.create(m.Visit, account_id=bank.id, visited_on=date(2026, 11, 26), next_step="Someday")
    far = store.create(
        m.Visit, account_id=bank.id, visited_on=date(2026, 11, 26), next_step="Next year",
        next_step_date=date(2027, 1, 5),
    )  # fmt: skip
    unnamed = store.create(
        m.Visit, account_id=school.id, visited_on=date(2026, 11, 1), next_step_date=date(2026, 11, 2)
    )
    follow_ups = lambda: {i.ref_id: i for i in store.agenda(DAY) if i.kind == "follow-up"}  # noqa: E731
    found = follow_ups()
    assert set(found) == {old.id, later.id, unnamed.id}
    assert (found[old.id].title, found[old.id].due, found[old.id].account_class) == (
        "Send the NDA",
        date(2026, 10, 8),
        "A",
    )
    assert found[later.id].title == "Book the demo" and found[unnamed.id].title == "Follow up"
    assert dateless.id not in found and far.id not in found
    order = [i.ref_id for i in store.agenda(DAY) if i.kind == "follow-up"]
    assert order == [old.id, later.id, unnamed.id]  # class A first, overdue first within it

    store.update(m.Visit, old.id, old.version, next_step_done=True)
    store.delete(m.Visit, later.id, later.version)
    assert set(follow_ups()) == {unnamed.id}
    store.delete(m.Account, school.id, store.get(m.Account, school.id).version)
    assert follow_ups() == {}


def test_a_stale_account_says_day_or_days(store, portfolio):
    titles = {i.account_name: i.title for i in store.agenda(DAY) if i.kind == "stale"}
    assert titles["江南大学"] == "Never contacted"
    shop = portfolio["shop"]
    store.update(m.Account, shop.id, shop.version, cadence_days=1)
    store.create(m.Visit, account_id=shop.id, visited_on=date(2026, 11, 25), commitment="Call")
    titles = {i.account_name: i.title for i in store.agenda(DAY) if i.kind == "stale"}
    assert titles["Corner Shop"] == "No contact for 2 days"
