"""The 80/20 curve: cumulative share of revenue against accounts in rank order.

The drawing is worked out by pure functions (accounts bucketed to columns, bars
stacked from eighth blocks) that return lines of (text, role) runs, so it is tested
without an app; the widget only turns roles into theme styles. Key accounts differ by
glyph as well as colour, so the chart still reads on a monochrome terminal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from planner.core.analysis import ParetoEntry
from planner.core.chart_labels import CURVE_ANCHORS, Point, named, place_labels
from planner.core.formatting import money, percent
from planner.core.i18n import N_, _
from planner.widgets.chart_text import Grid, Line, Run, merge, overlay, styled

EIGHTHS = " ▁▂▃▄▅▆▇█"
KEY_FILL = "█"
OTHER_FILL = "▒"
THRESHOLD = "┄"
Y_LABEL = 5  # "100%" and the axis
LABELLED = 12  # the key accounts named where they fit, besides the cursor's
X_TITLES = (N_("→ accounts by revenue rank   ↑ cumulative share of revenue"), N_("→ accounts by revenue rank"))


class Column(NamedTuple):
    """One screen column of the curve: the accounts it covers (1-based rank
    positions) and the cumulative share reached at the last of them."""

    cumulative: float
    key: bool
    first: int
    last: int


def ranked(entries: Sequence[ParetoEntry]) -> list[ParetoEntry]:
    """The accounts in the curve's order, biggest first: the order the cursor walks."""
    return sorted(entries, key=lambda e: (e.cumulative, e.rank))


def columns(entries: Sequence[ParetoEntry], width: int, *, in_order: bool = False) -> list[Column]:
    """Spread the ranked accounts over `width` columns. With fewer accounts than
    columns an account spans several columns (a step); with more, each column holds
    a slice. A column is key if any of its accounts is, so bucketing never hides one.
    `in_order`: the entries are `ranked` already."""
    ranked = entries if in_order else sorted(entries, key=lambda e: (e.cumulative, e.rank))
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


def account_columns(cols: Sequence[Column], count: int) -> list[tuple[int, int]]:
    """For each account (0-based position in rank order) the first and last column
    it is drawn in."""
    spans = [(-1, -1)] * count
    for index, col in enumerate(cols):
        for position in range(col.first - 1, col.last):
            first = spans[position][0]
            spans[position] = (index if first < 0 else first, index)
    return spans


def _y_labels(threshold: float, rows: int) -> dict[int, Run]:
    labels = {0: ("0%", "axis"), level_row(0.5, rows): ("50%", "axis"), rows - 1: ("100%", "axis")}
    labels[level_row(threshold, rows)] = (f"{threshold:.0%}", "threshold")
    return labels


def _x_labels(count: int, width: int) -> str:
    """ "1" under the first column, the count under the last, a title between if it fits."""
    last = f"{count:,}"
    if width < len(last) + 2:
        return ("1" + " " * width)[:width]
    titles = [_(t) for t in X_TITLES]
    title = next((t for t in titles if cell_len(t) + 2 * len(last) + 4 <= width), "")
    start = (width - cell_len(title)) // 2
    gap = width - start - cell_len(title) - len(last)
    return "1" + " " * (start - 1) + title + " " * gap + last


def _plot(cols: Sequence[Column], threshold: float, rows: int, band: range) -> Grid:
    """The bars, one run per cell, top row first; the cursor's columns in `band`."""
    line_row = level_row(threshold, rows)
    grid: Grid = []
    for row in reversed(range(rows)):
        cells: list[Run] = []
        for index, col in enumerate(cols):
            glyph = bar_glyph(col.cumulative, row, rows)
            if index in band:
                cells.append((glyph if glyph != " " or row != line_row else THRESHOLD, "cursor"))
            elif glyph == " ":
                cells.append((THRESHOLD, "threshold") if row == line_row else (" ", ""))
            elif col.key:
                cells.append((glyph, "key"))
            else:
                cells.append((OTHER_FILL if glyph == "█" else glyph, "other"))
        grid.append(cells)
    return grid


def chart_lines(
    entries: Sequence[ParetoEntry],
    threshold: float,
    width: int,
    height: int,
    names: Mapping[str, str] | None = None,
    cursor: str | None = None,
) -> list[Line]:
    """The whole chart as lines: plot, x axis, x labels and a legend. With `names`,
    the cursor's account (an id) and the biggest ones that fit are named beside their
    points (the key accounts, where they fit); the cursor's columns are highlighted."""
    plot_width, rows = width - Y_LABEL, height - 3
    if not entries:
        return [[(_("No accounts to rank yet."), "axis")]]
    if plot_width < 2 or rows < 2:
        return [[(_("Too small for the chart."), "axis")]]
    order = ranked(entries)
    cols = columns(order, plot_width, in_order=True)
    spans = account_columns(cols, len(order))
    at = next((i for i, e in enumerate(order) if e.id == cursor), None)
    band = range(spans[at][0], spans[at][1] + 1) if at is not None else range(0)
    grid = _plot(cols, threshold, rows, band)
    if names is not None:
        # only the accounts that may get a label: the cursor's, then the key accounts
        biggest = [i for i in range(min(len(order), 2 * LABELLED + 1)) if order[i].key and i != at]
        chosen = ([at] if at is not None else []) + biggest
        points = [
            Point(spans[i][1], rows - 1 - level_row(order[i].cumulative, rows), names.get(order[i].id, ""))
            for i in chosen
        ]
        bars = {(x, y) for y, line in enumerate(grid) for x, (glyph, _role) in enumerate(line) if glyph not in " "}
        mark = 0 if at is not None else None
        labels = place_labels(
            points, range(len(points)), plot_width, rows, cursor=mark, anchors=CURVE_ANCHORS, avoid=bars, most=LABELLED
        )
        overlay(grid, labels, "name", "cursor-name", mark)
    labels_y = _y_labels(threshold, rows)
    lines = []
    for row, cells in zip(reversed(range(rows)), grid, strict=True):
        label, role = labels_y.get(row, ("", "axis"))
        lines.append(merge([(f"{label:>4}", role), ("┤" if label else "│", "axis"), *cells]))
    axis = [("    └", "axis")] + [("━", "key") if col.key else ("─", "axis") for col in cols]
    lines.append(merge(axis))
    lines.append([(" " * Y_LABEL + _x_labels(len(entries), plot_width), "axis")])
    keys = sum(entry.key for entry in entries)
    lines.append(
        [
            (" " * Y_LABEL, ""),
            (KEY_FILL, "key"),
            (" " + _("key accounts ({count})").format(count=f"{keys:,}") + "  ", ""),
            (OTHER_FILL, "other"),
            (" " + _("others ({count})").format(count=f"{len(entries) - keys:,}") + "  ", ""),
            (THRESHOLD * 2, "threshold"),
            (" " + _("threshold {threshold}").format(threshold=f"{threshold:.0%}"), ""),
        ]
    )
    return lines


def status(entries: Sequence[ParetoEntry], name: str, cursor: str | None, width: int) -> str:
    """The cursor's account in words, in `width` cells, for the line under the chart."""
    entry = next((e for e in entries if e.id == cursor), None)
    if entry is None:
        return ""
    template = (
        N_("{name}: key account, #{rank} of {count}, {revenue}, {share} of revenue ({cumulative} to here)")
        if entry.key
        else N_("{name}: #{rank} of {count}, {revenue}, {share} of revenue ({cumulative} to here)")
    )
    figures = {
        "rank": f"{entry.rank:,}",
        "count": f"{len(entries):,}",
        "revenue": money(entry.revenue),
        "share": percent(entry.share),
        "cumulative": percent(entry.cumulative),
    }
    return named(lambda shown: _(template).format(name=shown, **figures), name, width)


class ParetoChart(Widget, can_focus=True):
    """Set `entries` (any order), `threshold` and `names` (id → name); the chart
    redraws to its size. Arrows walk the accounts in rank order; enter chooses one."""

    BINDINGS = [
        Binding("enter", "choose", N_("Open"), id="pareto-open", tooltip=N_("Open the account under the cursor")),
        Binding("right", "step(1)", N_("Next"), id="pareto-next", show=False,
                tooltip=N_("The next account down the ranking")),
        Binding("left", "step(-1)", N_("Previous"), id="pareto-previous", show=False,
                tooltip=N_("The next account up the ranking")),
        Binding("pagedown", "column(1)", N_("Column right"), id="pareto-column-right", show=False,
                tooltip=N_("The first account of the next column (with many accounts a column holds several)")),
        Binding("pageup", "column(-1)", N_("Column left"), id="pareto-column-left", show=False,
                tooltip=N_("The first account of the column before")),
        Binding("home", "end(0)", N_("Biggest"), id="pareto-first", show=False,
                tooltip=N_("The account with the most revenue")),
        Binding("end", "end(-1)", N_("Smallest"), id="pareto-last", show=False,
                tooltip=N_("The account with the least revenue")),
    ]  # fmt: skip
    COMPONENT_CLASSES = {
        "pareto-chart--key",
        "pareto-chart--other",
        "pareto-chart--threshold",
        "pareto-chart--axis",
        "pareto-chart--cursor",
        "pareto-chart--name",
        "pareto-chart--cursor-name",
    }
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
    ParetoChart > .pareto-chart--cursor { color: $text; background: $accent 35%; }
    ParetoChart > .pareto-chart--name { color: $text; background: $surface; text-style: bold; }
    ParetoChart > .pareto-chart--cursor-name { color: $text; background: $accent 60%; text-style: bold; }
    """

    class Pointed(Message):
        """The cursor moved to an account (None: no accounts)."""

        def __init__(self, account_id: str | None) -> None:
            super().__init__()
            self.account_id = account_id

    class Chosen(Message):
        """Enter on an account."""

        def __init__(self, account_id: str) -> None:
            super().__init__()
            self.account_id = account_id

    entries: reactive[tuple[ParetoEntry, ...]] = reactive(tuple)
    threshold: reactive[float] = reactive(0.8)
    names: reactive[dict[str, str]] = reactive(dict)
    cursor: reactive[str | None] = reactive(None)

    _ranked: tuple[object, list[ParetoEntry]] = ((), [])

    def ranked(self) -> list[ParetoEntry]:
        """The accounts in rank order, sorted once per load rather than per key."""
        entries, order = self._ranked
        if entries is not self.entries:
            order = ranked(self.entries)
            self._ranked = (self.entries, order)
        return order

    def watch_entries(self, entries: tuple[ParetoEntry, ...]) -> None:
        """A reload keeps the cursor on its account while it is still there."""
        if not any(e.id == self.cursor for e in entries):
            self.cursor = self.ranked()[0].id if entries else None

    def watch_cursor(self, cursor: str | None) -> None:
        self.post_message(self.Pointed(cursor))

    def _move_to(self, position: int) -> None:
        order = self.ranked()
        if order:
            self.cursor = order[max(0, min(position, len(order) - 1))].id

    def _position(self) -> int:
        return next((i for i, e in enumerate(self.ranked()) if e.id == self.cursor), 0)

    def action_step(self, by: int) -> None:
        self._move_to(self._position() + by)

    def action_end(self, position: int) -> None:
        self._move_to(position if position >= 0 else len(self.entries) - 1)

    def action_column(self, by: int) -> None:
        """To the first account of the next column that holds a different one."""
        count = len(self.entries)
        plot_width = self.content_size.width - Y_LABEL
        if not count or plot_width < 2:
            return
        spans = account_columns(columns(self.ranked(), plot_width, in_order=True), count)
        here = self._position()
        column = spans[here][1] + 1 if by > 0 else spans[here][0] - 1
        found = [i for i, (first, last) in enumerate(spans) if first <= column <= last]
        if found:
            self._move_to(found[0])

    def action_choose(self) -> None:
        if self.cursor is not None:
            self.post_message(self.Chosen(self.cursor))

    def status(self, width: int) -> str:
        return status(self.entries, self.names.get(self.cursor or "", ""), self.cursor, width)

    def render(self) -> Text:
        size = self.content_size
        lines = chart_lines(self.ranked(), self.threshold, size.width, size.height, self.names, self.cursor)
        return styled(self, "pareto-chart", lines)
