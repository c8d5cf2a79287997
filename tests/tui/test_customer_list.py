"""The home screen, driven with the keys a rep presses, on a real demo database."""

from __future__ import annotations

from conftest import FIXED_DAY, settle
from rich.cells import cell_len
from textual.widgets import Input, Static

from planner.app import make_app
from planner.core import models as m
from planner.core.portfolio import AccountSummary
from planner.screens.account_overview import AccountOverviewScreen
from planner.screens.confirm import Confirm
from planner.screens.record_form import RecordForm
from planner.widgets.account_table import COLUMNS, AccountTable
from planner.widgets.virtual_table import Column, arrange, fit


def shown(app) -> list[AccountSummary]:
    return list(app.screen.query_one(AccountTable).rows)


def names(app) -> list[str]:
    return [s.row.name for s in shown(app)]


async def test_the_list_shows_every_account_ranked_with_the_core_figures(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        summaries = demo_store.portfolio(FIXED_DAY)
        rows = shown(app)
        assert len(rows) == len(summaries)
        assert [s.row.revenue for s in rows] == sorted((s.row.revenue for s in summaries), reverse=True)
        table = app.screen.query_one(AccountTable)
        top = rows[0]
        cells = table.cells(top)
        assert cells[0] == top.row.name
        assert cells[6] == ("★", "key")
        key_count = sum(s.pareto.key for s in summaries)
        status = str(app.screen.query_one("#status", Static).render())
        assert f"{len(summaries)} of {len(summaries)} accounts" in status
        assert f"{key_count} key accounts" in status


async def test_filter_as_you_type_matches_chinese_names_industry_and_owner(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert app.focused is app.screen.query_one("#filter", Input)
        app.screen.query_one("#filter", Input).value = "大学"
        await pilot.pause()
        assert names(app) and all("大学" in name for name in names(app))
        app.screen.query_one("#filter", Input).value = "EDUCATION"
        await pilot.pause()
        assert {s.row.industry for s in shown(app)} == {"Education"}
        app.screen.query_one("#filter", Input).value = "zhao.min"
        await pilot.pause()
        assert {s.row.owner for s in shown(app)} == {"zhao.min"}
        await pilot.press("escape")
        assert isinstance(app.focused, AccountTable)


async def test_quick_filters_by_class_key_stale_and_clear(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        total = len(shown(app))
        await pilot.press("1")
        assert {s.row.account_class for s in shown(app)} == {"A"}
        await pilot.press("2")
        assert {s.row.account_class for s in shown(app)} == {"A", "B"}
        await pilot.press("0", "k")
        assert shown(app) and all(s.pareto.key for s in shown(app))
        await pilot.press("k", "t")
        assert shown(app) and all(s.cadence.stale for s in shown(app))
        await pilot.press("0")
        assert len(shown(app)) == total


async def test_sort_keys_change_the_order(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("S", "S", "S")  # revenue → class → industry → name
        assert names(app) == sorted(names(app), key=str.casefold)
        await pilot.press("o")
        assert names(app) == sorted(names(app), key=str.casefold, reverse=True)


async def test_new_account_through_the_form(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, RecordForm)
        await pilot.press(*"Orchard Bank")
        app.screen.query_one("#field-revenue", Input).value = "12万"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
        created = next(r for r in demo_store.account_rows() if r.name == "Orchard Bank")
        assert created.revenue == 120_000
        assert created.owner == "rep-a"
        assert shown(app)[app.screen.query_one(AccountTable).cursor].row.id == created.id


async def test_bad_input_gets_messages_at_the_fields_and_keeps_the_typed_text(demo_store):
    before = len(demo_store.account_rows())
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        form = app.screen
        form.query_one("#field-revenue", Input).value = "twelve"
        form.query_one("#field-cadence_days", Input).value = "2026-02-30"
        form.query_one("#field-notes").load_text("x" * 10_001)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        errors = {name: str(form.query_one(f"#error-{name}", Static).render()) for name in ("name", "revenue", "notes")}
        assert "required" in errors["name"]
        assert "must be a number" in errors["revenue"]
        assert "too long" in errors["notes"]
        assert "whole number" in str(form.query_one("#error-cadence_days", Static).render())
        assert form.query_one("#field-revenue", Input).value == "twelve"
        form.query_one("#field-name", Input).value = "江南🚀科技"
        form.query_one("#field-revenue", Input).value = "1,500"
        form.query_one("#field-cadence_days", Input).value = "21"
        form.query_one("#field-notes").load_text("重点客户 ✓")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
    rows = demo_store.account_rows()
    assert len(rows) == before + 1
    added = next(r for r in rows if r.name == "江南🚀科技")
    assert (added.revenue, added.cadence_days) == (1500, 21)


async def test_escape_with_typed_text_asks_before_discarding(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Half typed", "escape")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert isinstance(app.screen, RecordForm)
        assert app.screen.query_one("#field-name", Input).value == "Half typed"
        await pilot.press("escape", "y")
        assert not isinstance(app.screen, RecordForm)


async def test_edit_change_class_and_delete_with_confirmation(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        target = shown(app)[0].row
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#field-name", Input).value == target.name
        form.query_one("#field-region", Input).value = "Pudong"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert demo_store.get(m.Account, target.id).region == "Pudong"

        await pilot.press("c")
        await settle(pilot)
        assert demo_store.get(m.Account, target.id).account_class == "B"

        await pilot.press("d")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
        assert demo_store.get(m.Account, target.id)
        await pilot.press("d", "y")
        await settle(pilot)
        assert target.id not in [r.id for r in demo_store.account_rows()]
        assert target.id not in [s.row.id for s in shown(app)]


async def test_enter_opens_the_account_and_escape_comes_back(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountOverviewScreen)
        assert app.screen.account_id == shown_id(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen.query_one(AccountTable), AccountTable)


def shown_id(app) -> str:
    base = app.screen_stack[-2]
    table = base.query_one(AccountTable)
    return table.rows[table.cursor].row.id


async def test_every_key_is_in_the_palette_and_help_toggles(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for expected in ("New (n)", "Delete (d)", "Portfolio (p)", "Agenda (a)", "Filter (/)"):
            assert expected in titles
        await pilot.press("question_mark")
        assert app.screen.query("KeysPanel")
        await pilot.press("question_mark")
        assert not app.screen.query("KeysPanel")


async def test_cursor_moves_through_ten_thousand_rows_without_building_them(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(AccountTable)
        many = [shown(app)[i % len(shown(app))] for i in range(10_000)]
        table.set_rows(many)
        await pilot.press("end")
        assert table.cursor == 9_999
        assert table.scroll_y > 9_000
        await pilot.press("home", "pagedown")
        assert 0 < table.cursor < 30


def table_lines(table: AccountTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


async def test_left_and_right_scroll_whole_columns_and_the_name_stays_at_80_columns(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(AccountTable)
        rows = shown(app)
        visible = min(len(rows), table.scrollable_content_region.height - 1)
        name_width = COLUMNS[0][1].width
        titles = [column.title for _, column, _ in COLUMNS]
        assert table.first_column == 1
        assert table_lines(table)[0].rstrip().endswith("›")  # more columns to the right
        seen: set[str] = set()
        for press in range(len(COLUMNS)):
            lines = table_lines(table)
            header = lines[0]
            assert header.startswith("Name "), press
            shown_titles = [t for t in header.replace("‹", " ").replace("›", " ").split() if t in titles]
            seen.update(shown_titles)
            assert shown_titles[0] == "Name" and shown_titles[1] == titles[table.first_column]
            for summary, line in zip(rows[:visible], lines[1:], strict=False):
                # The name is always there, whole or cut with an ellipsis, never a cut-off tail.
                assert line.startswith(fit(summary.row.name, name_width)), (press, line)
                assert cell_len(line) == table.scrollable_content_region.width
            await pilot.press("right")
        assert seen == set(titles)  # every column was reached
        assert "‹" in table_lines(table)[0] and not table_lines(table)[0].rstrip().endswith("›")
        end = table.first_column
        await pilot.press("right")
        assert table.first_column == end
        for _ in range(end - 1):
            await pilot.press("left")
        assert table.first_column == 1 and "‹" not in table_lines(table)[0]
        await pilot.press("left")
        assert table.first_column == 1

        await pilot.press("right")  # a click on a header sorts by the column drawn there
        await pilot.click(AccountTable, offset=(name_width + 2, 0))
        assert "sort: Cl" in str(app.screen.query_one("#chips", Static).render())
        await pilot.click(AccountTable, offset=(1, 0))
        assert "sort: Name" in str(app.screen.query_one("#chips", Static).render())


async def test_a_wide_terminal_gives_the_spare_width_to_the_name(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(AccountTable)
        spare = table.scrollable_content_region.width - sum(column.width + 1 for _, column, _ in COLUMNS)
        assert spare > 20
        header = table_lines(table)[0]
        assert header.index("Industry") == COLUMNS[0][1].width + spare + 1
        assert header.rstrip().endswith("Flags") and "›" not in header
        longest = max(names(app), key=cell_len)
        assert any(line.startswith(longest + " ") for line in table_lines(table))  # uncut
        await pilot.press("right")
        assert table.first_column == 1 and table_lines(table)[0] == header


def test_arrange_keeps_the_frozen_columns_and_shows_only_whole_columns():
    columns = [Column("N", 10, grow=True), Column("a", 4), Column("b", 6), Column("c", 3), Column("d", 5)]
    everything = sum(c.width + 1 for c in columns)  # 33
    wide = arrange(columns, 1, 1, everything + 7)
    assert wide.shown == (0, 1, 2, 3, 4) and wide.widths[0] == 17 and not wide.hidden_right
    narrow = arrange(columns, 1, 1, 24)  # 11 frozen, 13 left: a b fit (12), c would not
    assert narrow.shown == (0, 1, 2) and narrow.hidden_right and not narrow.hidden_left
    assert narrow.last_first == 3  # c d (10) fit; b c d (17) do not
    assert arrange(columns, 1, 3, 24).shown == (0, 3, 4)
    assert arrange(columns, 1, 9, 24).first == 3  # clamped
    assert arrange(columns, 0, 0, 8).shown == (0,)  # a column wider than the room is still shown


async def test_a_database_error_while_loading_says_so_and_r_tries_again(demo_store, monkeypatch):
    from planner.core.errors import DatabaseBusy

    real = demo_store.account_listing
    failing = {"left": 1}

    def flaky():
        if failing["left"]:
            failing["left"] -= 1
            raise DatabaseBusy("The database is busy: another rep is saving.")
        return real()

    monkeypatch.setattr(demo_store, "account_listing", flaky)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#status", Static).render())
        assert "database is busy" in status and "r tries again" in status
        assert shown(app) == []
        await pilot.press("r")
        await settle(pilot)
        assert len(shown(app)) == len(demo_store.portfolio(FIXED_DAY))
        assert "accounts" in str(app.screen.query_one("#status", Static).render())
