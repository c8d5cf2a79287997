"""SVG snapshots of the portfolio screens at 100x30 on the demo data, day pinned."""

from __future__ import annotations

from conftest import FIXED_DAY, settle

from planner.app import make_app
from planner.core import models as m
from planner.screens.account_overview import AccountOverviewScreen

SIZE = (100, 30)


def test_customer_list(snap_compare, demo_store):
    assert snap_compare(make_app(demo_store, today=FIXED_DAY), terminal_size=SIZE, run_before=settle)


def test_customer_list_filtered_by_class_a_at_80x24(snap_compare, demo_store):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("1")

    assert snap_compare(make_app(demo_store, today=FIXED_DAY), terminal_size=(80, 24), run_before=run_before)


def _overview(store, tab: str):
    university = next(a for a in store.list(m.Account) if "大学" in a.name and a.account_class == "A")

    async def run_before(pilot):
        await settle(pilot)
        await pilot.app.push_screen(AccountOverviewScreen(university.id))
        await settle(pilot)
        await pilot.press(tab)
        await settle(pilot)

    return run_before


def test_account_profile(snap_compare, demo_store):
    assert snap_compare(
        make_app(demo_store, today=FIXED_DAY), terminal_size=SIZE, run_before=_overview(demo_store, "1")
    )


def test_account_projects(snap_compare, demo_store):
    assert snap_compare(
        make_app(demo_store, today=FIXED_DAY), terminal_size=SIZE, run_before=_overview(demo_store, "2")
    )


def test_account_purchases(snap_compare, demo_store):
    assert snap_compare(
        make_app(demo_store, today=FIXED_DAY), terminal_size=SIZE, run_before=_overview(demo_store, "3")
    )


def test_account_visits(snap_compare, demo_store):
    assert snap_compare(
        make_app(demo_store, today=FIXED_DAY), terminal_size=SIZE, run_before=_overview(demo_store, "4")
    )


def test_new_visit_form(snap_compare, demo_store):
    before = _overview(demo_store, "4")

    async def run_before(pilot):
        await before(pilot)
        await pilot.press("n")
        await settle(pilot)

    assert snap_compare(make_app(demo_store, today=FIXED_DAY), terminal_size=SIZE, run_before=run_before)
