"""The visit form: the record's fields plus who was met, and a nudge for a commitment.

"Every visit ends with the customer committing to something": saving a visit with
no commitment asks first, and the missing commitment becomes a red flag.

A contact records how it happened (a visit, a phone call, an introduction by
someone, an event); an introduction names who introduced, and the people met are
the people introduced. The introducer is checked at its field as the rep picks
(only an introduction has one; it cannot be one of the people introduced) and
again on save; nothing typed is lost while it is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Label, Select, Static

from planner.core import models as m
from planner.core.i18n import N_, _, ngettext
from planner.core.introductions import channel_choices, introduction_problems
from planner.core.stakeholders import LAYER_TITLES
from planner.screens.record_form import RecordForm, Save
from planner.widgets.tick_box import TickList

if TYPE_CHECKING:
    from planner.store.store import Store

VISIT_FIELDS = (
    "visited_on", "channel", "introduced_by_id", "purpose", "appointment_made", "brought_cards",
    "brought_notebook", "brought_address_book", "brought_material", "brought_quotation", "outcome",
    "commitment", "next_step", "next_step_date",
)  # fmt: skip
NO_COMMITMENT = N_(
    "This visit ends without a commitment from the customer. Every visit should end with one "
    "(每次拜访结束时要让客户做出某种承诺). Save it anyway? It will show as a red flag."
)
INTRODUCER = "introduced_by_id"


def ask_for_commitment(_store: Store, values: dict[str, Any]) -> str | None:
    return None if str(values.get("commitment") or "").strip() else _(NO_COMMITMENT)


def person_label(person: m.Person) -> str:
    """A person as the pickers list them: the name and the title (else the layer)."""
    return f"{person.name} — {person.title or _(LAYER_TITLES.get(person.layer, person.layer))}"


class VisitForm(RecordForm):
    HEADINGS = {"brought_cards": N_("The five things to bring")}

    def __init__(
        self,
        title: str,
        initial: dict[str, Any],
        people: Sequence[m.Person],
        met: Sequence[str],
        save: Save,
    ):
        choices = {"channel": channel_choices(), INTRODUCER: [(person_label(p), p.id) for p in people]}
        initial = {"channel": "visit", **initial}  # a new contact is a visit until the rep says otherwise
        super().__init__(title, m.Visit, VISIT_FIELDS, initial, save, choices=choices, question=ask_for_commitment)
        self.people = people
        self.met = set(met)

    def compose_extra(self) -> ComposeResult:
        yield Label(_("People met (space to tick); for an introduction, the people introduced"), classes="field-label")
        yield TickList(*[(person_label(p), p.id, p.id in self.met) for p in self.people], id="people")

    def resave(self, store: Store, version: int, values: dict[str, Any]) -> m.Visit:
        changes = dict(values)
        people = changes.pop("people", None)
        return store.save_visit(self.initial["id"], version, people, **changes)

    def extra_values(self) -> dict[str, Any]:
        chosen = set(self.query_one("#people", TickList).selected)
        return {"people": sorted(chosen)} if chosen != self.met else {}

    def extra_typed(self) -> dict[str, Any]:
        return {"people": sorted(self.query_one("#people", TickList).selected)}

    def extra_initial(self) -> dict[str, Any]:
        return {"people": sorted(self.met)}

    def fill_extra(self, typed: dict[str, Any]) -> None:
        people = self.query_one("#people", TickList)
        people.deselect_all()
        for person_id in typed.get("people", []):
            people.select(person_id)

    # --- the introducer, checked against the channel and the people met -------------

    def _selected(self, name: str) -> str | None:
        value = self.query_one(f"#field-{name}", Select).value
        return None if value is Select.NULL else str(value)

    def introducer_problem(self) -> str | None:
        """What is wrong with the introducer as the form stands, else None."""
        people = self.query_one("#people", TickList).selected
        problems = introduction_problems(self._selected("channel"), self._selected(INTRODUCER), people)
        return problems.get(INTRODUCER)

    def _check_introducer(self) -> None:
        self._show_error(INTRODUCER, self.introducer_problem())

    def collect(self) -> dict[str, Any] | None:
        """As every form's, and the introducer must fit the channel and the people met."""
        values = super().collect()
        problem = self.introducer_problem()
        if problem is None:
            return values
        self._show_error(INTRODUCER, problem)
        wrong = sum(bool(self.query_one(f"#error-{f.name}", Static).display) for f in self.specs)
        self._problem(ngettext("Please correct {n} field.", "Please correct {n} fields.", wrong).format(n=wrong))
        if values is not None:  # the introducer is the only problem: take the rep to it
            self.query_one(f"#field-{INTRODUCER}").focus()
        return None

    @on(Select.Changed)
    def _how_changed(self) -> None:
        self._check_introducer()

    @on(TickList.SelectedChanged)
    def _people_changed(self) -> None:
        self.drafts.typed()
        self._check_introducer()
