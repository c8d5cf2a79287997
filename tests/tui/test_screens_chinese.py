"""The home screen, the account screen, the forms and the palette in Chinese: a rep with
`LANG=zh_CN.UTF-8` reads the course's terms, while the data keeps its stored codes."""

from __future__ import annotations

from conftest import FIXED_DAY, settle, university
from textual.command import CommandPalette
from textual.widgets import Button, Input, Select, Static, Tab, TabbedContent
from tour import screen_text

from planner.app import make_app
from planner.core import models as m
from planner.screens.account_overview import AccountOverviewScreen
from planner.screens.navigation import Open
from planner.screens.record_form import RecordForm


async def test_the_customer_list_shows_chinese_heads_status_and_footer(demo_store, chinese):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        heads = next(line for line in lines if "收入" in line and "负责人" in line)
        for head in ("行业", "收入", "负责人"):
            assert head in heads
        assert "Revenue" not in heads and "Owner" not in heads
        footer = lines[-1]
        for label in ("筛选", "新建", "编辑", "删除", "排序", "日程", "帮助"):
            assert label in footer
        assert "Filter" not in footer and "New" not in footer
        status = str(app.screen.query_one("#status", Static).render())
        assert "个客户" in status and "重点客户" in status
        assert app.screen.query_one("#filter", Input).placeholder.startswith("按名称、行业或负责人筛选")


async def test_the_account_screen_has_chinese_tabs_and_column_heads(demo_store, chinese):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.post_message(Open("account", (university(demo_store).id,)))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccountOverviewScreen)
        tabs = [str(tab.label) for tab in screen.query_one(TabbedContent).query(Tab)]
        assert tabs == ["1 概况", "2 项目", "3 采购记录", "4 拜访"]
        await pilot.press("2")
        await settle(pilot)
        text = screen_text(app)
        for head in ("项目", "阶段", "金额", "把握度"):
            assert head in text
        assert "A类" in str(screen.sub_title)
        # The stages read as the course names them; the data keeps its codes.
        assert "潜在" in str(screen.query_one("#stage-values", Static).render())
        assert {p.stage for p in demo_store.list(m.Project)} <= set(m.PROJECT_STAGES)


async def test_a_form_says_what_is_wrong_in_chinese_and_offers_chinese_choices(demo_store, chinese):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.form_title == "新建客户"
        # The class picker shows A类 but keeps the code "A".
        picker = form.query_one("#field-account_class", Select)
        assert ("C类", "C") in [(str(label), value) for label, value in picker._options]
        assert picker.value == "C"
        await pilot.press("ctrl+s")  # the name is required and empty
        await settle(pilot)
        problem = str(form.query_one("#problem", Static).render())
        assert problem == "请修正 1 个字段。"
        buttons = [str(button.label) for button in form.query(Button)]
        assert buttons == ["保存（ctrl+s）", "取消（esc）"]


async def test_the_palette_lists_chinese_commands(demo_store, chinese):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        commands = list(app.get_system_commands(app.screen))
        titles = [command.title for command in commands]
        # Textual's own commands, then the screen's keys, each with its key.
        for expected in ("主题", "退出", "按键", "截图", "新建 (n)", "删除 (d)", "筛选 (/)", "日程 (a)"):
            assert expected in titles
        helps = {command.title: command.help for command in commands}
        assert helps["主题"] == "更换当前主题"
        assert helps["新建 (n)"] == "新建客户"
        assert not [title for title in titles if title.isascii() and any(c.isalpha() for c in title)]
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        assert "搜索命令…" in screen_text(app)


async def test_the_english_palette_is_unchanged(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles[:2] == ["Theme", "Quit"]
        assert "New (n)" in titles
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert "Search for commands…" in screen_text(app)
