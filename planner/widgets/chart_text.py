"""The primitives every chart draws with: lines of (text, role) runs.

A chart is worked out by pure functions that return lines of runs, so it is tested
without an app; the widget only turns each role into its theme style through a
component class, so colours come from CSS and every theme (light ones too) works.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text
from textual.widget import Widget

from planner.core.chart_labels import Label

Run = tuple[str, str]  # text, role ("" for plain); roles name component classes
Line = list[Run]
Grid = list[list[Run]]  # one run per terminal cell; "" in the cell a wide character also takes


def ljust(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal cells (a Chinese character takes two)."""
    return text + " " * (width - cell_len(text))


def rjust(text: str, width: int) -> str:
    return " " * (width - cell_len(text)) + text


def merge(cells: Sequence[Run]) -> Line:
    """Join neighbouring runs of the same role, so a line is a handful of spans."""
    line: Line = []
    for text, role in cells:
        if line and line[-1][1] == role:
            line[-1] = (line[-1][0] + text, role)
        else:
            line.append((text, role))
    return line


def overlay(grid: Grid, labels: Iterable[Label], role: str, cursor_role: str = "", cursor: int | None = None) -> None:
    """Write each label over the cells it covers (a double-width character takes its
    cell and the next); the cursor's label (its point is `cursor`) in `cursor_role`."""
    for label in labels:
        row = grid[label.y]
        x = label.x
        shown = cursor_role if cursor_role and label.point == cursor else role
        for char in label.text:
            size = get_character_cell_size(char)
            row[x] = (char, shown)
            if size == 2:
                row[x + 1] = ("", shown)
            x += size


def styled(widget: Widget, prefix: str, lines: Sequence[Line]) -> Text:
    """Lines of runs as Rich text, each role styled by the `{prefix}--{role}` component
    class (shared by the portfolio charts, so theme colours come from their CSS)."""
    text = Text(no_wrap=True, overflow="crop")
    for number, line in enumerate(lines):
        if number:
            text.append("\n")
        for run, role in line:
            text.append(run, widget.get_component_rich_style(f"{prefix}--{role}") if role else None)
    return text
