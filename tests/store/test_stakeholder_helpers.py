"""The stakeholder helpers: layers, stance cycle, clamped scores, grid cells, card moves,
and the loader that gathers one account's people, units, last meetings and flags."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from records import make_account

from planner.core import models as m
from planner.core.errors import NotFound
from planner.core.stakeholders import (
    Stakeholder,
    by_layer,
    grid_cells,
    influential_not_close,
    neighbour,
    next_stance,
    stepped,
)

DAY = date(2026, 11, 27)


def person(name: str, layer: str = "usage", influence: int = 3, closeness: int = 1) -> Stakeholder:
    return Stakeholder(
        m.Person(account_id="a", name=name, layer=layer, influence=influence, closeness=closeness), "", None
    )


def test_stance_cycles_through_all_four_and_back():
    assert [next_stance(s) for s in ("supporter", "neutral", "opponent", "unknown")] == [
        "neutral",
        "opponent",
        "unknown",
        "supporter",
    ]
    assert next_stance("something else") == "supporter"


def test_scores_step_within_one_to_five_and_report_the_limit():
    assert stepped(3, 1) == 4
    assert stepped(3, -1) == 2
    assert stepped(5, 1) is None
    assert stepped(1, -1) is None
    assert stepped(4, 5) == 5


def test_the_corner_is_influence_four_or_more_and_closeness_two_or_less():
    assert influential_not_close(5, 1) and influential_not_close(4, 2)
    assert not influential_not_close(3, 1)
    assert not influential_not_close(5, 3)


def test_grid_cells_place_people_by_influence_and_closeness():
    boss, friend, clerk = person("Boss", influence=5, closeness=1), person("Friend", closeness=5), person("Clerk")
    cells = grid_cells([boss, friend, clerk])
    assert cells[(5, 1)] == [boss]
    assert cells[(3, 5)] == [friend]
    assert cells[(3, 1)] == [clerk]
    assert boss.not_close and not friend.not_close


def test_by_layer_keeps_the_methods_order_and_empty_layers():
    people = [person("U", "usage"), person("D", "decision"), person("D2", "decision")]
    layers = by_layer(people)
    assert list(layers) == ["image", "decision", "implementation", "usage"]
    assert [s.person.name for s in layers["decision"]] == ["D", "D2"]
    assert layers["image"] == [] and layers["implementation"] == []


LAYOUT = [["i1", "i2", "i3"], [], ["m1", "m2", "m3", "m4", "m5"], ["u1"]]


@pytest.mark.parametrize(
    ("current", "direction", "expected"),
    [
        ("i1", "right", "i2"),
        ("i3", "right", "m1"),  # off the end of a layer into the next (the empty one is skipped)
        ("m1", "left", "i3"),
        ("i1", "left", "i1"),  # the very first card stays
        ("u1", "right", "u1"),
        ("m1", "down", "m3"),  # two cards a row
        ("m4", "down", "m5"),  # a short last row: the nearest card below
        ("m5", "down", "u1"),  # from the last row into the next layer, same column kept within it
        ("m2", "down", "m4"),
        ("m4", "up", "m2"),
        ("m1", "up", "i3"),  # into the last row of the layer above
        ("m2", "up", "i3"),
        ("u1", "up", "m5"),
        ("i2", "up", "i2"),
        ("gone", "down", "i1"),
    ],
)
def test_arrows_move_between_cards_in_rows_and_across_layers(current, direction, expected):
    assert neighbour(LAYOUT, current, direction, columns=2) == expected


def test_board_reads_people_unit_names_last_met_and_the_cores_flags(store):
    account = make_account(store, name="江南大学", account_class="A")
    office = store.create(m.OrgUnit, account_id=account.id, name="Finance office")
    director = store.create(m.Person, account_id=account.id, name="周丽", layer="decision", unit_id=office.id)
    clerk = store.create(m.Person, account_id=account.id, name="吴芳", layer="implementation")
    store.save_visit(None, None, [clerk.id], account_id=account.id, visited_on=date(2026, 11, 20), commitment="Quote")
    data = store.stakeholder_board(account.id, DAY)
    by_id = {s.id: s for s in data.people}
    assert data.account.name == "江南大学"
    assert by_id[director.id].unit == "Finance office"
    assert by_id[director.id].last_met is None
    assert by_id[clerk.id].last_met == date(2026, 11, 20)
    assert by_id[director.id].person.value_orientation == m.LAYER_VALUES["decision"]
    assert list(data.flags) == store.red_flags(DAY, account.id)[account.id]
    assert {f.code for f in data.flags} == {"no-decision-supporter", "decision-not-met"}
    assert [u.name for u in data.units] == ["Finance office"]
    assert data.find(clerk.id) == by_id[clerk.id] and data.find("nobody") is None
    with pytest.raises(NotFound):
        store.stakeholder_board("gone", DAY)


def test_the_stakeholder_helpers_never_import_textual():
    code = "import sys, planner.core.stakeholders; print(any(n.split('.')[0] == 'textual' for n in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
