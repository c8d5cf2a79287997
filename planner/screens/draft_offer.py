"""Offer back what the rep typed last time in this form and never saved."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from planner.core.drafts import DraftNote
from planner.core.history import local_time


class DraftOffer(ModalScreen[str | None]):
    """Returns "restore", "discard", or None (decide later: the draft is kept)."""

    DEFAULT_CSS = """
    DraftOffer { align: center middle; }
    DraftOffer > Vertical {
        width: 70; max-width: 100%; height: auto;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    DraftOffer #offer { width: 100%; margin-bottom: 1; }
    DraftOffer Horizontal { height: auto; align-horizontal: right; }
    DraftOffer Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("r", "answer('restore')", "Restore", id="draft-restore", tooltip="Put the draft back in the form"),
        Binding("d", "answer('discard')", "Discard", id="draft-discard", tooltip="Throw the draft away"),
        Binding("escape", "answer(None)", "Later", id="draft-later", tooltip="Keep the draft for later"),
    ]

    def __init__(self, note: DraftNote):
        super().__init__()
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"You have an unsaved draft of this form from {local_time(self.note.saved_at)}. "
                "Restore it, or discard it?",
                id="offer",
                markup=False,
            )
            with Horizontal():
                yield Button("Restore (r)", id="restore", variant="primary")
                yield Button("Discard (d)", id="discard", variant="warning")
                yield Button("Later (esc)", id="later")

    def on_mount(self) -> None:
        self.query_one("#restore", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "later" else event.button.id)

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)
