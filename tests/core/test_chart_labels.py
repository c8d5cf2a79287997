"""Where the portfolio charts name their points, and how their cursor walks: the pure
placement (no app), then the two charts' lines at the screen's sizes."""

from __future__ import annotations

import random

import pytest
from rich.cells import cell_len

from planner.core import analysis
from planner.core.chart_labels import (
    CURVE_ANCHORS,
    Label,
    Point,
    clip,
    named,
    place_labels,
    step,
)
from planner.widgets import pareto_chart, quadrant_chart
from planner.widgets.chart_text import overlay

CJK = ["海陵市第一人民医院", "南岭电网公司", "东江省邮政分公司", "江南科技大学", "滨江市公安局"]
LATIN = ["Eastern Harbour Bank — Shanghai Branch", "Crestline Securities", "Pacific Link Telecom", "Acme"]


def scatter(seed: int, count: int, width: int, height: int) -> list[Point]:
    rng = random.Random(seed)
    names = CJK + LATIN
    return [Point(rng.randrange(width), rng.randrange(height), rng.choice(names) + str(i % 3)) for i in range(count)]


def assert_apart(labels: list[Label]) -> None:
    """No two labels share a cell or touch (a blank cell between them)."""
    for i, one in enumerate(labels):
        for other in labels[i + 1 :]:
            assert not (one.padded() & other.cells()), (one, other)


# --- clipping by cell width --------------------------------------------------------------


def test_clip_counts_cells_not_characters_and_never_splits_a_wide_one():
    assert clip("Acme", 10) == "Acme"
    assert clip("海陵市第一人民医院", 18) == "海陵市第一人民医院"  # 9 characters, 18 cells
    cut = clip("海陵市第一人民医院", 8)
    assert cut == "海陵市…" and cell_len(cut) == 7
    for width in range(1, 20):
        assert cell_len(clip("海陵市第一人民医院", width)) <= width
        assert cell_len(clip("Eastern Harbour Bank", width)) <= width
    assert clip("two   spaces\nand a line", 40) == "two spaces and a line"


def test_named_cuts_the_name_so_the_sentence_fits():
    def sentence(name: str) -> str:
        return f"{name}: output 0.50"

    assert named(sentence, "南岭电网公司", 40) == "南岭电网公司: output 0.50"
    fitted = named(sentence, "海陵市第一人民医院", 26)
    assert cell_len(fitted) <= 26 and fitted.startswith("海陵市第一") and "…" in fitted


# --- placement ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize(("width", "height"), [(76, 13), (96, 19), (30, 6)])
def test_labels_stay_inside_apart_and_off_the_blocked_cells(seed, width, height):
    points = scatter(seed, 40, width, height)
    blocked = {(width // 2, y) for y in range(height)} | {(p.x, p.y) for p in points}
    cursor = seed % len(points)
    labels = place_labels(points, range(len(points)), width, height, cursor=cursor, blocked=blocked)
    assert labels[0].point == cursor  # the cursor's account is always named, first
    assert len({label.point for label in labels}) == len(labels)
    assert_apart(labels)
    for label in labels:
        assert 0 <= label.y < height and label.x >= 0 and label.x + cell_len(label.text) <= width
        assert (points[label.point].x, points[label.point].y) not in label.cells()
        if label.point != cursor:
            assert not label.padded() & blocked, label


def test_the_cursor_is_named_even_where_nothing_is_free():
    """Every other cell is a marker: the others get no label, the cursor's still shows."""
    width, height = 20, 5
    points = [Point(x, y, "南岭电网公司") for y in range(height) for x in range(0, width, 2)]
    blocked = {(p.x, p.y) for p in points}
    labels = place_labels(points, range(len(points)), width, height, cursor=7, blocked=blocked)
    assert [label.point for label in labels] == [7]
    assert labels[0].text.startswith("南")


def test_a_crowded_cursor_label_is_cut_rather_than_cross_an_axis():
    """A point just left of the midline with the rows above and below taken: the name
    is cut to what fits before the axis."""
    width, height = 40, 3
    axis = {(20, y) for y in range(height)}
    points = [Point(8, 1, "Eastern Harbour Bank — Shanghai Branch")]
    blocked = axis | {(x, y) for x in range(width) for y in (0, 2)}
    (label,) = place_labels(points, [0], width, height, cursor=0, blocked=blocked)
    assert label.y == 1 and label.x == 10
    assert not label.cells() & axis and label.text.endswith("…")


def test_a_cjk_name_near_the_right_edge_goes_left_by_its_cell_width():
    width = 30
    points = [Point(27, 2, "海陵市第一人民医院")]  # 18 cells: no room on the right
    (label,) = place_labels(points, [0], width, 5, cursor=0)
    assert label.x + cell_len(label.text) == 27 - 1  # ends two cells left of the marker
    assert cell_len(label.text) == 18


def test_the_top_accounts_are_tried_in_order_and_at_most_most():
    points = [Point(2, y * 2, f"Account {y}") for y in range(10)]
    labels = place_labels(points, range(10), 60, 20, most=3)
    assert [label.point for label in labels] == [0, 1, 2]


def test_a_label_over_bars_covers_at_most_half_of_itself():
    """The curve's anchors: above the bar when free; over the bars only in part."""
    width, height = 30, 6
    bars = {(x, y) for x in range(width) for y in range(height) if y >= height - 1 - x // 3}
    points = [Point(x, height - 1 - x // 3, f"Name {x}") for x in range(0, width, 3)]
    labels = place_labels(points, range(len(points)), width, height, anchors=CURVE_ANCHORS, avoid=bars)
    assert labels
    for label in labels:
        assert len(label.cells() & bars) * 2 <= label.width


def test_overlay_puts_a_wide_character_in_two_cells():
    grid = [[(" ", "")] * 10]
    overlay(grid, [Label(1, 0, "南岭x", 0)], "name")
    assert [text for text, _ in grid[0]] == [" ", "南", "", "岭", "", "x", " ", " ", " ", " "]
    assert cell_len("".join(text for text, _ in grid[0])) == 10


# --- the cursor's walk ------------------------------------------------------------------------


def test_arrows_go_to_the_nearest_point_that_way():
    cells = [(10, 5), (30, 5), (12, 8), (10, 1), (40, 9)]
    assert step(cells, 0, "right") == 1  # (12, 8) is more below than right
    assert step(cells, 0, "down") == 2
    assert step(cells, 0, "up") == 3
    assert step(cells, 1, "left") == 0
    assert step(cells, 4, "right") == 4  # nothing further: stays
    assert step(cells, 3, "up") == 3


def test_left_and_right_walk_the_points_that_share_a_cell():
    cells = [(5, 5), (5, 5), (5, 5), (9, 5), (1, 5)]
    assert step(cells, 0, "right") == 1
    assert step(cells, 1, "right") == 2
    assert step(cells, 2, "right") == 3
    assert step(cells, 2, "left") == 1
    assert step(cells, 0, "left") == 4
    assert step(cells, 3, "left") == 0  # into a shared cell: its first point


def test_every_point_can_be_reached():
    cells = [(p.x, p.y) for p in scatter(3, 30, 60, 12)]
    seen, frontier = {0}, [0]
    while frontier:
        here = frontier.pop()
        for direction in ("left", "right", "up", "down"):
            there = step(cells, here, direction)
            if there not in seen:
                seen.add(there)
                frontier.append(there)
    assert seen == set(range(len(cells)))


# --- the charts at the screen's sizes ---------------------------------------------------------


def text(line) -> str:
    return "".join(run for run, _ in line)


def cells(line) -> list[str]:
    """A line as terminal cells: a double-width character, then "" for its second cell."""
    found: list[str] = []
    for char in text(line):
        found.extend([char] if cell_len(char) == 1 else [char, ""])
    return found


# The chart's content size on the portfolio screen at 80x24 and 100x30.
SIZES = [(80, 18), (100, 24)]


def portfolio(count: int):
    names = {f"a{i}": (CJK + LATIN)[i % 9] + f" {i}" for i in range(count)}
    entries = analysis.pareto([(f"a{i}", float(1000 * 0.8**i)) for i in range(count)], 0.8)
    return names, entries


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("count", [1, 7, 34, 2000])
def test_the_curve_names_the_cursor_and_keeps_to_its_width(width, height, count):
    names, entries = portfolio(count)
    cursor = f"a{count // 2}"
    lines = pareto_chart.chart_lines(entries, 0.8, width, height, names, cursor)
    shown = [text(line) for line in lines]
    assert all(cell_len(line) <= width for line in shown)
    plot = shown[: height - 3]
    assert all(line[4] in "┤│" for line in plot)  # the y axis is never covered
    assert shown[height - 3].startswith("    └")
    named_runs = [run for line in lines for run, role in line if role == "cursor-name"]
    assert named_runs and names[cursor].startswith(named_runs[0].rstrip("…"))
    assert [run for line in lines for run, role in line if role == "cursor"]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_quadrant_names_points_without_touching_its_axes(width, height):
    names = {f"a{i}": (CJK + LATIN)[i % 9] for i in range(40)}
    rng = random.Random(7)
    entries = [analysis.QuadrantEntry(f"a{i}", rng.random(), rng.random(), "") for i in range(40)]
    order = [f"a{i}" for i in range(40)]
    bare = quadrant_chart.chart_lines(entries, width, height)
    lines = quadrant_chart.chart_lines(entries, width, height, names, "a5", order)
    assert all(cell_len(text(line)) <= width for line in lines)
    rows = height - 5
    x_low, _ = quadrant_chart.split(width - 4)
    _, y_high = quadrant_chart.split(rows)
    for row in range(rows):
        plain, labelled = cells(bare[1 + row]), cells(lines[1 + row])
        assert len(labelled) <= width
        assert labelled[4 + x_low] == plain[4 + x_low] in "│┼"  # the midline stays
        for x, char in enumerate(plain):
            if char in "●○+23456789":  # every marker still shows: labels go around them
                assert labelled[x] == char, (row, x)
    assert "─" * 5 in text(lines[1 + y_high])
    cursor_names = [run for line in lines for run, role in line if role == "cursor-name"]
    assert cursor_names and names["a5"].startswith(cursor_names[0].rstrip("…"))
    labelled_names = [run for line in lines for run, role in line if role == "name"]
    assert labelled_names  # the biggest accounts that fit are named too
