"""`planner brief ACCOUNT`: Markdown on standard output, or an HTML page to print,
parsed back to check it says what the Markdown says."""

from __future__ import annotations

import argparse
from datetime import date
from html.parser import HTMLParser

import pytest

from planner.brief_cli import BRIEF_COMMANDS, add_brief_command
from planner.core import models as m
from planner.core.errors import NotFound
from planner.store import seed
from planner.store.startup import open_store

DAY = date(2026, 11, 27)


def parse(*arguments: str) -> argparse.Namespace:
    """The arguments as `planner` reads them: `--db` shared by every command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db")
    parser = argparse.ArgumentParser(prog="planner", parents=[common])
    add_brief_command(parser.add_subparsers(dest="command"), common)
    return parser.parse_args(arguments)


def run(*arguments: str) -> int:
    args = parse(*arguments)
    return BRIEF_COMMANDS[args.command](args)


@pytest.fixture
def demo_db(tmp_path) -> str:
    path = tmp_path / "demo.db"
    store = open_store(str(path), user="rep-a")
    seed.demo(store, DAY)
    store.db.close()
    return str(path)


class Page(HTMLParser):
    """The page's title, headings, table cells and list items, as text; and the list
    items that are tasks (boxes to tick: the box itself is not text)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[str]] = {"title": [], "h1": [], "h2": [], "td": [], "li": []}
        self.tasks: list[int] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "span" and "box" in (dict(attrs).get("class") or "").split():
            self._open.append("box")
        elif tag in self.found:
            self._open.append(tag)
            self.found[tag].append("")
            if tag == "li" and "task" in (dict(attrs).get("class") or "").split():
                self.tasks.append(len(self.found["li"]) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == ("box" if tag == "span" else tag):
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1] != "box":
            self.found[self._open[-1]][-1] += data


def test_the_brief_in_markdown_on_standard_output(demo_db, capsys):
    assert run("brief", "Eastern Harbour", "--db", demo_db, "--today", "2026-11-27") == 0
    out = capsys.readouterr().out
    assert out.startswith("# Visit brief: Eastern Harbour Bank — Shanghai Branch — 2026-11-27\n")
    assert "- Commitment: Helen Xu will share the draft renewal scope within two weeks.\n" in out
    assert "## Five treasures (五件宝) for this visit\n- [ ] appointment by phone\n" in out


def test_the_brief_as_an_html_page_says_what_the_markdown_says(demo_db, tmp_path, capsys):
    target = tmp_path / "brief.html"
    run("brief", "Eastern Harbour", "--db", demo_db, "--today", "2026-11-27", "--format", "html", "-o", str(target))
    assert capsys.readouterr().out == f"Wrote {target}\n"
    page = Page()
    page.feed(target.read_text(encoding="utf-8"))
    found = page.found
    assert found["title"] == found["h1"] == ["Visit brief: Eastern Harbour Bank — Shanghai Branch — 2026-11-27"]
    assert found["h2"] == [
        "People to meet (⚑ influential but not close: win them over)",
        "Last visit, and what is still open",
        "Red flags, and competitors at threat 4/5 or more",
        "Procurement forecast",
        "Five treasures (五件宝) for this visit",
    ]
    assert "Richard Tan, Branch President" in found["td"] and "2026-11-25 ⚑ overdue" in found["td"]
    assert "Commitment: Helen Xu will share the draft renewal scope within two weeks." in found["li"]
    ticks = [found["li"][n] for n in page.tasks]  # boxes to tick on paper
    assert ticks[:2] == ["appointment by phone", "business cards"] and len(ticks) == 7


def test_the_day_of_the_visit_counts_the_days(demo_db, capsys):
    run("brief", "Eastern Harbour", "--db", demo_db, "--today", "2026-12-01")
    out = capsys.readouterr().out
    assert "last contact 2026-11-24, 7 days ago" in out
    assert "| 2026-11-25 ⚑ overdue |" in out


def test_a_bad_day_or_format_is_refused_before_anything_opens(capsys):
    for arguments in (("--today", "2026-02-30"), ("--format", "pdf")):
        with pytest.raises(SystemExit) as refused:
            parse("brief", "Acme", *arguments)
        assert refused.value.code == 2
    assert "'2026-02-30' is not a real date; write YYYY-MM-DD" in capsys.readouterr().err


def test_an_unknown_or_deleted_account_is_not_found(demo_db):
    with pytest.raises(NotFound, match="No account matches 'Nowhere Ltd'"):
        run("brief", "Nowhere Ltd", "--db", demo_db)
    store = open_store(demo_db, user="rep-a")
    bank = store.find_account("Eastern Harbour")
    store.delete(m.Account, bank.id, bank.version)
    store.db.close()
    with pytest.raises(NotFound):
        run("brief", bank.id, "--db", demo_db)
