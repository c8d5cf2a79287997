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
from planner.core.i18n import N_, _
from planner.screens.base import PlannerScreen
from planner.screens.confirm import Confirm
from planner.widgets.key_footer import KeyFooter
from planner.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from planner.store.store import Store


class DeletedScreen(PlannerScreen[tuple[list[Deleted], str]]):
    """Deleted records of one account (or deleted accounts, with no account), to restore."""

    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="deleted-back", tooltip=N_("Back to the previous screen")),
        Binding(
            "u",
            "restore",
            N_("Restore"),
            id="deleted-restore",
            tooltip=N_("Restore the highlighted record (asks first)"),
        ),
        Binding(
            "h", "history", N_("History"), id="deleted-history", tooltip=N_("Change log of the highlighted record")
        ),
        Binding("r", "reload", N_("Reload"), id="deleted-reload", tooltip=N_("Read the deleted records again")),
    ]

    def __init__(self, account_id: str | None = None):
        super().__init__()
        self.account_id = account_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield RecordTable((_("Deleted"), _("Deleted by"), _("Kind"), _("Record")), self._cells, id="deleted-table")
        yield Static(_("Loading deleted records…"), id="status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(RecordTable).focus()

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    @staticmethod
    def _cells(record: Deleted) -> list[str]:
        return [history.local_time(record.deleted_at), record.who or _("someone"), _(record.noun), record.label]

    def fetch(self, store: Store) -> tuple[list[Deleted], str]:
        if self.account_id is None:
            return store.deleted_accounts(), _("Deleted accounts")
        name = store.get(m.Account, self.account_id).name
        return store.deleted_records(self.account_id), _("Deleted from {name}").format(name=name)

    def apply(self, data: tuple[list[Deleted], str], keep: Any) -> None:
        found, title = data
        self.sub_title = title
        self.table.show(found)
        self.query_one("#status", Static).update(
            _("{n} deleted, newest first · u restores it and what went with it · h history").format(n=len(found))
            if found
            else _("Nothing deleted: there is nothing to restore.")
        )

    def action_back(self) -> None:
        self.dismiss(None)

    def action_history(self) -> None:
        record = self.table.current
        if record is not None:
            title = _("History of the {noun} {label}").format(noun=_(record.noun), label=record.label)
            self.open("history", record.model, record.id, title)

    @on(DataTable.RowSelected, "#deleted-table")
    def _chosen(self) -> None:
        self.action_restore()

    def action_restore(self) -> None:
        record = self.table.current
        if record is None:
            self.notify(_("Nothing to restore."))
            return
        noun = _(record.noun)
        question = _("Restore the {noun} “{label}” and what was deleted with it?").format(noun=noun, label=record.label)
        restored = _("Restored the {noun} {label}.").format(noun=noun, label=record.label)

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(
                    lambda store: store.restore(record.model, record.id),
                    success=restored,
                )

        self.app.push_screen(Confirm(question, yes=_("Restore")), answered)
