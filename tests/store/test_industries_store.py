"""Industries as reps edit them: the listing with its account counts, the picker's order,
a tier change confirming a guess, and no delete while accounts use the industry."""

from __future__ import annotations

from datetime import date

import pytest

from planner.core import models as m
from planner.core.errors import InUse
from planner.core.export import account_plan_markdown
from planner.core.industries import next_tier


def test_the_listing_counts_live_accounts_and_keeps_the_methods_order(store):
    biotech = store.create(m.Industry, name_en="Biotech", name_zh="生物", tier="other")
    store.create(m.Account, name="Gene Labs", industry_id=biotech.id)
    gone = store.create(m.Account, name="Old Labs", industry_id=biotech.id)
    store.delete(m.Account, gone.id, gone.version)
    rows = store.industry_rows()
    assert [row.tier for row in rows] == sorted((row.tier for row in rows), key=m.TIERS.index)
    assert next(row for row in rows if row.id == biotech.id).accounts == 1
    labels = [label for label, _ in store.industry_choices()]
    assert "Biotech 生物 (other)" in labels
    assert labels.index("Energy 能源 (other)") > labels.index("Water Resources 水利 (tracked)")


def test_an_industry_in_use_is_not_deleted_and_the_refusal_says_by_how_many(store):
    biotech = store.create(m.Industry, name_en="Biotech")
    accounts = [store.create(m.Account, name=name, industry_id=biotech.id) for name in ("Gene Labs", "Cell Co")]
    with pytest.raises(InUse, match="2 accounts still use this industry"):
        store.delete(m.Industry, biotech.id, biotech.version)
    assert store.get(m.Industry, biotech.id).deleted_at is None
    for account in accounts:
        store.update(m.Account, account.id, account.version, industry_id=None)
    store.delete(m.Industry, biotech.id, biotech.version)
    assert biotech.id not in {row.id for row in store.industry_rows()}


def test_moving_a_guessed_tier_confirms_it(store):
    (row_id,) = m.new_ids(1)
    store.bulk_insert([(m.Industry, [{"id": row_id, "name_en": "Aerospace", "tier": "major", "tier_guessed": True}])])
    guessed = store.get(m.Industry, row_id)
    moved = store.update(m.Industry, row_id, guessed.version, tier=next_tier(guessed.tier))
    assert (moved.tier, moved.tier_guessed) == ("minor", False)
    assert [next_tier(tier) for tier in m.TIERS] == ["minor", "tracked", "other", "major"]


def test_restoring_an_account_brings_back_the_industry_deleted_since(store):
    mining = store.create(m.Industry, name_en="Mining")
    account = store.create(m.Account, name="Aardvark Mines", industry_id=mining.id)
    store.delete(m.Account, account.id, account.version)
    store.delete(m.Industry, mining.id, mining.version)  # no live account uses it now
    store.restore(m.Account, account.id)
    assert store.get(m.Industry, mining.id).name_en == "Mining"
    assert next(row for row in store.industry_rows() if row.id == mining.id).accounts == 1


def test_an_account_whose_industry_a_sync_deleted_still_opens_and_exports(store):
    """One copy deleted the industry while another gave it to an account; both synced."""
    salt = store.create(m.Industry, name_en="Salt")
    account = store.create(m.Account, name="Salt Works", industry_id=salt.id)
    with store.db.write_connection() as connection:  # what the merge writes: the tombstone alone
        table = m.table_of(m.Industry)
        connection.execute(table.update().where(table.c.id == salt.id).values(deleted_at=m.utcnow()))
    assert store.overview(account.id, date(2026, 12, 3)).industry.name_en == "Salt"
    plan = account_plan_markdown(store.plan_document(account.id, date(2026, 12, 3)))
    assert "- Industry: Salt" in plan
