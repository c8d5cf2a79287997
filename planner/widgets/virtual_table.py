"""A table that draws only the rows on screen.

Textual's DataTable builds every row up front (about 0.2 ms a row: seconds at 10k
accounts). This one keeps the caller's plain rows and a function that turns one row
into cells, and calls it only for the lines being painted, so 10k rows cost what
thirty do. Filtering and sorting happen on the caller's list; the table just shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

Cell = str | tuple[str, str]


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    right: bool = False


def fit(text: str, width: int, right: bool = False) -> str:
    """Pad or cut `text` to exactly `width` terminal cells (CJK counts double)."""
    if cell_len(text) > width:
        return set_cell_size(text, max(width - 1, 0)) + "…" if width else ""
    padding = " " * (width - cell_len(text))
    return padding + text if right else text + padding


class VirtualTable(ScrollView, can_focus=True):
    """Rows are any objects; `cells(row)` gives a string (or (string, style-name))
    per column, where style-name picks a `virtual-table--NAME` component class."""

    COMPONENT_CLASSES = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--odd",
        "virtual-table--muted",
        "virtual-table--warning",
        "virtual-table--key",
    }
    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
    }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; color: $text; }
    VirtualTable > .virtual-table--cursor { background: $block-cursor-blurred-background; }
    VirtualTable:focus > .virtual-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    VirtualTable > .virtual-table--odd { background: $surface-lighten-1; }
    VirtualTable > .virtual-table--muted { color: $text-muted; }
    VirtualTable > .virtual-table--warning { color: $text-warning; text-style: bold; }
    VirtualTable > .virtual-table--key { color: $text-accent; text-style: bold; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
    ]

    cursor = reactive(0, always_update=True, repaint=False)

    @dataclass
    class Highlighted(Message):
        table: VirtualTable
        row: Any

    @dataclass
    class Selected(Message):
        table: VirtualTable
        row: Any

    @dataclass
    class HeaderClicked(Message):
        table: VirtualTable
        column: int

    def __init__(self, columns: Sequence[Column], cells: Callable[[Any], Sequence[Cell]], *, id: str | None = None):
        super().__init__(id=id)
        self.columns = list(columns)
        self._cells = cells
        self.rows: Sequence[Any] = []

    @property
    def current(self) -> Any | None:
        return self.rows[self.cursor] if self.rows else None

    @property
    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def set_rows(self, rows: Sequence[Any], cursor: int = 0) -> None:
        """Show `rows` (any sequence: rows are read only when painted) with the cursor
        on the `cursor`-th."""
        self.rows = rows
        self.virtual_size = Size(sum(c.width + 1 for c in self.columns), len(rows) + 1)
        self.cursor = cursor
        self.refresh()

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        top = round(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + self._page:
            self.scroll_to(y=new - self._page + 1, animate=False, immediate=True)
        for row in (old, new):
            self.refresh(Region(0, row - round(self.scroll_y) + 1, self.size.width, 1))
        if self.rows:
            self.post_message(self.Highlighted(self, self.rows[new]))

    def action_move(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * self._page

    def action_jump(self, where: int) -> None:
        self.cursor = where if where >= 0 else len(self.rows) - 1

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.rows[self.cursor]))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x + round(self.scroll_x)
            for index, column in enumerate(self.columns):
                x -= column.width + 1
                if x < 0:
                    self.post_message(self.HeaderClicked(self, index))
                    return
            return
        row = event.y - 1 + round(self.scroll_y)
        if row < len(self.rows):
            if row == self.cursor and event.chain > 1:
                self.action_select()
            self.cursor = row

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"virtual-table--{name}")

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = round(self.scroll_x)
        if y == 0:
            text = " ".join(fit(c.title, c.width, c.right) for c in self.columns)
            strip = Strip([Segment(fit(text, max(width + scroll_x, 0)), self._style("header"))])
            return strip.crop(scroll_x, scroll_x + width)
        index = y - 1 + round(self.scroll_y)
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        if index == self.cursor:
            base = self._style("cursor")
        elif index % 2:
            base = self._style("odd")
        else:
            base = self.rich_style
        segments = []
        used = 0
        for column, cell in zip(self.columns, self._cells(self.rows[index]), strict=True):
            text, style = (cell, None) if isinstance(cell, str) else cell
            content = fit(text, column.width, column.right) + " "
            segments.append(Segment(content, base + self._style(style) if style and index != self.cursor else base))
            used += column.width + 1
        if used < width + scroll_x:
            segments.append(Segment(" " * (width + scroll_x - used), base))
        return Strip(segments).crop(scroll_x, scroll_x + width)
