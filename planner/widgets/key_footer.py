"""The footer of every screen: Textual's, recomposed once for a burst of binding changes.

Textual's footer remounts every key each time the screen's bindings change, and a
screen coming up changes them several times in a row (focus, the stack, the first
data); each remount of a dozen keys costs a few milliseconds of the event loop.
Here a change that arrives while a recompose is already due waits for that one.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from planner.core.i18n import _


class KeyFooter(Footer):
    """Compact, and without the palette's corner (ctrl+p is in the help panel with every
    other key), so a screen's main keys and `? Help` fit in 80 columns."""

    DEFAULT_CSS = """
    KeyFooter.-compact FooterLabel { margin: 0 1 0 0; }
    """
    _recompose_due = False

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)

    def bindings_changed(self, screen: Screen) -> None:
        if self._recompose_due:
            return
        super().bindings_changed(screen)
        self._recompose_due = bool(screen.app.app_focus and self.is_attached and screen is self.screen)

    def compose(self) -> ComposeResult:
        """Textual's keys, their descriptions in the interface's language (bindings
        are declared with `N_`, before a language is chosen)."""
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description) if widget.description else ""
                if isinstance(widget.tooltip, str) and widget.tooltip:
                    widget.tooltip = _(widget.tooltip)
            elif isinstance(widget, FooterLabel) and isinstance(widget.content, str):
                widget.content = _(widget.content)
            yield widget

    async def recompose(self) -> None:
        self._recompose_due = False
        await super().recompose()
