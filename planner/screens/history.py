"""The change log of one record: who changed what and when, newest first
("Label: old → new"), from `Store.history` made readable by `planner.core.history`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from planner.core import history
from planner.core import models as m
from planner.core.history import Entry
from planner.core.i18n import N_, _, ngettext
from planner.screens.base import PlannerScreen
from planner.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from planner.store.store import Store

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
        action = _(history.ACTIONS[entry.action]) if entry.action in history.ACTIONS else entry.action
        self.heading = Content.assemble(
            Content.styled(history.local_time(entry.when), "bold"),
            "  ",
            Content.styled(entry.who or _("someone"), "bold"),
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


class HistoryScreen(PlannerScreen[list[Entry]]):
    """Who changed the record, when, and each field's old and new value."""

    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="history-back", tooltip=N_("Back to the previous screen")),
        Binding("r", "reload", N_("Reload"), id="history-reload", tooltip=N_("Read the change log again")),
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
        yield Static(_("Loading the history…"), id="status", markup=False)  # the app's status-line style
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = self.heading
        self.query_one(OptionList).focus()

    def fetch(self, store: Store) -> list[Entry]:
        return store.history(self.model, self.row_id)

    def apply(self, data: list[Entry], keep: Any) -> None:
        found = data
        self.entries = found
        listing = self.query_one(OptionList)
        options: list[Option | None] = []
        for entry in found:
            options.extend((Option(EntryLines(entry)), None))  # None: a rule between entries
        listing.set_options(options[:-1])
        if found:
            listing.highlighted = 0
        noun = _(history.NOUNS[self.model]) if self.model in history.NOUNS else _("record")
        self.query_one("#status", Static).update(
            ngettext(
                "{n} change to this {noun}, newest first · times in local time",
                "{n} changes to this {noun}, newest first · times in local time",
                len(found),
            ).format(n=len(found), noun=noun)
            if found
            else _("No changes recorded.")
        )

    def action_back(self) -> None:
        self.dismiss(None)
