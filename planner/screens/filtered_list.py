"""A screen of one filter box over one record table, as the industries and the conflicts
lists are: typing filters at once, enter goes down to the table, and escape leaves the
box before it leaves the screen."""

from __future__ import annotations

from textual import on
from textual.widgets import Input

from planner.screens.base import DataT, PlannerScreen
from planner.widgets.record_table import RecordTable


class FilteredListScreen(PlannerScreen[DataT]):
    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    def _show(self, keep: str | None = None) -> None:
        """Fill the table with the rows the filter keeps (each screen its own)."""
        raise NotImplementedError

    @on(Input.Changed)
    def _typed(self) -> None:
        self._show()

    @on(Input.Submitted)
    def _filter_done(self) -> None:
        self.table.focus()

    def action_back(self) -> None:
        """Out of the filter first, then back."""
        if self.focused is self.query_one(Input):
            self.table.focus()
        else:
            self.dismiss(None)

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()
