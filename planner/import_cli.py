"""`planner import`: accounts, people and projects from a CRM export or a spreadsheet."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.cli_args import progress
from planner.core.i18n import _

READERS = ("salesforce", "hubspot", "csv", "xlsx")


def add_import_command(commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "import",
        parents=[common],
        help=_("bring in accounts, people and projects from Salesforce, HubSpot or a spreadsheet"),
        description=_(
            "Read a Salesforce data export (its folder), HubSpot's company, contact and deal CSV files, or "
            "the planner's own template (CSV files or an .xlsx workbook), and say what would be created, updated "
            "and skipped, with every problem by file and line. Nothing is written without --apply; with it, all of "
            "it is written in one transaction, or nothing. Importing a newer export again updates the same records, "
            "and a field a rep changed since is kept and reported as a conflict."
        ),
    )
    parser.add_argument("source", choices=READERS, help=_("what the files are (csv and xlsx: the planner's template)"))
    parser.add_argument("paths", nargs="+", metavar="PATH", help=_("the export's folder (salesforce) or its files"))
    parser.add_argument("--apply", action="store_true", help=_("write it (default: a dry run that writes nothing)"))


def run_import(args: argparse.Namespace) -> int:
    from planner.core.imports import hubspot, salesforce, sheet
    from planner.core.imports.files import ImportFileError
    from planner.core.imports.plan import report
    from planner.store.startup import opened

    paths = [Path(p) for p in args.paths]
    with progress(_("Reading the files …")):
        if args.source == "salesforce":
            if len(paths) != 1:
                raise ImportFileError(_("Give the one folder of the Salesforce export (with Account.csv in it)."))
            batch = salesforce.read(paths[0])
        elif args.source == "hubspot":
            batch = hubspot.read(paths)
        else:
            batch = sheet.read(paths)
    with opened(args.db) as store, progress(_("Importing …") if args.apply else _("Comparing with the planner …")):
        plan = store.apply_import(batch) if args.apply else store.plan_import(batch)
    print("\n".join(report(plan, applied=args.apply)))
    return 0


IMPORT_COMMANDS = {"import": run_import}
