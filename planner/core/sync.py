"""Laptop sync, the parts with no I/O: where the team database is, what a sync did,
and the rule by which copies agree on a field's last writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.core.errors import PlannerError
from planner.core.i18n import _

PROTOCOL = 1
POSITION_ONLY = frozenset({"position"})
"""Fields that only order rows (the board's cards): they converge by the rule, with no conflict."""

TOMBSTONE = "deleted_at"
"""The pseudo-field a delete or restore writes; merged by the same rule as any field."""


class SyncError(PlannerError):
    """A sync or clone could not go on; nothing was written (the message says why)."""


@dataclass(frozen=True)
class Remote:
    """`[USER@]HOST:PATH`, as git and scp write it."""

    host: str
    path: str

    @classmethod
    def parse(cls, text: str) -> Remote:
        host, colon, path = text.partition(":")
        if not colon or not host or not path or "/" in host:
            raise SyncError(
                _("'{text}' is not HOST:PATH (for example rep@team-server:/srv/planner/team.db).").format(text=text)
            )
        return cls(host, path)

    def __str__(self) -> str:
        return f"{self.host}:{self.path}"


def order_key(hlc: int, site: str) -> tuple[int, str]:
    """Which of two changes to one field wins: the later clock, then the larger site id.
    Every copy applies the same rule, so all end with the same value."""
    return (hlc, site)


@dataclass
class Report:
    """What one sync exchanged, for the line `planner sync` prints."""

    sent: int = 0
    received: int = 0
    merged: int = 0
    conflicts: int = 0
    duplicates: int = 0
    reattributed: int = 0
    user: str = ""
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report's lines in the interface's language (the notes as they were made)."""
        figures = {
            "sent": self.sent,
            "received": self.received,
            "merged": self.merged,
            "conflicts": self.conflicts,
            "duplicates": self.duplicates,
        }
        if self.dry_run:
            head = (
                _(
                    "Dry run (nothing written): would send {sent}, received {received}, merged {merged}, "
                    "conflicts {conflicts}, possible duplicates {duplicates}"
                )
                if self.duplicates
                else _(
                    "Dry run (nothing written): would send {sent}, received {received}, merged {merged}, "
                    "conflicts {conflicts}"
                )
            )
        elif self.duplicates:
            head = _(
                "Synced: sent {sent}, received {received}, merged {merged}, conflicts {conflicts}, "
                "possible duplicates {duplicates}"
            )
        else:
            head = _("Synced: sent {sent}, received {received}, merged {merged}, conflicts {conflicts}")
        lines = [head.format(**figures)]
        if self.reattributed:
            lines.append(
                _(
                    "{count} change(s) made on this laptop under another name were recorded as {user}'s,"
                    " the account you sync as."
                ).format(count=self.reattributed, user=self.user)
            )
        if self.conflicts or self.duplicates:
            lines.append(_("Open the Conflicts screen (F in the planner) to decide what to keep."))
        return lines + self.notes

    @classmethod
    def of(cls, counts: dict[str, Any]) -> Report:
        known = {name for name in cls.__dataclass_fields__ if name != "notes"}
        return cls(**{name: value for name, value in counts.items() if name in known})
