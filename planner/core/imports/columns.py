"""Finding a field's column among the names different exports give it."""

from __future__ import annotations

from planner.core.imports.files import Sheet


def pick(sheet: Sheet, names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Field → the first of its candidate headers that `sheet` has (headers are folded)."""
    found = {}
    for name, candidates in names.items():
        column = next((c for c in candidates if c in sheet.headers), None)
        if column is not None:
            found[name] = column
    return found


def has_any(sheet: Sheet, *candidates: str) -> bool:
    return any(c in sheet.headers for c in candidates)
