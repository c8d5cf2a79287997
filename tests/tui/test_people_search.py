"""Finding a person across accounts from the customer list: by pinyin, Chinese or
English, typed key by key; enter lands on the person among their account's key people."""

from __future__ import annotations

from conftest import FIXED_DAY, settle
from textual.widgets import Input, Static

from planner.app import make_app
from planner.core import models as m
from planner.screens.customer_list import CustomerListScreen
from planner.screens.people_search import PeopleSearchScreen, fitted_widths
from planner.screens.stakeholders import StakeholdersScreen
from planner.widgets.record_table import RecordTable


def _names(app) -> list[str]:
    return [hit.name for hit in app.screen.query_one(RecordTable).records]


def _status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


def _person(store, name: str) -> m.Person:
    (person,) = [p for p in store.list(m.Person) if p.name == name]
    return person


async def _open_search(pilot) -> None:
    await settle(pilot)
    await pilot.press("P")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PeopleSearchScreen)


async def test_initials_find_zhang_wei_and_enter_selects_him_on_his_accounts_key_people(demo_store):
    zhang = _person(demo_store, "张伟")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_search(pilot)
        assert len(_names(app)) == 50 and "The first 50 people" in _status(app)  # nothing typed yet
        await pilot.press("z", "w")
        await settle(pilot)
        assert app.screen.query_one(Input).value == "zw"
        assert _names(app) == ["张伟"]
        assert app.screen.query_one(RecordTable).records[0].account_name == "江南科技大学"
        assert _status(app).startswith("1 person matches")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StakeholdersScreen)
        assert screen.account_id == zhang.account_id
        assert screen.selected == zhang.id
        assert screen.focused is not None and screen.focused.id == f"card-{zhang.id}"
        await pilot.press("escape")  # back to the search, as it was left
        await settle(pilot)
        assert isinstance(app.screen, PeopleSearchScreen) and _names(app) == ["张伟"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CustomerListScreen)


async def test_a_search_nobody_matches_says_so_and_enter_opens_nothing(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_search(pilot)
        await pilot.press(*"qqxq")
        await settle(pilot)
        assert _names(app) == []
        assert _status(app).startswith("No one matches “qqxq”")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PeopleSearchScreen)


async def test_chinese_then_english_each_narrow_the_list_and_the_arrows_pick_the_row(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_search(pilot)
        app.screen.query_one(Input).insert_text_at_cursor("主任")  # as an input method commits it
        await settle(pilot)
        found = _names(app)
        assert "冉志刚" in found and "徐斌" in found and "张伟" not in found
        assert all("主任" in hit.title for hit in app.screen.query_one(RecordTable).records)
        await pilot.press("backspace", "backspace", *"wang")
        await settle(pilot)
        assert _names(app) == ["Leo Wang", "王建国"]  # the English surname, and 王's pinyin
        assert _status(app).startswith("2 people match")
        await pilot.press("down", "enter")
        await settle(pilot)
        wang = _person(demo_store, "王建国")
        assert isinstance(app.screen, StakeholdersScreen)
        assert (app.screen.account_id, app.screen.selected) == (wang.account_id, wang.id)


async def test_the_search_is_in_the_command_palette_of_the_customer_list(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Find people (P)" in titles


def test_the_columns_fit_80_cells_with_chinese_names_and_long_titles():
    from planner.core.rows import PersonHit

    hits = [
        PersonHit(
            "1", "张伟", "设备科科长 Chief, Equipment Section", "implementation", "supporter", "a", "江南科技大学"
        ),
        PersonHit("2", "Catherine Lee", "Chief Operating Officer", "image", "neutral", "b", "Harbor Mutual Insurance"),
    ]
    for width in (80, 100):
        widths = fitted_widths(hits, width)
        assert sum(widths) + 2 * len(widths) + 2 <= width
        assert min(widths) >= 6
