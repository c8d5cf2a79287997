"""The `planner` command: open the TUI, make the demo, check for red flags."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from planner import __version__, locations
from planner.errors import PlannerError

EXIT_FLAGS = 1
EXIT_UNUSABLE = 3


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="database file or URL (default: $PLANNER_DB, else planner.db in your data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="planner", description="A key-account planner for B2B sales reps.", parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", parents=[common], help="open the planner (the default)")
    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="create a database with the demo portfolio and open it",
        description="Create a database filled with the demo portfolio (default: demo.db in your data folder).",
    )
    demo.add_argument("--no-open", action="store_true", help="only create the database")
    demo.add_argument("--reset", action="store_true", help="delete and rebuild the demo database first")
    check = commands.add_parser(
        "check",
        parents=[common],
        help="print red flags and stale accounts; exit 1 if there are any",
        description="For cron: print red flags and stale accounts, exit 1 when there are any.",
    )
    check.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="check as of this day (default: today)",
    )
    return parser


def _open(db: str | None):
    from planner.startup import open_store

    return open_store(db)


def _run_tui(store) -> int:
    from planner.app import make_app

    app = make_app(store)
    # Everything loaded so far lives as long as the process: keep it out of the
    # collector's full passes (at 10k accounts they would double each list load).
    gc.freeze()
    app.run()
    return 0


def _demo(args: argparse.Namespace) -> int:
    from planner import seed

    db = args.db or locations.demo_database()
    if args.reset and "://" not in db:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
    store = _open(db)
    added = seed.demo(store, date.today())
    if args.no_open:
        state = "created" if added else "already there"
        print(f"Demo database {state}: {db}")
        return 0
    return _run_tui(store)


def _check(args: argparse.Namespace) -> int:
    from planner import reports

    store = _open(args.db)
    today = args.today or date.today()
    summaries = reports.portfolio(store, today)
    flags = reports.red_flags(store, today)
    names = {s.row.id: f"{s.row.name} [{s.row.account_class}]" for s in summaries}
    stale = [s for s in summaries if s.cadence.stale]
    if flags:
        print(f"Red flags ({len(flags)} accounts):")
        for account_id in sorted(flags, key=lambda key: names[key]):
            for flag in flags[account_id]:
                print(f"  {names[account_id]}: {flag.message}")
    if stale:
        print(f"Stale accounts ({len(stale)}):")
        for summary in stale:
            since = summary.cadence.days_since
            gap = "never contacted" if since is None else f"no contact for {since} days"
            print(f"  {names[summary.row.id]}: {gap} (cadence {summary.cadence.cadence_days} days)")
    if flags or stale:
        return EXIT_FLAGS
    print("All clear: no red flags, no stale accounts.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.db = getattr(args, "db", None)
    try:
        if args.command == "demo":
            return _demo(args)
        if args.command == "check":
            return _check(args)
        return _run_tui(_open(args.db))
    except PlannerError as error:
        print(f"planner: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130
