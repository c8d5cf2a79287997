"""The input-output model: accounts placed by output against input, four quadrants.

Each axis is split at 0.5 by a one-cell midline, and scores below 0.5 land left of
(or below) it, 0.5 and above right of (or above) it: exactly the core's rule, so a
marker always sits in the quadrant the customer list names. The high-output half,
where the rep focuses in, is tinted and its markers filled (● against ○), so it
reads without colour too. Pure functions lay out the lines; the widget styles them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from planner.core.analysis import CUT_INPUT, FOCUS_GROW, FOCUS_INVEST, MAINTAIN, QuadrantEntry
from planner.core.chart_labels import Cell, Point, named, place_labels, step
from planner.core.i18n import N_, _
from planner.widgets.chart_text import Grid, Line, Run, merge, overlay, styled

Y_LABEL = 4  # "0.5" and the axis
LEGEND = (
    ("●", "focus-marker"),
    (N_("focus in (output ≥ 0.5)"), ""),
    ("○", "marker"),
    (N_("other"), ""),
    ("2-9", "marker"),
    (N_("accounts in one cell"), ""),
    ("+", "marker"),
    (N_("10 or more"), ""),
)  # a marker, then what it means
LABELLED = 12  # the biggest accounts named where they fit, besides the cursor's
AXES = N_("→ input: people, money, material    ↑ output: revenue, profit, influence")


def split(cells: int) -> tuple[int, int]:
    """Cells below and above the one-cell midline of an axis `cells` long."""
    low = (cells - 1) // 2
    return low, cells - 1 - low


def cell_of(score: float, low: int, high: int) -> int:
    """The cell for a 0..1 score on an axis of `low` cells, a midline, `high` cells."""
    if score < 0.5:
        return max(0, min(int(score * 2 * low), low - 1))
    return low + 1 + min(int((score - 0.5) * 2 * high), high - 1)


def spot(entry: QuadrantEntry, width: int, height: int) -> Cell:
    """The (column, row-from-top) cell of the plot an account's marker is in."""
    x_low, x_high = split(width)
    y_low, y_high = split(height)
    return cell_of(entry.input, x_low, x_high), height - 1 - cell_of(entry.output, y_low, y_high)


def place(entries: Sequence[QuadrantEntry], width: int, height: int) -> Counter[tuple[int, int]]:
    """How many accounts fall in each (column, row-from-top) cell of the plot."""
    return Counter(spots(entries, width, height))


def marker(count: int, focus: bool) -> str:
    if count >= 10:
        return "+"
    if count > 1:
        return str(count)
    return "●" if focus else "○"


def _labels(left: str, right: str, left_width: int, role: str) -> Line:
    """The quadrant names above or below the plot, each over its half."""
    left = left if cell_len(left) <= left_width else left[: max(0, left_width)]
    while cell_len(left) > left_width:
        left = left[:-1]
    return [(" " * Y_LABEL, ""), (left + " " * (left_width + 1 - cell_len(left)), role), (right, role)]


def _named(quadrant: str, count: int) -> str:
    return _("{quadrant} ({count})").format(quadrant=_(quadrant), count=f"{count:,}")


def spots(entries: Sequence[QuadrantEntry], width: int, height: int) -> list[Cell]:
    """`spot` of each account, the splits worked out once (10k accounts redraw often)."""
    x_low, x_high = split(width)
    y_low, y_high = split(height)
    return [(cell_of(e.input, x_low, x_high), height - 1 - cell_of(e.output, y_low, y_high)) for e in entries]


def in_order(entries: Sequence[QuadrantEntry], order: Sequence[str]) -> list[QuadrantEntry]:
    """The accounts biggest first (`order`: ids by revenue), any others after them;
    without an order, as they are."""
    if not order:
        return list(entries)
    rank = {account_id: i for i, account_id in enumerate(order)}
    return sorted(entries, key=lambda e: (rank.get(e.id, len(rank)), e.id))


def _plot(cells: Counter[Cell], width: int, rows: int, cursor: Cell | None) -> Grid:
    x_low, _high = split(width)
    _low, y_high = split(rows)
    grid: Grid = []
    for row in range(rows):
        focus = row < y_high
        line: list[Run] = []
        for col in range(width):
            count = cells.get((col, row), 0)
            if count:
                role = "cursor" if (col, row) == cursor else "focus-marker" if focus else "marker"
                line.append((marker(count, focus), role))
            elif row == y_high:
                line.append(("┼" if col == x_low else "─", "axis"))
            else:
                line.append(("│" if col == x_low else " ", "focus-area" if focus else "axis"))
        grid.append(line)
    return grid


def chart_lines(
    entries: Sequence[QuadrantEntry],
    width: int,
    height: int,
    names: Mapping[str, str] | None = None,
    cursor: str | None = None,
    order: Sequence[str] = (),
) -> list[Line]:
    """Quadrant names with their counts above and below the plot, then the legend.
    With `names`, the cursor's account (an id) and the biggest ones (`order`: ids by
    revenue) that fit are named beside their markers."""
    plot_width, rows = width - Y_LABEL, height - 5
    if plot_width < 5 or rows < 3:
        return [[(_("Too small for the chart."), "axis")]]
    counts = Counter(e.quadrant for e in entries)
    x_low, _x_high = split(plot_width)
    _y_low, y_high = split(rows)
    ordered = in_order(entries, order)
    where = spots(ordered, plot_width, rows)
    cells = Counter(where)
    at = next((i for i, e in enumerate(ordered) if e.id == cursor), None)
    grid = _plot(cells, plot_width, rows, where[at] if at is not None else None)
    if names is not None:
        # only the accounts that may get a label: the cursor's, then the biggest
        chosen = ([at] if at is not None else []) + [i for i in range(min(len(ordered), 2 * LABELLED + 1)) if i != at]
        points = [Point(*where[i], names.get(ordered[i].id, "")) for i in chosen]
        axes = {(x_low, y) for y in range(rows)} | {(x, y_high) for x in range(plot_width)}
        mark = 0 if at is not None else None
        labels = place_labels(
            points, range(len(points)), plot_width, rows, cursor=mark, blocked=axes | cells.keys(), most=LABELLED
        )
        high = [label for label in labels if label.y < y_high]  # on the tinted focus half
        overlay(grid, high, "focus-name", "cursor-name", mark)
        overlay(grid, [label for label in labels if label.y >= y_high], "name", "cursor-name", mark)
    lines = [
        _labels(_named(FOCUS_GROW, counts[FOCUS_GROW]), _named(FOCUS_INVEST, counts[FOCUS_INVEST]), x_low, "focus")
    ]
    y_labels = {0: "1", y_high: "0.5", rows - 1: "0"}
    for row, cells_row in enumerate(grid):
        label = y_labels.get(row, "")
        lines.append(merge([(f"{label:>3}", "axis"), ("┤" if label else "│", "axis"), *cells_row]))
    lines.append([("   └" + "─" * x_low + "┴" + "─" * (plot_width - x_low - 1), "axis")])
    lines.append(_labels(_named(MAINTAIN, counts[MAINTAIN]), _named(CUT_INPUT, counts[CUT_INPUT]), x_low, "label"))
    lines.append([(_(AXES), "axis")])
    legend = [(f" {_(text)}  " if not role else text, role) for text, role in LEGEND]
    legend[-1] = (legend[-1][0].rstrip(), "")
    lines.append(legend)
    return lines


def status(entry: QuadrantEntry | None, name: str, count: int, width: int) -> str:
    """The cursor's account in words, in `width` cells, for the line under the chart;
    `count` accounts share its cell."""
    if entry is None:
        return ""
    template = (
        N_("{name}: output {output}, input {input} · {quadrant} · {count} in this cell (← →)")
        if count > 1
        else N_("{name}: output {output}, input {input} · {quadrant}")
    )
    figures = {"output": f"{entry.output:.2f}", "input": f"{entry.input:.2f}", "quadrant": _(entry.quadrant)}
    return named(lambda shown: _(template).format(name=shown, count=count, **figures), name, width)


class QuadrantChart(Widget, can_focus=True):
    """Set `entries` (analysis.QuadrantEntry), `names` (id → name) and `order` (ids by
    revenue); the scatter redraws to its size. Arrows move to the nearest account that
    way; enter chooses it."""

    BINDINGS = [
        Binding("enter", "choose", N_("Open"), id="quadrant-open", tooltip=N_("Open the account under the cursor")),
        Binding("up", "step('up')", N_("Up"), id="quadrant-up", show=False,
                tooltip=N_("The nearest account above")),
        Binding("down", "step('down')", N_("Down"), id="quadrant-down", show=False,
                tooltip=N_("The nearest account below")),
        Binding("left", "step('left')", N_("Left"), id="quadrant-left", show=False,
                tooltip=N_("The nearest account to the left (or the one before in a shared cell)")),
        Binding("right", "step('right')", N_("Right"), id="quadrant-right", show=False,
                tooltip=N_("The nearest account to the right (or the next in a shared cell)")),
        Binding("home", "first", N_("Biggest"), id="quadrant-first", show=False,
                tooltip=N_("The account with the most revenue")),
    ]  # fmt: skip
    COMPONENT_CLASSES = {
        "quadrant-chart--focus",
        "quadrant-chart--focus-area",
        "quadrant-chart--focus-marker",
        "quadrant-chart--marker",
        "quadrant-chart--label",
        "quadrant-chart--axis",
        "quadrant-chart--cursor",
        "quadrant-chart--name",
        "quadrant-chart--focus-name",
        "quadrant-chart--cursor-name",
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
    QuadrantChart > .quadrant-chart--cursor { color: $accent; text-style: bold reverse; }
    QuadrantChart > .quadrant-chart--name { color: $text; text-style: bold; }
    QuadrantChart > .quadrant-chart--focus-name { color: $text; background: $accent 10%; text-style: bold; }
    QuadrantChart > .quadrant-chart--cursor-name { color: $text; background: $accent 60%; text-style: bold; }
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

    entries: reactive[tuple[QuadrantEntry, ...]] = reactive(tuple)
    names: reactive[dict[str, str]] = reactive(dict)
    order: reactive[tuple[str, ...]] = reactive(tuple)
    cursor: reactive[str | None] = reactive(None)

    _ordered: tuple[object, object, list[QuadrantEntry]] = ((), (), [])

    def in_order(self) -> list[QuadrantEntry]:
        """The accounts biggest first, sorted once per load rather than per key."""
        entries, order, ordered = self._ordered
        if entries is not self.entries or order is not self.order:
            ordered = in_order(self.entries, self.order)
            self._ordered = (self.entries, self.order, ordered)
        return ordered

    def watch_entries(self, entries: tuple[QuadrantEntry, ...]) -> None:
        """A reload keeps the cursor on its account while it is still there."""
        if not any(e.id == self.cursor for e in entries):
            self.action_first()

    def watch_cursor(self, cursor: str | None) -> None:
        self.post_message(self.Pointed(cursor))

    def action_first(self) -> None:
        ordered = self.in_order()
        self.cursor = ordered[0].id if ordered else None

    def _plot_size(self) -> tuple[int, int]:
        return self.content_size.width - Y_LABEL, self.content_size.height - 5

    def action_step(self, direction: str) -> None:
        ordered = self.in_order()
        here = next((i for i, e in enumerate(ordered) if e.id == self.cursor), None)
        width, rows = self._plot_size()
        if here is None or width < 5 or rows < 3:
            return
        self.cursor = ordered[step(spots(ordered, width, rows), here, direction)].id

    def action_choose(self) -> None:
        if self.cursor is not None:
            self.post_message(self.Chosen(self.cursor))

    def status(self, width: int) -> str:
        entry = next((e for e in self.entries if e.id == self.cursor), None)
        plot_width, rows = self._plot_size()
        shared = 1
        if entry is not None and plot_width >= 5 and rows >= 3:
            shared = place(self.entries, plot_width, rows)[spot(entry, plot_width, rows)]
        return status(entry, self.names.get(self.cursor or "", ""), shared, width)

    def render(self) -> Text:
        size = self.content_size
        lines = chart_lines(self.in_order(), size.width, size.height, self.names, self.cursor)
        return styled(self, "quadrant-chart", lines)
