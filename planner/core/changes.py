"""The change log's entry format, shared by every writer of it (the ORM's flush, the
bulk path and the sync merge), with no ORM in it: values as JSON, stable bytes."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

STAMPS = frozenset({"id", "created_at", "updated_at", "updated_by", "version", "deleted_at", "deleted_with"})
"""Columns every table has that the log does not record as changes."""

DERIVED = frozenset({"search_key"})
"""Columns every writer works out from the row's other fields (the pinyin search keys),
never logged: so they never show in history, never travel between copies (each copy
derives them from the name it merges) and never make a sync conflict of their own."""


def plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value  # datetimes are dates too


# Stable JSON (sorted keys, real Unicode) so the log diffs cleanly; one encoder for
# every entry rather than json.dumps building one per call (a 100k-row import logs
# 100k entries).
encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode


def insert_changes(values: dict[str, Any]) -> dict[str, Any]:
    """An insert's log entry: every field that has a value, as [None, value]."""
    return {
        name: [None, plain(value)]
        for name, value in values.items()
        if name not in STAMPS and name not in DERIVED and value is not None and value != ""
    }
