"""Funnel moves read from a real database's change log, after real class changes."""

from __future__ import annotations

from datetime import UTC, datetime

from records import make_account

from planner.core import models as m
from planner.core.funnel_moves import quarter_of


def test_class_changes_made_through_the_store_are_this_quarters_moves(store):
    bank = make_account(store, name="Harbour Bank", revenue=800.0, account_class="B")
    school = make_account(store, name="江南大学", revenue=150.0, account_class="C")
    shop = make_account(store, name="Corner Shop", revenue=50.0, account_class="C")
    gone = make_account(store, name="Gone Ltd", revenue=10.0, account_class="C")
    bank = store.update(m.Account, bank.id, bank.version, account_class="A")
    school = store.update(m.Account, school.id, school.version, account_class="A")
    store.update(m.Account, school.id, school.version, account_class="B", revenue=180.0)
    store.update(m.Account, shop.id, shop.version, revenue=70.0)  # not a class change
    gone = store.update(m.Account, gone.id, gone.version, account_class="B")
    store.delete(m.Account, gone.id, gone.version)

    quarter = quarter_of(datetime.now(UTC).date())
    found = [(mv.source + mv.target, [(a.name, a.revenue) for a in mv.accounts]) for mv in store.funnel_moves(quarter)]
    assert found == [("CB", [("江南大学", 180.0)]), ("BA", [("Harbour Bank", 800.0)])]
    assert store.funnel_moves(quarter.shifted(-1)) == []
    assert [mv.source + mv.target for mv in store.funnel_moves(quarter.toggled())] == ["CB", "BA"]
