"""The change log of one record, and the deleted records a rep can bring back.

`HistoryScreen` lists who changed what and when, newest first ("Label: old → new").
`DeletedScreen` lists an account's deleted records (or the deleted accounts) and
restores the highlighted one, with whatever was deleted alongside it. Both read and
write through `planner.history` and the store in thread workers.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.screen import Screen
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from planner import history
from planner import models as m
from planner.errors import PlannerError
from planner.history import Deleted, Entry
from planner.widgets.confirm import Confirm
from planner.widgets.record_table import RecordTable

ACTION_STYLE = {
    "insert": "$text-success",
    "update": "$text-primary",
    "delete": "$text-error",
    "restore": "$text-success",
}


class EntryLines(Visual):
    """One entry laid out at the list's width: a bold heading, then a line per field,
    indented, with wrapped continuations indented too."""

    INDENT = 4

    def __init__(self, entry: Entry):
        action = history.ACTIONS.get(entry.action, entry.action)
        self.heading = Content.assemble(
            Content.styled(history.local_time(entry.when), "bold"),
            "  ",
            Content.styled(entry.who or "someone", "bold"),
            "  ",
            Content.styled(action, f"bold {ACTION_STYLE.get(entry.action, '')}"),
        )
        self.fields = [Content(line) for line in entry.lines]

    @property
    def plain(self) -> str:
        return "\n".join(line.plain for line in (self.heading, *self.fields))

    def lines(self, width: int) -> list[Content]:
        pad = " " * self.INDENT
        inner = max(width - self.INDENT, 10)
        return [self.heading, *(Content.assemble(pad, part) for line in self.fields for part in line.wrap(inner))]

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return Content("\n").join(self.lines(width)).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max([self.heading.cell_length, *(self.INDENT + line.cell_length for line in self.fields)])

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))


class HistoryScreen(Screen):
    """Who changed the record, when, and each field's old and new value."""

    # Belongs in planner.tcss (not ours to edit here): the list takes the free height.
    DEFAULT_CSS = "HistoryScreen #history-entries { height: 1fr; }"
    BINDINGS = [
        Binding("escape", "back", "Back", id="history-back", tooltip="Back to the previous screen"),
        Binding("r", "reload", "Reload", id="history-reload", tooltip="Read the change log again"),
    ]

    def __init__(self, model: type[m.Record], row_id: str, title: str):
        super().__init__()
        self.model = model
        self.row_id = row_id
        self.heading = title
        self.entries: list[Entry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(id="history-entries")
        yield Static("Loading the history…", id="status", markup=False)  # the app's status-line style
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.heading
        self.query_one(OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="history-load")
    def load(self) -> None:
        try:
            found = history.entries(self.app.store, self.model, self.row_id)
        except PlannerError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._loaded, found)

    def _loaded(self, found: list[Entry]) -> None:
        if not self.is_mounted:
            return
        self.entries = found
        listing = self.query_one(OptionList)
        options: list[Option | None] = []
        for entry in found:
            options.extend((Option(EntryLines(entry)), None))  # None: a rule between entries
        listing.set_options(options[:-1])
        if found:
            listing.highlighted = 0
        noun = history.NOUNS.get(self.model, "record")
        count = f"{len(found)} change{'s' if len(found) != 1 else ''}"
        self.query_one("#status", Static).update(
            f"{count} to this {noun}, newest first · times in local time" if found else "No changes recorded."
        )

    def action_back(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self.load()


class DeletedScreen(Screen):
    """Deleted records of one account (or deleted accounts, with no account), to restore."""

    DEFAULT_CSS = "DeletedScreen #deleted-table { height: 1fr; }"  # as above: belongs in planner.tcss
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
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(RecordTable).focus()
        self.load()

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    @staticmethod
    def _cells(record: Deleted) -> list[str]:
        return [history.local_time(record.deleted_at), record.who or "someone", record.noun, record.label]

    @work(thread=True, exclusive=True, group="deleted-load")
    def load(self) -> None:
        store = self.app.store
        try:
            if self.account_id is None:
                found, title = history.deleted_accounts(store), "Deleted accounts"
            else:
                found = history.deleted_records(store, self.account_id)
                title = f"Deleted from {store.get(m.Account, self.account_id).name}"
        except PlannerError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._loaded, found, title)

    def _loaded(self, found: list[Deleted], title: str) -> None:
        if not self.is_mounted:
            return
        self.sub_title = title
        self.table.show(found)
        self.query_one("#status", Static).update(
            f"{len(found)} deleted, newest first · u restores it and what went with it · h history"
            if found
            else "Nothing deleted: there is nothing to restore."
        )

    def action_back(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self.load()

    def action_history(self) -> None:
        record = self.table.current
        if record is not None:
            title = f"History of the {record.noun} {record.label}"
            self.app.push_screen(HistoryScreen(record.model, record.id, title))

    @on(DataTable.RowSelected, "#deleted-table")
    def _chosen(self) -> None:
        self.action_restore()

    def action_restore(self) -> None:
        record = self.table.current
        if record is None:
            self.notify("Nothing to restore.")
            return
        question = f"Restore the {record.noun} “{record.label}” and what was deleted with it?"
        self.app.push_screen(Confirm(question, yes="Restore"), lambda yes: yes and self._restore(record))

    @work(thread=True, group="deleted-write")
    def _restore(self, record: Deleted) -> None:
        app = self.app  # kept: the rep may leave the screen before the write ends
        try:
            app.store.restore(record.model, record.id)
        except PlannerError as error:
            app.call_from_thread(app.notify, str(error), severity="error")
        else:
            app.call_from_thread(app.notify, f"Restored the {record.noun} {record.label}.")
        if self.is_attached:
            app.call_from_thread(self.load)
