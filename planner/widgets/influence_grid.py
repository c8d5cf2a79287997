"""Where each person stands: a 5 × 5 grid of influence (up) against closeness (right).

The corner the method warns about, influence 4-5 with closeness 1-2, is the
top-left block: it is boxed with heavy lines, titled "⚠ influential, not close" and
tinted, and the people in it are listed under the grid, so it reads on a
monochrome terminal too. Names carry their stance mark; the selected person is
marked ▸. Pure functions lay out the lines; the widget only styles them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from planner.core.formatting import STANCE_MARKS, stance_label
from planner.core.i18n import N_, _
from planner.core.models import STANCES
from planner.core.stakeholders import HIGHEST, Stakeholder, grid_cells, influential_not_close
from planner.widgets.chart_text import Line, Run, merge

SIDE = HIGHEST  # cells per axis
Y_LABEL = 3  # " 5 " before each row
CORNER_TITLES = (N_(" ⚠ influential, not close "), N_(" ⚠ not close "), "⚠")
TITLE = N_("↑ influence × closeness →   heavy box ⚠ = influence ≥4 but closeness ≤2")
X_LABELS = (N_("1 distant"), "2", "3", "4", N_("5 close"))
MAX_ROW_HEIGHT = 4


def legend() -> str:
    """The stance marks, the cursor's mark and the keys, in the interface's language."""
    marks = [f"{STANCE_MARKS[stance]} {stance_label(stance)}" for stance in STANCES]
    return "  ".join([*marks, _("▸ selected"), _("arrows move")])


def center(text: str, width: int) -> str:
    """`text` centred in `width` terminal cells (a Chinese character takes two), as
    `str.center` does it for one-cell characters."""
    return text.center(width - cell_len(text) + len(text))


def _box_characters() -> dict[tuple[int, int, int, int], str]:
    """Box-drawing characters by the weight of their (up, down, left, right) arms:
    0 none, 1 light, 2 heavy. Read from the Unicode names, so mixed light and heavy
    junctions (where the corner's box meets the grid) are all there."""
    weights = {"LIGHT": 1, "HEAVY": 2}
    directions = {
        "UP": ("up",),
        "DOWN": ("down",),
        "LEFT": ("left",),
        "RIGHT": ("right",),
        "VERTICAL": ("up", "down"),
        "HORIZONTAL": ("left", "right"),
    }
    table = {}
    for code in range(0x2500, 0x254C):
        name = unicodedata.name(chr(code)).removeprefix("BOX DRAWINGS ")
        if "DASH" in name:
            continue
        arms = dict.fromkeys(("up", "down", "left", "right"), 0)
        pending: list[str] = []
        weight = 0
        for word in name.split():
            if word in weights and pending:
                arms.update(dict.fromkeys(pending, weights[word]))
                pending = []
            elif word in weights:
                weight = weights[word]
            elif word in directions:
                pending.extend(directions[word])
        arms.update(dict.fromkeys(pending, weight))
        table[(arms["up"], arms["down"], arms["left"], arms["right"])] = chr(code)
    return table


BOX = _box_characters()


def in_corner(row: int, column: int) -> bool:
    """Whether the cell at `row` (0 = influence 5) and `column` (0 = closeness 1) is
    in the influential-but-not-close corner."""
    return 0 <= row < SIDE and 0 <= column < SIDE and influential_not_close(SIDE - row, column + 1)


def _across(y: int, column: int) -> int:
    """Weight of the line above row `y` over `column`: heavy where it bounds the corner."""
    return 2 if in_corner(y - 1, column) != in_corner(y, column) else 1


def _down(x: int, row: int) -> int:
    """Weight of the line left of column `x` beside `row`."""
    return 2 if in_corner(row, x - 1) != in_corner(row, x) else 1


def junction(x: int, y: int) -> Run:
    arms = (
        _down(x, y - 1) if y > 0 else 0,
        _down(x, y) if y < SIDE else 0,
        _across(y, x - 1) if x > 0 else 0,
        _across(y, x) if x < SIDE else 0,
    )
    return BOX[arms], "corner" if 2 in arms else "axis"


def _border(y: int, width: int) -> Line:
    runs: list[Run] = [(" " * Y_LABEL, "")]
    for x in range(SIDE + 1):
        runs.append(junction(x, y))
        if x < SIDE:
            heavy = _across(y, x) == 2
            runs.append((BOX[(0, 0, 2, 2)] * width, "corner") if heavy else (BOX[(0, 0, 1, 1)] * width, "axis"))
    if y == 0:
        corner_width = 2 * width + 1
        title = next((t for t in map(_, CORNER_TITLES) if cell_len(t) + 1 <= corner_width), "")
        if title:
            line = merge(runs)
            first, bar = line[0], line[1][0]
            return [first, (bar[:2] + title + bar[2 + cell_len(title) :], "corner"), *line[2:]]
    return merge(runs)


def _token(stakeholder: Stakeholder, selected: str | None) -> Run:
    p = stakeholder.person
    mark = STANCE_MARKS.get(p.stance, "?")
    if stakeholder.id == selected:
        return f"▸{mark}{p.name}", f"{p.stance} selected"
    return f"{mark}{p.name}", p.stance


def _used(runs: Sequence[Run]) -> int:
    return sum(cell_len(text) for text, _role in runs) + max(0, len(runs) - 1)


def cell_lines(people: Sequence[Stakeholder], selected: str | None, width: int, height: int) -> list[list[Run]]:
    """Names wrapped into `height` lines of exactly `width` cells; the last line ends
    with "+N" when N names do not fit. The selected name is always among those shown:
    when it would fall under "+N" it comes first."""
    lines = _wrapped([_token(s, selected) for s in people], width, height)
    shown = any(role.endswith(" selected") for line in lines for _, role in line)
    if not shown and selected in [s.id for s in people]:
        first = sorted(people, key=lambda s: s.id != selected)
        lines = _wrapped([_token(s, selected) for s in first], width, height)
    return lines


def _wrapped(tokens: list[Run], width: int, height: int) -> list[list[Run]]:
    lines: list[list[Run]] = [[]]
    for text, role in tokens:
        token = (set_cell_size(text, min(cell_len(text), width)), role)
        if lines[-1] and _used([*lines[-1], token]) > width:
            if len(lines) == height:
                break
            lines.append([])
        lines[-1].append(token)
    placed = sum(len(line) for line in lines)
    if placed < len(tokens):
        last = lines[-1]
        while last and _used([*last, (f"+{len(tokens) - placed}", "")]) > width:
            last.pop()
            placed -= 1
        last.append((f"+{len(tokens) - placed}", "axis"))
    lines += [[] for _ in range(height - len(lines))]
    padded = []
    for line in lines:
        runs: list[Run] = []
        for text, role in line:
            runs += [(" ", ""), (text, role)] if runs else [(text, role)]
        padded.append([*runs, (" " * (width - _used(line)), "")])
    return padded


def grid_lines(people: Sequence[Stakeholder], selected: str | None, width: int, height: int) -> list[Line]:
    """The whole grid as lines of (text, role) runs for a widget of this size."""
    cell_width = (width - Y_LABEL - SIDE - 1) // SIDE
    row_height = min(MAX_ROW_HEIGHT, (height - 10) // SIDE)
    if cell_width < 4 or row_height < 1:
        return [[(_("Too small for the grid: make the window larger."), "axis")]]
    cells = grid_cells(people)
    lines: list[Line] = [[(_(TITLE), "title")], _border(0, cell_width)]
    for row in range(SIDE):
        influence = SIDE - row
        contents = [
            cell_lines(cells.get((influence, column + 1), []), selected, cell_width, row_height)
            for column in range(SIDE)
        ]
        for n in range(row_height):
            runs: list[Run] = [(f"{influence:>2} " if n == 0 else " " * Y_LABEL, "axis")]
            for column in range(SIDE + 1):
                heavy = _down(column, row) == 2
                runs.append((BOX[(2, 2, 0, 0)], "corner") if heavy else (BOX[(1, 1, 0, 0)], "axis"))
                if column < SIDE:
                    area = "corner-area" if in_corner(row, column) else ""
                    runs.extend((text, f"{role} {area}".strip()) for text, role in contents[column][n])
            lines.append(merge(runs))
        lines.append(_border(row + 1, cell_width))
    labels = [_(label) for label in X_LABELS]
    labels = [label if cell_len(label) <= cell_width else label[0] for label in labels]
    lines.append([(" " * (Y_LABEL + 1) + " ".join(center(label, cell_width) for label in labels), "axis")])
    lines.append([(legend(), "axis")])
    corner = [s.person.name for s in people if s.not_close]
    names = ", ".join(corner) or _("nobody")
    lines.append([(_("⚠ Influential, not close ({count}): {names}").format(count=len(corner), names=names), "corner")])
    return lines


class InfluenceGrid(Widget):
    """Set `people` (stakeholders) and `selected` (a person id); the grid redraws to its size."""

    COMPONENT_CLASSES = {
        "influence-grid--title",
        "influence-grid--axis",
        "influence-grid--corner",
        "influence-grid--corner-area",
        "influence-grid--supporter",
        "influence-grid--opponent",
        "influence-grid--unknown",
        "influence-grid--selected",
    }
    DEFAULT_CSS = """
    InfluenceGrid {
        height: 1fr;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    InfluenceGrid > .influence-grid--title { color: $text-muted; text-style: bold; }
    InfluenceGrid > .influence-grid--axis { color: $text-muted; }
    InfluenceGrid > .influence-grid--corner { color: $text-warning; text-style: bold; }
    InfluenceGrid > .influence-grid--corner-area { background: $warning 15%; }
    InfluenceGrid > .influence-grid--supporter { color: $text-success; }
    InfluenceGrid > .influence-grid--opponent { color: $text-error; }
    InfluenceGrid > .influence-grid--unknown { color: $text-muted; }
    InfluenceGrid > .influence-grid--selected { text-style: bold reverse; }
    """

    people: reactive[tuple[Stakeholder, ...]] = reactive(tuple)
    selected: reactive[str | None] = reactive(None)

    def _style(self, roles: str) -> Style:
        style = Style()
        for role in roles.split():
            if f"influence-grid--{role}" in self.COMPONENT_CLASSES:
                style += self.get_component_rich_style(f"influence-grid--{role}")
        return style

    def render(self) -> Text:
        size = self.content_size
        text = Text(no_wrap=True, overflow="crop")
        for number, line in enumerate(grid_lines(self.people, self.selected, size.width, size.height)):
            if number:
                text.append("\n")
            for run, roles in line:
                text.append(run, self._style(roles) if roles else None)
        return text
