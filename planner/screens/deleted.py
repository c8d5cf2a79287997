"""Deleted records a rep can bring back: an account's (or, with no account, the
deleted accounts), newest first; restoring one brings back what was deleted with it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from planner.core import history
from planner.core import models as m
from planner.core.history import Deleted
from planner.screens.base import PlannerScreen
from planner.screens.confirm import Confirm
from planner.widgets.key_footer import KeyFooter
from planner.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from planner.store.store import Store


class DeletedScreen(PlannerScreen[tuple[list[Deleted], str]]):
    """Deleted records of one account (or deleted accounts, with no account), to restore."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="deleted-back", tooltip="Back to the previous screen"),
        Binding("u", "restore", "Restore", id="deleted-restore", tooltip="Restore the highlighted record (asks first)"),
        Binding("h", "history", "History", id="deleted-history", tooltip="Change log of the highlighted record"),
        Binding("r", "reload", "Reload", id="deleted-reload", tooltip="Read the deleted records again"),
    ]

    def __init__(self, account_id: str | None = None):
        super().__init__()
        self.account_id = account_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield RecordTable(("Deleted", "By", "Kind", "Record"), self._cells, id="deleted-table")
        yield Static("Loading deleted records…", id="status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(RecordTable).focus()

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    @staticmethod
    def _cells(record: Deleted) -> list[str]:
        return [history.local_time(record.deleted_at), record.who or "someone", record.noun, record.label]

    def fetch(self, store: Store) -> tuple[list[Deleted], str]:
        if self.account_id is None:
            return store.deleted_accounts(), "Deleted accounts"
        return store.deleted_records(self.account_id), f"Deleted from {store.get(m.Account, self.account_id).name}"

    def apply(self, data: tuple[list[Deleted], str], keep: Any) -> None:
        found, title = data
        self.sub_title = title
        self.table.show(found)
        self.query_one("#status", Static).update(
            f"{len(found)} deleted, newest first · u restores it and what went with it · h history"
            if found
            else "Nothing deleted: there is nothing to restore."
        )

    def action_back(self) -> None:
        self.dismiss(None)

    def action_history(self) -> None:
        record = self.table.current
        if record is not None:
            self.open("history", record.model, record.id, f"History of the {record.noun} {record.label}")

    @on(DataTable.RowSelected, "#deleted-table")
    def _chosen(self) -> None:
        self.action_restore()

    def action_restore(self) -> None:
        record = self.table.current
        if record is None:
            self.notify("Nothing to restore.")
            return
        question = f"Restore the {record.noun} “{record.label}” and what was deleted with it?"

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(
                    lambda store: store.restore(record.model, record.id),
                    success=f"Restored the {record.noun} {record.label}.",
                )

        self.app.push_screen(Confirm(question, yes="Restore"), answered)
