"""Offer back what the rep typed last time in this form and never saved."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from planner.core.drafts import DraftNote
from planner.core.history import local_time
from planner.core.i18n import N_, _


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
        Binding(
            "r", "answer('restore')", N_("Restore"), id="draft-restore", tooltip=N_("Put the draft back in the form")
        ),
        Binding("d", "answer('discard')", N_("Discard"), id="draft-discard", tooltip=N_("Throw the draft away")),
        Binding("escape", "answer(None)", N_("Decide later"), id="draft-later", tooltip=N_("Keep the draft for later")),
    ]

    def __init__(self, note: DraftNote):
        super().__init__()
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                _("You have an unsaved draft of this form from {when}. Restore it, or discard it?").format(
                    when=local_time(self.note.saved_at)
                ),
                id="offer",
                markup=False,
            )
            with Horizontal():
                yield Button(_("Restore (r)"), id="restore", variant="primary")
                yield Button(_("Discard (d)"), id="discard", variant="warning")
                yield Button(_("Later (esc)"), id="later")

    def on_mount(self) -> None:
        self.query_one("#restore", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "later" else event.button.id)

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)
