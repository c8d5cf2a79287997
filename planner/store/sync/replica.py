"""What a laptop copy remembers about the team database it was cloned from.

Kept in `planner_meta` beside the database's own facts: where the team database is,
how to reach it, this copy's site id, and the high-water marks that decide what to
send (this copy's own changes above `sent_upto`) and what to ask for (the team's
changes above `received_upto`, in the team database's numbering). Marks, not
timestamps: laptop clocks are wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from planner.core.sync import Remote
from planner.store.sync.light import read_meta as read_meta
from planner.store.sync.light import write_meta as write_meta
from planner.store.sync.link import link

ORIGIN, SSH, REMOTE_PLANNER, USER = "sync_origin", "sync_ssh_command", "sync_remote_planner", "sync_user"
SENT, RECEIVED, SYNCED_AT, TEAM_SITE = "sync_sent_upto", "sync_received_upto", "sync_synced_at", "sync_team_site"
SITE, KIND = "site", "kind"
KIND_LAPTOP = "laptop"


def raw(connection: Any) -> Any:
    """The driver's own connection under a SQLAlchemy one (same transaction): `sqlite3`'s
    or psycopg's."""
    return connection.connection.driver_connection


@dataclass(frozen=True)
class Replica:
    """A laptop copy's link to the team database (None of it on a team database)."""

    site: str
    remote: Remote
    ssh_command: str
    remote_planner: str
    user: str
    sent_upto: int
    received_upto: int
    synced_at: datetime | None

    @classmethod
    def of(cls, meta: dict[str, str]) -> Replica | None:
        if not meta.get(ORIGIN):
            return None
        synced = meta.get(SYNCED_AT)
        return cls(
            site=meta.get(SITE, ""),
            remote=Remote.parse(meta[ORIGIN]),
            ssh_command=meta.get(SSH, ""),
            remote_planner=meta.get(REMOTE_PLANNER, "") or "planner",
            user=meta.get(USER, ""),
            sent_upto=int(meta.get(SENT) or 0),
            received_upto=int(meta.get(RECEIVED) or 0),
            synced_at=datetime.fromisoformat(synced) if synced else None,
        )


def waiting(connection: Any, replica: Replica) -> int:
    """How many of this copy's own changes the team has not had yet."""
    query = "SELECT count(*) FROM changelog WHERE seq > ? AND site = ?"
    return link(connection).execute(query, (replica.sent_upto, replica.site)).fetchone()[0]
