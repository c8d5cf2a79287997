"""The stakeholder cards and the influence × closeness grid, driven by the rep's keys."""

from __future__ import annotations

import re

from conftest import FIXED_DAY, edit_as_rep_b, history_text, settle, university
from textual.widgets import ContentSwitcher, Input, Static

from planner.app import make_app
from planner.core import models as m
from planner.core.formatting import STANCE_MARKS
from planner.screens.confirm import Confirm
from planner.screens.history import HistoryScreen
from planner.screens.record_form import RecordForm
from planner.screens.stakeholders import CardScroll, StakeholdersScreen
from planner.widgets.influence_grid import InfluenceGrid, grid_lines
from planner.widgets.stakeholder_card import StakeholderCard

SIZE = (100, 30)


def named(store, account: m.Account, name: str) -> m.Person:
    return next(p for p in store.list(m.Person, account_id=account.id) if p.name == name)


def layer_ids(store, account: m.Account) -> dict[str, list[str]]:
    layers: dict[str, list[str]] = {layer: [] for layer in m.LAYERS}
    for person in store.list(m.Person, account_id=account.id):
        layers[person.layer].append(person.id)
    return layers


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def open_cards(pilot, account_id: str) -> StakeholdersScreen:
    await settle(pilot)
    await pilot.app.push_screen(StakeholdersScreen(account_id))
    await settle(pilot)
    return pilot.app.screen


async def select(pilot, screen: StakeholdersScreen, person_id: str) -> StakeholderCard:
    card = screen.query_one(f"#card-{person_id}", StakeholderCard)
    card.focus()
    await settle(pilot)
    return card


def card_text(screen: StakeholdersScreen, person_id: str) -> str:
    return screen.query_one(f"#card-{person_id}", StakeholderCard).render().plain


def focused_id(app) -> str | None:
    return app.focused.person_id if isinstance(app.focused, StakeholderCard) else None


async def test_cards_are_grouped_in_the_four_layers_under_the_cores_red_flags(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cards(pilot, account.id)
        flags = demo_store.red_flags(FIXED_DAY, account.id)[account.id]
        shown = str(screen.query_one("#stakeholder-flags", Static).render())
        assert shown.splitlines() == [f"⚑ {flag.message}" for flag in flags]

        sections = list(screen.query_one(CardScroll).children)
        assert [w.id for w in sections[::2]] == [f"heading-{layer}" for layer in m.LAYERS]
        expected = layer_ids(demo_store, account)
        for layer, heading, cards in zip(m.LAYERS, sections[::2], sections[1::2], strict=True):
            assert m.LAYER_VALUES[layer] in str(heading.render())
            assert [card.person_id for card in cards.query(StakeholderCard)] == expected[layer]

        zhang = named(demo_store, account, "张伟")
        text = card_text(screen, zhang.id)
        last_met = demo_store.last_met(account.id)[zhang.id]
        for part in (zhang.title, "资产与设备处", zhang.value_orientation, "Influence ●●●○○  Closeness ●●●●○"):
            assert part in text
        assert f"✓ supporter   Last met {last_met.isoformat()}" in text
        assert zhang.characteristics[:20] in text
        assert "Last met never" in card_text(screen, named(demo_store, account, "周丽").id)

        president = screen.query_one(f"#card-{named(demo_store, account, '王建国').id}", StakeholderCard)
        assert president.has_class("-not-close") and "not close" in str(president.border_subtitle)
        assert focused_id(app) == expected["image"][0]


async def test_arrow_keys_move_focus_across_cards_and_layers(demo_store):
    account = university(demo_store)
    layers = layer_ids(demo_store, account)
    image, decision, usage = layers["image"], layers["decision"], layers["usage"]
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cards(pilot, account.id)
        assert screen.columns == 2
        steps = [
            ("right", image[1]),
            ("right", decision[0]),  # off the end of the image layer
            ("left", image[1]),
            ("down", decision[1]),  # same column, next layer
            ("down", decision[3]),
            ("up", decision[1]),
            ("up", image[1]),
        ]
        for key, expected in steps:
            await pilot.press(key)
            assert focused_id(app) == expected, key
        for _ in range(12):
            await pilot.press("down")
        await settle(pilot)
        assert focused_id(app) in usage
        assert screen.query_one(CardScroll).scroll_y > 0
        assert screen.selected == focused_id(app)


async def test_stance_key_cycles_and_every_press_is_saved(demo_store):
    account = university(demo_store)
    president = named(demo_store, account, "王建国")
    assert president.stance == "neutral"
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cards(pilot, account.id)
        await select(pilot, screen, president.id)
        await pilot.press("s")
        await settle(pilot)
        assert demo_store.get(m.Person, president.id).stance == "opponent"
        assert "✗ opponent" in card_text(screen, president.id)
        assert focused_id(app) == president.id

        await pilot.press("s", "s", "s")  # quicker than the writes: queued, none refused
        await settle(pilot)
        saved = demo_store.get(m.Person, president.id)
        assert (saved.stance, saved.version) == ("neutral", president.version + 4)
        assert not [text for text in messages(app) if "changed by" in text]
        assert focused_id(app) == president.id


async def test_influence_and_closeness_keys_save_and_stop_at_the_limits(demo_store):
    account = university(demo_store)
    president = named(demo_store, account, "王建国")
    assert (president.influence, president.closeness) == (5, 2)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cards(pilot, account.id)
        await select(pilot, screen, president.id)
        await pilot.press("i")
        await settle(pilot)
        assert demo_store.get(m.Person, president.id).version == president.version
        assert "Influence of 王建国 is already 5, the highest." in messages(app)

        await pilot.press("I", "C")
        await settle(pilot)
        saved = demo_store.get(m.Person, president.id)
        assert (saved.influence, saved.closeness) == (4, 1)
        await pilot.press("C")
        await settle(pilot)
        assert demo_store.get(m.Person, president.id).version == saved.version
        assert "Closeness of 王建国 is already 1, the lowest." in messages(app)

        await pilot.press("c", "c")
        await settle(pilot)
        saved = demo_store.get(m.Person, president.id)
        assert (saved.influence, saved.closeness) == (4, 3)
        assert "Influence ●●●●○  Closeness ●●●○○" in card_text(screen, president.id)
        assert not screen.query_one(f"#card-{president.id}").has_class("-not-close")
        assert focused_id(app) == president.id


def cell(line: str, column: int) -> str:
    """The text of one grid cell (column 1 = closeness 1) on a rendered grid line."""
    return re.split("[│┃]", line)[column]


async def test_grid_shows_where_each_person_stands_and_boxes_the_influential_not_close(demo_store):
    account = university(demo_store)
    clerk = named(demo_store, account, "吴芳")
    demo_store.update(m.Person, clerk.id, clerk.version, influence=5, closeness=1)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cards(pilot, account.id)
        await pilot.press("g")
        await settle(pilot)
        assert screen.query_one(ContentSwitcher).current == "stakeholder-grid"
        grid = screen.query_one(InfluenceGrid)
        lines = grid.render().plain.splitlines()
        top = next(n for n, line in enumerate(lines) if line.startswith(" 5 "))
        assert "⚠ influential, not close" in lines[top - 1]
        assert lines[top].startswith(" 5 ┃") and "?吴芳" in cell(lines[top], 1)
        assert "王建国" in cell(lines[top], 2)
        assert lines[-1] == "⚠ Influential, not close (3): 吴芳, 孙明, 王建国"

        runs = grid_lines(grid.people, grid.selected, grid.content_size.width, grid.content_size.height)
        clerk_run = next(role for line in runs for text, role in line if "吴芳" in text)
        assert "corner-area" in clerk_run.split()

        first = screen.selected
        assert any("▸" in line for line in lines)
        await pilot.press("right")
        assert screen.selected != first
        chosen = demo_store.get(m.Person, screen.selected).name
        assert any("▸" in line and chosen in line.split("▸")[1][:8] for line in grid.render().plain.splitlines())

        await pilot.press("g")
        await settle(pilot)
        assert screen.query_one(ContentSwitcher).current == "stakeholder-cards"
        assert focused_id(app) == screen.selected


async def test_arrows_in_the_grid_move_by_influence_rows_and_closeness_columns(demo_store):
    account = university(demo_store)
    person = {p.name: p.id for p in demo_store.list(m.Person, account_id=account.id)}
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_cards(pilot, account.id)
        await select(pilot, screen, person["王建国"])  # influence 5, closeness 2
        await pilot.press("g")
        await settle(pilot)
        steps = [
            ("right", "刘海燕"),  # 5, 3
            ("down", "陈志强"),  # 4, 3: one row less influence, same column
            ("down", "何静"),  # 3, 3: the cell's first name
            ("right", "赵磊"),  # the next name in the same cell
            ("right", "钱俊"),
            ("right", "张伟"),  # then out of the cell: 3, 4
            ("up", "徐斌"),  # 4, 4
            ("left", "陈志强"),  # 4, 3
            ("left", "孙明"),  # 4, 2
            ("down", "周丽"),  # 3, 2
            ("down", "冯雪"),  # 2, 2
            ("left", "黄磊"),  # 2, 1: moving left lands on the cell's last name
            ("left", "吴芳"),
            ("left", "吴芳"),  # nobody further left: stays
            ("down", "杨帆"),  # 1, 1 is empty: the nearest below is 1, 2
            ("right", "林晨"),  # 1, 3
            ("up", "马晓东"),  # 2, 3
            ("up", "何静"),  # 3, 3
            ("up", "陈志强"),
            ("up", "刘海燕"),
            ("up", "刘海燕"),  # nobody with more influence: stays
        ]
        grid = screen.query_one(InfluenceGrid)
        for key, name in steps:
            await pilot.press(key)
            assert screen.selected == person[name], (key, name)
            assert grid.selected == person[name]
            assert f"▸{STANCE_MARKS[demo_store.get(m.Person, person[name]).stance]}{name}" in grid.render().plain
        assert screen.query_one(ContentSwitcher).current == "stakeholder-grid"
        await pilot.press("g")
        await settle(pilot)
        assert focused_id(app) == person["刘海燕"]


async def test_the_grid_legend_uses_the_stance_marks_and_the_selected_name_is_never_hidden(demo_store):
    account = university(demo_store)
    people = demo_store.list(m.Person, account_id=account.id)
    for p in people:  # everyone in one cell: more names than it holds
        demo_store.update(m.Person, p.id, p.version, influence=3, closeness=3)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_cards(pilot, account.id)
        await pilot.press("g")
        await settle(pilot)
        text = screen.query_one(InfluenceGrid).render().plain
        for stance, mark in STANCE_MARKS.items():
            assert f"{mark} {stance}" in text
        assert "+" in text  # some names do not fit
        for _ in range(len(people) - 1):
            await pilot.press("right")
        last = demo_store.get(m.Person, screen.selected)
        assert last.id == people[-1].id
        assert f"▸{STANCE_MARKS[last.stance]}{last.name}" in screen.query_one(InfluenceGrid).render().plain


async def test_enter_edits_the_person_with_checks_at_each_field(demo_store):
    account = university(demo_store)
    zhang = named(demo_store, account, "张伟")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cards(pilot, account.id)
        await select(pilot, screen, zhang.id)
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#field-name", Input).value == "张伟"
        form.query_one("#field-influence", Input).value = "9"
        form.query_one("#field-email", Input).value = "zhang@example.edu"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "between 1 and 5" in str(form.query_one("#error-influence", Static).render())
        assert form.query_one("#field-email", Input).value == "zhang@example.edu"
        form.query_one("#field-influence", Input).value = "4"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        saved = demo_store.get(m.Person, zhang.id)
        assert (saved.influence, saved.email) == (4, "zhang@example.edu")
        assert "Influence ●●●●○" in card_text(screen, zhang.id)
        assert focused_id(app) == zhang.id


async def test_n_adds_a_person_to_the_selected_layer_and_focuses_the_new_card(demo_store):
    account = university(demo_store)
    director = named(demo_store, account, "周丽")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cards(pilot, account.id)
        await select(pilot, screen, director.id)
        await pilot.press("n")
        form = app.screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Name is required." in str(form.query_one("#error-name", Static).render())
        form.query_one("#field-name", Input).value = "郑华"
        form.query_one("#field-title", Input).value = "Director, Academic Affairs"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        added = named(demo_store, account, "郑华")
        assert (added.layer, added.stance, added.influence, added.closeness) == ("decision", "unknown", 3, 1)
        assert added.value_orientation == m.LAYER_VALUES["decision"]
        assert focused_id(app) == added.id
        sections = list(screen.query_one(CardScroll).children)
        cards = sections[sections.index(screen.query_one("#heading-decision")) + 1]
        assert added.id in [card.person_id for card in cards.query(StakeholderCard)]


async def test_d_asks_then_deletes_and_moves_to_the_next_card(demo_store):
    account = university(demo_store)
    layers = layer_ids(demo_store, account)
    gone, after = layers["usage"][0], layers["usage"][1]
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cards(pilot, account.id)
        await select(pilot, screen, gone)
        await pilot.press("d")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert gone in [p.id for p in demo_store.list(m.Person, account_id=account.id)]
        await pilot.press("d", "y")
        await settle(pilot)
        assert gone not in [p.id for p in demo_store.list(m.Person, account_id=account.id)]
        assert not screen.query(f"#card-{gone}")
        assert focused_id(app) == after


async def test_a_change_saved_by_someone_else_meanwhile_is_a_conflict_message(demo_store):
    account = university(demo_store)
    president = named(demo_store, account, "王建国")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cards(pilot, account.id)
        await select(pilot, screen, president.id)
        demo_store.update(m.Person, president.id, president.version, notes="Met at the alumni dinner")
        await pilot.press("s")
        await settle(pilot)
        assert any("changed by" in text for text in messages(app))
        saved = demo_store.get(m.Person, president.id)
        assert (saved.stance, saved.notes) == ("neutral", "Met at the alumni dinner")
        await pilot.press("s")  # the screen reloaded: the key works on the latest version
        await settle(pilot)
        assert demo_store.get(m.Person, president.id).stance == "opponent"
        assert focused_id(app) == president.id


async def test_escape_goes_back_and_a_deleted_account_closes_with_a_message(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cards(pilot, account.id)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not screen
        demo_store.delete(m.Account, account.id, account.version)
        await app.push_screen(StakeholdersScreen(account.id))
        await settle(pilot)
        assert not isinstance(app.screen, StakeholdersScreen)


async def test_h_shows_the_history_of_the_selected_person_on_the_cards_and_the_grid(demo_store):
    account = university(demo_store)
    president = named(demo_store, account, "王建国")
    edit_as_rep_b(demo_store, m.Person, president.id, notes="Met at the alumni dinner")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cards(pilot, account.id)
        await select(pilot, screen, president.id)
        await pilot.press("h")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert (history.model, history.row_id) == (m.Person, president.id)
        assert history.sub_title == "History of person 王建国"
        assert "rep-b" in history_text(history) and "Met at the alumni dinner" in history_text(history)

        await pilot.press("escape", "g", "right")
        await settle(pilot)
        assert screen.showing_grid and screen.selected != president.id
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert (app.screen.model, app.screen.row_id) == (m.Person, screen.selected)


def _stakeholders(store, grid: bool):
    account = university(store)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.app.push_screen(StakeholdersScreen(account.id))
        await settle(pilot)
        if grid:
            await pilot.press("g")
            await settle(pilot)

    return run_before


def test_snapshot_cards(snap_compare, demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=_stakeholders(demo_store, grid=False))


def test_snapshot_grid(snap_compare, demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=_stakeholders(demo_store, grid=True))
