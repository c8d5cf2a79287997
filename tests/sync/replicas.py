"""A team database (an SQLite file or a PostgreSQL database, named by its `--db` value)
and laptop copies in tmp_path, synced through `sync-serve` run in a thread over OS pipes
(the SSH-free transport), with optional cuts at a byte."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import IO

import sqlalchemy as sa

from planner.core import models as m
from planner.core.sync import Remote
from planner.store.startup import open_store
from planner.store.store import Store
from planner.store.sync import client
from planner.store.sync.serve import serve

CONTENT_SKIPS = {"version", "updated_at", "updated_by"}


class _Cut(Exception):
    """The transport dropped here."""


class _Limited:
    """A stream that carries only the first `limit` bytes, then ends (reading) or breaks (writing)."""

    def __init__(self, stream: IO[bytes], limit: int | None):
        self.stream, self.left = stream, limit

    def readline(self, size: int = -1) -> bytes:
        return self._take(self.stream.readline(size))

    def read(self, size: int = -1) -> bytes:
        return self._take(self.stream.read(size if self.left is None or size < 0 else min(size, self.left)))

    def _take(self, data: bytes) -> bytes:
        if self.left is None:
            return data
        data = data[: self.left]
        self.left -= len(data)
        return data

    def write(self, data: bytes) -> int:
        if self.left is not None and len(data) > self.left:
            self.stream.write(data[: self.left])
            self.left = 0
            raise _Cut
        if self.left is not None:
            self.left -= len(data)
        return self.stream.write(data)

    def flush(self) -> None:
        self.stream.flush()


class PipeChannel:
    """`sync-serve` on `team_db` in a thread; `cut_request`/`cut_reply`: bytes that get through."""

    def __init__(self, team_db: Path | str, cut_request: int | None = None, cut_reply: int | None = None):
        to_team, from_laptop = os.pipe()
        from_team, to_laptop = os.pipe()
        self.outgoing = os.fdopen(from_laptop, "wb")
        self.incoming = os.fdopen(from_team, "rb")
        team_in, team_out = os.fdopen(to_team, "rb"), os.fdopen(to_laptop, "wb")

        def run() -> None:
            try:
                serve(str(team_db), _Limited(team_in, cut_request), _Limited(team_out, cut_reply))  # type: ignore[arg-type]
            except (_Cut, BrokenPipeError):
                pass
            finally:
                team_out.close()
                team_in.close()

        self.thread = threading.Thread(target=run)
        self.thread.start()

    def failure(self) -> str:
        self.thread.join()
        return "the connection dropped."

    def close(self) -> None:
        self.outgoing.close()
        self.thread.join()
        self.incoming.close()


def connect_to(team_db: Path | str, **cuts: int | None):
    def connect(_remote: Remote, _command: str, _planner: str) -> PipeChannel:
        return PipeChannel(team_db, **cuts)

    return connect


def make_laptop(team_db: Path | str, path: Path, user: str | None = None) -> Store:
    client.clone(f"team:{team_db}", path, connect=connect_to(team_db))
    return open_store(str(path), user=user)


def sync(laptop: Store, team_db: Path | str, **options):
    cuts = {k: options.pop(k) for k in ("cut_request", "cut_reply") if k in options}
    path = Path(laptop.db.url.removeprefix("sqlite:///"))
    return client.sync(path, store=laptop, connect=connect_to(team_db, **cuts), **options)


def content(store: Store) -> str:
    """A hash of every live row of every synced table, stamps that count steps left out."""
    digest = hashlib.sha256()
    with store.db.read() as session:
        connection = session.connection()
        for model in m.SYNCED:
            table = m.table_of(model)
            names = [c.name for c in table.columns if c.name not in CONTENT_SKIPS]
            query = sa.select(*(table.c[n] for n in names)).where(table.c.deleted_at.is_(None)).order_by(table.c.id)
            for row in connection.execute(query):
                digest.update(repr((model.__name__, tuple(row))).encode())
    return digest.hexdigest()


def open_conflicts(store: Store) -> list[m.SyncConflict]:
    return [c for c in store.list(m.SyncConflict) if not c.resolved_at]
