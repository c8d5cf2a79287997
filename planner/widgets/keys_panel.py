"""The keys of the screen on top: key, what it does, and the id a keymap uses.

Shown beside the screen with `?`. It lists every binding the screen and the focused
widget offer, hidden ones included, with the binding id, so a rep who wants another
key for something finds the name to put in `config.toml`'s `[keymap]`.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from planner.core.i18n import _


class KeysPanel(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    KeysPanel {
        dock: right; width: 52; max-width: 60%; height: 1fr;
        background: $panel; border-left: vkey $foreground 30%; padding: 0 1;
    }
    KeysPanel #keys-title { text-style: bold; padding: 0 0 1 0; }
    """

    def compose(self) -> ComposeResult:
        yield Static(_("Keys of this screen (ids for [keymap] in config.toml)"), id="keys-title", markup=False)
        yield Static(id="keys-table")

    def on_mount(self) -> None:
        self._clear_footer()
        self.screen.bindings_updated_signal.subscribe(self, self.show)
        self.show(self.screen)

    def on_resize(self) -> None:
        self._clear_footer()

    def _clear_footer(self) -> None:
        """Stop one row short of the bottom: over the footer's keys, each a widget of its
        own, Textual's compositor cuts the panel's last line at their edges, and a cut
        through a Chinese (double-width) character blanks it."""
        self.styles.height = max(1, self.screen.size.height - 1)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def show(self, screen: Screen) -> None:
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        seen: set[str] = set()
        self.lines: list[str] = []
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.system or (binding.id or binding.action) in seen:
                continue
            seen.add(binding.id or binding.action)
            what = Text(_(binding.description) if binding.description else binding.action)
            if binding.tooltip:
                what.append(f" · {_(binding.tooltip)}", "dim")
            if binding.id:
                what.append(f"  [{binding.id}]", "italic dim")
            key = self.app.get_key_display(binding)
            table.add_row(key, what)
            self.lines.append(f"{key} {what.plain}")
        self.query_one("#keys-table", Static).update(table)
