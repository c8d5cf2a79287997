"""The agenda, competitors, org chart, account profile and tables in Chinese: their
labels come from the catalog, and columns of double-width text stay aligned."""

from __future__ import annotations

import io

import pytest
from conftest import FIXED_DAY, settle, university
from rich.cells import cell_len
from rich.console import Console
from textual.widgets import OptionList, Static

from planner.app import make_app
from planner.core import models as m
from planner.core.formatting import industry_name, money
from planner.core.i18n import _
from planner.core.org import PERSON, UNIT, Ref
from planner.screens import competitor_map
from planner.screens.account_overview import AccountOverviewScreen
from planner.screens.agenda import AgendaScreen
from planner.screens.competitor_map import CompetitorMapScreen
from planner.screens.competitors import CompetitorsScreen
from planner.screens.org_chart import OrgChartScreen
from planner.widgets.account_profile import AccountProfile
from planner.widgets.account_table import AccountTable
from planner.widgets.org_detail import OrgDetail
from planner.widgets.org_tree import OrgChartTree
from planner.widgets.record_table import RecordTable

LONG_NAME = "江南科技大学信息化建设与管理中心采购部"  # 19 characters, 38 cells: cut in the name column


async def show(pilot, screen):
    await settle(pilot)
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return pilot.app.screen


def screen_lines(app) -> list[str]:
    """What the terminal shows now, line by line."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text().splitlines()


def cells_before(line: str, text: str) -> int:
    """The terminal cell where `text` starts in `line` (its last occurrence: a name
    before it may hold the same word, "Pacific Link Telecom" in the Telecom industry)."""
    return cell_len(line[: line.rindex(text)])


def cells_through(line: str, text: str) -> int:
    """The terminal cell just after `text` ends in `line`."""
    return cell_len(line[: line.index(text) + len(text)])


async def test_the_agenda_reads_in_chinese(demo_store, chinese):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await show(pilot, AgendaScreen())
        assert screen.title == "日程"
        assert screen.sub_title == "2026年11月27日 周五"
        options = screen.query_one(OptionList)
        headings = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        headings = [h for h in headings if "—" in h]
        assert headings and headings[0].startswith("A类 · 产出 — ")
        assert any("已逾期" in h or "本周" in h or "今天" in h for h in headings)
        text = "\n".join(screen_lines(app))
        assert "煮熟的鸭子也会飞" in str(screen.query_one("#agenda-status", Static).render())
        assert "行动" in text or "跟进" in text or "久未联系" in text
        assert "Overdue" not in text and "This week" not in text


async def test_competitors_read_in_chinese(demo_store, chinese):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await show(pilot, CompetitorsScreen(account.id))
        table = screen.query_one(RecordTable)
        assert [str(column.label) for column in table.columns.values()] == ["品牌", "实施伙伴", "威胁", "应对行动"]
        status = str(screen.query_one("#competitors-status", Static).render())
        assert "个竞争对手" in status and "Enter 编辑" in status
        assert screen.sub_title.endswith("· 竞争对手")
        text = "\n".join(screen_lines(app))
        assert "品牌简介" in text and "应对行动" in text

        the_map = await show(pilot, CompetitorMapScreen())
        heads = [str(column.label) for column in the_map.query_one(RecordTable).columns.values()]
        assert heads == [_(head) for head in competitor_map.HEADS]
        assert heads[0] == "品牌" and heads[-1] == "已应对" and not any(head.isascii() for head in heads)
        assert "Enter 打开客户" in str(the_map.query_one("#competitor-map-status", Static).render())


async def test_the_org_chart_reads_in_chinese(demo_store, chinese):
    account = university(demo_store)
    zhang = next(p for p in demo_store.list(m.Person, account_id=account.id) if p.name == "张伟")
    assets = next(u for u in demo_store.list(m.OrgUnit, account_id=account.id) if "Asset & Equipment" in u.name)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await show(pilot, OrgChartScreen(account.id))
        tree = screen.query_one(OrgChartTree)
        label = tree.nodes[Ref(PERSON, zhang.id)].label.plain
        assert label.startswith("● 张伟 · ✓ 支持者 · 实施层 · 设备科科长")
        tree.move_cursor(tree.nodes[Ref(PERSON, zhang.id)])
        await settle(pilot)
        detail = str(screen.query_one(OrgDetail).render())
        assert "汇报给：" in detail and "陈志强" in detail
        stance, layer = (_("{label}:").format(label=_(label)) for label in ("Stance", "Layer"))
        assert f"{stance} ✓ 支持者" in detail and f"{layer} 实施层" in detail
        tree.move_cursor(tree.nodes[Ref(UNIT, assets.id)])
        await settle(pilot)
        detail = str(screen.query_one(OrgDetail).render())
        assert "本部门 2 人" in detail and "含下属部门 5 人" in detail
        status = str(screen.query_one("#org-status", Static).render())
        assert "个部门" in status and "人" in status
        assert screen.sub_title.endswith("· 组织结构图")


async def test_the_account_profile_reads_in_chinese(demo_store, chinese):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await show(pilot, AccountOverviewScreen(account.id))
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(screen.query_one(AccountProfile).content)
        text = console.export_text()
        assert "本年收入：" in text and "本年采购记录合计：" in text
        assert "二八法则" in text and "重点客户" in text
        for label in ("象限", "联系", "类别", "行业", "地区", "负责人", "利润", "影响力", "投入", "采购方式"):
            assert label in text
        assert money(account.revenue).endswith("万") and money(account.revenue) in text
        assert "this year" not in text and "Quadrant" not in text


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_customer_list_keeps_its_columns_aligned_with_chinese_names_and_heads(demo_store, chinese, size):
    industry = next(i for i in demo_store.list(m.Industry) if i.name_en == "Education")
    demo_store.create(m.Account, name=LONG_NAME, industry_id=industry.id, account_class="A", revenue=4_700_000)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.screen.query_one(AccountTable)
        width = table.scrollable_content_region.width
        lines = [table.render_line(y).text for y in range(table.scrollable_content_region.height)]
        head, rows = lines[0], lines[1:]
        summaries = list(table.rows)[: len(rows)]
        assert head.startswith(_("Name")) and "行业" in head and "收入" in head and not head[:2].isascii()
        assert any(any("\u4e00" <= c <= "\u9fff" for c in s.row.name) for s in summaries)
        assert any(s.row.name.isascii() for s in summaries)
        assert LONG_NAME in {s.row.name for s in summaries}
        assert all(cell_len(line) == width for line in lines)
        # The industry column starts, and the revenue column (right-aligned) ends, at the
        # same cell on every row and in the head, whatever the names' widths.
        industry_at = {cells_before(head, "行业")}
        revenue_end = {cells_through(head, "收入")}
        for line, summary in zip(rows, summaries, strict=True):
            shown = industry_name(summary.row.industry, summary.row.industry_zh) or "—"
            industry_at.add(cells_before(line, shown[:2]))  # long ones are cut
            revenue_end.add(cells_through(line, money(summary.row.revenue)))
        assert len(industry_at) == 1 and len(revenue_end) == 1
        long_row = rows[[s.row.name for s in summaries].index(LONG_NAME)]
        assert long_row.startswith("江南科技大学信息化…")


async def test_a_record_table_keeps_its_columns_aligned_with_chinese_names_and_heads(demo_store, chinese):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await show(pilot, CompetitorMapScreen())
        presence = [row for row in screen.rows if row.position_id]
        assert any(not row.account_name.isascii() for row in presence)
        assert any(row.account_name.isascii() for row in presence)
        lines = screen_lines(app)
        head = next(line for line in lines if "品牌" in line and "威胁" in line)
        threat_at = {cells_before(head, "威胁")}
        rows = [line for line in lines if "▲" in line]
        assert len(rows) >= 3
        threat_at |= {cell_len(line[: line.index("▲")]) for line in rows}
        assert len(threat_at) == 1, "\n".join(lines)
