"""One account's organisation chart: units with their responsibilities and the people
in each, edited and rearranged from the keyboard. Reports-to lines are shown in the
detail panel, since a person sits in the tree under a unit, not under a boss."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Static, Tree

from planner.core import models as m
from planner.core import org
from planner.core.i18n import N_, _, ngettext
from planner.core.org import NO_UNIT, PERSON, UNIT, Chart, Ref
from planner.screens.base import AccountScreen
from planner.screens.confirm import Confirm
from planner.screens.record_form import RecordForm
from planner.screens.unit_picker import UnitPicker
from planner.widgets.key_footer import KeyFooter
from planner.widgets.org_detail import OrgDetail
from planner.widgets.org_tree import OrgChartTree

if TYPE_CHECKING:
    from planner.store.store import Store

UNIT_FIELDS = ("name", "responsibilities")
PERSON_FIELDS = ("name", "title", "layer", "stance", "influence", "closeness", "characteristics", "reports_to_id")
PERSON_DEFAULTS = {"layer": "usage", "stance": "unknown", "influence": 3, "closeness": 1}


def _filled(values: dict[str, Any]) -> dict[str, Any]:
    """Drop emptied fields that cannot be empty (a cleared score or choice keeps its
    old value); only the reports-to link may be set to nobody."""
    return {name: value for name, value in values.items() if value is not None or name == "reports_to_id"}


NOW_HERE = "  (now here)"
"""How `Chart.move_targets` marks where the record is now."""


def targets(chart: Chart, ref: Ref, top_label: str, *, mark_current: bool = False) -> list[tuple[str, str]]:
    """`Chart.move_targets`, with its "(now here)" mark in the interface's language."""
    found = chart.move_targets(ref, top_label, mark_current=mark_current)
    here = _("  (now here)")
    return [
        (label.removesuffix(NOW_HERE) + here if label.endswith(NOW_HERE) else label, value) for label, value in found
    ]


class OrgChartScreen(AccountScreen[Chart]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="back", tooltip=N_("Back to the previous screen")),
        Binding("n", "new_unit", N_("Unit"), id="org-new-unit", tooltip=N_("Add a unit under the highlighted unit")),
        Binding(
            "p", "new_person", N_("Person"), id="org-new-person", tooltip=N_("Add a person to the highlighted unit")
        ),
        Binding("e", "edit", N_("Edit"), id="org-edit", tooltip=N_("Edit the highlighted unit or person")),
        Binding("d", "delete", N_("Delete"), id="org-delete", tooltip=N_("Delete the highlighted unit or person")),
        Binding(
            "x", "cut", N_("Cut"), id="org-cut", tooltip=N_("Cut the highlighted unit or person to paste elsewhere")
        ),
        Binding("v", "paste", N_("Paste"), id="org-paste", tooltip=N_("Paste what was cut under the highlighted unit")),
        Binding("m", "move", N_("Move"), id="org-move", tooltip=N_("Move the highlighted unit or person: pick a unit")),
        Binding(
            "h",
            "history",
            N_("History"),
            id="org-history",
            show=False,
            tooltip=N_("Change log of the highlighted unit or person"),
        ),
        Binding("plus", "expand_all", N_("Expand all"), id="org-expand-all", show=False, tooltip=N_("Open every unit")),
        Binding(
            "minus",
            "collapse_all",
            N_("Collapse all"),
            id="org-collapse-all",
            show=False,
            tooltip=N_("Close every unit"),
        ),
        Binding(
            "r",
            "reload",
            N_("Reload"),
            id="org-reload",
            show=False,
            tooltip=N_("Read the chart again from the database"),
        ),
    ]

    def __init__(self, account_id: str):
        super().__init__(account_id)
        self.chart: Chart | None = None
        self.cut: Ref | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="org-body"):
            yield OrgChartTree(id="org-tree")
            with VerticalScroll(id="org-detail-scroll"):
                yield OrgDetail(_("Loading…"), id="org-detail")
        yield Static("", id="org-status", markup=False)
        yield KeyFooter()

    @property
    def org_tree(self) -> OrgChartTree:
        return self.query_one(OrgChartTree)

    def on_mount(self) -> None:
        self.org_tree.focus()

    def fetch(self, store: Store) -> Chart:
        return store.org_chart(self.account_id)

    def apply(self, data: Chart, keep: Any) -> None:
        first = self.chart is None
        self.chart = data
        self.sub_title = _("{account} · organisation").format(account=data.account_name)
        tree = self.org_tree
        if self.cut and not self._exists(self.cut):
            self.cut = None
        tree.cut = self.cut
        tree.show(data, keep or tree.current, None if first else tree.expanded())
        self.call_after_refresh(self._show_current)
        self._status()

    def _exists(self, ref: Ref) -> bool:
        if self.chart is None:
            return False
        return ref.id in (self.chart.units if ref.kind == UNIT else self.chart.people)

    def _status(self) -> None:
        chart = self.chart
        if chart is None:
            return
        units, people = len(chart.units), len(chart.people)
        text = ngettext("{count} unit", "{count} units", units).format(count=units)
        text += " · " + ngettext("{count} person", "{count} people", people).format(count=people)
        if self.cut:
            cut = _("✂ {name}: v pastes it into the highlighted unit, x cancels").format(name=self._title_of(self.cut))
            text += " · " + cut
        self.query_one("#org-status", Static).update(text)

    def _title_of(self, ref: Ref) -> str:
        assert self.chart is not None
        if ref.kind == UNIT:
            return self.chart.units[ref.id].name
        if ref.kind == PERSON:
            return self.chart.people[ref.id].name
        return _("No unit")

    @on(Tree.NodeHighlighted)
    def _show_current(self) -> None:
        self.query_one(OrgDetail).show(self.chart, self.org_tree.current)

    def _selected(self) -> Ref | None:
        ref = self.org_tree.current
        if self.chart is None or ref is None:
            self.notify(_("Nothing is highlighted yet."))
            return None
        return ref

    def _unit_at(self, ref: Ref | None) -> str | None:
        """The unit a new or pasted record goes into: the highlighted unit, or the
        unit of the highlighted person; None at the top level / no unit."""
        if ref is None or self.chart is None:
            return None
        if ref.kind == PERSON:
            return self.chart.people[ref.id].unit_id
        return ref.id if ref.kind == UNIT else None

    # --- forms --------------------------------------------------------------------

    def action_new_unit(self) -> None:
        parent = self._unit_at(self.org_tree.current)
        account_id = self.account_id
        if parent and self.chart:
            heading = _("New unit under {unit}").format(unit=self.chart.units[parent].name)
        else:
            heading = _("New unit at the top level")
        form = RecordForm(
            heading, m.OrgUnit, UNIT_FIELDS, {},
            lambda store, values: store.create(m.OrgUnit, account_id=account_id, parent_id=parent, **values),
        )  # fmt: skip
        self._form(form, UNIT)

    def action_new_person(self) -> None:
        unit = self._unit_at(self.org_tree.current)
        account_id = self.account_id
        if unit and self.chart:
            heading = _("New person in {unit}").format(unit=self.chart.units[unit].name)
        else:
            heading = _("New person (no unit)")

        def save(store: Store, values: dict[str, Any]) -> m.Person:
            fresh = _filled({**PERSON_DEFAULTS, **values})
            return store.create(m.Person, account_id=account_id, unit_id=unit, **fresh)

        form = RecordForm(
            heading, m.Person, PERSON_FIELDS, dict(PERSON_DEFAULTS), save,
            choices={"reports_to_id": self._people_choices(None)},
        )  # fmt: skip
        self._form(form, PERSON)

    def action_edit(self) -> None:
        ref = self._selected()
        if ref is None or self.chart is None:
            return
        if ref.kind == UNIT:
            unit = self.chart.units[ref.id]
            form = RecordForm(
                _("Edit unit {name}").format(name=unit.name), m.OrgUnit, UNIT_FIELDS, unit._asdict(),
                lambda store, values: store.update(m.OrgUnit, unit.id, unit.version, **values),
            )  # fmt: skip
        elif ref.kind == PERSON:
            person = self.chart.people[ref.id]
            notes = self.chart.notes.get(person.id)
            initial = {**person._asdict(), "characteristics": notes.characteristics if notes else ""}
            form = RecordForm(
                _("Edit {name}").format(name=person.name), m.Person, PERSON_FIELDS, initial,
                lambda store, values: store.update(m.Person, person.id, person.version, **_filled(values)),
                choices={"reports_to_id": self._people_choices(person.id)},
            )  # fmt: skip
        else:
            self.notify(_("Highlight a unit or a person to edit."))
            return
        self._form(form, ref.kind)

    def _people_choices(self, exclude: str | None) -> list[tuple[str, str]]:
        people = self.chart.people.values() if self.chart else ()
        return [(f"{p.name} · {p.title}" if p.title else p.name, p.id) for p in people if p.id != exclude]

    def _form(self, form: RecordForm, kind: str) -> None:
        def saved(result: m.Record | None) -> None:
            if result is not None:
                self.notify(_("Saved."))
                self.reload(Ref(kind, result.id))

        self.app.push_screen(form, saved)

    # --- delete and moves ---------------------------------------------------------

    def action_delete(self) -> None:
        ref = self._selected()
        if ref is None or self.chart is None:
            return
        if ref.kind == NO_UNIT:
            self.notify(_("“No unit” is not a unit: move or delete the people in it."))
            return
        name, chart = self._title_of(ref), self.chart
        if ref.kind == UNIT and (chart.sub_units.get(ref.id) or chart.members.get(ref.id)):
            here, _total = chart.head_count(ref.id)
            subs = len(chart.sub_units.get(ref.id, ()))
            people = ngettext("{count} person", "{count} people", here).format(count=here)
            units = ngettext("{count} sub-unit", "{count} sub-units", subs).format(count=subs)
            question = _("{name} has {people} and {units}. Where should they go before it is deleted?").format(
                name=name, people=people, units=units
            )
            top = _("Top level (sub-units) / no unit (people)")
            picker = UnitPicker(question, targets(chart, ref, top))

            def chosen(target: str | None) -> None:
                if target is not None:
                    self._confirm_delete(ref, name, target)

            self.app.push_screen(picker, chosen)
        else:
            self._confirm_delete(ref, name, org.TOP)

    def _confirm_delete(self, ref: Ref, name: str, target: str) -> None:
        chart = self.chart
        assert chart is not None
        # Afterwards the cursor goes where the members went, else to the parent unit.
        home = chart.people[ref.id].unit_id if ref.kind == PERSON else target or chart.units[ref.id].parent_id
        after = Ref(UNIT, home) if home else None

        def delete(store: Store) -> None:
            if ref.kind == PERSON:
                store.delete(m.Person, ref.id, chart.version(ref))
            else:
                store.delete_unit(ref.id, chart.version(ref), target or None)

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(delete, keep=after)

        question = _("Delete {name}? It can be restored from the history.").format(name=name)
        self.app.push_screen(Confirm(question, yes=_("Delete")), answered)

    def action_cut(self) -> None:
        ref = self._selected()
        if ref is None:
            return
        if ref.kind == NO_UNIT:
            self.notify(_("Cut a unit or a person; “No unit” only groups people."))
            return
        self.cut = None if self.cut == ref else ref
        self.org_tree.mark_cut(self.cut)
        self._status()

    def action_paste(self) -> None:
        if self.cut is None or self.chart is None:
            self.notify(_("Cut a unit or a person first with x."))
            return
        ref, chart = self.cut, self.chart
        target = self._unit_at(self.org_tree.current) or org.TOP
        self.cut = None
        self.org_tree.mark_cut(None)
        self._move(chart, ref, target)

    def action_move(self) -> None:
        ref = self._selected()
        if ref is None or self.chart is None:
            return
        if ref.kind == NO_UNIT:
            self.notify(_("Highlight a unit or a person to move it."))
            return
        chart = self.chart
        top = _("Top level") if ref.kind == UNIT else _("No unit")
        question = _("Move {name} to…").format(name=self._title_of(ref))
        picker = UnitPicker(question, targets(chart, ref, top, mark_current=True))

        def chosen(target: str | None) -> None:
            if target is not None:
                self._move(chart, ref, target)

        self.app.push_screen(picker, chosen)

    def _move(self, chart: Chart, ref: Ref, target: str) -> None:
        version = chart.version(ref)
        self.write(lambda store: store.move_in_org(ref, version, target or None), keep=ref)

    def action_history(self) -> None:
        ref = self._selected()
        if ref is None:
            return
        if ref.kind == NO_UNIT:
            self.notify(_("Highlight a unit or a person to see its history."))
            return
        name = self._title_of(ref)
        if ref.kind == UNIT:
            self.open("history", m.OrgUnit, ref.id, _("History of unit {name}").format(name=name))
        else:
            self.open("history", m.Person, ref.id, _("History of person {name}").format(name=name))

    # --- view ---------------------------------------------------------------------

    def action_expand_all(self) -> None:
        self.org_tree.root.expand_all()

    def action_collapse_all(self) -> None:
        self.org_tree.root.collapse_all()
        self.org_tree.root.expand()

    def action_back(self) -> None:
        self.dismiss(None)
