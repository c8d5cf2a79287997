"""Arrow keys on the influence × closeness grid: the pure move rules."""

from __future__ import annotations

from planner.core import models as m
from planner.core.stakeholders import Stakeholder, grid_neighbour


def people(*placed: tuple[str, int, int]) -> list[Stakeholder]:
    """(name, influence, closeness) → stakeholders whose id is their name."""
    return [
        Stakeholder(m.Person(id=name, account_id="a", name=name, influence=inf, closeness=clo), "", None)
        for name, inf, clo in placed
    ]


def walk(board: list[Stakeholder], start: str, *keys: str) -> list[str | None]:
    seen, at = [], start
    for key in keys:
        at = grid_neighbour(board, at, key)
        seen.append(at)
    return seen


def test_up_and_down_change_the_influence_row_and_prefer_the_same_column():
    board = people(("mid", 3, 3), ("above", 5, 3), ("side", 4, 1), ("below", 1, 3))
    # 4,1 is one row up but two columns off (3 steps); 5,3 is two rows straight up (2 steps).
    assert walk(board, "mid", "up", "down", "down", "down") == ["above", "mid", "below", "below"]


def test_left_and_right_change_the_closeness_column_then_stop_at_the_edge():
    board = people(("a", 3, 1), ("b", 3, 4), ("c", 2, 5))
    assert walk(board, "a", "right", "right", "right", "left", "left", "left") == ["b", "c", "c", "b", "a", "a"]


def test_names_sharing_a_cell_are_walked_left_and_right_before_leaving_it():
    board = people(("x", 3, 3), ("y", 3, 3), ("z", 3, 3), ("west", 3, 2), ("east", 3, 4))
    assert walk(board, "x", "right", "right", "right") == ["y", "z", "east"]
    assert walk(board, "east", "left") == ["z"]  # entering from the right lands on its last name
    assert walk(board, "x", "left") == ["west"]
    assert walk(board, "west", "right") == ["x"]
    assert walk(board, "z", "up") == ["z"]  # nobody above
    assert walk(board, "y", "up") == ["y"]


def test_ties_go_to_the_straight_line_then_the_top_left():
    board = people(("from", 3, 3), ("ul", 4, 2), ("ur", 4, 4), ("far", 5, 3))
    # ul and ur are 2 steps away, far is 2 steps straight up: the straight line wins.
    assert grid_neighbour(board, "from", "up") == "far"
    board = people(("from", 3, 3), ("ul", 4, 2), ("ur", 4, 4))
    assert grid_neighbour(board, "from", "up") == "ul"
    board = people(("from", 3, 3), ("high", 4, 4), ("low", 2, 4))
    assert grid_neighbour(board, "from", "right") == "high"


def test_scores_outside_1_to_5_sit_on_the_edge_and_unknown_selection_starts_at_the_first():
    board = people(("edge", 9, 0), ("next", 5, 2))
    assert grid_neighbour(board, "edge", "right") == "next"
    assert grid_neighbour(board, "gone", "up") == "edge"
    assert grid_neighbour([], None, "up") is None
