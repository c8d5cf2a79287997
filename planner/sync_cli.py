"""`planner clone`, `planner sync` and `planner sync-serve`: laptop copies of a team database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.core import locations


def add_sync_commands(commands, common: argparse.ArgumentParser) -> None:
    ssh = argparse.ArgumentParser(add_help=False)
    ssh.add_argument(
        "--ssh-command",
        metavar="CMD",
        help="the SSH command to use (default: $PLANNER_SSH_COMMAND, else what clone was given, else ssh)",
    )
    clone = commands.add_parser(
        "clone",
        parents=[common, ssh],
        help="copy a team database to this laptop to work offline",
        description="Copy the team database at PATH on HOST (anything ssh accepts: an alias from ~/.ssh/config, "
        "user@host) to a new laptop database (default: planner.db in your data folder) that remembers where it "
        "came from. The server runs `planner sync-serve` as your own Unix user.",
    )
    clone.add_argument("source", metavar="[USER@]HOST:PATH", help="where the team database is")
    clone.add_argument(
        "--remote-planner",
        default="planner",
        metavar="CMD",
        help="how to run planner on the server when it is not on the PATH of SSH commands (default: planner)",
    )
    sync = commands.add_parser(
        "sync",
        parents=[common, ssh],
        help="send this laptop's changes to the team database and receive the team's",
        description="Send what this laptop changed since the last sync, receive what the team changed, merge "
        "field by field and print what happened. Same-field edits made apart are kept as conflicts to decide.",
    )
    sync.add_argument("--dry-run", action="store_true", help="show what a sync would do without writing anything")
    serve = commands.add_parser(
        "sync-serve",
        parents=[common],
        help="the team side of clone and sync (run by them over SSH)",
        description="Answer one clone or sync request on standard input and output. Run over SSH by "
        "`planner clone` and `planner sync`; not for typing.",
    )
    del serve


def clone(args: argparse.Namespace) -> int:
    from planner.store.sync import client

    local = Path(args.db or locations.default_database())
    print(f"Cloning {args.source} …", file=sys.stderr)
    made = client.clone(args.source, local, command=args.ssh_command, remote_planner=args.remote_planner)
    print(f"Cloned {made.remote} to {made.path} ({made.size / 1e6:.1f} MB). Work offline, then run `planner sync`.")
    return 0


def sync(args: argparse.Namespace) -> int:
    from planner.store.sync import client

    local = Path(args.db or locations.default_database())
    report = client.sync(local, dry_run=args.dry_run, command=args.ssh_command)
    print("\n".join(report.lines()))
    return 0


def sync_serve(args: argparse.Namespace) -> int:
    from planner.store.sync.serve import serve

    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # the protocol owns standard output: nothing else may print there
    return serve(args.db or str(locations.default_database()), sys.stdin.buffer, out)


SYNC_COMMANDS = {"clone": clone, "sync": sync, "sync-serve": sync_serve}
