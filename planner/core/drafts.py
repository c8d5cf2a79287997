"""A form's unsaved text, as the store keeps it for the rep: what to offer back."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple


class DraftNote(NamedTuple):
    """What the rep typed in one form (each field's text as typed, not yet checked)
    and when it was last kept."""

    key: str
    title: str
    fields: dict[str, Any]
    saved_at: datetime


def draft_key(table: str, record_id: str | None, context: str = "") -> str:
    """The form a draft belongs to: an existing record, or a new record of a kind in a
    context (its account, say), so the draft comes back in the same form."""
    return f"{table}:{record_id}" if record_id else f"{table}:new:{context}"
