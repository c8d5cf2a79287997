"""Finding a Chinese account by pinyin in the customer list, typed key by key."""

from __future__ import annotations

from conftest import FIXED_DAY, settle
from textual.widgets import Input, Static

from planner.app import make_app
from planner.widgets.account_table import AccountTable


def _names(app) -> list[str]:
    return [s.row.name for s in app.screen.query_one(AccountTable).rows]


async def test_typing_initials_or_full_pinyin_in_the_filter_finds_the_chinese_name(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"jnkj")
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).value == "jnkj"
        assert _names(app) == ["江南科技大学"]
        assert "1 of" in str(app.screen.query_one("#status", Static).render())
        await pilot.press(*["backspace"] * 4, *"jiangnan")
        await settle(pilot)
        assert "江南科技大学" in _names(app)
        assert all("江南" in name or "jiangnan" in name.casefold() for name in _names(app))
