"""Errors the core raises, each carrying a sentence a rep can act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from planner.core.i18n import _

# What the `planner` command (and the TUI) exit with, so cron and scripts can tell them apart.
EXIT_FLAGS = 1  # `planner check` found red flags; or a record asked for is not there
EXIT_ARGUMENTS = 2  # what argparse exits with for bad arguments
EXIT_UNUSABLE = 3  # the database cannot be used (missing, read-only, damaged, foreign, newer)
EXIT_BUG = 70  # EX_SOFTWARE: an internal error, reported to a file


class PlannerError(Exception):
    """Base: `str(error)` is the message shown to the rep, never a traceback."""


class DatabaseUnavailable(PlannerError):
    """The database cannot be opened: missing folder, read-only, not a database."""


class SchemaTooNew(DatabaseUnavailable):
    """The file was written by a newer planner; we refuse to touch it."""


class NotPlannerDatabase(DatabaseUnavailable):
    """The file is not SQLite, or is an SQLite database of another program."""


class DatabaseDamaged(DatabaseUnavailable):
    """The file failed SQLite's integrity check: it must be restored from a backup."""


class DatabaseBusy(PlannerError):
    """Another writer held the lock past the timeout; retrying later is safe."""


class WriteCancelled(PlannerError):
    """The rep withdrew a write while it waited for the database; nothing was written."""


class NotFound(PlannerError):
    """The record does not exist (or was deleted)."""


class InUse(PlannerError):
    """The record is still linked from others (an industry its accounts use): not deleted."""


class ValidationError(PlannerError):
    """Field-level messages: `errors` maps a field name to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in errors.items()))


@dataclass
class Conflict(PlannerError):
    """Someone saved the record after the caller read it."""

    table: str
    row_id: str
    who: str
    when: datetime
    current_version: int

    def __str__(self) -> str:
        stamp = self.when.astimezone().strftime("%Y-%m-%d %H:%M")
        if not self.who:
            return _("This record was changed by someone at {time}.").format(time=stamp)
        return _("This record was changed by {who} at {time}.").format(who=self.who, time=stamp)
