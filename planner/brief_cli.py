"""`planner brief`: the pre-visit brief of one account, to print on the morning of a visit."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from planner.cli_args import day, emit
from planner.core.i18n import _


def add_brief_command(commands, common: argparse.ArgumentParser) -> None:
    brief = commands.add_parser(
        "brief",
        parents=[common],
        help=_("print the one-page brief for a visit to an account"),
        description=_(
            "Print what to know before visiting an account, on one page: the people to meet by layer "
            "and what each values, the last commitment and every open follow-up, open actions and goals due, "
            "high-threat competitors and their counters, red flags, the procurement forecast, and the five "
            "treasures to tick before leaving."
        ),
    )
    brief.add_argument("account", help=_("account name, a unique part of it, or its id"))
    brief.add_argument("--format", choices=["md", "html"], default="md", help=_("output format (default: md)"))
    brief.add_argument("--output", "-o", metavar="FILE", help=_("write to FILE instead of standard output"))
    brief.add_argument(
        "--today", type=day, default=None, metavar="YYYY-MM-DD", help=_("the day of the visit (default: today)")
    )


def brief(args: argparse.Namespace) -> int:
    from planner.core.brief import brief_markdown, build_brief
    from planner.core.html import markdown_page
    from planner.store.startup import opened

    with opened(args.db) as store:
        account = store.find_account(args.account)
        doc = store.brief_document(account.id, args.today or date.today())
    made = build_brief(doc)
    text = brief_markdown(made)
    if args.format == "html":
        text = markdown_page(
            text, _("Visit brief: {name} — {day}").format(name=made.account.name, day=made.today.isoformat())
        )
    for problem in doc.overview.problems:  # the brief shows these as 0 or missing: say so, beside it
        print(_("planner: warning: {problem}").format(problem=problem.message), file=sys.stderr)
    emit(text, args.output)
    return 0


BRIEF_COMMANDS = {"brief": brief}
