"""The planner's Markdown as one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

import pytest
from html_tree import parse

from planner.core.export import cell
from planner.core.html import markdown_page

GOLDEN = Path(__file__).parents[1] / "store" / "golden" / "university_plan.md"
NASTY = "A&B <script>alert(\"x\")</script> 'Ltd'"


def test_a_page_is_one_utf8_document_with_its_title_and_print_rules():
    page = markdown_page("# Plan\n\nText.\n", title=NASTY)
    html = parse(page)
    assert html.attrs["lang"]
    head = html.one("head")
    assert head.all("meta")[0].attrs == {"charset": "utf-8"}
    assert head.one("title").text() == NASTY
    style = head.one("style").text()
    for rule in ("@page { size: A4; margin: 15mm; }", "break-inside: avoid", "break-after: avoid", "@media print"):
        assert rule in style
    assert '"Noto Sans CJK SC"' in style and '"Microsoft YaHei"' in style and "sans-serif" in style


def test_everything_a_rep_typed_is_escaped_wherever_it_stands():
    markdown = "\n".join(
        [
            f"# Account plan: {NASTY}",
            "",
            f"- **{NASTY}** — {cell(NASTY)}",
            f"  - [x] {cell(NASTY)}",
            "",
            "| Field | Value |",
            "|---|---|",
            f"| Notes | {cell(NASTY)} |",
            "",
            f"Values: {NASTY}",
        ]
    )
    page = markdown_page(markdown, NASTY)
    assert "<script>" not in page and 'alert("x")' not in page
    html = parse(page)
    body = html.one("body")
    assert body.one("h1").text() == f"Account plan: {NASTY}"
    assert body.one("strong").text() == NASTY
    assert body.one("table").rows() == [["Field", "Value"], ["Notes", NASTY]]
    assert body.one("p").text() == f"Values: {NASTY}"
    assert not body.all("script")


def test_tables_read_escaped_pipes_backslashes_and_line_breaks():
    notes = "one\\two\nline | three"
    markdown = f"| Name | Notes |\n|---|---|\n| {cell('a|b')} | {cell(notes)} |\n| x |  |\n"
    table = parse(markdown_page(markdown, "t")).one("table")
    assert [th.text() for th in table.one("thead").all("th")] == ["Name", "Notes"]
    assert table.rows()[1:] == [["a|b", "one\\two\nline | three"], ["x", ""]]
    assert len(table.one("tbody").all("br")) == 1


def test_cells_of_figures_never_break_across_lines():
    markdown = "| Amount | Expected | Note |\n|---|---|---|\n| 1,800,000 | 2027-04-16 | 4/5 in 2027 |\n"
    cells = parse(markdown_page(markdown, "t")).one("tbody").all("td")
    assert [cell.attrs.get("class") for cell in cells] == ["n", "n", None]
    assert "td.n { white-space: nowrap; }" in markdown_page(markdown, "t")


def test_lists_nest_by_two_spaces_and_tasks_show_their_box():
    markdown = "- **Unit**\n  - Person\n  - **Sub-unit**\n    - Deep\n- Other\n\n- [ ] open task\n- [x] done task\n"
    body = parse(markdown_page(markdown, "t")).one("body")
    outer, tasks = [ul for ul in body.children if not isinstance(ul, str) and ul.tag == "ul"]
    top = [li for li in outer.children if not isinstance(li, str)]
    assert [li.tag for li in top] == ["li", "li"]
    assert top[0].all("strong")[0].text() == "Unit"
    inner, deepest = top[0].all("ul")
    assert [li.text() for li in inner.children if not isinstance(li, str)] == ["Person", "Sub-unitDeep"]
    assert deepest.one("li").text() == "Deep"
    assert deepest in inner.all("ul"), "the deepest list sits inside the sub-unit's item"
    assert top[1].text() == "Other"
    boxes = [li.attrs["class"] for li in tasks.all("li")]
    assert boxes == ["task", "task done"]
    assert [li.one("span").text() for li in tasks.all("li")] == ["", "✓"]
    assert [li.text() for li in tasks.all("li")] == ["open task", "✓done task"]


def test_italic_paragraphs_and_headings_of_every_level():
    body = parse(markdown_page("# One\n## Two\n### Three\n\n_None recorded._\n\nplain_word_here\n", "t")).one("body")
    assert [body.one(f"h{n}").text() for n in (1, 2, 3)] == ["One", "Two", "Three"]
    assert body.one("em").text() == "None recorded."
    assert body.all("p")[1].text() == "plain_word_here" and len(body.all("em")) == 1


@pytest.mark.parametrize("fetching", ["http", "src=", "@import", "url(", "<link", "<script"])
def test_a_real_plan_fetches_nothing(fetching):
    assert fetching not in markdown_page(GOLDEN.read_text(encoding="utf-8"), "江南科技大学")


def test_a_real_plan_keeps_every_heading_table_and_chinese_name():
    markdown = GOLDEN.read_text(encoding="utf-8")
    body = parse(markdown_page(markdown, "江南科技大学")).one("body")
    lines = markdown.splitlines()
    for level in (1, 2, 3):
        expected = [line[level + 1 :] for line in lines if line.startswith("#" * level + " ")]
        assert [h.text() for h in body.all(f"h{level}")] == expected
    assert len(body.all("table")) == sum(1 for line in lines if line.startswith("|---"))
    assert body.all("h1")[0].text() == "Account plan: 江南科技大学"
    people = body.all("table")[1].rows()
    assert people[0][:2] == ["Name", "Title"] and people[1][0] == "刘海燕"
    text = body.text()
    for name in ("江南科技大学", "刘海燕", "智慧校园数据中心二期", "政采云"):
        assert name in text
