"""The org chart core: the nested structure, reports-to lines, and moves/deletes
through the store, on a real SQLite file."""

from __future__ import annotations

import pytest
from records import make_account

from planner.core import models as m
from planner.core import org
from planner.core.errors import NotFound, ValidationError
from planner.core.org import PERSON, UNIT, Ref
from planner.core.rows import OrgTree, PersonNode, UnitNode


@pytest.fixture
def university(store):
    """President's office; Assets with Purchasing under it; Wang (no unit) above Li and Zhao."""
    account = make_account(store, name="University")

    def unit(name: str, parent: str | None = None, text: str = "") -> m.OrgUnit:
        return store.create(m.OrgUnit, account_id=account.id, name=name, parent_id=parent, responsibilities=text)

    def person(name: str, **values) -> m.Person:
        return store.create(m.Person, account_id=account.id, name=name, **values)

    office = unit("President's Office", text="Leadership agenda")
    assets = unit("Assets", text="Owns the equipment budget")
    purchasing = unit("Purchasing", assets.id)
    wang = person("Wang", layer="image", characteristics="Decisive")
    li = person(
        "Li", unit_id=assets.id, reports_to_id=wang.id, title="Director", layer="decision", stance="supporter",
        influence=4, closeness=3,
    )  # fmt: skip
    zhao = person("Zhao", unit_id=purchasing.id, reports_to_id=wang.id)
    units = {"office": office, "assets": assets, "purchasing": purchasing}
    return account, units, {"wang": wang, "li": li, "zhao": zhao}


def test_load_nests_units_and_people_and_keeps_unplaced_people(store, university):
    account, units, _ = university
    chart = store.org_chart(account.id)
    assert chart.account_name == "University"
    assert [u.name for u in chart.sub_units[None]] == ["Assets", "President's Office"]
    assert [u.name for u in chart.sub_units[units["assets"].id]] == ["Purchasing"]
    assert [p.name for p in chart.members[None]] == ["Wang"]
    assert [p.name for p in chart.members[units["assets"].id]] == ["Li"]
    assert [(depth, u.name) for depth, u in chart.walk()] == [
        (0, "Assets"), (1, "Purchasing"), (0, "President's Office"),
    ]  # fmt: skip
    assert chart.subtree(units["assets"].id) == {units["assets"].id, units["purchasing"].id}
    assert chart.head_count(units["assets"].id) == (1, 2)
    assert chart.path(units["purchasing"].id) == "Assets › Purchasing"
    assert chart.path(None) == "No unit"


def test_describe_a_person_shows_reports_to_lines_values_and_stance(store, university):
    account, _, people = university
    chart = store.org_chart(account.id)
    li = dict(chart.describe(Ref(PERSON, people["li"].id)))
    assert li["Unit"] == "Assets"
    assert li["Stance"] == "✓ supporter"
    assert li["Values"] == m.LAYER_VALUES["decision"]
    assert (li["Influence"], li["Closeness"]) == ("4/5", "3/5")
    assert li["Reports to"] == "Wang"
    wang = dict(chart.describe(Ref(PERSON, people["wang"].id)))
    assert wang["Direct reports"] == "Li, Zhao"
    assert wang["Reports to"] == "nobody recorded"
    assert wang["Characteristics"] == "Decisive"
    assert wang["Unit"] == "No unit"


def test_describe_a_unit_shows_full_responsibilities_and_head_count(store, university):
    account, units, _ = university
    chart = store.org_chart(account.id)
    assets = dict(chart.describe(Ref(UNIT, units["assets"].id)))
    assert assets["Responsibilities"] == "Owns the equipment budget"
    assert assets["Members"] == "1 here, 2 with sub-units"
    assert assets["Sub-units"] == "Purchasing"
    assert assets["Part of"] == "top level"


def test_a_unit_cannot_be_offered_a_move_into_itself_or_below_it(store, university):
    account, units, people = university
    chart = store.org_chart(account.id)
    targets = chart.move_targets(Ref(UNIT, units["assets"].id), "Top level", mark_current=True)
    assert targets == [("Top level  (now here)", ""), ("President's Office", units["office"].id)]
    person = chart.move_targets(Ref(PERSON, people["zhao"].id), "No unit", mark_current=True)
    assert person == [
        ("No unit", ""),
        ("Assets", units["assets"].id),
        ("  Purchasing  (now here)", units["purchasing"].id),
        ("President's Office", units["office"].id),
    ]


def _move(store, chart, ref: Ref, target: str) -> None:
    store.move_in_org(ref, chart.version(ref), target or None)


def test_move_changes_parent_or_unit_and_the_store_refuses_a_loop(store, university):
    account, units, people = university
    chart = store.org_chart(account.id)
    _move(store, chart, Ref(PERSON, people["wang"].id), units["office"].id)
    _move(store, chart, Ref(UNIT, units["purchasing"].id), org.TOP)
    assert store.get(m.Person, people["wang"].id).unit_id == units["office"].id
    assert store.get(m.OrgUnit, units["purchasing"].id).parent_id is None
    chart = store.org_chart(account.id)
    _move(store, chart, Ref(UNIT, units["purchasing"].id), units["assets"].id)
    chart = store.org_chart(account.id)
    with pytest.raises(ValidationError) as refused:
        _move(store, chart, Ref(UNIT, units["assets"].id), units["purchasing"].id)
    assert "cannot be this record or one below it" in refused.value.errors["parent_id"]
    assert store.get(m.OrgUnit, units["assets"].id).parent_id is None


def test_deleting_a_unit_first_moves_its_sub_units_and_people_to_the_chosen_unit(store, university):
    account, units, people = university
    chart = store.org_chart(account.id)
    assets = chart.units[units["assets"].id]
    store.delete_unit(assets.id, assets.version, units["office"].id)
    assert store.get(m.OrgUnit, units["purchasing"].id).parent_id == units["office"].id
    assert store.get(m.Person, people["li"].id).unit_id == units["office"].id
    with pytest.raises(NotFound):
        store.get(m.OrgUnit, units["assets"].id)
    chart = store.org_chart(account.id)
    zhao = chart.people[people["zhao"].id]
    store.delete(m.Person, zhao.id, zhao.version)
    assert [p.name for p in store.list(m.Person, account_id=account.id)] == ["Li", "Wang"]


def test_deleting_a_unit_is_one_transaction_refusing_a_target_inside_it(store, university):
    account, units, people = university
    chart = store.org_chart(account.id)
    assets = chart.units[units["assets"].id]
    last_seq = store.latest_change()
    with pytest.raises(ValidationError):
        store.delete_unit(assets.id, assets.version, units["purchasing"].id)
    assert store.latest_change() == last_seq  # nothing moved, nothing deleted
    assert store.get(m.OrgUnit, units["purchasing"].id).parent_id == assets.id
    store.delete_unit(assets.id, assets.version, None)
    assert store.get(m.OrgUnit, units["purchasing"].id).parent_id is None
    assert store.get(m.Person, people["li"].id).unit_id is None


def test_units_in_a_loop_written_around_the_store_still_show_at_the_top():
    a = UnitNode("a", "b", "A", "", 1)
    b = UnitNode("b", "a", "B", "", 1)
    c = UnitNode("c", "gone", "C", "", 1)
    lost = PersonNode("p", "missing", "q", "P", "", "usage", "unknown", 3, 1, 1)
    chart = org.build(OrgTree((a, b, c), (lost,)), {})
    assert {u.id for u in chart.sub_units[None]} == {"a", "b", "c"}
    assert [p.id for p in chart.members[None]] == ["p"]
    assert dict(chart.describe(Ref(PERSON, "p")))["Reports to"] == "nobody recorded"


def test_load_of_a_deleted_account_raises_not_found(store, university):
    account, _, _ = university
    store.delete(m.Account, account.id, account.version)
    with pytest.raises(NotFound):
        store.org_chart(account.id)
