"""The input-output model: accounts placed by output against input, four quadrants.

Each axis is split at 0.5 by a one-cell midline, and scores below 0.5 land left of
(or below) it, 0.5 and above right of (or above) it: exactly the core's rule, so a
marker always sits in the quadrant the customer list names. The high-output half,
where the rep focuses in, is tinted and its markers filled (● against ○), so it
reads without colour too. Pure functions lay out the lines; the widget styles them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from planner.core.analysis import CUT_INPUT, FOCUS_GROW, FOCUS_INVEST, MAINTAIN, QuadrantEntry
from planner.widgets.chart_text import Line, Run, merge, styled

Y_LABEL = 4  # "0.5" and the axis
LEGEND = (
    ("●", "focus-marker"),
    (" focus in (output ≥ 0.5)  ", ""),
    ("○", "marker"),
    (" other  ", ""),
    ("2-9", "marker"),
    (" accounts in one cell, ", ""),
    ("+", "marker"),
    (" 10 or more", ""),
)
AXES = "→ input: people, money, material    ↑ output: revenue, profit, influence"


def split(cells: int) -> tuple[int, int]:
    """Cells below and above the one-cell midline of an axis `cells` long."""
    low = (cells - 1) // 2
    return low, cells - 1 - low


def cell_of(score: float, low: int, high: int) -> int:
    """The cell for a 0..1 score on an axis of `low` cells, a midline, `high` cells."""
    if score < 0.5:
        return max(0, min(int(score * 2 * low), low - 1))
    return low + 1 + min(int((score - 0.5) * 2 * high), high - 1)


def place(entries: Sequence[QuadrantEntry], width: int, height: int) -> Counter[tuple[int, int]]:
    """How many accounts fall in each (column, row-from-top) cell of the plot."""
    x_low, x_high = split(width)
    y_low, y_high = split(height)
    return Counter((cell_of(e.input, x_low, x_high), height - 1 - cell_of(e.output, y_low, y_high)) for e in entries)


def marker(count: int, focus: bool) -> str:
    if count >= 10:
        return "+"
    if count > 1:
        return str(count)
    return "●" if focus else "○"


def _labels(left: str, right: str, left_width: int, role: str) -> Line:
    return [(" " * Y_LABEL, ""), (left[:left_width].ljust(left_width + 1), role), (right, role)]


def chart_lines(entries: Sequence[QuadrantEntry], width: int, height: int) -> list[Line]:
    """Quadrant names with their counts above and below the plot, then the legend."""
    plot_width, rows = width - Y_LABEL, height - 5
    if plot_width < 5 or rows < 3:
        return [[("Too small for the chart.", "axis")]]
    counts = Counter(e.quadrant for e in entries)
    x_low, _ = split(plot_width)
    _, y_high = split(rows)
    cells = place(entries, plot_width, rows)
    lines = [
        _labels(f"{FOCUS_GROW} ({counts[FOCUS_GROW]:,})", f"{FOCUS_INVEST} ({counts[FOCUS_INVEST]:,})", x_low, "focus")
    ]
    y_labels = {0: "1", y_high: "0.5", rows - 1: "0"}
    for row in range(rows):
        focus = row < y_high
        label = y_labels.get(row, "")
        line: list[Run] = [(f"{label:>3}", "axis"), ("┤" if label else "│", "axis")]
        for col in range(plot_width):
            count = cells.get((col, row), 0)
            if count:
                line.append((marker(count, focus), "focus-marker" if focus else "marker"))
            elif row == y_high:
                line.append(("┼" if col == x_low else "─", "axis"))
            else:
                line.append(("│" if col == x_low else " ", "focus-area" if focus else "axis"))
        lines.append(merge(line))
    lines.append([("   └" + "─" * x_low + "┴" + "─" * (plot_width - x_low - 1), "axis")])
    lines.append(_labels(f"{MAINTAIN} ({counts[MAINTAIN]:,})", f"{CUT_INPUT} ({counts[CUT_INPUT]:,})", x_low, "label"))
    lines.append([(AXES, "axis")])
    lines.append(list(LEGEND))
    return lines


class QuadrantChart(Widget):
    """Set `entries` (analysis.QuadrantEntry); the scatter redraws to its size."""

    COMPONENT_CLASSES = {
        "quadrant-chart--focus",
        "quadrant-chart--focus-area",
        "quadrant-chart--focus-marker",
        "quadrant-chart--marker",
        "quadrant-chart--label",
        "quadrant-chart--axis",
    }
    DEFAULT_CSS = """
    QuadrantChart {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    QuadrantChart > .quadrant-chart--focus { color: $text-accent; text-style: bold; }
    QuadrantChart > .quadrant-chart--focus-area { color: $text-muted; background: $accent 10%; }
    QuadrantChart > .quadrant-chart--focus-marker { color: $text-accent; background: $accent 10%; text-style: bold; }
    QuadrantChart > .quadrant-chart--marker { color: $text-primary; }
    QuadrantChart > .quadrant-chart--label { color: $text-muted; text-style: bold; }
    QuadrantChart > .quadrant-chart--axis { color: $text-muted; }
    """

    entries: reactive[tuple[QuadrantEntry, ...]] = reactive(tuple)

    def render(self) -> Text:
        size = self.content_size
        return styled(self, "quadrant-chart", chart_lines(self.entries, size.width, size.height))
