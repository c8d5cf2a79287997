"""Competitor notes per account and the cross-account map, driven with a rep's keys."""

from __future__ import annotations

from conftest import FIXED_DAY, edit_as_rep_b, history_text, settle, university
from rich.console import Console
from textual.widgets import Input, OptionList, Static

from planner.app import make_app
from planner.core import models as m
from planner.screens.brand_picker import NEW_BRAND, BrandPicker
from planner.screens.competitor_map import CompetitorMapScreen
from planner.screens.competitors import CompetitorsScreen
from planner.screens.confirm import Confirm
from planner.screens.history import HistoryScreen
from planner.screens.record_form import RecordForm
from planner.widgets.record_table import RecordTable

SIZE = (100, 30)


def bank(store) -> m.Account:
    return next(a for a in store.list(m.Account) if a.name.startswith("Eastern Harbour Bank"))


async def open_competitors(pilot, account_id: str) -> CompetitorsScreen:
    await settle(pilot)
    await pilot.app.push_screen(CompetitorsScreen(account_id))
    await settle(pilot)
    return pilot.app.screen


def rows(screen) -> list[list[str]]:
    table = screen.query_one(RecordTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def detail(screen) -> str:
    console = Console(width=100, record=True)
    console.print(screen.query_one("#position-fields", Static).content)
    return console.export_text()


def error(form, name: str) -> str:
    return str(form.query_one(f"#error-{name}", Static).render())


async def highlight(pilot, screen, position_id: str) -> None:
    table = screen.query_one(RecordTable)
    table.focus()
    table.move_cursor(row=[r.id for r in table.records].index(position_id))
    await pilot.pause()


async def pick_brand(pilot, option_id: str) -> None:
    """Walk down the picker to the brand, as a rep would, and choose it."""
    options = pilot.app.screen.query_one(OptionList)
    for _ in range(options.option_count):
        if options.highlighted is not None and options.get_option_at_index(options.highlighted).id == option_id:
            break
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


async def test_a_new_brand_is_added_once_and_reused_at_another_account(demo_store):
    school, harbour = university(demo_store), bank(demo_store)
    brands_before = len(demo_store.list(m.Competitor))
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_competitors(pilot, school.id)
        await pilot.press("n")
        assert isinstance(app.screen, BrandPicker)
        await pick_brand(pilot, NEW_BRAND)
        brand_form = app.screen
        assert isinstance(brand_form, RecordForm) and brand_form.model is m.Competitor
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error(brand_form, "name") == "Brand is required."
        await pilot.press(*"Zenith Compute")
        brand_form.query_one("#field-notes").load_text("GPU cloud reseller")
        await pilot.press("ctrl+s")
        await settle(pilot)

        position_form = app.screen
        assert isinstance(position_form, RecordForm) and position_form.model is m.CompetitorPosition
        await pilot.press(*"Campus Cloud Ltd")
        position_form.query_one("#field-threat", Input).value = "9"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is position_form
        assert error(position_form, "threat") == "Threat (1-5) must be between 1 and 5."
        position_form.query_one("#field-threat", Input).value = "3"
        position_form.query_one("#field-weaknesses").load_text("No on-site engineers")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert ["Zenith Compute", "Campus Cloud Ltd", "▲▲▲   3/5", "no counter-action"] in rows(screen)
        assert "No on-site engineers" in detail(screen)

        await pilot.press("escape")
        await settle(pilot)
        brand = next(b for b in demo_store.list(m.Competitor) if b.name == "Zenith Compute")
        other = await open_competitors(pilot, harbour.id)
        await pilot.press("n")
        picker = app.screen
        assert picker.query_one(OptionList).get_option(brand.id).disabled is False
        await pick_brand(pilot, brand.id)
        await pilot.press(*"Harbour SI")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ["Zenith Compute", "Harbour SI", "▲▲▲   3/5", "no counter-action"] in rows(other)

        await pilot.press("n")
        assert app.screen.query_one(OptionList).get_option(brand.id).disabled is True
        await pilot.press("escape")
        await settle(pilot)

    assert len(demo_store.list(m.Competitor)) == brands_before + 1
    assert [b.notes for b in demo_store.list(m.Competitor) if b.name == "Zenith Compute"] == ["GPU cloud reseller"]
    placed = demo_store.list(m.CompetitorPosition, competitor_id=brand.id)
    assert sorted((p.account_id, p.partner, p.threat) for p in placed) == sorted(
        [(school.id, "Campus Cloud Ltd", 3), (harbour.id, "Harbour SI", 3)]
    )


async def test_a_high_threat_without_counter_action_is_flagged_until_answered(demo_store):
    school = university(demo_store)
    bluepeak = next(
        p
        for p in demo_store.list(m.CompetitorPosition, account_id=school.id)
        if demo_store.get(m.Competitor, p.competitor_id).name == "BluePeak Networks"
    )
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_competitors(pilot, school.id)
        flag = screen.query_one("#position-flag", Static)
        await highlight(pilot, screen, bluepeak.id)
        assert not flag.display
        await pilot.press("e")
        form = app.screen
        form.query_one("#field-threat", Input).value = "5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        brand, partner, threat, countered = rows(screen)[0]
        assert (brand, threat, countered) == ("BluePeak Networks", "▲▲▲▲▲ 5/5", "no counter-action ⚑")
        assert partner.startswith("Jiangsu Netlink")
        assert flag.display and "no counter-action" in str(flag.render())
        assert "1 high threat without a counter-action ⚑" in str(screen.query_one("#competitors-status").render())

        await pilot.press("a")
        counter = app.screen
        assert isinstance(counter, RecordForm) and counter.model is m.Action
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error(counter, "title") == "What to do is required."
        await pilot.press(*"Joint network demo with the IT centre")
        counter.query_one("#field-due_date", Input).value = "2026-12-10"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert not any(cell.endswith("⚑") for row in rows(screen) for cell in row)
        assert not flag.display
        assert "Joint network demo with the IT centre" in detail(screen)

    assert demo_store.get(m.CompetitorPosition, bluepeak.id).threat == 5
    action = next(a for a in demo_store.list(m.Action) if a.title == "Joint network demo with the IT centre")
    assert (action.account_id, action.competitor_position_id, action.owner) == (school.id, bluepeak.id, "rep-a")
    assert action.due_date.isoformat() == "2026-12-10"


async def test_delete_asks_first_and_keeps_the_brand(demo_store):
    school = university(demo_store)
    positions = demo_store.list(m.CompetitorPosition, account_id=school.id)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_competitors(pilot, school.id)
        doomed = screen.query_one(RecordTable).current
        await pilot.press("d")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
        assert len(demo_store.list(m.CompetitorPosition, account_id=school.id)) == len(positions)
        await pilot.press("d", "y")
        await settle(pilot)
        assert doomed.brand not in [row[0] for row in rows(screen)]
    left = demo_store.list(m.CompetitorPosition, account_id=school.id)
    assert doomed.id not in [p.id for p in left] and len(left) == len(positions) - 1
    assert demo_store.get(m.Competitor, doomed.competitor_id).name == doomed.brand


async def test_editing_the_brand_changes_it_at_every_account(demo_store):
    school = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_competitors(pilot, school.id)
        row = screen.query_one(RecordTable).current
        await pilot.press("b")
        form = app.screen
        name = form.query_one("#field-name", Input)
        name.value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error(form, "name") == "Brand is required."
        name.value = "Kunlun Digital Group"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(screen)[0][0] == "Kunlun Digital Group"
    assert demo_store.get(m.Competitor, row.competitor_id).name == "Kunlun Digital Group"
    elsewhere = demo_store.list(m.CompetitorPosition, competitor_id=row.competitor_id)
    assert len({p.account_id for p in elsewhere}) > 1


async def test_adding_a_brand_that_exists_asks_before_duplicating(demo_store):
    school = university(demo_store)
    brands_before = len(demo_store.list(m.Competitor))
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_competitors(pilot, school.id)
        await pilot.press("n")
        await pick_brand(pilot, NEW_BRAND)
        await pilot.press(*"meridian data", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert "already exists" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
    assert len(demo_store.list(m.Competitor)) == brands_before


async def test_the_map_lists_each_brand_where_present_filters_and_opens_the_account(demo_store):
    school, harbour = university(demo_store), bank(demo_store)
    huaxinda = next(b for b in demo_store.list(m.Competitor) if b.name.startswith("华信达"))
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_competitors(pilot, school.id)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompetitorMapScreen)
        await pilot.press("slash", *"huaxinda")
        await settle(pilot)
        shown = rows(screen)
        accounts = [row[1] for row in shown]
        assert shown[0][0] == huaxinda.name and all(row[0] == "" for row in shown[1:])
        assert school.name in accounts and any(a.startswith("Eastern Harbour") for a in accounts)
        threats = [int(row[3][-3]) for row in shown]
        assert threats == sorted(threats, reverse=True)
        assert next(row for row in shown if row[1] == "南岭电网公司")[2:] == ["A", "▲▲▲▲▲ 5/5", "no ⚑"]
        assert "Enter opens the account" in str(screen.query_one("#competitor-map-status").render())

        await pilot.press("enter")
        table = screen.query_one(RecordTable)
        table.move_cursor(row=[r.account_id for r in table.records].index(harbour.id))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompetitorsScreen) and app.screen.account_id == harbour.id
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_h_shows_the_history_of_the_highlighted_competitor(demo_store):
    school = university(demo_store)
    position = demo_store.list(m.CompetitorPosition, account_id=school.id)[-1]
    brand = demo_store.get(m.Competitor, position.competitor_id).name
    edit_as_rep_b(demo_store, m.CompetitorPosition, position.id, partner="Campus Cloud Ltd")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_competitors(pilot, school.id)
        await highlight(pilot, screen, position.id)
        await pilot.press("h")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert (history.model, history.row_id) == (m.CompetitorPosition, position.id)
        assert history.sub_title == f"History of competitor {brand}"
        assert "rep-b" in history_text(history) and "Campus Cloud Ltd" in history_text(history)
        await pilot.press("escape")
        assert app.screen is screen


def _on(screen_factory):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.app.push_screen(screen_factory())
        await settle(pilot)

    return run_before


def test_competitors_snapshot(snap_compare, demo_store):
    school = university(demo_store)
    run_before = _on(lambda: CompetitorsScreen(school.id))
    assert snap_compare(make_app(demo_store, today=FIXED_DAY), terminal_size=SIZE, run_before=run_before)


def test_competitor_map_snapshot(snap_compare, demo_store):
    run_before = _on(CompetitorMapScreen)
    assert snap_compare(make_app(demo_store, today=FIXED_DAY), terminal_size=SIZE, run_before=run_before)


async def test_an_account_without_competitors_says_how_to_add_one(demo_store):
    quiet = next(a for a in demo_store.list(m.Account) if a.name.startswith("Kestrel"))
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_competitors(pilot, quiet.id)
        assert rows(screen) == []
        assert "Press n to add one" in str(screen.query_one("#position-fields", Static).render())
        await pilot.press("e", "a", "d", "b")
        await settle(pilot)
        assert app.screen is screen
        assert any("Highlight a competitor" in n.message for n in app._notifications)
        await pilot.press("escape")
        assert app.screen is not screen
