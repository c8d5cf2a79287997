"""Another rep saved the same record first: both versions side by side, the rep picks.

Returns "mine" (my form wins, field by field), "theirs" (their record stands; what I
typed goes to the clipboard), "merge" (my changed fields on top of theirs; offered
only when we changed different fields) or None (back to the form, nothing lost).
"""

from __future__ import annotations

from datetime import datetime

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

Row = tuple[str, str, str, str]  # field label, as loaded, mine, theirs


class ConflictDialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog > Vertical {
        width: 96; max-width: 100%; height: auto; max-height: 90%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    ConflictDialog #conflict-title { text-style: bold; padding: 1 0; }
    ConflictDialog VerticalScroll { height: auto; max-height: 16; }
    ConflictDialog Horizontal { height: auto; padding: 1 0 0 0; }
    ConflictDialog Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("m", "choose('mine')", "Keep mine", id="conflict-mine", tooltip="Save my version of every field"),
        Binding("t", "choose('theirs')", "Take theirs", id="conflict-theirs", tooltip="Keep theirs; mine to clipboard"),
        Binding("g", "choose('merge')", "Merge both", id="conflict-merge", tooltip="Their changes plus mine"),
        Binding("escape", "choose(None)", "Back to form", id="conflict-back", tooltip="Return to the form"),
    ]

    def __init__(self, who: str, when: datetime, rows: list[Row], can_merge: bool):
        super().__init__()
        self.who, self.when, self.rows, self.can_merge = who, when, rows, can_merge

    def compose(self) -> ComposeResult:
        stamp = self.when.astimezone().strftime("%Y-%m-%d %H:%M")
        table = Table(expand=True, show_lines=True)
        for title in ("Field", "When you opened it", "Yours", f"{self.who or 'Theirs'} (now saved)"):
            table.add_column(title, overflow="fold")
        for row in self.rows:
            table.add_row(*row)
        with Vertical():
            yield Static(
                f"{self.who or 'Someone'} changed this record at {stamp}, after you opened it.", id="conflict-title"
            )
            with VerticalScroll():
                yield Static(table)
            with Horizontal():
                yield Button("Keep mine (m)", id="mine", variant="warning")
                yield Button("Take theirs (t)", id="theirs")
                if self.can_merge:
                    yield Button("Merge both (g)", id="merge", variant="primary")
                yield Button("Back (esc)", id="back")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return not (action == "choose" and parameters == ("merge",) and not self.can_merge)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "back" else event.button.id)

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)
