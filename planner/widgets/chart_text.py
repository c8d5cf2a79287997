"""The primitives every chart draws with: lines of (text, role) runs.

A chart is worked out by pure functions that return lines of runs, so it is tested
without an app; the widget only turns each role into its theme style through a
component class, so colours come from CSS and every theme (light ones too) works.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

Run = tuple[str, str]  # text, role ("" for plain); roles name component classes
Line = list[Run]


def merge(cells: Sequence[Run]) -> Line:
    """Join neighbouring runs of the same role, so a line is a handful of spans."""
    line: Line = []
    for text, role in cells:
        if line and line[-1][1] == role:
            line[-1] = (line[-1][0] + text, role)
        else:
            line.append((text, role))
    return line


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
