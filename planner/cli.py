"""The `planner` command: open the TUI, make the demo, check for red flags; the other
commands live beside it (`export_cli`, `brief_cli`, `import_cli`, `sync_cli`) and
register in `COMMANDS`."""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from planner import __version__
from planner.brief_cli import BRIEF_COMMANDS, add_brief_command
from planner.cli_args import HelpFormatter, day
from planner.copy_cli import COPY_COMMANDS, add_copy_command
from planner.core import locations
from planner.core.errors import (
    EXIT_ARGUMENTS,
    EXIT_BUG,
    EXIT_FLAGS,
    EXIT_UNUSABLE,
    DatabaseUnavailable,
    NotFound,
    PlannerError,
)
from planner.core.i18n import _
from planner.export_cli import EXPORT_COMMANDS, add_export_commands
from planner.import_cli import IMPORT_COMMANDS, add_import_command
from planner.sync_cli import SYNC_COMMANDS, add_sync_commands

if TYPE_CHECKING:
    from planner.store.opening import Opening
    from planner.store.store import Store


class _Parser(argparse.ArgumentParser):
    """Bad arguments end with one line saying what is wrong and where help is; help
    is wrapped by terminal columns (Chinese characters take two)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, _("{prog}: {message} (see {prog} --help)").format(prog=self.prog, message=message) + "\n")


def _parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="PATH",
        help=_("database file or URL (default: $PLANNER_DB, else planner.db in your data folder)"),
    )
    parser = _Parser(prog="planner", description=_("A key-account planner for B2B sales reps."), parents=[common])
    parser.add_argument(
        "--version",
        action="version",
        version=f"planner {__version__}",
        help=_("show program's version number and exit"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", parents=[common], help=_("open the planner (the default)"))
    demo = commands.add_parser(
        "demo",
        parents=[common],
        help=_("create a database with the demo portfolio and open it"),
        description=_("Create a database filled with the demo portfolio (default: demo.db in your data folder)."),
    )
    demo.add_argument("--no-open", action="store_true", help=_("only create the database"))
    demo.add_argument("--reset", action="store_true", help=_("delete and rebuild the demo database first"))
    check = commands.add_parser(
        "check",
        parents=[common],
        help=_("print red flags and stale accounts; exit 1 if there are any"),
        description=_("For cron: print red flags and stale accounts, exit 1 when there are any."),
    )
    check.add_argument(
        "--today",
        type=day,
        default=None,
        metavar="YYYY-MM-DD",
        help=_("check as of this day (default: today)"),
    )
    add_export_commands(commands, common)
    add_brief_command(commands, common)
    add_import_command(commands, common)
    _add_team_commands(commands, common)
    add_sync_commands(commands, common)
    add_copy_command(commands)
    return parser


def _add_team_commands(commands, common: argparse.ArgumentParser) -> None:
    init_team = commands.add_parser(
        "init-team",
        help=_("create a database a team of reps shares on one server"),
        description=_(
            "Create a team database at PATH: its folder setgid 2770 in GROUP, the file 0660, migrated "
            "and ready. Refuses an existing database, a folder open to everyone, and network filesystems. "
            "Given a postgresql:// URL instead, set up that database on the server (run it as the server's "
            "administrator): an owner role for the tables, GROUP as the reps' role, the grants (reps may "
            "only append to the change log), and a login role per --rep."
        ),
    )
    init_team.add_argument(
        "path", metavar="PATH", help=_("the new database file, e.g. /srv/planner/team.db, or postgresql:///planner")
    )
    init_team.add_argument("--group", required=True, help=_("the Unix group (or PostgreSQL role) of the reps"))
    init_team.add_argument(
        "--rep",
        action="append",
        default=[],
        metavar="LOGIN",
        help=_("PostgreSQL: make a login role for this rep in GROUP (repeat for each rep)"),
    )
    init_team.add_argument(
        "--owner", default="planner", help=_("PostgreSQL: the role that owns the tables (default: planner)")
    )
    backup = commands.add_parser(
        "backup",
        parents=[common],
        help=_("copy the database safely, even while reps are using it"),
        description=_("Copy a live database with SQLite's backup API, check the copy's integrity and print its path."),
    )
    backup.add_argument(
        "dest",
        nargs="?",
        metavar="DEST",
        help=_("file or folder for the copy (default: <db>.backup-STAMP.db beside it)"),
    )
    restore = commands.add_parser(
        "restore",
        parents=[common],
        help=_("replace the database with a backup (nobody may have it open)"),
        description=_(
            "Replace the database with BACKUP after checking it; the replaced database is kept as "
            "<db>.replaced-STAMP.db. Refuses while any planner has the database open."
        ),
    )
    restore.add_argument("backup", metavar="BACKUP", help=_("a file made by `planner backup`"))
    history = commands.add_parser(
        "history",
        parents=[common],
        help=_("show who changed an account and its records, newest first"),
        description=_(
            "Print the change log of an account and of everything that belongs to it, deleted records "
            "included, newest first."
        ),
    )
    history.add_argument("account", help=_("account name, a unique part of it, or its id"))


def _init_team(args: argparse.Namespace) -> int:
    if args.path.startswith(("postgresql:", "postgresql+", "postgres:")):
        return _init_server_team(args)
    from planner.store.startup import init_team

    made = init_team(args.path, args.group)
    print(
        _("Team database ready: {path} (group {group}). Each rep runs: planner --db {path}").format(
            path=made.path, group=made.group
        )
    )
    return 0


def _init_server_team(args: argparse.Namespace) -> int:
    from planner.store.team_server import init_server_team

    made = init_server_team(args.path, args.group, owner=args.owner, reps=tuple(args.rep))
    print(
        _("Team database ready: {database} (tables owned by {owner}, reps in {group}).").format(
            database=made.database, owner=made.owner, group=made.group
        )
    )
    if made.reps:
        print(_("Login roles in {group}: {reps}").format(group=made.group, reps=", ".join(made.reps)))
    print(
        _(
            "Let the reps in by their Unix login (peer authentication): add this line to pg_hba.conf, above the "
            "other local lines, and reload the server:"
        )
    )
    print(f"    {made.hba_line}")
    print(_("Add a rep later with: CREATE ROLE login LOGIN IN ROLE {group};").format(group=made.group))
    print(_("Each rep runs: planner --db {url}").format(url=made.url))
    return 0


def _backup(args: argparse.Namespace) -> int:
    from planner.store import backup

    print(backup.backup(backup.database_file(args.db or locations.default_database()), args.dest and Path(args.dest)))
    return 0


def _restore(args: argparse.Namespace) -> int:
    from planner.store import backup

    done = backup.restore(Path(args.backup), backup.database_file(args.db or locations.default_database()))
    if not done.replaced:
        told = _("Restored {database} from {backup}.")
    elif done.damaged:
        told = _("Restored {database} from {backup}; the damaged database is kept, as it was, as {replaced}.")
    else:
        told = _("Restored {database} from {backup}; the replaced database is kept as {replaced}.")
    print(told.format(database=done.database, backup=args.backup, replaced=done.replaced))
    return 0


def _history(args: argparse.Namespace) -> int:
    from planner.core import history
    from planner.store.startup import opened

    with opened(args.db) as store:
        account = store.find_account(args.account, deleted=True)
        lines = store.account_history(account.id)
    for line in lines:
        print(history.format_line(line))
    return 0


def _run_tui(source: Store | Opening) -> int:
    from planner.app import make_app

    app = make_app(source)
    # Everything loaded so far lives as long as the process: keep it out of the
    # collector's full passes (at 10k accounts they would double each list load).
    gc.freeze()
    app.run()
    return EXIT_BUG if app.crash_report else app.return_code or 0


def _demo(args: argparse.Namespace) -> int:
    from planner.store import seed
    from planner.store.connection import sqlite_path, to_url
    from planner.store.startup import opened

    db = args.db or locations.demo_database()
    if args.reset:
        path = sqlite_path(to_url(db))
        if path is None:
            raise DatabaseUnavailable(
                _("{db} is not a database file; demo --reset deletes only a demo database file.").format(db=db)
            )
        default = sqlite_path(to_url(locations.demo_database()))
        kept = seed.reset_demo(path, unmarked_is_demo=path == default)
        if kept:
            print(_("The old demo database is kept as {kept}.").format(kept=kept))
    with opened(db) as store:
        added = seed.demo(store, date.today())
        if args.no_open:
            told = _("Demo database created: {db}") if added else _("Demo database already there: {db}")
            print(told.format(db=db))
            return 0
        return _run_tui(store)


def _check(args: argparse.Namespace) -> int:
    from planner.store.startup import opened

    today = args.today or date.today()
    with opened(args.db) as store:
        summaries = list(store.portfolio(today))
        flags = store.red_flags(today)
        problems = store.data_problems()
    names = {s.row.id: f"{s.row.name} [{s.row.account_class}]" for s in summaries}
    stale = sorted((s for s in summaries if s.cadence.stale), key=lambda s: names[s.row.id])
    found = bool(flags or stale or problems)
    args.code_if_cut = EXIT_FLAGS if found else 0  # also if the reader stops reading (`| head -1`)
    if problems:
        print(_("Values stored in the wrong form ({count}); correct them in the planner:").format(count=len(problems)))
        for problem in problems:
            print(f"  {problem.message}")
    if flags:
        print(_("Red flags ({count} accounts):").format(count=len(flags)))
        for account_id in sorted(flags, key=lambda key: names[key]):
            for flag in flags[account_id]:
                print("  " + _("{account}: {flag}").format(account=names[account_id], flag=flag.message))
    if stale:
        print(_("Stale accounts ({count}):").format(count=len(stale)))
        for summary in stale:
            since = summary.cadence.days_since
            if since is None:
                told = _("{account}: never contacted (cadence {cadence} days)")
            else:
                told = _("{account}: no contact for {days} days (cadence {cadence} days)")
            print("  " + told.format(account=names[summary.row.id], days=since, cadence=summary.cadence.cadence_days))
    if found:
        return EXIT_FLAGS
    print(_("All clear: no red flags, no stale accounts."))
    return 0


TEAM_COMMANDS = {"init-team": _init_team, "backup": _backup, "restore": _restore, "history": _history}
COMMANDS = {
    "demo": _demo,
    "check": _check,
    **TEAM_COMMANDS,
    **SYNC_COMMANDS,
    **COPY_COMMANDS,
    **EXPORT_COMMANDS,
    **BRIEF_COMMANDS,
    **IMPORT_COMMANDS,
}
"""Each command's handler; `run` (or no command) opens the TUI."""


def _not_utf8(arguments: Sequence[str]) -> str | None:
    """The first argument (or `$PLANNER_DB`) that is not valid UTF-8, as the rep can read it."""
    for text in (*arguments, os.environ.get("PLANNER_DB", "")):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return None


def _utf8_output() -> None:
    """Print UTF-8 whatever the locale says: account names are Chinese as often as not,
    an ASCII or Latin-1 locale would end `check` on the first of them, exports must be
    the same bytes everywhere, and the TUI (drawn on stderr) would show its box lines
    and every Chinese name as `\\u2500` escapes. A locale left unset or wrong over SSH is
    far more common than a terminal that is not UTF-8. An explicit `PYTHONIOENCODING`
    is obeyed."""
    if os.environ.get("PYTHONIOENCODING"):
        return
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding != "utf8" and isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors=errors)


def _dispatch(args: argparse.Namespace) -> int:
    if args.command in COMMANDS:
        return COMMANDS[args.command](args)
    from planner.store.opening import open_for_screen

    return _run_tui(open_for_screen(args.db))


def _choose_language() -> None:
    """The locale's language, or config.toml's `language`; English if the Chinese
    catalog is missing (a source checkout that pip never built)."""
    from planner.core import config, i18n

    wanted = i18n.language_from(os.environ, config.configured_language(locations.config_file()))
    try:
        i18n.set_language(wanted)
    except i18n.CatalogMissing as error:
        print(f"planner: {error}", file=sys.stderr)
        i18n.set_language("en")


def main(argv: Sequence[str] | None = None) -> int:
    """Exit codes: 0 done, 1 red flags found (`check`) or no such account, 2 bad
    arguments, 3 the database cannot be used, 70 a bug (a crash report was written),
    130 interrupted."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    _choose_language()
    unreadable = _not_utf8(arguments)
    if unreadable is not None:
        print(
            _(
                "planner: the argument '{argument}' is not valid UTF-8; type it again with your terminal set to UTF-8."
            ).format(argument=unreadable),
            file=sys.stderr,
        )
        return EXIT_ARGUMENTS
    args = _parser().parse_args(arguments)
    args.db = getattr(args, "db", None)
    args.code_if_cut = 0
    _utf8_output()
    try:
        code = _dispatch(args)
        sys.stdout.flush()  # a reader that went away is met here, not while exiting
        return code
    except NotFound as error:
        print(f"planner: {error}", file=sys.stderr)
        return EXIT_FLAGS
    except PlannerError as error:
        print(f"planner: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:
        # The reader went away (`planner check | head -1`): stop quietly, like any
        # filter, with the code the command had come to (`check`: 1 for flags).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return args.code_if_cut
    except OSError as error:
        print(f"planner: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: the details go to a report, the rep gets one sentence
        from planner.core import crash

        print(crash.message(crash.write_report(error)), file=sys.stderr)
        return EXIT_BUG
