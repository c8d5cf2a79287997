"""The visit form: the record's fields plus who was met, and a nudge for a commitment.

"Every visit ends with the customer committing to something": saving a visit with
no commitment asks first, and the missing commitment becomes a red flag.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Label

from planner.core import models as m
from planner.screens.record_form import RecordForm, Save
from planner.widgets.tick_box import TickList

if TYPE_CHECKING:
    from planner.store.store import Store

VISIT_FIELDS = (
    "visited_on", "purpose", "appointment_made", "brought_cards", "brought_notebook",
    "brought_address_book", "brought_material", "brought_quotation", "outcome", "commitment",
    "next_step", "next_step_date",
)  # fmt: skip
NO_COMMITMENT = (
    "This visit ends without a commitment from the customer. Every visit should end with one "
    "(每次拜访结束时要让客户做出某种承诺). Save it anyway? It will show as a red flag."
)


def ask_for_commitment(_store: Store, values: dict[str, Any]) -> str | None:
    return None if str(values.get("commitment") or "").strip() else NO_COMMITMENT


class VisitForm(RecordForm):
    def __init__(
        self,
        title: str,
        initial: dict[str, Any],
        people: Sequence[m.Person],
        met: Sequence[str],
        save: Save,
    ):
        super().__init__(title, m.Visit, VISIT_FIELDS, initial, save, question=ask_for_commitment)
        self.people = people
        self.met = set(met)

    def compose_extra(self) -> ComposeResult:
        yield Label("People met (space to tick)", classes="field-label")
        yield TickList(
            *[(f"{p.name} — {p.title or p.layer}", p.id, p.id in self.met) for p in self.people], id="people"
        )

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

    @on(TickList.SelectedChanged)
    def _people_changed(self) -> None:
        self.drafts.typed()
