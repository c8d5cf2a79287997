"""A table that draws only the rows on screen.

Textual's DataTable builds every row up front (about 0.2 ms a row: seconds at 10k
accounts). This one keeps the caller's plain rows and a function that turns one row
into cells, and calls it only for the lines being painted, so 10k rows cost what
thirty do. Filtering and sorting happen on the caller's list; the table just shows it.

Columns scroll sideways a whole column at a time (left and right), so no cell is
ever cut in half, and the first `frozen` columns (the name) stay put at the left.
When every column fits, a column marked `grow` takes the spare width.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
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

from planner.core.i18n import N_, _

Cell = str | tuple[str, str]


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    right: bool = False
    grow: bool = False
    """Takes the spare width when every column fits."""


@dataclass(frozen=True)
class ColumnLayout:
    """Which columns are drawn, how wide, for one content width and scroll position."""

    shown: tuple[int, ...]
    widths: tuple[int, ...]
    first: int  # the first scrollable column shown
    last_first: int  # the furthest `first` can go: the last column is then shown whole
    hidden_left: bool
    hidden_right: bool


def arrange(columns: Sequence[Column], frozen: int, first: int, width: int) -> ColumnLayout:
    """The frozen columns, then whole columns from `first` for as long as they fit in
    `width` (each column is followed by one space). Everything fits: a `grow` column
    takes what is left."""
    widths = [c.width for c in columns]
    if sum(w + 1 for w in widths) <= width:
        spare = width - sum(w + 1 for w in widths)
        grow = next((i for i, c in enumerate(columns) if c.grow), None)
        if grow is not None:
            widths[grow] += spare
        return ColumnLayout(tuple(range(len(columns))), tuple(widths), frozen, frozen, False, False)
    room = width - sum(w + 1 for w in widths[:frozen])
    last_first, used = len(columns) - 1, 0
    for index in range(len(columns) - 1, frozen - 1, -1):
        used += widths[index] + 1
        if used > room:
            break
        last_first = index
    first = max(frozen, min(first, last_first))
    shown = list(range(frozen))
    used = 0
    for index in range(first, len(columns)):
        if used + widths[index] + 1 > room and index > first:
            break
        shown.append(index)
        used += widths[index] + 1
    return ColumnLayout(tuple(shown), tuple(widths), first, last_first, first > frozen, shown[-1] < len(columns) - 1)


def headed(columns: Sequence[Column]) -> list[Column]:
    """The columns with their titles in the interface's language, each at least as wide
    as its title in terminal cells (a Chinese head may be wider than the English one)."""
    shown = []
    for column in columns:
        title = _(column.title)
        shown.append(replace(column, title=title, width=max(column.width, cell_len(title))))
    return shown


def cut_to(text: str, width: int) -> str:
    """The longest start of `text` at most `width` terminal cells wide; a double-width
    character that would straddle the edge is left out whole."""
    kept = set_cell_size(text, width)
    if cell_len(kept) == width and kept.endswith(" ") and not text.startswith(kept):
        kept = kept[:-1]  # set_cell_size padded where it dropped half a wide character
    return kept


def fit(text: str, width: int, right: bool = False) -> str:
    """Pad or cut `text` to exactly `width` terminal cells (CJK counts double); a cut
    text ends in an ellipsis."""
    if cell_len(text) > width:
        if not width:
            return ""
        text = cut_to(text, width - 1) + "…"
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
        overflow-x: hidden;
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
        Binding("up", "move(-1)", N_("Up"), show=False),
        Binding("down", "move(1)", N_("Down"), show=False),
        Binding("pageup", "page(-1)", N_("Page up"), show=False),
        Binding("pagedown", "page(1)", N_("Page down"), show=False),
        Binding("home", "jump(0)", N_("First"), show=False),
        Binding("end", "jump(-1)", N_("Last"), show=False),
        Binding("enter", "select", N_("Open"), show=False),
        Binding("left", "columns(-1)", N_("Columns left"), show=False),
        Binding("right", "columns(1)", N_("Columns right"), show=False),
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

    def __init__(
        self,
        columns: Sequence[Column],
        cells: Callable[[Any], Sequence[Cell]],
        *,
        frozen: int = 0,
        id: str | None = None,
    ):
        super().__init__(id=id)
        self.columns = list(columns)
        self.frozen = frozen
        self._cells = cells
        self.rows: Sequence[Any] = []
        self._first = frozen
        self._layout: ColumnLayout | None = None
        self._headed: list[Column] = headed(self.columns)
        self._layout_width = -1

    @property
    def column_layout(self) -> ColumnLayout:
        """The columns drawn at the current width (worked out once per width and scroll)."""
        width = self.scrollable_content_region.width
        laid = self._layout
        if laid is None or self._layout_width != width:
            self._headed = headed(self.columns)
            laid = self._layout = arrange(self._headed, self.frozen, self._first, width)
            self._layout_width = width
            self._first = laid.first
        return laid

    @property
    def first_column(self) -> int:
        """The first column shown after the frozen ones."""
        return self.column_layout.first

    def action_columns(self, step: int) -> None:
        """Scroll the unfrozen columns by one whole column."""
        laid = self.column_layout
        first = max(self.frozen, min(laid.first + step, laid.last_first))
        if first != laid.first:
            self._first = first
            self._layout = None
            self.refresh()

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
        self.virtual_size = Size(0, len(rows) + 1)  # columns scroll by whole columns, not by cells
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
            laid, x = self.column_layout, event.x
            for index in laid.shown:
                x -= laid.widths[index] + 1
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
        laid = self.column_layout
        columns, widths = self._headed, laid.widths
        if y == 0:
            # The gap after the frozen columns shows ‹ while columns hide to their right,
            # the header's last cell › while columns hide past the right edge.
            parts = []
            for n, column in enumerate(laid.shown):
                parts.append(fit(columns[column].title, widths[column], columns[column].right))
                parts.append("‹" if laid.hidden_left and n == self.frozen - 1 else " ")
            line = fit("".join(parts), width)
            if laid.hidden_right and line:
                line = set_cell_size(line, width - 1) + "›"
            return Strip([Segment(line, self._style("header"))])
        index = y - 1 + round(self.scroll_y)
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        if index == self.cursor:
            base = self._style("cursor")
        elif index % 2:
            base = self._style("odd")
        else:
            base = self.rich_style
        cells = self._cells(self.rows[index])
        segments = []
        used = 0
        for column in laid.shown:
            cell = cells[column]
            text, style = (cell, None) if isinstance(cell, str) else cell
            content = fit(text, widths[column], columns[column].right) + " "
            segments.append(Segment(content, base + self._style(style) if style and index != self.cursor else base))
            used += widths[column] + 1
        if used < width:
            segments.append(Segment(" " * (width - used), base))
        return Strip(segments).crop(0, width)
