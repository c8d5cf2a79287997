"""`planner clone`, `planner sync` and `planner sync-serve`: laptop copies of a team database."""

from __future__ import annotations

import argparse
import sys
from contextlib import suppress
from pathlib import Path
from typing import IO

from planner.cli_args import progress
from planner.core import locations
from planner.core.i18n import _
from planner.core.sync import Remote, SyncError


def add_sync_commands(commands, common: argparse.ArgumentParser) -> None:
    ssh = argparse.ArgumentParser(add_help=False)
    ssh.add_argument(
        "--ssh-command",
        metavar="CMD",
        help=_("the SSH command to use (default: $PLANNER_SSH_COMMAND, else what clone was given, else ssh)"),
    )
    clone = commands.add_parser(
        "clone",
        parents=[common, ssh],
        help=_("copy a team database to this laptop to work offline"),
        description=_(
            "Copy the team database at PATH on HOST (anything ssh accepts: an alias from ~/.ssh/config, "
            "user@host) to a new laptop database (default: planner.db in your data folder) that remembers where it "
            "came from. The server runs `planner sync-serve` as your own Unix user."
        ),
    )
    clone.add_argument("source", metavar="[USER@]HOST:PATH", help=_("where the team database is"))
    clone.add_argument(
        "--remote-planner",
        default="planner",
        metavar="CMD",
        help=_("how to run planner on the server when it is not on the PATH of SSH commands (default: planner)"),
    )
    sync = commands.add_parser(
        "sync",
        parents=[common, ssh],
        help=_("send this laptop's changes to the team database and receive the team's"),
        description=_(
            "Send what this laptop changed since the last sync, receive what the team changed, merge "
            "field by field and print what happened. Same-field edits made apart are kept as conflicts to decide."
        ),
    )
    sync.add_argument("--dry-run", action="store_true", help=_("show what a sync would do without writing anything"))
    serve = commands.add_parser(
        "sync-serve",
        parents=[common],
        help=_("the team side of clone and sync (run by them over SSH)"),
        description=_(
            "Answer one clone or sync request on standard input and output. Run over SSH by "
            "`planner clone` and `planner sync`; not for typing."
        ),
    )
    del serve


def clone(args: argparse.Namespace) -> int:
    from planner.store.sync import client

    source = Remote.parse(args.source)  # a malformed HOST:PATH is told before anything else
    local = _laptop_file(args.db, "clone")
    with progress(_("Cloning {source} …").format(source=source)):
        made = client.clone(args.source, local, command=args.ssh_command, remote_planner=args.remote_planner)
    print(
        _("Cloned {remote} to {path} ({size:.1f} MB). Work offline, then run `planner sync`.").format(
            remote=made.remote, path=made.path, size=made.size / 1e6
        )
    )
    return 0


def sync(args: argparse.Namespace) -> int:
    from planner.store.sync import client

    local = _laptop_file(args.db, "sync")
    with progress(_("Syncing with the team database …")):
        report = client.sync(local, dry_run=args.dry_run, command=args.ssh_command)
    print("\n".join(report.lines()))
    return 0


def _laptop_file(db: str | None, command: str) -> Path:
    """The laptop copy's file: clone and sync work on an SQLite file, not on a server database."""
    from planner.store.connection import sqlite_path, to_url

    path = sqlite_path(to_url(db or locations.default_database()))
    if path is None:
        raise SyncError(
            _("`planner {command}` needs a database file for --db, not {db}.").format(command=command, db=db)
        )
    return path


def sync_serve(args: argparse.Namespace) -> int:
    from planner.store.sync.serve import serve

    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # the protocol owns standard output: nothing else may print there
    try:
        return serve(args.db or str(locations.default_database()), sys.stdin.buffer, out)
    except OSError as error:
        # `serve` answers a PlannerError or an SQLite error; a file the team side may not
        # open (a PermissionError from reading its header) is neither. Answered, the rep's
        # laptop says why in its own words instead of "the team side stopped".
        _answer_failure(out, error)
        return 1


def _answer_failure(out: IO[bytes], error: OSError) -> None:
    from planner.store.sync import wire

    what = error.filename or _("the team database")
    if isinstance(error, PermissionError):
        why = _("{file} cannot be read: you have no permission to open it.").format(file=what)
    else:
        why = _("{file} cannot be used: {reason}.").format(file=what, reason=error.strerror or error)
    with suppress(OSError):  # the laptop went away: nobody to tell
        wire.send(out, {"ok": False, "error": why})


SYNC_COMMANDS = {"clone": clone, "sync": sync, "sync-serve": sync_serve}
