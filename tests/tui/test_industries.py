"""The industries screen, driven with a rep's keys on the demo database: open it from the
customer list, add, rename, move between tiers, describe how it buys, delete; the
database checked after each step."""

from __future__ import annotations

import sqlite3

from conftest import FIXED_DAY, edit_as_rep_b, settle
from textual.widgets import Input, Static, TextArea

from planner.app import make_app
from planner.core import models as m
from planner.screens.confirm import Confirm
from planner.screens.conflict_dialog import ConflictDialog
from planner.screens.customer_list import CustomerListScreen
from planner.screens.industries import IndustriesScreen
from planner.screens.record_form import RecordForm
from planner.widgets.record_table import RecordTable

SIZE = (100, 30)


def industry(store, name: str) -> m.Industry:
    return next(i for i in store.list(m.Industry) if i.name_en == name)


def cells(app) -> list[list[str]]:
    table = app.screen.query_one(RecordTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def current(app):
    return app.screen.query_one(RecordTable).current


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def open_industries(pilot) -> IndustriesScreen:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, IndustriesScreen)
    return screen


async def highlight(pilot, name: str) -> None:
    table = pilot.app.screen.query_one(RecordTable)
    table.move_cursor(row=[r.name_en for r in table.records].index(name))
    await pilot.pause()


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert not isinstance(pilot.app.screen, RecordForm)


async def test_i_opens_every_industry_with_both_names_tier_pattern_and_use(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Industries (i)" in titles
        await open_industries(pilot)
        rows = cells(app)
        assert len(rows) == len(demo_store.list(m.Industry)) == 18
        assert rows[0][:4] == ["Education", "教育", "major", "3"]
        assert rows[0][4].startswith("Buying is decentralised across many de")
        assert [row[2] for row in rows] == sorted((row[2] for row in rows), key=m.TIERS.index)
        detail = str(app.screen.query_one("#industry-detail", Static).render())
        assert "Education 教育 · tier major · 3 accounts" in detail and "teaching-instrument station" in detail
        await pilot.press("escape")
        assert isinstance(app.screen, CustomerListScreen)


async def test_filter_and_sort_like_the_other_lists(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_industries(pilot)
        await pilot.press("slash")
        assert app.focused is screen.query_one(Input)
        await pilot.press(*"金融")
        assert [row[0] for row in cells(app)] == ["Finance"]
        screen.query_one(Input).value = "decentralised"  # the procurement pattern is searched too
        await pilot.pause()
        assert {row[0] for row in cells(app)} == {"Education", "Securities"}
        await pilot.press("escape")  # out of the filter first
        assert isinstance(app.screen, IndustriesScreen) and app.focused is screen.table
        screen.query_one(Input).value = ""
        await pilot.pause()
        await pilot.press("s")  # tier → accounts, most first
        counts = [int(row[3]) for row in cells(app)]
        assert counts == sorted(counts, reverse=True)
        await pilot.press("o")
        assert [int(row[3]) for row in cells(app)] == sorted(counts)
        await pilot.press("s")  # → how it buys, then the English name
        await pilot.press("s")
        names = [row[0] for row in cells(app)]
        assert names == sorted(names, key=str.casefold)
        assert "sorted by Industry ↑" in str(screen.query_one("#status", Static).render())


async def test_add_rename_cycle_tier_describe_and_delete_an_industry(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_industries(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, RecordForm) and form.model is m.Industry
        await pilot.press(*"Biotech")
        form.query_one("#field-name_zh", Input).value = "生物"
        await save(pilot)
        added = industry(demo_store, "Biotech")
        assert (added.name_zh, added.tier, added.procurement_pattern) == ("生物", "other", "")
        assert current(app).id == added.id

        await pilot.press("e")
        app.screen.query_one("#field-name_en", Input).value = "Biotechnology"
        await save(pilot)
        assert demo_store.get(m.Industry, added.id).name_en == "Biotechnology"
        assert current(app).name_en == "Biotechnology"

        await pilot.press("t")
        await settle(pilot)
        assert demo_store.get(m.Industry, added.id).tier == "major"
        await pilot.press("t", "t")
        await settle(pilot)
        assert demo_store.get(m.Industry, added.id).tier == "tracked"
        assert current(app).tier == "tracked"

        await pilot.press("enter")
        pattern = "Each lab buys for itself.\nLarge instruments go to the provincial tender."
        app.screen.query_one("#field-procurement_pattern", TextArea).text = pattern
        await save(pilot)
        assert demo_store.get(m.Industry, added.id).procurement_pattern == pattern
        row = next(row for row in cells(app) if row[0] == "Biotechnology")
        assert row[2:] == ["tracked", "0", "Each lab buys for itself."]

        await pilot.press("d")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert "Biotechnology" not in {i.name_en for i in demo_store.list(m.Industry)}
        assert "Biotechnology" not in {row[0] for row in cells(app)}
        assert current(app).name_en == "Health"  # the next one in the list


async def test_an_industry_in_use_is_not_deleted_and_the_rep_hears_how_many_use_it(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_industries(pilot)
        await highlight(pilot, "Insurance")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, IndustriesScreen)  # not even asked
        assert any("Insurance is still used by 3 accounts" in text for text in messages(app))
        assert industry(demo_store, "Insurance").deleted_at is None


async def test_the_account_form_picks_a_new_industry_under_its_new_name(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_industries(pilot)
        await pilot.press("n", *"Mining")
        await save(pilot)
        await pilot.press("e")
        app.screen.query_one("#field-name_en", Input).value = "Mining & Metals"
        await save(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, RecordForm) and form.model is m.Account
        labels = [label for label, _ in form.choices["industry_id"]]
        assert not [label for label in labels if label.startswith("Mining (")]
        others = [label for label in labels if label.endswith("(other)")]
        assert labels[-len(others) :] == others  # the method's order: "other" comes last
        assert others == [
            "Energy 能源 (other)",
            "Logistics 物流 (other)",
            "Mining & Metals (other)",
            "Retail 零售 (other)",
        ]


async def test_a_guessed_tier_shows_as_guessed_and_changing_or_confirming_it_settles_it(demo_store):
    guessed = [
        {"id": row_id, "name_en": name, "tier": "major", "tier_guessed": True}
        for row_id, name in zip(m.new_ids(2), ("Aerospace", "Banking"), strict=True)
    ]
    demo_store.bulk_insert([(m.Industry, guessed)])
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_industries(pilot)
        assert {row[0]: row[2] for row in cells(app)}["Aerospace"] == "major, guessed"
        assert "2 tiers guessed (y confirms)" in str(screen.query_one("#status", Static).render())
        await highlight(pilot, "Aerospace")
        await pilot.press("t")
        await settle(pilot)
        moved = industry(demo_store, "Aerospace")
        assert (moved.tier, moved.tier_guessed) == ("minor", False)
        assert any("Aerospace is now minor (no longer a guess)" in text for text in messages(app))
        await highlight(pilot, "Banking")
        await pilot.press("y")
        await settle(pilot)
        kept = industry(demo_store, "Banking")
        assert (kept.tier, kept.tier_guessed) == ("major", False)
        assert {row[0]: row[2] for row in cells(app)}["Banking"] == "major"


async def test_another_reps_save_first_is_a_conflict_not_an_overwrite(demo_store):
    postal = industry(demo_store, "Postal")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_industries(pilot)
        await highlight(pilot, "Postal")
        edit_as_rep_b(demo_store, m.Industry, postal.id, name_zh="中国邮政")
        await pilot.press("t")  # on what the screen read before rep-b's save
        await settle(pilot)
        after = demo_store.get(m.Industry, postal.id)
        assert (after.tier, after.name_zh) == ("major", "中国邮政")
        assert any("changed by rep-b" in text for text in messages(app))
        assert current(app).name_zh == "中国邮政"  # reloaded

        await pilot.press("e")
        edit_as_rep_b(demo_store, m.Industry, postal.id, name_zh="邮政储蓄")
        app.screen.query_one("#field-name_en", Input).value = "Post"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("g")  # different fields: both stand
        await settle(pilot)
        merged = demo_store.get(m.Industry, postal.id)
        assert (merged.name_en, merged.name_zh) == ("Post", "邮政储蓄")


async def test_an_account_whose_industry_was_deleted_on_another_copy_still_opens_in_its_form(demo_store):
    mining = demo_store.create(m.Industry, name_en="Mining")
    account = demo_store.create(m.Account, name="Aardvark Mines", industry_id=mining.id, revenue=1e12)
    with sqlite3.connect(demo_store.db.url.removeprefix("sqlite:///")) as raw:  # as a sync's merge can leave it
        raw.execute("UPDATE industry SET deleted_at = CURRENT_TIMESTAMP WHERE id = ?", (mining.id,))
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")  # the largest account is first
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm) and form.initial["id"] == account.id
        assert ("a deleted industry: pick another", mining.id) in form.choices["industry_id"]
        form.query_one("#field-region", Input).value = "Pilbara"
        await save(pilot)
        assert demo_store.get(m.Account, account.id).region == "Pilbara"
