"""`planner export --format html` and `planner list` (table, CSV, Excel), read back
and held to what the store says about the demo portfolio."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import unicodedata
from datetime import date, datetime

import pytest
from html_tree import parse
from openpyxl import load_workbook

from planner.cli import EXIT_FLAGS, main
from planner.core import models as m
from planner.core.export import account_plan_markdown
from planner.core.identity import current_user
from planner.export_cli import HEADERS
from planner.store.startup import open_store

UNIVERSITY = "江南科技大学"


@pytest.fixture
def demo(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--no-open"]) == 0
    capsys.readouterr()
    return db


@pytest.fixture
def facts(demo):
    """What the store says: the portfolio in 80/20 order, red flags, regions, people, projects."""
    store = open_store(str(demo))
    try:
        today = date.today()
        university = store.find_account(UNIVERSITY)
        yield {
            "portfolio": list(store.portfolio(today)),
            "key_count": store.portfolio(today).key_count,
            "flags": {key: len(found) for key, found in store.red_flags(today).items()},
            "regions": {a.id: a.region for a in store.list(m.Account)},
            "people": [p.name for p in store.list(m.Person, account_id=university.id)],
            "projects": [p.name for p in store.list(m.Project, account_id=university.id)],
            "markdown": account_plan_markdown(store.plan_document(university.id, today)),
        }
    finally:
        store.db.close()


def _run(*arguments: str) -> int:
    return main(list(arguments))


def test_export_html_is_the_plan_as_one_page(demo, facts, capsys):
    assert _run("export", "江南科技", "--db", str(demo), "--format", "html") == 0
    html = parse(capsys.readouterr().out)
    assert html.one("title").text() == f"Account plan: {UNIVERSITY}"
    body = html.one("body")
    assert body.one("h1").text() == f"Account plan: {UNIVERSITY}"
    sections = [line[3:] for line in facts["markdown"].splitlines() if line.startswith("## ")]
    assert [h.text() for h in body.all("h2")] == sections
    table_names = {row[0] for table in body.all("table") for row in table.rows()[1:]}
    assert set(facts["people"]) <= table_names
    assert set(facts["projects"]) <= table_names
    assert facts["people"] and facts["projects"]


def test_export_html_to_a_file_and_markdown_unchanged(demo, facts, tmp_path, capsys):
    page = tmp_path / "plan.html"
    assert _run("export", UNIVERSITY, "--db", str(demo), "--format", "html", "-o", str(page)) == 0
    assert capsys.readouterr().out == f"Wrote {page}\n"
    assert parse(page.read_text(encoding="utf-8")).one("h1").text() == f"Account plan: {UNIVERSITY}"
    assert _run("export", UNIVERSITY, "--db", str(demo)) == 0
    assert capsys.readouterr().out == facts["markdown"]
    assert _run("export", "no such customer", "--db", str(demo), "--format", "html") == EXIT_FLAGS
    said = capsys.readouterr()
    assert said.out == "" and said.err.startswith("planner: No account")


def _check_line(values: dict, summary, facts) -> None:
    """One exported account against the store's portfolio."""
    row, pareto = summary.row, summary.pareto
    assert values["Rank"] == pareto.rank and values["Name"] == row.name
    assert values["Share"] == pytest.approx(pareto.share, abs=1e-4)
    assert values["Cumulative"] == pytest.approx(pareto.cumulative, abs=1e-4)
    assert values["Key"] is pareto.key and values["Stale"] is summary.cadence.stale
    assert (values["Class"], values["Quadrant"], values["Owner"]) == (
        row.account_class,
        summary.quadrant.quadrant,
        row.owner,
    )
    assert values["Industry"].startswith(row.industry) and row.industry_zh in values["Industry"]
    assert (values["Region"] or "") == facts["regions"][row.id]
    assert values["Revenue"] == row.revenue
    assert values["Last contact"] == row.last_contact
    assert values["Red flags"] == facts["flags"].get(row.id, 0)


def test_csv_is_excel_ready_utf8_with_the_portfolio_figures(demo, facts, tmp_path, capsys):
    out = tmp_path / "accounts.csv"
    assert _run("list", "--db", str(demo), "--format", "csv", "--output", str(out)) == 0
    assert capsys.readouterr().out == f"Wrote {out} ({len(facts['portfolio'])} accounts)\n"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and UNIVERSITY.encode() in raw
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(header) == HEADERS
    assert len(rows) == len(facts["portfolio"])
    booleans = {"TRUE": True, "FALSE": False}
    for row, summary in zip(rows, facts["portfolio"], strict=True):
        values = dict(zip(header, row, strict=True))
        values |= {
            "Rank": int(values["Rank"]),
            "Share": float(values["Share"].rstrip("%")) / 100,
            "Cumulative": float(values["Cumulative"].rstrip("%")) / 100,
            "Key": booleans[values["Key"]],
            "Stale": booleans[values["Stale"]],
            "Revenue": float(values["Revenue"]),
            "Last contact": date.fromisoformat(values["Last contact"]) if values["Last contact"] else None,
            "Red flags": int(values["Red flags"]),
        }
        _check_line(values, summary, facts)
    assert _run("list", "--db", str(demo), "--format", "csv") == 0
    assert capsys.readouterr().out == raw.decode("utf-8")


def test_xlsx_has_typed_cells_a_frozen_header_and_the_portfolio_figures(demo, facts, tmp_path, capsys):
    out = tmp_path / "accounts.xlsx"
    assert _run("list", "--db", str(demo), "--format", "xlsx", "-o", str(out)) == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet.freeze_panes == "C2"
    header, *rows = list(sheet.iter_rows())
    assert tuple(c.value for c in header) == HEADERS and all(c.font.bold for c in header)
    assert all(sheet.column_dimensions[c.column_letter].width >= 6 for c in header)
    assert len(rows) == len(facts["portfolio"])
    for row, summary in zip(rows, facts["portfolio"], strict=True):
        values = {title: c.value for title, c in zip(HEADERS, row, strict=True)}
        cells = dict(zip(HEADERS, row, strict=True))
        assert cells["Share"].number_format == "0.0%" and isinstance(values["Share"], int | float)
        assert isinstance(values["Rank"], int) and isinstance(values["Revenue"], int | float)
        contact = values["Last contact"]
        if contact is not None:
            assert isinstance(contact, datetime) and cells["Last contact"].is_date
            values["Last contact"] = contact.date()
        _check_line(values, summary, facts)


def test_xlsx_goes_to_a_pipe_but_not_to_a_terminal(demo, monkeypatch, capsys):
    piped = subprocess.run(
        [sys.executable, "-m", "planner", "list", "--db", str(demo), "--format", "xlsx"],
        capture_output=True,
        timeout=60,
    )
    assert piped.returncode == 0, piped.stderr
    assert load_workbook(io.BytesIO(piped.stdout)).active["B2"].value == "Eastern Harbour Bank — Shanghai Branch"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert _run("list", "--db", str(demo), "--format", "xlsx") == 2
    said = capsys.readouterr()
    assert said.out == "" and said.err.count("\n") == 1 and "--output" in said.err


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_the_table_lines_up_chinese_and_latin_names(demo, facts, capsys):
    assert _run("list", "--db", str(demo)) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.split()[:3] == ["Rank", "Name", "Share"]
    assert len(lines) == len(facts["portfolio"])
    share_end = _width(header[: header.index("Share") + len("Share")])
    for line, summary in zip(lines, facts["portfolio"], strict=True):
        assert summary.row.name in line
        assert _width(line[: line.index("%") + 1]) == share_end, line


def _names(demo, capsys, *options: str) -> list[str]:
    assert _run("list", "--db", str(demo), "--format", "csv", *options) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    return [row["Name"] for row in rows]


def test_the_filters_are_the_customer_lists(demo, facts, capsys):
    summaries = facts["portfolio"]
    everyone = [s.row.name for s in summaries]
    assert _names(demo, capsys) == everyone

    def where(keep) -> list[str]:
        return [s.row.name for s in summaries if keep(s)]

    assert _names(demo, capsys, "--class", "A") == where(lambda s: s.row.account_class == "A")
    assert _names(demo, capsys, "--class", "B", "--class", "C") == where(lambda s: s.row.account_class != "A")
    assert _names(demo, capsys, "--key") == everyone[: facts["key_count"]]
    assert _names(demo, capsys, "--stale") == where(lambda s: s.cadence.stale)
    assert _names(demo, capsys, "--owner", "li.wei") == where(lambda s: s.row.owner == "li.wei")
    assert _names(demo, capsys, "--mine") == where(lambda s: s.row.owner == current_user())
    assert _names(demo, capsys, "--filter", "教育") == where(lambda s: s.row.industry_zh == "教育")
    assert _names(demo, capsys, "--filter", "LI.WEI", "--class", "A", "--key") == where(
        lambda s: s.row.owner == "li.wei" and s.row.account_class == "A" and s.pareto.key
    )
    for chosen in ("--class A", "--key", "--stale", "--owner li.wei", "--mine", "--filter 教育"):
        assert 0 < len(_names(demo, capsys, *chosen.split())) < len(everyone), chosen
    assert _names(demo, capsys, "--filter", "no such text") == []


@pytest.mark.parametrize(
    ("arguments", "words"),
    [(["--class", "D"], "invalid choice: 'D'"), (["--owner", "x", "--mine"], "not allowed with argument")],
    ids=["unknown-class", "owner-and-mine"],
)
def test_bad_list_options_end_with_one_line(demo, capsys, arguments, words):
    with pytest.raises(SystemExit) as done:
        main(["list", "--db", str(demo), *arguments])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err
