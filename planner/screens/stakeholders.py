"""The key people of one account: a card per person in the four layers of the method,
an influence × closeness grid, the account's red flags at the top, and under them how
the selected person was first met and the introduction path to them (derived from
the account's contacts by `core.introductions`, never stored).

The rep walks the cards with the arrow keys (on the grid they move by influence row
and closeness column) and changes a person with one key each (influence, closeness,
stance). A key pressed while the previous change is still
being saved waits its turn and is replayed against the reloaded cards, so pressing a
key twice quickly never trips the optimistic lock over the rep's own first change,
while another rep's change in between is reported as a conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Header, Static

from planner.core import models as m
from planner.core.fields import FIELDS
from planner.core.i18n import N_, _, ngettext
from planner.core.introductions import NOT_MET, path_text
from planner.core.stakeholders import (
    LAYER_TITLES,
    Board,
    Stakeholder,
    by_layer,
    grid_neighbour,
    neighbour,
    next_stance,
    stepped,
    with_how_met,
)
from planner.screens.base import AccountScreen
from planner.screens.confirm import Confirm
from planner.screens.record_form import RecordForm
from planner.widgets.influence_grid import InfluenceGrid
from planner.widgets.key_footer import KeyFooter
from planner.widgets.stakeholder_card import CARD_HEIGHT, StakeholderCard

if TYPE_CHECKING:
    from planner.store.store import Store

PERSON_FIELDS = tuple(field.name for field in FIELDS[m.Person] if field.name != "account_id")
NEW_PERSON = {"influence": 3, "closeness": 1, "stance": "unknown"}
CARD_WIDTH = 36  # the narrowest card (border and padding included) that shows both score bars whole
SCORE_LABELS = {"influence": N_("Influence"), "closeness": N_("Closeness")}
INFLUENCE = Binding.Group(N_("Influence"))
CLOSENESS = Binding.Group(N_("Closeness"))


class CardScroll(VerticalScroll, inherit_bindings=False, can_focus=False):
    """The cards' scroll area: it fits as many card columns as its width allows and
    has no arrow keys of its own (they move between cards)."""

    columns = 2

    def on_resize(self) -> None:
        gutter = 1
        self.columns = max(1, (self.scrollable_content_region.width + gutter) // (CARD_WIDTH + gutter))
        self.fit_columns()

    def fit_columns(self) -> None:
        for cards in self.query(".layer-cards"):
            cards.styles.grid_size_columns = self.columns
            cards.styles.grid_rows = str(CARD_HEIGHT)


def heading(layer: str, people: list[Stakeholder]) -> Content:
    supporters = sum(s.person.stance == "supporter" for s in people)
    counted = _("{people}, {supporters}").format(
        people=ngettext("{n} person", "{n} people", len(people)).format(n=len(people)),
        supporters=ngettext("{n} supporter", "{n} supporters", supporters).format(n=supporters),
    )
    return Content.assemble(
        (_(LAYER_TITLES[layer]), "bold"),
        ("  " + _("values:") + " ", "$text-muted"),
        _(m.LAYER_VALUES[layer]),
        ("  · " + counted, "$text-muted"),
    )


class StakeholdersScreen(AccountScreen[Board]):
    DEFAULT_CSS = """
    StakeholdersScreen #stakeholder-path { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "edit", N_("Edit"), id="stakeholders-edit", tooltip=N_("Edit the selected person")),
        Binding(
            "s", "stance", N_("Stance"), id="stakeholders-stance",
            tooltip=N_("Cycle stance: supporter → neutral → opponent → unknown → supporter"),
        ),
        Binding(
            "i", "score('influence', 1)", N_("Raise influence"), id="stakeholders-influence-up", group=INFLUENCE,
            tooltip=N_("Raise the selected person's influence (1-5)"),
        ),
        Binding(
            "I", "score('influence', -1)", N_("Lower influence"), id="stakeholders-influence-down", group=INFLUENCE,
            tooltip=N_("Lower the selected person's influence (1-5)"),
        ),
        Binding(
            "c", "score('closeness', 1)", N_("Raise closeness"), id="stakeholders-closeness-up", group=CLOSENESS,
            tooltip=N_("Raise how close we are to the selected person (1-5)"),
        ),
        Binding(
            "C", "score('closeness', -1)", N_("Lower closeness"), id="stakeholders-closeness-down", group=CLOSENESS,
            tooltip=N_("Lower how close we are to the selected person (1-5)"),
        ),
        Binding(
            "y", "confirm_layer", N_("Confirm layer"), id="stakeholders-confirm-layer", show=False,
            tooltip=N_("Say the layer an import guessed from the title is right (the card says when it is a guess)"),
        ),
        Binding(
            "g", "toggle_grid", N_("Grid"), id="stakeholders-grid", tooltip=N_("Cards or influence × closeness grid")
        ),
        Binding(
            "n", "new", N_("New"), id="stakeholders-new", tooltip=N_("Add a person (in the selected person's layer)")
        ),
        Binding(
            "d", "delete", N_("Delete"), id="stakeholders-delete", show=False,
            tooltip=N_("Delete the selected person (asks first)"),
        ),
        Binding("escape", "back", N_("Back"), id="stakeholders-back", tooltip=N_("Back to the previous screen")),
        Binding(
            "h", "history", N_("History"), id="stakeholders-history", show=False,
            tooltip=N_("Change log of the selected person"),
        ),
        Binding(
            "r", "reload", N_("Reload"), id="stakeholders-reload", show=False, tooltip=N_("Read the database again")
        ),
        Binding(
            "up", "move('up')", N_("Card above"), id="stakeholders-up", show=False,
            tooltip=N_("Select the card above; in the grid, the nearest person with more influence"),
        ),
        Binding(
            "down", "move('down')", N_("Card below"), id="stakeholders-down", show=False,
            tooltip=N_("Select the card below; in the grid, the nearest person with less influence"),
        ),
        Binding(
            "left", "move('left')", N_("Previous card"), id="stakeholders-left", show=False,
            tooltip=N_("Select the previous person; in the grid, the next name left or the nearest less close"),
        ),
        Binding(
            "right", "move('right')", N_("Next card"), id="stakeholders-right", show=False,
            tooltip=N_("Select the next person; in the grid, the next name right or the nearest closer"),
        ),
    ]  # fmt: skip

    def __init__(self, account_id: str, person_id: str | None = None):
        """`person_id`: the person to select first (the people search opens one)."""
        super().__init__(account_id)
        self.board: Board | None = None
        self.selected: str | None = person_id
        self.card_order: list[list[str]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading…"), id="stakeholder-flags", markup=False)
        yield Static("", id="stakeholder-path", markup=False)
        with ContentSwitcher(initial="stakeholder-cards", id="stakeholder-views"):
            yield CardScroll(id="stakeholder-cards")
            yield InfluenceGrid(id="stakeholder-grid")
        yield KeyFooter()

    def fetch(self, store: Store) -> Board:
        board = store.stakeholder_board(self.account_id, self.today())
        return with_how_met(board, store.list(m.Visit, account_id=self.account_id), store.attendees(self.account_id))

    async def apply(self, data: Board, keep: Any) -> None:
        self.board = data
        self.sub_title = _("{account} · key people").format(account=data.account.name)
        self._show_flags(data)
        layers = by_layer(data.people)
        layout = [[s.id for s in people] for people in layers.values()]
        if keep is not None:
            self.selected = keep
        if data.find(self.selected) is None:
            self.selected = next((card for layer in layout for card in layer), None)
        if layout == self.card_order:
            for person in data.people:
                self._card(person.id).stakeholder = person
            for layer, people in layers.items():
                self.query_one(f"#heading-{layer}", Static).update(heading(layer, people))
        else:
            await self._build(layers)
            self.card_order = layout
        grid = self.query_one(InfluenceGrid)
        grid.people, grid.selected = data.people, self.selected
        self._select(self.selected)

    def _show_flags(self, data: Board) -> None:
        flags = self.query_one("#stakeholder-flags", Static)
        lines = [f"⚑ {flag.message}" for flag in data.flags] or [_("✓ No red flags on this account.")]
        flags.update("\n".join(lines))
        flags.set_class(not data.flags, "-clear")

    async def _build(self, layers: dict[str, list[Stakeholder]]) -> None:
        """Lay the cards out again (when people came, went or changed layer)."""
        scroll = self.query_one(CardScroll)
        await scroll.remove_children()
        widgets: list[Widget] = []
        for layer, people in layers.items():
            widgets.append(Static(heading(layer, people), id=f"heading-{layer}", classes="layer-heading"))
            if people:
                widgets.append(
                    Container(*(StakeholderCard(s, id=f"card-{s.id}") for s in people), classes="layer-cards")
                )
            else:
                widgets.append(Static(_("Nobody recorded in this layer yet (n adds a person)."), classes="layer-empty"))
        await scroll.mount_all(widgets)
        scroll.fit_columns()

    def _card(self, person_id: str) -> StakeholderCard:
        return self.query_one(f"#card-{person_id}", StakeholderCard)

    @property
    def columns(self) -> int:
        return self.query_one(CardScroll).columns

    @property
    def showing_grid(self) -> bool:
        return self.query_one(ContentSwitcher).current == "stakeholder-grid"

    @property
    def current(self) -> Stakeholder | None:
        return self.board.find(self.selected) if self.board else None

    def _select(self, person_id: str | None) -> None:
        self.selected = person_id
        self.query_one(InfluenceGrid).selected = person_id
        self._show_path()
        if person_id and not self.showing_grid:
            card = self._card(person_id)
            card.focus()
            self.call_after_refresh(card.scroll_visible, animate=False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, StakeholderCard):
            self.selected = event.widget.person_id
            self.query_one(InfluenceGrid).selected = self.selected
            self._show_path()

    def _show_path(self) -> None:
        """How the selected person was first met, with the whole introduction path."""
        found = self.current
        line = self.query_one("#stakeholder-path", Static)
        line.update(path_text(found.person.name, found.how or NOT_MET) if found else "")
        line.display = found is not None

    def action_move(self, direction: str) -> None:
        """Between cards; in the grid, to the nearest person that way (up: more
        influence, right: closer)."""
        if not self.selected:
            return
        if self.showing_grid and self.board is not None:
            self._select(grid_neighbour(self.board.people, self.selected, direction))
        else:
            self._select(neighbour(self.card_order, self.selected, direction, self.columns))

    def action_toggle_grid(self) -> None:
        self.query_one(ContentSwitcher).current = "stakeholder-cards" if self.showing_grid else "stakeholder-grid"
        self._select(self.selected)

    def action_back(self) -> None:
        self.dismiss(None)

    # --- one-key changes ------------------------------------------------------------

    def action_score(self, field: str, step: int) -> None:
        self._change(field, step)

    def action_stance(self) -> None:
        self._change("stance", 0)

    def _person_for_key(self, again: Callable[[], None]) -> m.Person | None:
        """The selected person for a one-key change, or None: the key replays once an
        earlier write is done (`again`), or there is nobody to change yet."""
        if self.wait_turn(again):
            return None
        found = self.current
        if found is None:
            self.notify(_("Add a person first (n)."))
            return None
        return found.person

    def action_confirm_layer(self) -> None:
        person = self._person_for_key(self.action_confirm_layer)
        if person is None:
            return
        if not person.layer_guessed:
            self.notify(_("The layer of {name} is not a guess; change it with enter.").format(name=person.name))
            return
        self.write(lambda store: store.confirm_guess(m.Person, person.id, person.version), keep=person.id)

    def _change(self, field: str, step: int) -> None:
        """One key's change to the selected person, against the version last read."""
        person = self._person_for_key(lambda: self._change(field, step))
        if person is None:
            return
        value = next_stance(person.stance) if field == "stance" else stepped(getattr(person, field), step)
        if value is None:
            limit = (
                _("{score} of {name} is already {value}, the highest.")
                if step > 0
                else _("{score} of {name} is already {value}, the lowest.")
            )
            self.notify(limit.format(score=_(SCORE_LABELS[field]), name=person.name, value=getattr(person, field)))
            return
        self.write(lambda store: store.update(m.Person, person.id, person.version, **{field: value}), keep=person.id)

    # --- forms and delete -----------------------------------------------------------

    def _choices(self, data: Board, person_id: str | None) -> dict[str, list[tuple[str, str]]]:
        return {
            "unit_id": [(unit.name, unit.id) for unit in data.units],
            "reports_to_id": [(f"{s.person.name} · {s.person.title}", s.id) for s in data.people if s.id != person_id],
        }

    def action_edit(self) -> None:
        found, data = self.current, self.board
        if found is None or data is None:
            self.notify(_("Add a person first (n)."))
            return
        p = found.person
        form = RecordForm(
            _("Edit {name}").format(name=p.name), m.Person, PERSON_FIELDS, p.model_dump(),
            lambda store, values: store.update(m.Person, p.id, p.version, **values),
            choices=self._choices(data, p.id),
        )  # fmt: skip
        self.app.push_screen(form, self._saved)

    def action_new(self) -> None:
        data, account_id = self.board, self.account_id
        if data is None:
            return
        found = self.current
        initial = {**NEW_PERSON, "layer": found.person.layer if found else "usage"}

        def save(store: Store, values: dict[str, Any]) -> m.Person:
            changes = {**initial, **values}
            if not changes.get("value_orientation"):
                changes.pop("value_orientation", None)  # the store fills in the layer's values
            return store.create(m.Person, account_id=account_id, **changes)

        form = RecordForm(
            _("New person at {account}").format(account=data.account.name), m.Person, PERSON_FIELDS, initial, save,
            choices=self._choices(data, None),
        )  # fmt: skip
        self.app.push_screen(form, self._saved)

    def _saved(self, person: m.Person | None) -> None:
        if person is not None:
            self.notify(_("Saved."))
            self.reload(person.id)

    def action_delete(self) -> None:
        found = self.current
        if found is None:
            self.notify(_("There is nobody to delete."))
            return
        p = found.person
        after = neighbour(self.card_order, p.id, "right", self.columns)
        if after == p.id:
            after = neighbour(self.card_order, p.id, "left", self.columns)

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda store: store.delete(m.Person, p.id, p.version), keep=after)

        question = _("Delete {name} ({title})? It can be restored from the history.")
        self.app.push_screen(
            Confirm(
                question.format(name=p.name, title=p.title or _(LAYER_TITLES.get(p.layer, p.layer))), yes=_("Delete")
            ),
            answered,
        )

    def action_history(self) -> None:
        found = self.current
        if found is None:
            self.notify(_("Add a person first (n)."))
            return
        p = found.person
        self.open("history", m.Person, p.id, _("History of person {name}").format(name=p.name))
