"""Numbers too large for a float get the field's message, not an OverflowError."""

from __future__ import annotations

import pytest
from records import make_account

from planner.core import fields
from planner.core import models as m
from planner.core.errors import ValidationError


@pytest.mark.parametrize(("field", "value"), [("revenue", 10**400), ("profit", -(10**400)), ("input_money", 10**20)])
def test_a_huge_number_is_too_large_not_a_crash(store, field, value):
    with pytest.raises(ValidationError, match="too large") as refused:
        store.create(m.Account, name="X", **{field: value})
    assert list(refused.value.errors) == [field]
    assert store.account_rows() == []


def test_a_huge_number_is_refused_on_update_and_in_bulk(store):
    account = make_account(store)
    with pytest.raises(ValidationError, match="too large"):
        store.update(m.Account, account.id, account.version, revenue=10**400)
    rows = [{"id": m.new_id(), "name": "Bulk", "revenue": 10**400}]
    with pytest.raises(ValidationError, match="too large"):
        store.bulk_insert([(m.Account, rows)])


def test_large_whole_numbers_within_range_are_fine():
    revenue = fields.spec(m.Account, "revenue")
    assert fields.check(revenue, 10**13) is None
    assert fields.check(revenue, 10**13 + 1) == "Revenue this year is too large (at most 10,000,000,000,000)."
