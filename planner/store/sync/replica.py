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

import sqlalchemy as sa

from planner.core import models as m
from planner.core.sync import Remote

ORIGIN, SSH, REMOTE_PLANNER, USER = "sync_origin", "sync_ssh_command", "sync_remote_planner", "sync_user"
SENT, RECEIVED, SYNCED_AT, TEAM_SITE = "sync_sent_upto", "sync_received_upto", "sync_synced_at", "sync_team_site"
SITE, KIND = "site", "kind"
KIND_LAPTOP = "laptop"

_meta = m.table_of(m.Meta)


def read_meta(connection: sa.Connection) -> dict[str, str]:
    return {key: value for key, value in connection.execute(sa.select(_meta.c.key, _meta.c.value))}


def write_meta(connection: sa.Connection, values: dict[str, str]) -> None:
    for key, value in values.items():
        updated = connection.execute(_meta.update().where(_meta.c.key == key).values(value=value))
        if not updated.rowcount:
            connection.execute(_meta.insert().values(key=key, value=value))


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


def waiting(connection: sa.Connection, replica: Replica) -> int:
    """How many of this copy's own changes the team has not had yet."""
    log = m.table_of(m.ChangeLog)
    query = sa.select(sa.func.count()).where(log.c.seq > replica.sent_upto, log.c.site == replica.site)
    return connection.execute(query).scalar_one()
