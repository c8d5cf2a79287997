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
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.core import models as m
from planner.core.sync import PROTOCOL, Remote, Report, SyncError
from planner.store import schema
from planner.store.store import Store
from planner.store.sync import replica as r
from planner.store.sync import wire
from planner.store.sync.merge import check_dry_run, entries_after, merge, rolled_back_if
from planner.store.sync.transport import Channel, SshChannel, ssh_command

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
        raise SyncError(channel.failure() + " Nothing was written on this laptop.") from None
    if not reply.get("ok"):
        raise SyncError(f"{remote.host}: {reply.get('error')} Nothing was written.")
    return reply


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
        raise SyncError(f"{local} already exists; clone into a new file (--db) or sync it with `planner sync`.")
    if not local.parent.is_dir():
        raise SyncError(f"the folder {local.parent} does not exist.")
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
                raise SyncError(channel.failure() + " Nothing was written on this laptop.") from None
            if kind == b"chunk":
                digest.update(data)
                out.write(data)
                continue
            end = json.loads(data)
            if not end.get("ok") or end.get("sha256") != digest.hexdigest():
                raise SyncError(
                    f"the copy from {remote.host} arrived damaged ({end.get('error', 'checksum')}); try again."
                )
            out.flush()
            os.fsync(out.fileno())
            return


def _make_laptop_copy(part: Path, remote: Remote, command: str, remote_planner: str, user: str) -> None:
    """Give the copy a site id of its own and remember where it came from; the team's
    drafts are the team's reps' scratch pads and stay behind."""
    with closing(sqlite3.connect(part, isolation_level=None)) as connection:
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise SyncError(f"the copy from {remote.host} failed its integrity check; try again.")
        connection.execute("BEGIN IMMEDIATE")
        team_site = connection.execute("SELECT value FROM planner_meta WHERE key = 'site'").fetchone()
        upto = connection.execute("SELECT coalesce(max(seq), 0) FROM changelog").fetchone()[0]
        values = {
            r.SITE: uuid.uuid4().hex, r.KIND: r.KIND_LAPTOP, r.ORIGIN: str(remote), r.SSH: command,
            r.REMOTE_PLANNER: remote_planner, r.USER: user, r.SENT: str(upto), r.RECEIVED: str(upto),
            r.SYNCED_AT: m.utcnow().isoformat(), r.TEAM_SITE: team_site[0] if team_site else "",
        }  # fmt: skip
        connection.executemany(
            "INSERT INTO planner_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            list(values.items()),
        )
        connection.execute("DELETE FROM draft")
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode = DELETE")


def replica_of(store: Store) -> r.Replica:
    with store.db.read() as session:
        found = r.Replica.of(r.read_meta(session.connection()))
    if found is None:
        raise SyncError(
            f"{store.db.url.removeprefix('sqlite:///')} is not a laptop copy of a team database (it was never "
            "cloned); make one with `planner clone HOST:PATH`."
        )
    return found


def sync(store: Store, *, dry_run: bool = False, command: str | None = None, connect: Connect = _ssh) -> Report:
    """Send this laptop's changes, receive the team's, merge; one line of counts back."""
    laptop = replica_of(store)
    with store.db.read() as session:
        outgoing = entries_after(session.connection(), laptop.sent_upto, site=laptop.site)
    sent_upto = max([laptop.sent_upto, *(entry["seq"] for entry in outgoing)])
    request = {
        "op": "sync", "protocol": PROTOCOL, "schema": schema.HEAD, "site": laptop.site,
        "seen": laptop.received_upto, "entries": outgoing, "dry_run": dry_run,
    }  # fmt: skip
    channel = connect(laptop.remote, ssh_command(command, laptop.ssh_command), laptop.remote_planner)
    try:
        reply = _ask(channel, laptop.remote, request)
    finally:
        channel.close()
    try:
        with rolled_back_if(dry_run), store.db.write_connection() as connection:
            merging = merge(connection, reply["entries"], site=laptop.site, who=store.db.user)
            _reattribute(connection, reply.get("reattributed", []), str(reply.get("user", "")))
            r.write_meta(
                connection,
                {
                    r.SENT: str(sent_upto), r.RECEIVED: str(reply["upto"]), r.TEAM_SITE: str(reply["site"]),
                    r.SYNCED_AT: m.utcnow().isoformat(),
                },
            )  # fmt: skip
            check_dry_run(dry_run)
    except (KeyError, TypeError, ValueError) as error:
        raise SyncError(
            f"the reply from {laptop.remote.host} was not understood ({error}); nothing was written."
        ) from error
    report = Report.of(reply.get("report", {}))
    report.received = merging.counts["received"]
    report.dry_run = dry_run
    return report


def _reattribute(connection: Any, ids: list[str], user: str) -> None:
    """The team recorded these changes under the account the laptop syncs as: so does the laptop."""
    if ids and user:
        log = m.table_of(m.ChangeLog)
        for start in range(0, len(ids), 500):
            connection.execute(log.update().where(log.c.id.in_(ids[start : start + 500])).values(who=user))
