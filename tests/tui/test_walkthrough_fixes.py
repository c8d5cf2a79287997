"""What a rep met trying the planner: quitting over typed text, the tab's list taking the
keys, figures that agree, an empty filter that says how to get out, a form's summary
that goes when the fields are right."""

from __future__ import annotations

from conftest import FIXED_DAY, settle
from textual.widgets import Input, Static

from planner.app import make_app
from planner.core import models as m
from planner.core.formatting import percent
from planner.screens.account_overview import AccountOverviewScreen
from planner.screens.confirm import Confirm
from planner.screens.customer_list import CustomerListScreen
from planner.screens.record_form import RecordForm
from planner.widgets.record_table import RecordTable

SIZE = (100, 30)


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


async def test_ctrl_q_over_a_form_with_typed_text_keeps_it_as_a_draft(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Half-typed Ltd")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("r")  # restore the draft offered
        await pilot.pause()
        assert app.screen.query_one("#field-name", Input).value == "Half-typed Ltd"


async def test_ctrl_q_with_nothing_typed_quits_at_once(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not isinstance(app.screen, Confirm)
        assert not app.is_running


async def test_a_tab_key_puts_the_keys_on_that_tabs_list_and_enter_edits_the_row(demo_store):
    account = next(a for a in demo_store.list(m.Account) if "大学" in a.name and a.account_class == "A")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(AccountOverviewScreen(account.id))
        await settle(pilot)
        screen = app.screen
        await pilot.press("2")
        await pilot.pause()
        table = screen.query_one("#projects-table", RecordTable)
        assert app.focused is table
        await pilot.press("down", "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm) and form.form_title == "Edit project"
        assert form.query_one("#field-name", Input).value == table.current.name


async def test_the_list_says_what_the_key_accounts_really_carry(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        portfolio = app.screen.portfolio
        assert portfolio.key_share >= demo_store.settings.key_threshold
        assert f"carry {percent(portfolio.key_share)} of revenue" in status(app)


async def test_a_filter_that_matches_nothing_says_how_to_clear_it(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"no such customer")
        await pilot.pause()
        assert "No account matches" in status(app) and "0 clears" in status(app)
        await pilot.press("escape", "0")
        await pilot.pause()
        assert isinstance(app.screen, CustomerListScreen) and "No account matches" not in status(app)


async def test_the_forms_summary_line_goes_once_every_field_is_right(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Summary Ltd")
        form = app.screen
        form.query_one("#field-revenue", Input).value = "12x"
        await pilot.press("ctrl+s")
        await settle(pilot)
        problem = form.query_one("#problem", Static)
        assert problem.display and "correct 1 field" in str(problem.render())
        revenue = form.query_one("#field-revenue", Input)
        revenue.value = "12"
        revenue.focus()
        await pilot.press("tab")
        await pilot.pause()
        assert not problem.display
