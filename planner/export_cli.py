"""`planner export` and `planner list`: an account's plan and the customer list, for
people who do not run the planner (a printed plan, a manager's spreadsheet)."""

from __future__ import annotations

import argparse
import csv
import io
import sys
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from planner.cli_args import emit
from planner.core.errors import EXIT_ARGUMENTS
from planner.core.formatting import money, number_input, percent

if TYPE_CHECKING:
    from planner.store.store import Store


def add_export_commands(commands, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        "export",
        parents=[common],
        help="write an account's whole plan as Markdown or HTML",
        description="Write the account plan (profile, org chart, people by layer, projects, competitors, SWOT, "
        "goals, actions, visits) as Markdown (stable output, so plans can be diffed in git) or as one "
        "self-contained HTML page to open, mail or print.",
    )
    export.add_argument("account", help="account name, a unique part of it, or its id")
    export.add_argument("--format", choices=["md", "html"], default="md", help="output format (default: md)")
    export.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    listing = commands.add_parser(
        "list",
        parents=[common],
        help="print the customer list with its 80/20 figures, or write it as CSV or Excel",
        description="The customer list in 80/20 order with rank, shares, key flag, class, quadrant, owner, "
        "industry, region, revenue, last contact, red flags and staleness; filtered like the list in the app.",
    )
    listing.add_argument(
        "--format",
        choices=["table", "csv", "xlsx"],
        default="table",
        help="aligned text, CSV (UTF-8 with a BOM, for Excel) or an Excel workbook (default: table)",
    )
    listing.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    listing.add_argument(
        "--filter", default="", metavar="TEXT", help="name, industry (English or Chinese) or owner contains TEXT"
    )
    listing.add_argument(
        "--class", dest="classes", action="append", choices=["A", "B", "C"], help="this class only (repeatable)"
    )
    listing.add_argument("--key", action="store_true", help="key accounts only")
    listing.add_argument("--stale", action="store_true", help="stale accounts only (no contact within the cadence)")
    owner = listing.add_mutually_exclusive_group()
    owner.add_argument("--owner", metavar="NAME", help="accounts owned by NAME only")
    owner.add_argument("--mine", action="store_true", help="your own accounts only")


def export(args: argparse.Namespace) -> int:
    from planner.core.export import account_plan_markdown
    from planner.core.html import markdown_page
    from planner.store.startup import opened

    with opened(args.db) as store:
        account = store.find_account(args.account)
        text = account_plan_markdown(store.plan_document(account.id, date.today()))
        problems = store.data_problems(account.id)
    if args.format == "html":
        text = markdown_page(text, f"Account plan: {account.name}")
    for problem in problems:  # the plan shows these as 0 or missing: say so, beside the plan
        print(f"planner: warning: {problem.message}", file=sys.stderr)
    emit(text, args.output)
    return 0


HEADERS = ("Rank", "Name", "Share", "Cumulative", "Key", "Class", "Quadrant", "Owner", "Industry", "Region",
           "Revenue", "Last contact", "Red flags", "Stale")  # fmt: skip


class ListLine(NamedTuple):
    """One account of the list, each figure in its own type (in `HEADERS` order)."""

    rank: int
    name: str
    share: float
    cumulative: float
    key: bool
    account_class: str
    quadrant: str
    owner: str
    industry: str
    region: str
    revenue: float
    last_contact: date | None
    red_flags: int
    stale: bool


def list_lines(store: Store, args: argparse.Namespace, today: date) -> list[ListLine]:
    """The accounts the options choose, in 80/20 order, as the app's list would show them."""
    from planner.core import models as m
    from planner.core.portfolio import ListFilter, select_accounts

    wanted = ListFilter(
        text=args.filter,
        classes=frozenset(args.classes or ()),
        key_only=args.key,
        stale_only=args.stale,
        owner=store.db.user if args.mine else args.owner,
    )
    portfolio = store.portfolio(today)
    flags = {account_id: len(found) for account_id, found in store.red_flags(today).items()}
    regions = {a.id: a.region for a in store.list(m.Account)}
    return [
        ListLine(
            s.pareto.rank, s.row.name, s.pareto.share, s.pareto.cumulative, s.pareto.key, s.row.account_class,
            s.quadrant.quadrant, s.row.owner, " ".join(filter(None, (s.row.industry, s.row.industry_zh))),
            regions.get(s.row.id, ""), s.row.revenue, s.row.last_contact, flags.get(s.row.id, 0), s.cadence.stale,
        )
        for s in select_accounts(portfolio, flags, wanted)
    ]  # fmt: skip


def list_accounts(args: argparse.Namespace) -> int:
    from planner.store.startup import opened

    if args.format == "xlsx" and not args.output and sys.stdout.isatty():
        print("planner: an Excel workbook is not for the terminal; give --output FILE.xlsx", file=sys.stderr)
        return EXIT_ARGUMENTS
    with opened(args.db) as store:
        lines = list_lines(store, args, date.today())
        problems = store.data_problems()
    if problems:
        print(
            f"planner: warning: {len(problems)} stored values are in the wrong form and read as 0 or missing; "
            "`planner check` lists them",
            file=sys.stderr,
        )
    emit(WRITERS[args.format](lines), args.output, f"({len(lines)} accounts)")
    return 0


def _width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(lines: list[ListLine]) -> str:
    cells = [
        [str(line.rank), line.name, percent(line.share), percent(line.cumulative), "★" if line.key else "",
         line.account_class, line.quadrant, line.owner, line.industry, line.region, money(line.revenue),
         line.last_contact.isoformat() if line.last_contact else "never", str(line.red_flags or ""),
         "stale" if line.stale else ""]
        for line in lines
    ]  # fmt: skip
    right = {"Rank", "Share", "Cumulative", "Revenue", "Red flags"}
    widths = [max(_width(text) for text in column) for column in zip(HEADERS, *cells, strict=False)]
    out = []
    for row in [list(HEADERS), *cells]:
        padded = [
            " " * (width - _width(text)) + text if title in right else text + " " * (width - _width(text))
            for title, text, width in zip(HEADERS, row, widths, strict=True)
        ]
        out.append("  ".join(padded).rstrip() + "\n")
    return "".join(out)


def _csv(lines: list[ListLine]) -> bytes:
    """Shares as percentages and TRUE/FALSE, which Excel reads as numbers and booleans;
    the BOM tells Excel the file is UTF-8, so Chinese names open as written."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    for line in lines:
        writer.writerow(
            [line.rank, line.name, f"{line.share * 100:.2f}%", f"{line.cumulative * 100:.2f}%", _boolean(line.key),
             line.account_class, line.quadrant, line.owner, line.industry, line.region, number_input(line.revenue),
             line.last_contact.isoformat() if line.last_contact else "", line.red_flags, _boolean(line.stale)]
        )  # fmt: skip
    return text.getvalue().encode("utf-8-sig")


def _boolean(value: bool) -> str:
    return "TRUE" if value else "FALSE"


COLUMN_WIDTHS = (6, 32, 9, 11, 6, 6, 18, 12, 24, 16, 14, 13, 9, 7)
NUMBER_FORMATS = {"Share": "0.0%", "Cumulative": "0.0%", "Revenue": "#,##0", "Last contact": "yyyy-mm-dd"}


def _xlsx(lines: list[ListLine]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = "Accounts"
    sheet.append(HEADERS)
    for line in lines:
        sheet.append([None if value == "" else value for value in line])
    for index, (title, width) in enumerate(zip(HEADERS, COLUMN_WIDTHS, strict=True), start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        sheet.cell(1, index).font = Font(bold=True)
        if title in NUMBER_FORMATS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = NUMBER_FORMATS[title]
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WRITERS: dict[str, Callable[[list[ListLine]], str | bytes]] = {"table": _table, "csv": _csv, "xlsx": _xlsx}
EXPORT_COMMANDS = {"export": export, "list": list_accounts}
