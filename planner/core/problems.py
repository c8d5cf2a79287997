"""A value stored in the wrong form (written by hand, say), as the rep is told about it."""

from __future__ import annotations

from typing import Any, NamedTuple


class DataProblem(NamedTuple):
    """Row `row_id` of a table holds `raw` in a field meant for a number or a date."""

    noun: str
    label: str
    row_id: str
    field: str
    raw: Any
    expected: str  # "number", "date" or "date and time"

    @property
    def message(self) -> str:
        counts = "0" if self.expected == "number" else "missing"
        return (
            f"{self.noun} “{self.label}”: {self.field} holds {self.raw!r}, not a {self.expected} "
            f"(row {self.row_id}); it counts as {counts} until corrected."
        )
