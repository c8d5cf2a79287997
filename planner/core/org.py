"""The customer's organisation as a tree: units, their people, and who reports to whom.

Built from the store's `org_tree` rows plus the notes the detail panel shows beyond
them (values, characteristics); everything asked afterwards (sub-units, head counts,
reports-to lines, where a unit may move) is answered from memory, so moving the
cursor never waits on the database. Moves and deletes go through the store, which
checks versions and refuses loops.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from planner.core import models as m
from planner.core.formatting import layer_label, stance_text
from planner.core.i18n import _, ngettext
from planner.core.rows import OrgTree, PersonNode, UnitNode

UNIT, PERSON, NO_UNIT = "unit", "person", "none"
TOP = ""
"""Move target meaning "top level" for a unit and "no unit" for a person."""


class Ref(NamedTuple):
    """A node of the chart: a unit, a person, or the "No unit" group (id "")."""

    kind: str
    id: str


class Notes(NamedTuple):
    value_orientation: str
    characteristics: str


@dataclass(frozen=True)
class Chart:
    account_name: str
    units: dict[str, UnitNode]
    people: dict[str, PersonNode]
    sub_units: dict[str | None, tuple[UnitNode, ...]]
    """Units by parent id (None = top level), in name order."""
    members: dict[str | None, tuple[PersonNode, ...]]
    """People by unit id (None = no unit), in name order."""
    reports: dict[str, tuple[PersonNode, ...]]
    """Direct reports by manager id."""
    notes: dict[str, Notes]

    def walk(self, parent: str | None = None, depth: int = 0) -> Iterator[tuple[int, UnitNode]]:
        """Units depth first under `parent`, with their depth."""
        for unit in self.sub_units.get(parent, ()):
            yield depth, unit
            yield from self.walk(unit.id, depth + 1)

    def subtree(self, unit_id: str) -> set[str]:
        """The unit and every unit below it."""
        return {unit_id} | {unit.id for _depth, unit in self.walk(unit_id)}

    def head_count(self, unit_id: str) -> tuple[int, int]:
        """People in the unit itself, and in it with all its sub-units."""
        here = len(self.members.get(unit_id, ()))
        return here, sum(len(self.members.get(u, ())) for u in self.subtree(unit_id))

    def version(self, ref: Ref) -> int:
        """The version of the unit or person `ref` as read (what a move or delete checks)."""
        if ref.kind == UNIT and ref.id in self.units:
            return self.units[ref.id].version
        if ref.kind == PERSON and ref.id in self.people:
            return self.people[ref.id].version
        raise KeyError(ref)

    def manager(self, person_id: str) -> PersonNode | None:
        boss = self.people[person_id].reports_to_id
        return self.people.get(boss) if boss else None

    def path(self, unit_id: str | None) -> str:
        """The unit's names from the top, "Parent › Unit", or "No unit"."""
        names: list[str] = []
        seen: set[str] = set()
        while unit_id in self.units and unit_id not in seen:
            seen.add(unit_id)
            names.append(self.units[unit_id].name)
            unit_id = self.units[unit_id].parent_id
        return " › ".join(reversed(names)) or _("No unit")

    def move_targets(self, ref: Ref, top_label: str, *, mark_current: bool = False) -> list[tuple[str, str]]:
        """(label, target) choices for moving `ref`: `top_label` (TOP) first, then
        every unit indented by depth; a unit cannot go into itself or below itself.
        With `mark_current`, where `ref` is now is labelled "(now here)"."""
        barred, here = set(), None
        if ref.kind == UNIT and ref.id in self.units:
            barred, here = self.subtree(ref.id), self.units[ref.id].parent_id
        elif ref.kind == PERSON and ref.id in self.people:
            here = self.people[ref.id].unit_id
        here = (here or TOP) if mark_current else None
        choices = [(top_label, TOP)] + [
            ("  " * depth + unit.name, unit.id) for depth, unit in self.walk() if unit.id not in barred
        ]
        now_here = _("{place}  (now here)")
        return [(now_here.format(place=label) if value == here else label, value) for label, value in choices]

    def describe(self, ref: Ref) -> list[tuple[str, str]]:
        """(label, value) lines for the detail panel."""
        if ref.kind == UNIT and ref.id in self.units:
            unit = self.units[ref.id]
            here, total = self.head_count(unit.id)
            parent = self.path(unit.parent_id) if unit.parent_id in self.units else _("top level")
            below = ", ".join(u.name for u in self.sub_units.get(unit.id, ())) or _("none")
            return [
                (_("Unit"), unit.name),
                (_("Part of"), parent),
                (_("Members"), _("{here} here, {total} with sub-units").format(here=here, total=total)),
                (_("Sub-units"), below),
                (_("Responsibilities"), unit.responsibilities or _("not recorded")),
            ]
        if ref.kind == PERSON and ref.id in self.people:
            person = self.people[ref.id]
            notes = self.notes.get(person.id, Notes("", ""))
            boss = self.manager(person.id)
            reports = ", ".join(p.name for p in self.reports.get(person.id, ())) or _("none")
            return [
                (_("Name"), person.name),
                (_("Title"), person.title or "—"),
                (_("Unit"), self.path(person.unit_id)),
                (_("Layer"), layer_label(person.layer)),
                (_("Values"), m.values_text(notes.value_orientation) or m.layer_values(person.layer)),
                (_("Stance"), stance_text(person.stance)),
                (_("Influence"), f"{person.influence}/5"),
                (_("Closeness"), f"{person.closeness}/5"),
                (_("Reports to"), boss.name if boss else _("nobody recorded")),
                (_("Direct reports"), reports),
                (_("Characteristics"), notes.characteristics or _("not recorded")),
            ]
        unplaced = len(self.members.get(None, ()))
        message = ngettext(
            "{n} person not placed in a unit yet; move them with x/v or m.",
            "{n} people not placed in a unit yet; move them with x/v or m.",
            unplaced,
        )
        return [(_("No unit"), message.format(n=unplaced))]


def build(tree: OrgTree, notes: dict[str, Notes], account_name: str = "") -> Chart:
    """Index the flat rows; a unit whose parent is missing (or that sits in a loop
    written around the store's checks) is shown at the top level rather than lost."""
    units = {unit.id: unit for unit in tree.units}
    people = {person.id: person for person in tree.people}
    reachable: set[str] = set()
    frontier = [u.id for u in tree.units if u.parent_id not in units]
    children: dict[str, list[str]] = {}
    for unit in tree.units:
        children.setdefault(unit.parent_id or "", []).append(unit.id)
    while frontier:
        unit_id = frontier.pop()
        if unit_id not in reachable:
            reachable.add(unit_id)
            frontier.extend(children.get(unit_id, ()))
    sub_units: dict[str | None, list[UnitNode]] = {}
    for unit in tree.units:
        parent = unit.parent_id if unit.parent_id in units and unit.id in reachable else None
        sub_units.setdefault(parent, []).append(unit)
    members: dict[str | None, list[PersonNode]] = {}
    reports: dict[str, list[PersonNode]] = {}
    for person in tree.people:
        members.setdefault(person.unit_id if person.unit_id in units else None, []).append(person)
        if person.reports_to_id in people:
            reports.setdefault(person.reports_to_id, []).append(person)
    return Chart(
        account_name,
        units,
        people,
        {key: tuple(value) for key, value in sub_units.items()},
        {key: tuple(value) for key, value in members.items()},
        {key: tuple(value) for key, value in reports.items()},
        notes,
    )
