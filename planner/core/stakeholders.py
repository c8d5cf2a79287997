"""The key people of one account as the stakeholder screen shows them.

Pure helpers (layers in the method's order, the next stance, a score nudged within
1..5, people placed on the influence × closeness grid, moving between cards); the
store's `stakeholder_board` gathers what the screen shows, and `with_how_met` adds
how each person was first met and who introduced them (`core.introductions`).
The method's warning sign is the influential person the rep is not close to, so
that corner of the grid is named here once and every view agrees on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

from planner.core import models as m
from planner.core.analysis import RedFlag
from planner.core.i18n import N_
from planner.core.introductions import NOT_MET, HowMet, contacts_from, how_met
from planner.core.rows import UnitNode

LAYER_TITLES = {
    "image": N_("Image layer 形象层"),
    "decision": N_("Decision layer 决策层"),
    "implementation": N_("Implementation layer 实施层"),
    "usage": N_("Usage layer 使用层"),
}
"""Each layer's heading, marked for the catalog: pass it through `_` where it is shown."""
LOWEST, HIGHEST = 1, 5
# The corner of the grid the rep must work on: influence at least 4, closeness at most 2.
CORNER_INFLUENCE, CORNER_CLOSENESS = 4, 2


class Stakeholder(NamedTuple):
    """A person with what the card shows beside the record: unit name, last met, and
    how they were first met and who introduced them (None: not worked out)."""

    person: m.Person
    unit: str
    last_met: date | None
    how: HowMet | None = None

    @property
    def id(self) -> str:
        return self.person.id

    @property
    def not_close(self) -> bool:
        return influential_not_close(self.person.influence, self.person.closeness)


@dataclass(frozen=True)
class Board:
    """Everything the stakeholder screen shows for one account, read in one go."""

    account: m.Account
    people: tuple[Stakeholder, ...]
    units: tuple[UnitNode, ...]
    flags: tuple[RedFlag, ...]

    def find(self, person_id: str | None) -> Stakeholder | None:
        return next((s for s in self.people if s.id == person_id), None)


def with_how_met(board: Board, visits: Iterable[m.Visit], met: Mapping[str, Sequence[tuple[str, str]]]) -> Board:
    """The board with how each person was first met and the introduction path to them,
    from the account's visits and who was met at each (visit id → (person id, name))."""
    names = {s.id: s.person.name for s in board.people}
    for people in met.values():
        names.update((person_id, name) for person_id, name in people if person_id not in names)
    found = how_met(contacts_from(visits, met), names)
    return replace(board, people=tuple(s._replace(how=found.get(s.id, NOT_MET)) for s in board.people))


def influential_not_close(influence: int, closeness: int) -> bool:
    return influence >= CORNER_INFLUENCE and closeness <= CORNER_CLOSENESS


def by_layer(people: Iterable[Stakeholder]) -> dict[str, list[Stakeholder]]:
    """Every layer in the method's order (empty ones too), people in the given order."""
    layers: dict[str, list[Stakeholder]] = {layer: [] for layer in m.LAYERS}
    for stakeholder in people:
        layers.setdefault(stakeholder.person.layer, []).append(stakeholder)
    return layers


def next_stance(stance: str) -> str:
    """supporter → neutral → opponent → unknown → supporter; anything else starts over."""
    stances = m.STANCES
    return stances[(stances.index(stance) + 1) % len(stances)] if stance in stances else stances[0]


def stepped(score: int, step: int) -> int | None:
    """The score moved by `step` within 1..5, or None when it is already at the limit."""
    moved = max(LOWEST, min(HIGHEST, score + step))
    return None if moved == score else moved


def grid_cells(people: Iterable[Stakeholder]) -> dict[tuple[int, int], list[Stakeholder]]:
    """People per (influence, closeness) cell of the 5 × 5 grid, scores kept in 1..5."""
    cells: dict[tuple[int, int], list[Stakeholder]] = {}
    for stakeholder in people:
        p = stakeholder.person
        key = (max(LOWEST, min(HIGHEST, p.influence)), max(LOWEST, min(HIGHEST, p.closeness)))
        cells.setdefault(key, []).append(stakeholder)
    return cells


STEPS = {"up": (1, 0), "down": (-1, 0), "left": (0, -1), "right": (0, 1)}
"""How an arrow moves on the grid: (influence, closeness) steps; up is more influence."""


def grid_neighbour(people: Sequence[Stakeholder], current: str | None, direction: str) -> str | None:
    """The person an arrow key lands on in the influence × closeness grid.

    Left and right first walk the names sharing `current`'s cell (in the order they
    are shown), then leave it. Leaving a cell lands in the nearest occupied cell in
    that direction: up and down look at rows of more or less influence, left and
    right at columns of less or more closeness; nearest counts steps along plus
    steps across, a straight line wins a tie, then the cell nearer the top left.
    It lands on the cell's first name (its last when moving left). Nobody that way:
    the selection stays."""
    cells = grid_cells(people)
    where = next(((cell, names) for cell, names in cells.items() if current in [s.id for s in names]), None)
    if where is None or current is None:
        return people[0].id if people else current
    (influence, closeness), here = where
    up, right = STEPS[direction]
    index = [s.id for s in here].index(current)
    if right and 0 <= index + right < len(here):
        return here[index + right].id

    def distance(cell: tuple[int, int]) -> tuple[int, int, int, int] | None:
        along = (cell[0] - influence) * up + (cell[1] - closeness) * right
        if along <= 0:
            return None
        across = abs(cell[1] - closeness) if up else abs(cell[0] - influence)
        return along + across, across, -cell[0], cell[1]

    reachable = [(d, cell) for cell in cells if (d := distance(cell)) is not None]
    if not reachable:
        return current
    names = cells[min(reachable)[1]]
    return names[-1].id if direction == "left" else names[0].id


def neighbour(layers: Sequence[Sequence[str]], current: str, direction: str, columns: int) -> str:
    """The card reached from `current` by an arrow key, the layers laid out one under
    another with `columns` cards per row. Left and right step through the cards in
    reading order, into the next or previous layer at its ends; up and down keep the
    column, crossing into the neighbouring layer from its first or last row."""
    filled = [list(layer) for layer in layers if layer]
    where = next(((n, layer.index(current)) for n, layer in enumerate(filled) if current in layer), None)
    if where is None:
        return filled[0][0] if filled else current
    number, index = where
    if direction in ("left", "right"):
        flat = [card for layer in filled for card in layer]
        at = flat.index(current) + (1 if direction == "right" else -1)
        return flat[at] if 0 <= at < len(flat) else current
    columns = max(1, columns)
    layer, row, column = filled[number], index // columns, index % columns
    last_row = (len(layer) - 1) // columns
    if direction == "up":
        if row > 0:
            return layer[index - columns]
        if number == 0:
            return current
        above = filled[number - 1]
        return above[min((len(above) - 1) // columns * columns + column, len(above) - 1)]
    if row < last_row:
        return layer[min(index + columns, len(layer) - 1)]
    if number == len(filled) - 1:
        return current
    return filled[number + 1][min(column, len(filled[number + 1]) - 1)]
