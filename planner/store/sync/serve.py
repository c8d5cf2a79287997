"""The team side of a sync: `planner sync-serve --db PATH|URL` on the SSH connection's
stdin and stdout, as the rep's own Unix user (file permissions decide who may sync; on
PostgreSQL the rep's own role, by peer authentication, and its grants).

One request, one reply: a clone streams a consistent snapshot of the database (an
SQLite file, built from a PostgreSQL one by `snapshot`); a sync merges the laptop's
changes in one write transaction, then answers with every change the laptop has not
had. A request cut short is ignored whole. Nothing here imports Textual.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from planner.core.errors import PlannerError
from planner.core.i18n import _
from planner.core.identity import current_user
from planner.core.sync import PROTOCOL, Report
from planner.store import schema
from planner.store.connection import inspect_database, sqlite_path, to_url, translate
from planner.store.sync import light, wire
from planner.store.sync.link import Link, driver_errors
from planner.store.sync.merge import check_dry_run, merge, rolled_back_if
from planner.store.sync.replica import raw

if TYPE_CHECKING:
    from planner.store.store import Store

CHUNK = 1 << 20


def _refusal(request: dict[str, Any]) -> str | None:
    if request.get("protocol") != PROTOCOL:
        return _(
            "this laptop's planner speaks sync protocol {theirs}, the team's {ours}: "
            "install the same planner version on both."
        ).format(theirs=request.get("protocol"), ours=PROTOCOL)
    theirs, ours = str(request.get("schema")), schema.HEAD
    if theirs != ours:
        if theirs.isdigit() and int(theirs) > int(ours):
            told = _(
                "this laptop's planner writes schema {theirs}, the team server's schema {ours}: "
                "upgrade planner on the team server so both are at the same version."
            )
        else:
            told = _(
                "this laptop's planner writes schema {theirs}, the team server's schema {ours}: "
                "upgrade planner on this laptop so both are at the same version."
            )
        return told.format(theirs=theirs, ours=ours)
    return None


def serve(db: str, incoming: IO[bytes], outgoing: IO[bytes]) -> int:
    """Answer one request; returns the exit code."""
    try:
        request = wire.receive(incoming)
    except wire.Cut:
        return 1  # the laptop went away mid-request: nothing was written
    try:
        refusal = _refusal(request)
        if refusal:
            raise PlannerError(refusal)
        if request.get("op") == "clone":
            _clone(db, outgoing)
        elif request.get("op") == "sync":
            wire.send(outgoing, _sync(db, request))
        else:
            raise PlannerError(_("unknown request {op!r}").format(op=request.get("op")))
    except PlannerError as error:
        wire.send(outgoing, {"ok": False, "error": str(error)})
        return 1
    except driver_errors() as error:
        wire.send(outgoing, {"ok": False, "error": str(translate(error))})
        return 1
    return 0


@dataclass(frozen=True)
class Peer:
    """The laptop the team database is merging from: its site, the newest of the team's
    entries it had received (`seen`), and who the team records its changes under
    (`user`, `recorded_as`)."""

    site: str
    seen: int
    user: str


def _team_file(db: str) -> Path | None:
    """The team database's file (None for a server database); it must exist: a sync
    never creates a team database where a mistyped path points."""
    path = sqlite_path(to_url(db))
    if path is not None and not path.is_file():
        raise PlannerError(_("there is no team database at {path}.").format(path=path))
    return path


def _open(db: str) -> Store:
    from planner.store.startup import open_store

    return open_store(db)


_ROLE = (
    "SELECT current_user, pg_has_role(current_user, c.relowner, 'MEMBER') FROM pg_class c "
    "WHERE c.oid = 'changelog'::regclass"
)


def recorded_as(store: Store | None) -> str:
    """Who the team database records a laptop's changes under: the Unix user who
    connected. On PostgreSQL a role that does not own the tables (a rep's own, by peer
    authentication) is stamped by the database itself on every write, so that role."""
    if store is None or store.db.is_sqlite:
        return current_user()
    with store.db.read() as session:
        role, owner = Link(raw(session.connection())).execute(_ROLE).fetchone()
    return current_user() if owner else str(role)


class _Team:
    """The team database's transactions. A file is read and written with the `sqlite3`
    driver alone (`light`), the ORM imported only to upgrade an older schema; a server
    database through the planner's engine, opened as any client opens it, whose write
    transactions hold the planner's write lock and whose reads are one snapshot."""

    def __init__(self, db: str):
        self.path = _team_file(db)
        self.store: Store | None = None
        if self.path is None:
            self.store = _open(db)
        elif inspect_database(self.path, integrity=False).revision != schema.HEAD:
            _open(db).db.close()  # an older schema is upgraded (after a backup) as any open does

    @cached_property
    def user(self) -> str:
        return recorded_as(self.store)

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Link]:
        if self.store is None:
            assert self.path is not None
            with light.transaction(self.path, write=write) as connection:
                yield connection
        elif write:
            with self.store.db.write_connection() as connection:
                yield Link(raw(connection))
        else:
            with self.store.db.read() as session:
                yield Link(raw(session.connection()))

    def close(self) -> None:
        if self.store is not None:
            self.store.db.close()


@contextmanager
def _team(db: str) -> Iterator[_Team]:
    team = _Team(db)
    try:
        yield team
    finally:
        team.close()


def _sync(db: str, request: dict[str, Any]) -> dict[str, Any]:
    with _team(db) as team:
        peer = Peer(site=str(request["site"]), seen=int(request["seen"]), user=team.user)
        if not request["entries"]:
            with team.transaction(write=False) as connection:
                return _reply(connection, peer, request, Counter(), [])
        dry_run = bool(request.get("dry_run"))
        with rolled_back_if(dry_run), team.transaction(write=True) as connection:
            site = _check_sites(light.read_meta(connection), peer)
            merging = merge(connection, request["entries"], site=site, who=peer.user, peer=peer)
            check_dry_run(dry_run)
        with team.transaction(write=False) as connection:
            return _reply(connection, peer, request, merging.counts, merging.reattributed)


def _check_sites(meta: dict[str, str], peer: Peer) -> str:
    site = meta.get("site", "")
    if peer.site == site:
        raise PlannerError(_("the laptop and the team database have the same site id; clone the laptop copy again."))
    return site


def _reply(
    connection: Link, peer: Peer, request: dict[str, Any], counts: Counter, reattributed: list[str]
) -> dict[str, Any]:
    """Everything the laptop has not had, read in one snapshot with its newest number."""
    site = _check_sites(light.read_meta(connection), peer)
    entries = light.entries_after(connection, peer.seen, not_site=peer.site)
    report = Report(
        sent=len(request["entries"]), received=len(entries), merged=counts["merged"] + counts["created"],
        conflicts=counts["conflicts"], duplicates=counts["duplicates"], reattributed=len(reattributed),
        user=peer.user, dry_run=bool(request.get("dry_run")),
    )  # fmt: skip
    return {
        "ok": True, "site": site, "user": peer.user, "upto": light.newest_seq(connection), "entries": entries,
        "reattributed": reattributed, "report": report.__dict__,
    }  # fmt: skip


def _clone(db: str, outgoing: IO[bytes]) -> None:
    """A snapshot as an SQLite file (SQLite's backup API for a team file, a copy table by
    table for a server database), streamed in compressed chunks and checked by the
    laptop against the digest at the end."""
    path = _team_file(db)
    store = _open(db)  # the same start-up checks (and migrations) as any open
    handle, name = tempfile.mkstemp(prefix="planner-clone-", suffix=".db")
    os.close(handle)
    snapshot = Path(name)
    try:
        user = recorded_as(store)
        if path is None:
            from planner.store.sync.snapshot import sqlite_copy

            sqlite_copy(store, snapshot)
        else:
            store.db.close()
            with sqlite3.connect(path, timeout=30) as source, sqlite3.connect(snapshot) as target:
                source.backup(target)
        target_size = snapshot.stat().st_size
        wire.send(outgoing, {"ok": True, "op": "clone", "size": target_size, "schema": schema.HEAD, "user": user})
        digest = hashlib.sha256()
        with snapshot.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                wire.write_frame(outgoing, b"chunk", chunk)
        wire.send(outgoing, {"ok": True, "sha256": digest.hexdigest()})
    finally:
        store.db.close()
        snapshot.unlink(missing_ok=True)
