"""A short list of records (an account's projects, purchases, visits) as a table.

These lists hold tens of rows, so Textual's DataTable is the right tool; this keeps
the records beside their rows so the screen can ask which one is highlighted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from planner.core.i18n import _


def cell(text: str, width: int) -> Text:
    """A table cell cut to `width` terminal cells (a Chinese character takes two) with an
    ellipsis; plain text, never markup."""
    shown = Text(text.replace("\n", " "), no_wrap=True, end="")
    shown.truncate(width, overflow="ellipsis")
    return shown


class RecordTable(DataTable):
    """`columns` are the heads as written (marked with `N_`): shown in the interface's
    language; DataTable sizes them, and the cells, in terminal cells."""

    def __init__(self, columns: Sequence[str], cells: Callable[[Any], Sequence[Any]], *, id: str | None = None):
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._titles = columns
        self._cells = cells
        self.records: list[Any] = []

    def on_mount(self) -> None:
        self.add_columns(*(_(title) for title in self._titles))

    def _update_dimensions(self, new_rows: Any) -> None:
        """Textual widens the columns for new rows when idle, but clears its render caches
        only for rows of automatic height: a header drawn before then would keep its old,
        narrower cells over the wider rows. Drop the caches whenever the widths move."""
        super()._update_dimensions(new_rows)
        self._clear_caches()
        self.refresh()

    def show(self, records: Sequence[Any], keep: str | None = None) -> None:
        """Replace the rows, keeping the cursor on the record with id `keep`."""
        keep = keep or (self.current.id if self.current else None)
        self.records = list(records)
        self.clear()
        for record in self.records:
            self.add_row(*self._cells(record), key=record.id)
        ids = [record.id for record in self.records]
        if keep in ids:
            self.move_cursor(row=ids.index(keep))

    @property
    def current(self) -> Any | None:
        if not self.records or self.cursor_row >= len(self.records):
            return None
        return self.records[self.cursor_row]
