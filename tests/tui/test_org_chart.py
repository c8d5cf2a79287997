"""The org chart: the unit tree with its people, edited and rearranged by keys."""

from __future__ import annotations

import random
import time

from conftest import FIXED_DAY, edit_as_rep_b, history_text, settle, university
from textual.widgets import Input, OptionList, Select, Static, TextArea

from planner.app import make_app
from planner.core import models as m
from planner.core.org import NO_UNIT, PERSON, UNIT, Ref
from planner.screens.confirm import Confirm
from planner.screens.history import HistoryScreen
from planner.screens.org_chart import OrgChartScreen
from planner.screens.record_form import RecordForm
from planner.screens.unit_picker import UnitPicker
from planner.widgets.org_detail import OrgDetail
from planner.widgets.org_tree import OrgChartTree


def unit_named(store, account_id: str, part: str) -> m.OrgUnit:
    return next(u for u in store.list(m.OrgUnit, account_id=account_id) if part in u.name)


def person_named(store, account_id: str, name: str) -> m.Person:
    return next(p for p in store.list(m.Person, account_id=account_id) if p.name == name)


async def open_chart(pilot, account_id: str) -> OrgChartScreen:
    await settle(pilot)
    await pilot.app.push_screen(OrgChartScreen(account_id))
    await settle(pilot)
    return pilot.app.screen


async def highlight(pilot, ref: Ref) -> None:
    tree = pilot.app.screen.query_one(OrgChartTree)
    tree.move_cursor(tree.nodes[ref])
    await settle(pilot)
    assert tree.current == ref


def labels(screen) -> dict[Ref, str]:
    return {ref: node.label.plain for ref, node in screen.query_one(OrgChartTree).nodes.items()}


def detail(screen) -> str:
    return str(screen.query_one(OrgDetail).render())


def notices(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_the_tree_shows_every_unit_with_its_people_stance_and_the_detail(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_chart(pilot, account.id)
        shown = labels(screen)
        for unit in demo_store.list(m.OrgUnit, account_id=account.id):
            assert shown[Ref(UNIT, unit.id)].startswith(unit.name)
        people = demo_store.list(m.Person, account_id=account.id)
        assert {ref.id for ref in shown if ref.kind == PERSON} == {p.id for p in people}
        assert Ref(NO_UNIT, "") not in shown
        zhang = person_named(demo_store, account.id, "张伟")
        assert shown[Ref(PERSON, zhang.id)].startswith("● 张伟 · ✓ supporter · implementation · 设备科科长")
        sun = person_named(demo_store, account.id, "孙明")
        assert "✗ opponent" in shown[Ref(PERSON, sun.id)]
        assert account.name in screen.sub_title

        assets = unit_named(demo_store, account.id, "Asset & Equipment")
        await highlight(pilot, Ref(UNIT, assets.id))
        text = detail(screen)
        assert assets.responsibilities in text.replace("\n", " ")
        assert "Members: 2 here, 5 with sub-units" in text
        await highlight(pilot, Ref(PERSON, zhang.id))
        text = detail(screen)
        assert "Reports to: 陈志强" in text and "Stance: ✓ supporter" in text
        assert "Values: Getting the job done well" in text
        boss = person_named(demo_store, account.id, "陈志强")
        await highlight(pilot, Ref(PERSON, boss.id))
        assert "Direct reports: 张伟, 徐斌, 李娜" in detail(screen)


async def test_new_unit_and_new_person_are_checked_at_each_field_and_saved(demo_store):
    account = university(demo_store)
    assets = unit_named(demo_store, account.id, "Asset & Equipment")
    boss = person_named(demo_store, account.id, "陈志强")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_chart(pilot, account.id)
        await highlight(pilot, Ref(UNIT, assets.id))
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, RecordForm) and "under 资产与设备处" in form.form_title
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Name is required." in str(form.query_one("#error-name", Static).render())
        await pilot.press(*"Warehouse")
        form.query_one("#field-responsibilities", TextArea).load_text("Stores and issues equipment")
        await pilot.press("ctrl+s")
        await settle(pilot)
        warehouse = unit_named(demo_store, account.id, "Warehouse")
        assert (warehouse.parent_id, warehouse.responsibilities) == (assets.id, "Stores and issues equipment")
        assert screen.query_one(OrgChartTree).current == Ref(UNIT, warehouse.id)

        await pilot.press("p")
        form = app.screen
        await pilot.press(*"Tang Li")
        form.query_one("#field-influence", Input).value = "9"
        form.query_one("#field-reports_to_id", Select).value = boss.id
        form.query_one("#field-stance", Select).value = "supporter"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "between 1 and 5" in str(form.query_one("#error-influence", Static).render())
        form.query_one("#field-influence", Input).value = "4"
        await pilot.press("ctrl+s")
        await settle(pilot)
        tang = person_named(demo_store, account.id, "Tang Li")
        assert (tang.unit_id, tang.reports_to_id, tang.influence, tang.stance, tang.layer) == (
            warehouse.id, boss.id, 4, "supporter", "usage",
        )  # fmt: skip
        assert screen.query_one(OrgChartTree).current == Ref(PERSON, tang.id)
        assert "Reports to: 陈志强" in detail(screen)


async def test_edit_a_unit_and_a_person(demo_store):
    account = university(demo_store)
    library = unit_named(demo_store, account.id, "Library")
    he = person_named(demo_store, account.id, "何静")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_chart(pilot, account.id)
        await highlight(pilot, Ref(UNIT, library.id))
        await pilot.press("e")
        form = app.screen
        assert form.query_one("#field-name", Input).value == library.name
        form.query_one("#field-responsibilities", TextArea).load_text("Library and the digital archive")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert demo_store.get(m.OrgUnit, library.id).responsibilities == "Library and the digital archive"
        assert "Library and the digital archive" in labels(screen)[Ref(UNIT, library.id)]

        await highlight(pilot, Ref(PERSON, he.id))
        await pilot.press("e")
        form = app.screen
        assert form.query_one("#field-characteristics", TextArea).text == he.characteristics
        form.query_one("#field-stance", Select).value = "opponent"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert demo_store.get(m.Person, he.id).stance == "opponent"
        assert "✗ opponent" in labels(screen)[Ref(PERSON, he.id)]
        assert screen.query_one(OrgChartTree).current == Ref(PERSON, he.id)


async def test_cut_and_paste_moves_a_person_and_a_loop_is_refused_with_the_stores_message(demo_store):
    account = university(demo_store)
    zhang = person_named(demo_store, account.id, "张伟")
    finance = unit_named(demo_store, account.id, "Finance")
    assets = unit_named(demo_store, account.id, "Asset & Equipment")
    purchasing = unit_named(demo_store, account.id, "Purchasing")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_chart(pilot, account.id)
        await highlight(pilot, Ref(PERSON, zhang.id))
        await pilot.press("x")
        assert "✂ 张伟" in str(screen.query_one("#org-status", Static).render())
        await highlight(pilot, Ref(UNIT, finance.id))
        await pilot.press("v")
        await settle(pilot)
        assert demo_store.get(m.Person, zhang.id).unit_id == finance.id
        tree = screen.query_one(OrgChartTree)
        assert tree.current == Ref(PERSON, zhang.id)
        assert tree.nodes[Ref(PERSON, zhang.id)].parent is tree.nodes[Ref(UNIT, finance.id)]

        await highlight(pilot, Ref(UNIT, assets.id))
        await pilot.press("x")
        await highlight(pilot, Ref(UNIT, purchasing.id))
        await pilot.press("v")
        await settle(pilot)
        assert demo_store.get(m.OrgUnit, assets.id).parent_id is None
        assert any("cannot be this record or one below it" in text for text in notices(app))
        assert "✂" not in str(screen.query_one("#org-status", Static).render())


async def test_move_to_picker_moves_a_person_and_never_offers_a_unit_its_own_branch(demo_store):
    account = university(demo_store)
    zhang = person_named(demo_store, account.id, "张伟")
    assets = unit_named(demo_store, account.id, "Asset & Equipment")
    finance = unit_named(demo_store, account.id, "Finance")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_chart(pilot, account.id)
        await highlight(pilot, Ref(PERSON, zhang.id))
        await pilot.press("m")
        picker = app.screen
        assert isinstance(picker, UnitPicker)
        await pilot.press(*"Finance", "enter")
        await settle(pilot)
        assert demo_store.get(m.Person, zhang.id).unit_id == finance.id

        await highlight(pilot, Ref(UNIT, assets.id))
        await pilot.press("m")
        options = app.screen.query_one(OptionList)
        offered = [options.get_option_at_index(i).id for i in range(options.option_count)]
        below = {u.id for u in demo_store.list(m.OrgUnit, account_id=account.id) if u.parent_id == assets.id}
        assert assets.id not in offered and not below & set(offered)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrgChartScreen)
        await pilot.press("m", "down", "down", "enter")
        await settle(pilot)
        assert demo_store.get(m.OrgUnit, assets.id).parent_id == offered[1]


async def test_deleting_a_unit_with_people_asks_where_they_go_then_confirms(demo_store):
    account = university(demo_store)
    assets = unit_named(demo_store, account.id, "Asset & Equipment")
    office = unit_named(demo_store, account.id, "President")
    members = [p.id for p in demo_store.list(m.Person, account_id=account.id, unit_id=assets.id)]
    subs = [u.id for u in demo_store.list(m.OrgUnit, account_id=account.id, parent_id=assets.id)]
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_chart(pilot, account.id)
        await highlight(pilot, Ref(UNIT, assets.id))
        await pilot.press("d")
        assert isinstance(app.screen, UnitPicker)
        assert "2 people and 2 sub-units" in app.screen.question
        await pilot.press(*"President", "enter")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert assets.id not in [u.id for u in demo_store.list(m.OrgUnit, account_id=account.id)]
        assert {demo_store.get(m.Person, pid).unit_id for pid in members} == {office.id}
        assert {demo_store.get(m.OrgUnit, uid).parent_id for uid in subs} == {office.id}
        assert screen.query_one(OrgChartTree).current == Ref(UNIT, office.id)
        assert Ref(UNIT, assets.id) not in labels(screen)


async def test_deleting_a_person_asks_first_and_no_keeps_them(demo_store):
    account = university(demo_store)
    huang = person_named(demo_store, account.id, "黄磊")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_chart(pilot, account.id)
        await highlight(pilot, Ref(PERSON, huang.id))
        await pilot.press("d")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
        assert demo_store.get(m.Person, huang.id).name == "黄磊"
        await pilot.press("d", "y")
        await settle(pilot)
        assert huang.id not in [p.id for p in demo_store.list(m.Person, account_id=account.id)]


async def test_expand_collapse_all_reload_keeps_the_cursor_and_escape_goes_back(demo_store):
    account = university(demo_store)
    zhang = person_named(demo_store, account.id, "张伟")
    top_units = [u for u in demo_store.list(m.OrgUnit, account_id=account.id) if u.parent_id is None]
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_chart(pilot, account.id)
        tree = screen.query_one(OrgChartTree)
        await pilot.press("minus")
        await settle(pilot)
        assert tree.last_line + 1 == len(top_units)
        await pilot.press("plus")
        await settle(pilot)
        assert tree.last_line + 1 == len(tree.nodes)
        await highlight(pilot, Ref(PERSON, zhang.id))
        demo_store.update(m.Person, zhang.id, zhang.version, title="设备科科长 (acting)")
        await pilot.press("r")
        await settle(pilot)
        assert tree.current == Ref(PERSON, zhang.id)
        assert "(acting)" in detail(screen)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, OrgChartScreen)


async def test_a_move_over_someone_elses_newer_edit_is_a_message_and_a_reload(demo_store):
    account = university(demo_store)
    zhang = person_named(demo_store, account.id, "张伟")
    finance = unit_named(demo_store, account.id, "Finance")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_chart(pilot, account.id)
        await highlight(pilot, Ref(PERSON, zhang.id))
        demo_store.update(m.Person, zhang.id, zhang.version, stance="opponent")
        await pilot.press("x")
        await highlight(pilot, Ref(UNIT, finance.id))
        await pilot.press("v")
        await settle(pilot)
        assert demo_store.get(m.Person, zhang.id).unit_id == zhang.unit_id
        assert any("changed by rep-a" in text for text in notices(app))
        assert "✗ opponent" in labels(screen)[Ref(PERSON, zhang.id)]


async def test_h_shows_the_history_of_the_highlighted_unit_or_person(demo_store):
    account = university(demo_store)
    library = unit_named(demo_store, account.id, "Library")
    he = person_named(demo_store, account.id, "何静")
    edit_as_rep_b(demo_store, m.OrgUnit, library.id, responsibilities="Library and the digital archive")
    edit_as_rep_b(demo_store, m.Person, he.id, title="Head librarian")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_chart(pilot, account.id)
        for ref, model, title, changed in (
            (Ref(UNIT, library.id), m.OrgUnit, f"History of unit {library.name}", "Library and the digital archive"),
            (Ref(PERSON, he.id), m.Person, "History of person 何静", "Head librarian"),
        ):
            await highlight(pilot, ref)
            await pilot.press("h")
            await settle(pilot)
            history = app.screen
            assert isinstance(history, HistoryScreen)
            assert (history.model, history.row_id, history.sub_title) == (model, ref.id, title)
            assert "rep-b" in history_text(history) and changed in history_text(history)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, OrgChartScreen)


def _big_account(store) -> str:
    """An account with 500 people in 40 units, six sub-units per unit."""
    rng = random.Random(4)
    account = store.create(m.Account, name="Benchmark Group")
    units = [{"id": m.new_id(), "account_id": account.id, "name": f"Unit {i:02d}"} for i in range(40)]
    for index, unit in enumerate(units[1:], 1):
        unit["parent_id"] = units[(index - 1) // 6]["id"]
    people = [
        {
            "id": m.new_id(),
            "account_id": account.id,
            "unit_id": units[n % 40]["id"],
            "name": f"Person {n:03d}",
            "title": "Engineer",
            "layer": rng.choice(m.LAYERS),
            "stance": rng.choice(m.STANCES),
        }
        for n in range(500)
    ]
    store.bulk_insert([(m.OrgUnit, units), (m.Person, people)])
    return account.id


async def test_five_hundred_people_load_and_all_show(demo_store):
    account_id = _big_account(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        started = time.perf_counter()
        screen = await open_chart(pilot, account_id)
        elapsed = time.perf_counter() - started
        tree = screen.query_one(OrgChartTree)
        assert sum(ref.kind == PERSON for ref in tree.nodes) == 500
        assert sum(ref.kind == UNIT for ref in tree.nodes) == 40
        assert tree.last_line + 1 == 540
        assert "40 units · 500 people" in str(screen.query_one("#org-status", Static).render())
        assert elapsed < 5, f"opening the 500-person chart took {elapsed:.2f} s"


def test_snapshot_of_the_university_chart_with_a_person_highlighted(snap_compare, demo_store):
    account = university(demo_store)
    boss = person_named(demo_store, account.id, "刘海燕")

    async def run_before(pilot):
        await open_chart(pilot, account.id)
        await highlight(pilot, Ref(PERSON, boss.id))

    assert snap_compare(make_app(demo_store, today=FIXED_DAY), terminal_size=(100, 30), run_before=run_before)
