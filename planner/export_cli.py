"""`planner export` and `planner list`: an account's plan and the customer list, for
people who do not run the planner (a printed plan, a manager's spreadsheet)."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from planner.cli_args import cell_width as _width
from planner.cli_args import emit
from planner.core.analysis import CUT_INPUT, FOCUS_GROW, FOCUS_INVEST, MAINTAIN
from planner.core.errors import EXIT_ARGUMENTS
from planner.core.formatting import industry_label, money, number_input, percent
from planner.core.i18n import N_, _

if TYPE_CHECKING:
    from planner.store.store import Store


def add_export_commands(commands, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        "export",
        parents=[common],
        help=_("write an account's whole plan as Markdown or HTML"),
        description=_(
            "Write the account plan (profile, org chart, people by layer, projects, competitors, SWOT, "
            "goals, actions, visits) as Markdown (stable output, so plans can be diffed in git) or as one "
            "self-contained HTML page to open, mail or print."
        ),
    )
    export.add_argument("account", help=_("account name, a unique part of it, or its id"))
    export.add_argument("--format", choices=["md", "html"], default="md", help=_("output format (default: md)"))
    export.add_argument("--output", "-o", metavar="FILE", help=_("write to FILE instead of standard output"))
    listing = commands.add_parser(
        "list",
        parents=[common],
        help=_("print the customer list with its 80/20 figures, or write it as CSV or Excel"),
        description=_(
            "The customer list in 80/20 order with rank, shares, key flag, class, quadrant, owner, "
            "industry, region, revenue, last contact, red flags and staleness; filtered like the list in the app."
        ),
    )
    listing.add_argument(
        "--format",
        choices=["table", "csv", "xlsx"],
        default="table",
        help=_("aligned text, CSV (UTF-8 with a BOM, for Excel) or an Excel workbook (default: table)"),
    )
    listing.add_argument("--output", "-o", metavar="FILE", help=_("write to FILE instead of standard output"))
    listing.add_argument(
        "--filter", default="", metavar="TEXT", help=_("name, industry (English or Chinese) or owner contains TEXT")
    )
    listing.add_argument(
        "--class", dest="classes", action="append", choices=["A", "B", "C"], help=_("this class only (repeatable)")
    )
    listing.add_argument("--key", action="store_true", help=_("key accounts only"))
    listing.add_argument("--stale", action="store_true", help=_("stale accounts only (no contact within the cadence)"))
    owner = listing.add_mutually_exclusive_group()
    owner.add_argument("--owner", metavar="NAME", help=_("accounts owned by NAME only"))
    owner.add_argument("--mine", action="store_true", help=_("your own accounts only"))


def export(args: argparse.Namespace) -> int:
    from planner.core.export import account_plan_markdown
    from planner.core.html import markdown_page
    from planner.store.startup import opened

    with opened(args.db) as store:
        account = store.find_account(args.account)
        text = account_plan_markdown(store.plan_document(account.id, date.today()))
        problems = store.data_problems(account.id)
    if args.format == "html":
        text = markdown_page(text, _("Account plan: {name}").format(name=account.name))
    for problem in problems:  # the plan shows these as 0 or missing: say so, beside the plan
        print(_("planner: warning: {problem}").format(problem=problem.message), file=sys.stderr)
    emit(text, args.output)
    return 0


HEADERS = (N_("Rank"), N_("Name"), N_("Share"), N_("Cumulative"), N_("Key"), N_("Class"), N_("Quadrant"),
           N_("Owner"), N_("Industry"), N_("Region"), N_("Revenue"), N_("Last contact"), N_("Red flags"),
           N_("Stale"))  # fmt: skip
"""The list's column heads in English; every format writes them in the rep's language."""
QUADRANTS = {
    FOCUS_INVEST: N_("Focus in: invest"),
    FOCUS_GROW: N_("Focus in: grow"),
    CUT_INPUT: N_("Review: cut input"),
    MAINTAIN: N_("Maintain: basic service"),
}
"""An account's input-output quadrant (a code) as the list writes it."""


def _headings() -> list[str]:
    return [_(title) for title in HEADERS]


def _quadrant(code: str) -> str:
    return _(QUADRANTS[code]) if code in QUADRANTS else code


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
            s.quadrant.quadrant, s.row.owner, industry_label(s.row.industry, s.row.industry_zh),
            regions.get(s.row.id, ""), s.row.revenue, s.row.last_contact, flags.get(s.row.id, 0), s.cadence.stale,
        )
        for s in select_accounts(portfolio, flags, wanted)
    ]  # fmt: skip


def list_accounts(args: argparse.Namespace) -> int:
    from planner.store.startup import opened

    if args.format == "xlsx" and not args.output and sys.stdout.isatty():
        print(_("planner: an Excel workbook is not for the terminal; give --output FILE.xlsx"), file=sys.stderr)
        return EXIT_ARGUMENTS
    with opened(args.db) as store:
        lines = list_lines(store, args, date.today())
        problems = store.data_problems()
    if problems:
        print(
            _(
                "planner: warning: {count} stored values are in the wrong form and read as 0 or missing; "
                "`planner check` lists them"
            ).format(count=len(problems)),
            file=sys.stderr,
        )
    emit(WRITERS[args.format](lines), args.output, _("({count} accounts)").format(count=len(lines)))
    return 0


def _table(lines: list[ListLine]) -> str:
    cells = [
        [str(line.rank), line.name, percent(line.share), percent(line.cumulative), "★" if line.key else "",
         line.account_class, _quadrant(line.quadrant), line.owner, line.industry, line.region,
         money(line.revenue), line.last_contact.isoformat() if line.last_contact else _("never"),
         str(line.red_flags or ""), _("stale") if line.stale else ""]
        for line in lines
    ]  # fmt: skip
    right = {"Rank", "Share", "Cumulative", "Revenue", "Red flags"}
    headings = _headings()
    widths = [max(_width(text) for text in column) for column in zip(headings, *cells, strict=False)]
    out = []
    for row in [headings, *cells]:
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
    writer.writerow(_headings())
    for line in lines:
        writer.writerow(
            [line.rank, line.name, f"{line.share * 100:.2f}%", f"{line.cumulative * 100:.2f}%", _boolean(line.key),
             line.account_class, _quadrant(line.quadrant), line.owner, line.industry, line.region,
             number_input(line.revenue),
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
    sheet.title = _("Customer list")
    sheet.append(_headings())
    for line in lines:
        values = line._replace(quadrant=_quadrant(line.quadrant))
        sheet.append([None if value == "" else value for value in values])
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
