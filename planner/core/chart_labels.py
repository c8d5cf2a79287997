"""Where a chart names its points, and how a cursor walks them: pure, so the charts'
label layout is tested without an app.

A plot is a grid of terminal cells, `x` from the left, `y` from the top. A label is
one line of text beside its point, tried at a chart's anchors in order; it must stay
inside the plot and never cover another label or a `blocked` cell (the axes, other
points' markers), nor run into one (a blank cell either side). Cells to `avoid` (a
bar's body) are covered only when no anchor keeps clear of them, and then by at most
half of a label. The cursor's label is placed first and always: if nothing is
free it is cut shorter, and only if that fails too it takes the first anchor inside
the plot. Widths are terminal cells (`rich.cells.cell_len`), so a Chinese name takes
two cells a character.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import NamedTuple

from rich.cells import cell_len, get_character_cell_size

Cell = tuple[int, int]
ELLIPSIS = "…"
LABEL_CELLS = 22  # a name longer than this is cut with an ellipsis


class Point(NamedTuple):
    """A point of the plot: its cell and the name it would be labelled with."""

    x: int
    y: int
    text: str


class Anchor(NamedTuple):
    """Where a label may go relative to its point: `dy` rows down (negative: up) and,
    if `start`, beginning `dx` cells right of the point, else ending `dx` cells right
    of it (a negative `dx` ends it left of the point)."""

    dx: int
    dy: int
    start: bool


class Label(NamedTuple):
    x: int
    y: int
    text: str
    point: int  # index of its point

    @property
    def width(self) -> int:
        return cell_len(self.text)

    def cells(self) -> set[Cell]:
        return {(self.x + i, self.y) for i in range(self.width)}

    def padded(self) -> set[Cell]:
        """Its cells and the one either side, kept blank so it never runs into a
        marker, an axis or another label."""
        return self.cells() | {(self.x - 1, self.y), (self.x + self.width, self.y)}


# Beside a marker on its row, right then left, then the rows above and below.
SCATTER_ANCHORS = (
    Anchor(2, 0, True),
    Anchor(-2, 0, False),
    Anchor(0, -1, True),
    Anchor(0, -1, False),
    Anchor(0, 1, True),
    Anchor(0, 1, False),
)
# Above a bar's top, ending over it (the empty side of a rising curve), then left of
# it on its row, then over the taller bars to its right.
CURVE_ANCHORS = (
    Anchor(0, -1, False),
    Anchor(-1, 0, False),
    Anchor(0, -2, False),
    Anchor(0, -1, True),
    Anchor(1, 0, True),
)


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` cells, ending in an ellipsis when cut; a double-
    width character is never split."""
    text = " ".join(text.split())
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    kept, used = [], 0
    for char in text:
        size = get_character_cell_size(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept).rstrip() + ELLIPSIS


def named(sentence: Callable[[str], str], name: str, width: int) -> str:
    """`sentence(name)` in `width` cells if it can be, by cutting the name (to no
    fewer than 8 cells)."""
    room = width - cell_len(sentence(""))
    return sentence(clip(name, max(room, 8)))


def at(point: Point, anchor: Anchor, text: str, index: int) -> Label:
    """The label of `text` for `point` at `anchor`."""
    x = point.x + anchor.dx if anchor.start else point.x + anchor.dx - cell_len(text) + 1
    return Label(x, point.y + anchor.dy, text, index)


def inside(label: Label, width: int, height: int) -> bool:
    return 0 <= label.y < height and label.x >= 0 and label.x + label.width <= width


def clear(cells: set[Cell], *others: set[Cell]) -> bool:
    """No cell of `cells` is in any of `others` (without building their union)."""
    return all(cells.isdisjoint(other) for other in others)


def place_labels(
    points: Sequence[Point],
    order: Iterable[int],
    width: int,
    height: int,
    *,
    cursor: int | None = None,
    anchors: Sequence[Anchor] = SCATTER_ANCHORS,
    blocked: Collection[Cell] = (),
    avoid: Collection[Cell] = (),
    most: int = 12,
    longest: int = LABEL_CELLS,
) -> list[Label]:
    """Labels for the cursor's point (always, if the plot has a cell for it) and then
    for the points of `order` (indices, most important first) that fit: at most `most`
    of them, out of the first `2 * most` tried. Returns the cursor's label first."""
    taken: set[Cell] = set()
    labels: list[Label] = []
    hard = set(blocked)
    soft = set(avoid)

    def candidates(index: int, room: int = longest) -> list[Label]:
        point = points[index]
        text = clip(point.text, min(room, width))
        if not text:
            return []
        found = [at(point, anchor, text, index) for anchor in anchors]
        return [label for label in found if inside(label, width, height)]

    def keep(label: Label) -> None:
        labels.append(label)
        taken.update(label.padded())

    if cursor is not None and 0 <= cursor < len(points):
        options = candidates(cursor)
        own = (points[cursor].x, points[cursor].y)
        taken.add(own)
        clean = [o for o in options if clear(o.padded(), hard) and clear(o.cells(), soft) and own not in o.cells()]
        fair = [o for o in options if clear(o.cells(), hard) and own not in o.cells()]
        for room in range(min(longest, width) - 1, 3, -1):  # else shorter, clear of the axes
            if clean or fair:
                break
            fair = [o for o in candidates(cursor, room) if clear(o.cells(), hard) and own not in o.cells()]
        if clean or fair or options:
            keep((clean or fair or options)[0])
        elif width > 0 and 0 <= points[cursor].y < height and points[cursor].text.strip():
            keep(Label(0, points[cursor].y, clip(points[cursor].text, width), cursor))  # narrower than any anchor
    count = tried = 0
    for index in order:
        if count >= most or tried >= 2 * most:
            break
        tried += 1
        if index == cursor or not 0 <= index < len(points):
            continue
        own = (points[index].x, points[index].y)
        options = [o for o in candidates(index) if own not in o.cells() and clear(o.padded(), taken, hard)]
        # over a bar's body only when no anchor keeps clear, and for at most half the label
        fits = sorted(options, key=lambda o: len(o.cells() & soft))
        if fits and len(fits[0].cells() & soft) * 2 <= fits[0].width:
            keep(fits[0])
            count += 1
    return labels


# --- the cursor ---------------------------------------------------------------------

DIRECTIONS = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}
ROW_CELLS = 2  # a row is about as tall as two cells are wide


def step(cells: Sequence[Cell], current: int, direction: str) -> int:
    """The point a cursor on `cells[current]` moves to with an arrow key: the nearest
    one that way (distance along the key counts once, across it twice, in the cells'
    own proportions), preferring those within 45° of the key. Points sharing a cell
    are a row of their own: left and right walk them in `cells`' order before leaving
    the cell. Stays put at the edge."""
    if not 0 <= current < len(cells):
        return current
    dx, dy = DIRECTIONS[direction]
    here = cells[current]
    if dy == 0:  # the next point in the same cell first
        same = [i for i, cell in enumerate(cells) if cell == here]
        spot = same.index(current) + dx
        if 0 <= spot < len(same):
            return same[spot]
    best: tuple[bool, int, int] | None = None
    found = current
    for index, (x, y) in enumerate(cells):
        right, down = x - here[0], (y - here[1]) * ROW_CELLS
        along = right * dx + down * dy
        across = abs(down) if dy == 0 else abs(right)
        if along <= 0:
            continue
        rank = (across > along, along + 2 * across, index)
        if best is None or rank < best:
            best, found = rank, index
    return found
