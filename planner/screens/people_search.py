"""Find a person across every account: a search box over the people whose name or
title contains what the rep typed, or whose name's pinyin does (`zw` or `zhangwei`
finds 张伟), with their title, layer, stance and account.

Each keystroke asks the store again (`Store.search_people`, in a thread, as every
screen loads): a search that ends after a newer one started is dropped, so the list
always answers the text in the box. The cursor keys move in the list while the box
keeps the focus; enter opens the highlighted person's account on its key-people
screen with that person selected, and escape goes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Static

from planner.core.formatting import STANCE_MARKS
from planner.core.i18n import N_, _, ngettext
from planner.core.rows import PersonHit
from planner.screens.base import PlannerScreen
from planner.widgets.key_footer import KeyFooter
from planner.widgets.record_table import RecordTable, cell

if TYPE_CHECKING:
    from planner.store.store import Store

SHOWN = 50
"""At most this many people in the list: a search is for finding one, not browsing."""

COLUMNS = (N_("Name"), N_("Title"), N_("Layer"), N_("Stance"), N_("Account"))
LAYER_LABELS = {
    "image": N_("image"),
    "decision": N_("decision"),
    "implementation": N_("implementation"),
    "usage": N_("usage"),
}
"""A layer's name in the list: the code itself in English (as the org chart shows it),
形象层, 决策层, 实施层 and 使用层 in Chinese."""
STANCE_LABELS = {
    "supporter": N_("supporter"),
    "neutral": N_("neutral"),
    "opponent": N_("opponent"),
    "unknown": N_("unknown"),
}
CAPS = {0: 16, 2: 14, 3: 14}
"""At most this many cells for the name, the layer and the stance; the title and the
account share the rest of the width."""
SHARED_MIN = 10


class Found(NamedTuple):
    """The people matching `text` (the first `SHOWN`), and whether there are more."""

    text: str
    hits: list[PersonHit]
    more: bool


def layer_label(layer: str) -> str:
    return _(LAYER_LABELS[layer]) if layer in LAYER_LABELS else layer


def stance_label(stance: str) -> str:
    shown = _(STANCE_LABELS[stance]) if stance in STANCE_LABELS else stance
    return f"{STANCE_MARKS.get(stance, '?')} {shown}"


def fitted_widths(hits: list[PersonHit], width: int) -> list[int]:
    """Each column's width at a screen `width` cells wide: the name, layer and stance as
    wide as their texts (up to their caps), the title and account sharing what is left;
    when even that is too little, the layer gives up cells first."""
    texts = [(hit.name, hit.title, layer_label(hit.layer), stance_label(hit.stance), hit.account_name) for hit in hits]
    natural = [max([cell_len(_(title)), *(cell_len(t[i]) for t in texts)]) for i, title in enumerate(COLUMNS)]
    fixed = {i: min(cap, natural[i]) for i, cap in CAPS.items()}
    room = width - 2 * len(COLUMNS) - 2  # each cell's padding, the scrollbar
    rest = room - sum(fixed.values())
    if rest < 2 * SHARED_MIN:
        fixed[2] = max(6, fixed[2] - (2 * SHARED_MIN - rest))
        rest = room - sum(fixed.values())
    title = min(natural[1], max(SHARED_MIN, rest * 3 // 5))
    account = max(SHARED_MIN, rest - title)
    return [fixed[0], title, fixed[2], fixed[3], account]


class PeopleSearchScreen(PlannerScreen[Found]):
    """Everyone recorded, found by name, title or pinyin; enter opens their key people."""

    DEFAULT_CSS = """
    PeopleSearchScreen #people-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="people-back", tooltip=N_("Back to the customer list")),
        Binding(
            "enter", "open_person", N_("Open"), id="people-open",
            tooltip=N_("Open the highlighted person among their account's key people"),
        ),
        Binding(
            "slash", "focus_filter", N_("Search"), id="people-filter", show=False,
            tooltip=N_("Type a name, a title or pinyin"),
        ),
        Binding("down", "move(1)", N_("Next"), id="people-down", show=False, tooltip=N_("Highlight the next person")),
        Binding(
            "up", "move(-1)", N_("Previous"), id="people-up", show=False, tooltip=N_("Highlight the previous person")
        ),
        Binding("r", "reload", N_("Reload"), id="people-reload", show=False, tooltip=N_("Read the database again")),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.wanted = ""
        self.found: Found | None = None
        self.widths = [12, 16, 14, 11, 16]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder=_("Name, title or pinyin (zw or zhangwei finds 张伟)"), id="people-filter", compact=True
        )
        yield RecordTable([_(title) for title in COLUMNS], self._cells, id="people-table")
        yield Static(_("Searching…"), id="status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Find a person")
        self.query_one(Input).focus()

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    def _cells(self, hit: PersonHit) -> list[Text]:
        name, title, layer, stance, account = self.widths
        return [
            cell(hit.name, name),
            cell(hit.title or "—", title),
            cell(layer_label(hit.layer), layer),
            cell(stance_label(hit.stance), stance),
            cell(hit.account_name, account),
        ]

    # --- load → apply --------------------------------------------------------------------

    def fetch(self, store: Store) -> Found:
        text = self.wanted
        hits = store.search_people(text, limit=SHOWN + 1)
        return Found(text, hits[:SHOWN], len(hits) > SHOWN)

    def apply(self, data: Found, keep: Any) -> None:
        self.found = data
        self._show(keep)

    def _show(self, keep: str | None = None) -> None:
        found = self.found
        if found is None:
            return
        widths = fitted_widths(found.hits, self.app.size.width)
        if widths != self.widths:  # the table's columns only ever widen by themselves
            self.widths = widths
            self.table.clear(columns=True)
            self.table.add_columns(*(_(title) for title in COLUMNS))
        self.table.show(found.hits, keep)
        self.query_one("#status", Static).update(self._status(found))

    @staticmethod
    def _status(found: Found) -> str:
        count, text = len(found.hits), found.text.strip()
        if not found.hits:
            if text:
                return _("No one matches “{text}”: try fewer letters, a title, or pinyin initials.").format(text=text)
            return _("No people recorded yet: add them on an account's key people screen.")
        if found.more:
            shown = _("The first {count} people: type more to narrow the list.").format(count=count)
        elif text:
            shown = ngettext("{count} person matches", "{count} people match", count).format(count=count)
        else:
            shown = ngettext("{count} person", "{count} people", count).format(count=count)
        return " · ".join((shown, _("Enter opens their key people"), _("Esc goes back")))

    def on_resize(self) -> None:
        self._show()

    # --- typing and keys -----------------------------------------------------------------

    @on(Input.Changed, "#people-filter")
    def _typed(self, event: Input.Changed) -> None:
        self.wanted = event.value
        self.reload()

    @on(Input.Submitted, "#people-filter")
    def _submitted(self) -> None:
        self.action_open_person()

    @on(DataTable.RowSelected, "#people-table")
    def _chosen(self) -> None:
        self.action_open_person()

    def action_move(self, step: int) -> None:
        if step > 0:
            self.table.action_cursor_down()
        else:
            self.table.action_cursor_up()

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_open_person(self) -> None:
        """The highlighted person's account, on its key-people screen with them selected."""
        hit: PersonHit | None = self.table.current
        if hit is None:
            self.notify(_("Nobody to open: type part of a name, a title or pinyin."))
            return
        self.open("stakeholders", hit.account_id, hit.id)
