"""The visit brief on screen: `v` on an account opens it, it reads at 80x24 and 100x30
and scrolls, `E` writes the printable page, and another rep's save shows up."""

from __future__ import annotations

import io

import pytest
from conftest import FIXED_DAY, edit_as_rep_b, settle
from rich.console import Console
from textual.containers import VerticalScroll
from textual.widgets import Static

from planner.app import make_app
from planner.core import models as m
from planner.core.brief import brief_markdown, build_brief
from planner.screens.account_overview import AccountOverviewScreen
from planner.screens.brief import BriefScreen
from planner.widgets.keys_panel import KeysPanel

BANK = "Eastern Harbour Bank — Shanghai Branch"


def page_text(screen: BriefScreen, width: int) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(screen.query_one("#brief-page", Static).content)
    return console.export_text()


async def open_brief(pilot) -> BriefScreen:
    """From the customer list to the top account (the bank) and its brief, by keys."""
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AccountOverviewScreen)
    await pilot.press("v")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BriefScreen)
    return screen


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
async def test_v_on_an_account_opens_its_brief_with_the_people_and_the_commitment(demo_store, size):
    bank = demo_store.find_account(BANK)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=size) as pilot:
        screen = await open_brief(pilot)
        assert screen.account_id == bank.id
        text = page_text(screen, size[0] - 4)
        assert f"Visit brief: {BANK} — {FIXED_DAY.isoformat()}" in text
        names = ["Richard Tan", "Helen Xu", "Victor Lam", "Grace Liu", "Tom Wu", "Jenny Sun", "Kevin Ma"]
        assert [text.index(name) for name in names] == sorted(text.index(name) for name in names)
        assert "decision: Recognition from" in text  # the layer heads its people
        assert "Helen Xu will share the draft renewal scope" in text
        assert "⚑ overdue" in text and "☐ business cards" in text
        scroll = screen.query_one("#brief", VerticalScroll)
        assert scroll.has_focus and scroll.max_scroll_y > 0  # longer than the screen: it scrolls
        await pilot.press("end")
        await settle(pilot)
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AccountOverviewScreen)


async def test_e_writes_the_printable_brief_and_says_where(demo_store, tmp_path):
    bank = demo_store.find_account(BANK)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_brief(pilot)
        await pilot.press("E")
        await settle(pilot)
        (written,) = (tmp_path / "exports").glob("*.md")  # PLANNER_EXPORTS, set for every test
        assert written.name == f"{BANK} brief {FIXED_DAY.isoformat()}.md"
        expected = brief_markdown(build_brief(demo_store.brief_document(bank.id, FIXED_DAY)))
        assert written.read_text(encoding="utf-8") == expected
        assert any(str(written) in n.message for n in app._notifications)


async def test_another_reps_new_commitment_shows_on_the_open_brief(demo_store):
    bank = demo_store.find_account(BANK)
    newest = max(demo_store.list(m.Visit, account_id=bank.id), key=lambda v: v.visited_on)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_brief(pilot)
        edit_as_rep_b(demo_store, m.Visit, newest.id, commitment="Helen Xu books the board slot")
        app.check_for_changes()
        await settle(pilot)
        text = page_text(screen, 96)
        assert "Helen Xu books the board slot" in text and "share the draft renewal scope" not in text


async def test_the_keys_panel_lists_the_brief_key_on_the_account_and_the_brief_screens_keys(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert any(line.startswith("v Visit brief") and "[account-brief]" in line for line in
                   app.screen.query_one(KeysPanel).lines)  # fmt: skip
        await pilot.press("question_mark", "v")
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        lines = "\n".join(app.screen.query_one(KeysPanel).lines)
        assert "[brief-export]" in lines and "[brief-back]" in lines and "[brief-reload]" in lines
