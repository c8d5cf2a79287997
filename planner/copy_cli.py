"""`planner copy SRC DEST`: move a team's database to PostgreSQL or back, checked."""

from __future__ import annotations

import argparse

from planner.cli_args import progress
from planner.core.i18n import _


def add_copy_command(commands) -> None:
    copy = commands.add_parser(
        "copy",
        help=_("move the database to PostgreSQL or back, every table checked"),
        description=_(
            "Copy the planner database SRC into DEST, which must be new or empty: an SQLite file to "
            "PostgreSQL, back, or between two of a kind. Every row goes as it is, in one transaction; then "
            "each table's rows and content are read back on both sides and must match. SRC is not changed "
            "and must be at this planner's schema."
        ),
    )
    copy.add_argument("source", metavar="SRC", help=_("the database to copy: a file, sqlite:///… or postgresql://…"))
    copy.add_argument("destination", metavar="DEST", help=_("a new or empty database: a file or postgresql://…"))


def copy(args: argparse.Namespace) -> int:
    from planner.store.connection import to_url
    from planner.store.copying import copy_database, shown

    source, destination = shown(to_url(args.source)), shown(to_url(args.destination))
    with progress(_("Copying {src} to {dest} …").format(src=source, dest=destination)):
        done = copy_database(args.source, args.destination)
    width = max(len(digest.table) for digest in done.digests)
    for digest in done.digests:
        print(f"{digest.table:<{width}}  {digest.rows:>9,}  {digest.sha256[:12]}")
    print(
        _("copied {rows:,} rows in {seconds:.1f} s; every table's rows and content match").format(
            rows=done.rows, seconds=done.seconds
        )
    )
    return 0


COPY_COMMANDS = {"copy": copy}
