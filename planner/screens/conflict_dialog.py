"""Another rep saved the same record first: both versions side by side, the rep picks.

Only the fields this rep changed are ever written. When the two of us changed
different fields, "Merge both" (g, offered first) writes mine on top of theirs, so
both changes stand. When we changed the same field, "Keep mine" (m) writes my
changed fields on top of theirs: mine win where we both changed something, theirs
stay everywhere else. "Take theirs" (t) leaves their version as it is and keeps
what I typed as a draft, offered back when I open the record again. Escape goes back
to the form with nothing lost. Returns "keep", "theirs" or None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from planner.core import fields
from planner.core.choices import shown_value
from planner.core.i18n import N_, _
from planner.core.models import Record

Row = tuple[str, str, str, str]  # field label, as loaded, mine, theirs


def conflict_rows(
    specs: Sequence[fields.FieldSpec], initial: Mapping[str, Any], mine: Mapping[str, Any], current: Record
) -> tuple[list[Row], bool]:
    """A row per field either of us changed, and whether we changed different fields."""
    theirs = {spec.name for spec in specs if getattr(current, spec.name) != initial.get(spec.name)}
    rows = [
        (
            spec.label,
            shown_value(spec, initial.get(spec.name)),
            shown_value(spec, mine.get(spec.name, initial.get(spec.name))),
            shown_value(spec, getattr(current, spec.name)),
        )
        for spec in specs
        if spec.name in mine or spec.name in theirs
    ]
    return rows, not (mine.keys() & theirs)


class ConflictDialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog > Vertical {
        width: 96; max-width: 100%; height: auto; max-height: 90%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    ConflictDialog #conflict-title { text-style: bold; padding: 1 0 0 0; }
    ConflictDialog #conflict-choice { color: $text-muted; padding: 0 0 1 0; }
    ConflictDialog VerticalScroll { height: auto; max-height: 16; }
    ConflictDialog Horizontal { height: auto; padding: 1 0 0 0; }
    ConflictDialog Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("g", "choose('keep')", N_("Merge both"), id="conflict-merge",
                tooltip=N_("Write my changes on top of theirs")),
        Binding("m", "choose('keep')", N_("Keep mine"), id="conflict-mine",
                tooltip=N_("Write the fields I changed on top of theirs; mine win where we both changed one")),
        Binding("t", "choose('theirs')", N_("Take theirs"), id="conflict-theirs",
                tooltip=N_("Leave their version; keep what I typed as a draft")),
        Binding("escape", "choose(None)", N_("Back to form"), id="conflict-back", tooltip=N_("Return to the form")),
    ]  # fmt: skip

    def __init__(self, who: str, when: datetime, rows: list[Row], can_merge: bool):
        super().__init__()
        self.who, self.when, self.rows, self.can_merge = who, when, rows, can_merge

    def compose(self) -> ComposeResult:
        stamp = self.when.astimezone().strftime("%Y-%m-%d %H:%M")
        table = Table(expand=True, show_lines=True)
        theirs = _("{who} (now saved)").format(who=self.who) if self.who else _("Theirs (now saved)")
        for title in (_("Field"), _("When you opened it"), _("Yours"), theirs):
            table.add_column(title, overflow="fold")
        for row in self.rows:
            table.add_row(*row)
        choice = (
            _("You changed different fields: merging keeps both.")
            if self.can_merge
            else _("You both changed the same field: keep yours there, or take theirs (yours stays a draft).")
        )
        who = self.who or _("Someone")
        with Vertical():
            yield Static(_("{who} changed this record at {stamp}, after you opened it.").format(who=who, stamp=stamp),
                         id="conflict-title", markup=False)  # fmt: skip
            yield Static(choice, id="conflict-choice", markup=False)
            with VerticalScroll():
                yield Static(table)
            with Horizontal():
                if self.can_merge:
                    yield Button(_("Merge both (g)"), id="keep", variant="primary")
                else:
                    yield Button(_("Keep mine (m)"), id="keep", variant="warning")
                yield Button(_("Take theirs (t)"), id="theirs")
                yield Button(_("Back (esc)"), id="back")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "back" else event.button.id)

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)
