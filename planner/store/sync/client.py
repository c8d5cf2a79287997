"""The laptop side: `planner clone` makes a laptop copy, `planner sync` exchanges changes.

A sync is one request and one reply. The laptop sends its own changes the team has
not had; the team merges them (and judges conflicts) and answers with everything the
laptop has not had; the laptop applies that and moves its marks, in one `BEGIN
IMMEDIATE` transaction. A cut anywhere leaves the laptop as it was; the team side
skips what it already has when the sync is run again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.core.i18n import _
from planner.core.sync import PROTOCOL, Remote, Report, SyncError
from planner.store import schema
from planner.store.connection import inspect_database
from planner.store.sync import light, wire
from planner.store.sync import replica as r
from planner.store.sync.link import Link
from planner.store.sync.merge import check_dry_run, merge, rolled_back_if
from planner.store.sync.transport import Channel, SshChannel, ssh_command

if TYPE_CHECKING:
    from planner.store.store import Store

Connect = Callable[[Remote, str, str], Channel]
"""Opens a channel to `sync-serve` for (remote, ssh command, remote planner)."""


def _ssh(remote: Remote, command: str, remote_planner: str) -> Channel:
    return SshChannel(remote, command, remote_planner)


def _ask(channel: Channel, remote: Remote, request: dict[str, Any]) -> dict[str, Any]:
    try:
        wire.send(channel.outgoing, request)
        channel.outgoing.close()
    except OSError:
        pass  # the far side went away: its reply (or its silence) says why
    try:
        reply = wire.receive(channel.incoming)
    except wire.Cut:
        raise SyncError(_cut(channel)) from None
    if not reply.get("ok"):
        raise SyncError(_("{host}: {error} Nothing was written.").format(host=remote.host, error=reply.get("error")))
    return reply


def _cut(channel: Channel) -> str:
    return _("{failure}. Nothing was written on this laptop.").format(failure=channel.failure().rstrip("."))


@dataclass(frozen=True)
class Cloned:
    path: Path
    remote: Remote
    size: int


def clone(
    spec: str,
    local: Path,
    *,
    command: str | None = None,
    remote_planner: str = "planner",
    connect: Connect = _ssh,
) -> Cloned:
    """Copy the team database at `spec` ([USER@]HOST:PATH) to a new file `local`."""
    remote = Remote.parse(spec)
    if local.exists() and local.stat().st_size:
        raise SyncError(
            _("{path} already exists; clone into a new file (--db) or sync it with `planner sync`.").format(path=local)
        )
    if not local.parent.is_dir():
        raise SyncError(_("the folder {folder} does not exist.").format(folder=local.parent))
    part = local.with_name(local.name + ".clone-part")
    part.unlink(missing_ok=True)
    chosen = ssh_command(command)
    channel = connect(remote, chosen, remote_planner)
    try:
        header = _ask(channel, remote, {"op": "clone", "protocol": PROTOCOL, "schema": schema.HEAD})
        _receive_file(channel, remote, part)
        _make_laptop_copy(part, remote, command or "", remote_planner, str(header.get("user", "")))
        os.replace(part, local)
    finally:
        part.unlink(missing_ok=True)
        channel.close()
    return Cloned(local, remote, local.stat().st_size)


def _receive_file(channel: Channel, remote: Remote, part: Path) -> None:
    digest = hashlib.sha256()
    descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        while True:
            try:
                kind, data = wire.read_frame(channel.incoming)
            except wire.Cut:
                raise SyncError(_cut(channel)) from None
            if kind == b"chunk":
                digest.update(data)
                out.write(data)
                continue
            end = json.loads(data)
            if not end.get("ok") or end.get("sha256") != digest.hexdigest():
                raise SyncError(
                    _("the copy from {host} arrived damaged ({reason}); try again.").format(
                        host=remote.host, reason=end.get("error", "checksum")
                    )
                )
            out.flush()
            os.fsync(out.fileno())
            return


def _make_laptop_copy(part: Path, remote: Remote, command: str, remote_planner: str, user: str) -> None:
    """Give the copy a site id of its own and remember where it came from; the team's
    drafts are the team's reps' scratch pads and stay behind."""
    with closing(sqlite3.connect(part, isolation_level=None)) as connection:
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise SyncError(_("the copy from {host} failed its integrity check; try again.").format(host=remote.host))
        connection.execute("BEGIN IMMEDIATE")
        team_site = connection.execute("SELECT value FROM planner_meta WHERE key = 'site'").fetchone()
        upto = connection.execute("SELECT coalesce(max(seq), 0) FROM changelog").fetchone()[0]
        values = {
            r.SITE: uuid.uuid4().hex, r.KIND: r.KIND_LAPTOP, r.ORIGIN: str(remote), r.SSH: command,
            r.REMOTE_PLANNER: remote_planner, r.USER: user, r.SENT: str(upto), r.RECEIVED: str(upto),
            r.SYNCED_AT: datetime.now(UTC).isoformat(), r.TEAM_SITE: team_site[0] if team_site else "",
        }  # fmt: skip
        connection.executemany(
            "INSERT INTO planner_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            list(values.items()),
        )
        connection.execute("DELETE FROM draft")
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode = WAL")  # as every later open sets it: the file stays put


def _laptop(meta: dict[str, str], path: Path) -> r.Replica:
    found = r.Replica.of(meta)
    if found is None:
        raise SyncError(
            _(
                "{path} is not a laptop copy of a team database (it was never cloned); "
                "make one with `planner clone HOST:PATH`."
            ).format(path=path)
        )
    return found


@contextmanager
def _transaction(path: Path, store: Store | None, *, write: bool) -> Iterator[Link]:
    """The laptop file's driver connection in one transaction: the open store's when
    there is one, else a connection of its own (no ORM to import for an empty sync)."""
    if store is not None:
        if write:
            with store.db.write_connection() as connection:
                yield Link(r.raw(connection))
        else:
            with store.db.read() as session:
                yield Link(r.raw(session.connection()))
        return
    with light.transaction(path, write=write) as connection:
        yield connection


def sync(
    path: Path,
    *,
    store: Store | None = None,
    dry_run: bool = False,
    command: str | None = None,
    connect: Connect = _ssh,
) -> Report:
    """Send this laptop's changes, receive the team's, merge; a `Report` back. `store`:
    the laptop database already open (the TUI's); without it the file is opened here,
    and the ORM only when there is something to merge."""
    if store is None:
        if not path.is_file():
            raise SyncError(
                _("there is no laptop copy at {path}; make one with `planner clone HOST:PATH`.").format(path=path)
            )
        if inspect_database(path, integrity=False).revision != schema.HEAD:
            return _sync_opened(path, dry_run, command, connect)
    with _transaction(path, store, write=False) as connection:
        laptop = _laptop(r.read_meta(connection), path)
        outgoing = light.entries_after(connection, laptop.sent_upto, site=laptop.site)
    sent_upto = max([laptop.sent_upto, *(entry["seq"] for entry in outgoing)])
    request = {
        "op": "sync", "protocol": PROTOCOL, "schema": schema.HEAD, "site": laptop.site,
        "seen": laptop.received_upto, "entries": outgoing, "dry_run": dry_run,
    }  # fmt: skip
    channel = connect(laptop.remote, ssh_command(command, laptop.ssh_command), laptop.remote_planner)
    try:  # the team side winds down while this side merges: the channel closes after
        reply = _ask(channel, laptop.remote, request)
        marks = {
            r.SENT: str(sent_upto), r.RECEIVED: str(int(reply["upto"])), r.TEAM_SITE: str(reply["site"]),
            r.SYNCED_AT: datetime.now(UTC).isoformat(),
        }  # fmt: skip
        received = _apply(path, store, laptop, reply, marks, dry_run)
    except (KeyError, TypeError, ValueError) as error:
        host = laptop.remote.host
        raise SyncError(
            _("the reply from {host} was not understood ({error}); nothing was written.").format(host=host, error=error)
        ) from error
    finally:
        channel.close()
    report = Report.of(reply.get("report", {}))
    report.received, report.dry_run = received, dry_run
    return report


def _sync_opened(path: Path, dry_run: bool, command: str | None, connect: Connect) -> Report:
    """A laptop file at an older schema: opened (and so upgraded) like any start first."""
    from planner.store.startup import open_store

    store = open_store(str(path))
    try:
        return sync(path, store=store, dry_run=dry_run, command=command, connect=connect)
    finally:
        store.db.close()


def _apply(
    path: Path, store: Store | None, laptop: r.Replica, reply: dict[str, Any], marks: dict[str, str], dry_run: bool
) -> int:
    """Merge what came back and move the marks, in one transaction; the entries received."""
    with rolled_back_if(dry_run), _transaction(path, store, write=True) as connection:
        merging = merge(connection, reply["entries"], site=laptop.site, who=laptop.user)
        _reattribute(connection, reply.get("reattributed", []), str(reply.get("user", "")))
        r.write_meta(connection, marks)
        check_dry_run(dry_run)
    return merging.counts["received"]


def _reattribute(connection: Link, ids: list[str], user: str) -> None:
    """The team recorded these changes under the account the laptop syncs as: so does the laptop."""
    if ids and user:
        connection.executemany("UPDATE changelog SET who = ? WHERE id = ?", [(user, entry) for entry in ids])
