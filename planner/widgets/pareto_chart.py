"""The 80/20 curve: cumulative share of revenue against accounts in rank order.

The drawing is worked out by pure functions (accounts bucketed to columns, bars
stacked from eighth blocks) that return lines of (text, role) runs, so it is tested
without an app; the widget only turns roles into theme styles. Key accounts differ by
glyph as well as colour, so the chart still reads on a monochrome terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from planner.core.analysis import ParetoEntry
from planner.widgets.chart_text import Line, Run, merge, styled

EIGHTHS = " ▁▂▃▄▅▆▇█"
KEY_FILL = "█"
OTHER_FILL = "▒"
THRESHOLD = "┄"
Y_LABEL = 5  # "100%" and the axis
X_TITLES = ("→ accounts by revenue rank   ↑ cumulative share of revenue", "→ accounts by revenue rank")


class Column(NamedTuple):
    """One screen column of the curve: the accounts it covers (1-based rank
    positions) and the cumulative share reached at the last of them."""

    cumulative: float
    key: bool
    first: int
    last: int


def columns(entries: Sequence[ParetoEntry], width: int) -> list[Column]:
    """Spread the ranked accounts over `width` columns. With fewer accounts than
    columns an account spans several columns (a step); with more, each column holds
    a slice. A column is key if any of its accounts is, so bucketing never hides one."""
    ranked = sorted(entries, key=lambda e: (e.cumulative, e.rank))
    count = len(ranked)
    if not count or width < 1:
        return []
    result = []
    for index in range(width):
        low = index * count // width
        high = max((index + 1) * count // width, low + 1)
        chunk = ranked[low:high]
        result.append(Column(chunk[-1].cumulative, any(e.key for e in chunk), low + 1, high))
    return result


def level_row(value: float, rows: int) -> int:
    """The row (0 = bottom) in which a bar of height `value` (0..1) ends."""
    return max(0, min(int(value * rows), rows - 1))


def bar_glyph(value: float, row: int, rows: int) -> str:
    """The part of a bar of height `value` that falls in `row`, in eighths of a cell."""
    eighths = round(value * rows * 8) - row * 8
    return EIGHTHS[max(0, min(eighths, 8))]


def _y_labels(threshold: float, rows: int) -> dict[int, Run]:
    labels = {0: ("0%", "axis"), level_row(0.5, rows): ("50%", "axis"), rows - 1: ("100%", "axis")}
    labels[level_row(threshold, rows)] = (f"{threshold:.0%}", "threshold")
    return labels


def _x_labels(count: int, width: int) -> str:
    row = [" "] * width
    last = f"{count:,}"
    row[width - len(last) :] = last
    row[0] = "1"
    title = next((t for t in X_TITLES if len(t) + 2 * len(last) + 4 <= width), "")
    start = (width - len(title)) // 2
    row[start : start + len(title)] = title
    return "".join(row[:width])


def chart_lines(entries: Sequence[ParetoEntry], threshold: float, width: int, height: int) -> list[Line]:
    """The whole chart as lines: plot, x axis, x labels and a legend."""
    plot_width, rows = width - Y_LABEL, height - 3
    if not entries:
        return [[("No accounts to rank yet.", "axis")]]
    if plot_width < 2 or rows < 2:
        return [[("Too small for the chart.", "axis")]]
    cols = columns(entries, plot_width)
    labels = _y_labels(threshold, rows)
    line_row = level_row(threshold, rows)
    lines = []
    for row in reversed(range(rows)):
        label, role = labels.get(row, ("", "axis"))
        cells: list[Run] = [(f"{label:>4}", role), ("┤" if label else "│", "axis")]
        for col in cols:
            glyph = bar_glyph(col.cumulative, row, rows)
            if glyph == " ":
                cells.append((THRESHOLD, "threshold") if row == line_row else (" ", ""))
            elif col.key:
                cells.append((glyph, "key"))
            else:
                cells.append((OTHER_FILL if glyph == "█" else glyph, "other"))
        lines.append(merge(cells))
    axis = [("    └", "axis")] + [("━", "key") if col.key else ("─", "axis") for col in cols]
    lines.append(merge(axis))
    lines.append([(" " * Y_LABEL + _x_labels(len(entries), plot_width), "axis")])
    keys = sum(entry.key for entry in entries)
    lines.append(
        [
            (" " * Y_LABEL, ""),
            (KEY_FILL, "key"),
            (f" key accounts ({keys:,})  ", ""),
            (OTHER_FILL, "other"),
            (f" others ({len(entries) - keys:,})  ", ""),
            (THRESHOLD * 2, "threshold"),
            (f" threshold {threshold:.0%}", ""),
        ]
    )
    return lines


class ParetoChart(Widget):
    """Set `entries` (any order) and `threshold`; the chart redraws to its size."""

    COMPONENT_CLASSES = {"pareto-chart--key", "pareto-chart--other", "pareto-chart--threshold", "pareto-chart--axis"}
    DEFAULT_CSS = """
    ParetoChart {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    ParetoChart > .pareto-chart--key { color: $accent; text-style: bold; }
    ParetoChart > .pareto-chart--other { color: $primary; }
    ParetoChart > .pareto-chart--threshold { color: $error; text-style: bold; }
    ParetoChart > .pareto-chart--axis { color: $text-muted; }
    """

    entries: reactive[tuple[ParetoEntry, ...]] = reactive(tuple)
    threshold: reactive[float] = reactive(0.8)

    def render(self) -> Text:
        size = self.content_size
        return styled(self, "pareto-chart", chart_lines(self.entries, self.threshold, size.width, size.height))
