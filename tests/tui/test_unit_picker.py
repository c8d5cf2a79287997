"""The unit picker (move to…, where members go) narrows by name or by pinyin."""

from __future__ import annotations

from conftest import settle
from textual.app import App
from textual.widgets import OptionList

from planner.screens.unit_picker import UnitPicker

CHOICES = [("(top level)", ""), ("财务处", "finance"), ("图书馆", "library"), ("Network Centre 网络中心", "net")]


async def shown(pilot, typed: str) -> list[str]:
    picker = pilot.app.screen
    for key in typed:
        await pilot.press(key)
    await settle(pilot)
    options = picker.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_picker_narrows_by_name_or_pinyin_and_takes_the_first_on_enter():
    chosen: list[str | None] = []
    app = App()
    async with app.run_test() as pilot:
        await app.push_screen(UnitPicker("Move to which unit?", CHOICES), chosen.append)
        await settle(pilot)
        assert await shown(pilot, "cwc") == ["财务处"]
        for _typed in "cwc":
            await pilot.press("backspace")
        assert await shown(pilot, "tsg") == ["图书馆"]
        for _typed in "tsg":
            await pilot.press("backspace")
        assert await shown(pilot, "wangluo") == ["Network Centre 网络中心"]
        for _typed in "wangluo":
            await pilot.press("backspace")
        assert await shown(pilot, "财务") == ["财务处"]
        await pilot.press("enter")
        await settle(pilot)
    assert chosen == ["finance"]
