"""Competitor queries on a real SQLite file: positions per account, presence per brand."""

from __future__ import annotations

from datetime import date

from records import make_account

from planner.core import competition
from planner.core import models as m


def test_positions_join_the_brand_and_list_counter_actions(store):
    bank = make_account(store, name="Harbour Bank")
    other = make_account(store, name="Corner Shop")
    rival = store.create(m.Competitor, name="RivalSoft", notes="Cheap, thin service")
    minor = store.create(m.Competitor, name="Acorn")
    high = store.create(
        m.CompetitorPosition, account_id=bank.id, competitor_id=rival.id, partner="Blue SI", allies="CFO", threat=5
    )
    store.create(m.CompetitorPosition, account_id=bank.id, competitor_id=minor.id, threat=2)
    store.create(m.CompetitorPosition, account_id=other.id, competitor_id=rival.id, threat=3)
    store.create(
        m.Action,
        account_id=bank.id,
        competitor_position_id=high.id,
        title="Reference visit",
        due_date=date(2026, 12, 1),
    )
    store.create(m.Action, account_id=bank.id, title="Unrelated call")

    rows = store.competitors_at(bank.id).positions

    assert [(r.brand, r.threat, r.countered) for r in rows] == [("RivalSoft", 5, True), ("Acorn", 2, False)]
    first = rows[0]
    assert (first.partner, first.allies, first.brand_notes, first.version) == (
        "Blue SI",
        "CFO",
        "Cheap, thin service",
        1,
    )
    assert first.counters == (competition.Counter("Reference visit", "todo", date(2026, 12, 1), ""),)
    assert [r.account_id for r in store.competitors_at(other.id).positions] == [other.id]


def test_deleted_positions_and_counter_actions_drop_out(store):
    bank = make_account(store)
    rival = store.create(m.Competitor, name="RivalSoft")
    gone = store.create(m.CompetitorPosition, account_id=bank.id, competitor_id=rival.id)
    kept = store.create(m.CompetitorPosition, account_id=bank.id, competitor_id=rival.id, threat=4)
    action = store.create(m.Action, account_id=bank.id, competitor_position_id=kept.id, title="Counter")
    store.delete(m.CompetitorPosition, gone.id, gone.version)
    store.delete(m.Action, action.id, action.version)

    rows = store.competitors_at(bank.id).positions

    assert [(r.id, r.countered) for r in rows] == [(kept.id, False)]


def test_presence_lists_every_brand_by_threat_and_skips_deleted_accounts(store):
    bank = make_account(store, name="Harbour Bank", account_class="A")
    school = make_account(store, name="江南大学", account_class="B")
    closed = make_account(store, name="Closed Co")
    rival = store.create(m.Competitor, name="RivalSoft")
    acorn = store.create(m.Competitor, name="acorn")
    idle = store.create(m.Competitor, name="Zephyr")
    at_bank = store.create(m.CompetitorPosition, account_id=bank.id, competitor_id=rival.id, threat=2)
    at_school = store.create(m.CompetitorPosition, account_id=school.id, competitor_id=rival.id, threat=5)
    store.create(m.CompetitorPosition, account_id=bank.id, competitor_id=acorn.id, threat=3)
    store.create(m.CompetitorPosition, account_id=closed.id, competitor_id=rival.id, threat=4)
    store.delete(m.Account, closed.id, closed.version)
    store.create(m.Action, account_id=school.id, competitor_position_id=at_school.id, title="Counter")

    rows = store.competitor_presence()

    assert [(r.brand, r.account_name, r.account_class, r.threat, r.countered) for r in rows] == [
        ("acorn", "Harbour Bank", "A", 3, False),
        ("RivalSoft", "江南大学", "B", 5, True),
        ("RivalSoft", "Harbour Bank", "A", 2, False),
        ("Zephyr", "", "", 0, False),
    ]
    assert [r.id for r in rows] == [rows[0].position_id, at_school.id, at_bank.id, idle.id]
    assert rows[-1].position_id is None and rows[-1].account_id is None


def test_matching_filters_by_brand_or_account_ignoring_case(store):
    bank = make_account(store, name="Harbour Bank")
    school = make_account(store, name="江南大学")
    rival = store.create(m.Competitor, name="RivalSoft")
    for account in (bank, school):
        store.create(m.CompetitorPosition, account_id=account.id, competitor_id=rival.id)
    rows = store.competitor_presence()

    assert competition.matching(rows, "  ") == rows
    assert [r.account_name for r in competition.matching(rows, "RIVAL")] == ["Harbour Bank", "江南大学"]
    assert [r.account_name for r in competition.matching(rows, "大学")] == ["江南大学"]
    assert competition.matching(rows, "nobody") == []


def test_threat_bar_and_counter_status_read_without_colour():
    assert competition.threat_bar(4) == "▲▲▲▲  4/5"
    assert competition.threat_bar(1) == "▲     1/5"
    assert competition.counter_status(5, True, 4) == "✓ countered"
    assert competition.counter_status(4, False, 4) == "no counter-action ⚑"
    assert competition.counter_status(3, False, 4) == "no counter-action"
    assert competition.unanswered(4, False, 4) and not competition.unanswered(4, True, 4)
    assert not competition.unanswered(3, False, 4)
