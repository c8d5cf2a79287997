"""A value stored in the wrong form (written by hand, say), as the rep is told about it."""

from __future__ import annotations

from typing import Any, NamedTuple

from planner.core.i18n import N_, _

MESSAGES = {
    "number": N_("{noun} “{label}”: {field} holds {raw}, not a number (row {row}); it counts as 0 until corrected."),
    "date": N_("{noun} “{label}”: {field} holds {raw}, not a date (row {row}); it counts as missing until corrected."),
    "date and time": N_(
        "{noun} “{label}”: {field} holds {raw}, not a date and time (row {row}); it counts as missing until corrected."
    ),
    "yes or no": N_(
        "{noun} “{label}”: {field} holds {raw}, not a yes or no (row {row}); it counts as missing until corrected."
    ),
}
"""The whole message for each kind of value expected (the sentence differs by kind)."""


class DataProblem(NamedTuple):
    """Row `row_id` of a table holds `raw` in a field meant for a number or a date."""

    noun: str
    label: str
    row_id: str
    field: str
    raw: Any
    expected: str  # "number", "date", "date and time" or "yes or no"

    @property
    def message(self) -> str:
        """The message in the interface's language (the noun, as `history.NOUNS` marks
        it, translated too)."""
        values = {
            "noun": _(self.noun),
            "label": self.label,
            "field": self.field,
            "raw": repr(self.raw),
            "row": self.row_id,
        }
        if self.expected in MESSAGES:
            return _(MESSAGES[self.expected]).format(**values)
        counts = "0" if self.expected == "number" else "missing"
        return (
            f"{self.noun} “{self.label}”: {self.field} holds {self.raw!r}, not a {self.expected} "
            f"(row {self.row_id}); it counts as {counts} until corrected."
        )
