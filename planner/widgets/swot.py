"""SWOT in a 2x2 grid: internal strengths and weaknesses on top, external
opportunities and threats below, with a cursor on one item.

The cursor is a quadrant and an index, so adding to an empty quadrant works (the
rep picks the quadrant first); the picked item is marked ▶ and the picked quadrant
gets a heavy border, so both read without colour.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widget import Widget
from textual.widgets import Static

from planner.core.battle_plan import SWOT_SCOPE, SWOT_TITLES
from planner.core.i18n import N_, _, ngettext
from planner.core.models import SwotItem

LAYOUT = ("S", "W", "O", "T")  # reading order of the 2x2 grid
ACROSS = {"S": "W", "W": "S", "O": "T", "T": "O"}
BELOW = {"S": "O", "W": "T"}
ABOVE = {below: above for above, below in BELOW.items()}


class SwotBoard(Widget, can_focus=True):
    DEFAULT_CSS = """
    SwotBoard { height: 1fr; }
    SwotBoard Grid { grid-size: 2 2; grid-gutter: 0 1; height: 1fr; }
    SwotBoard .swot-quadrant {
        height: 1fr; overflow-y: auto; padding: 0 1;
        border: round $panel-lighten-2; border-title-style: bold; border-subtitle-color: $text-muted;
    }
    SwotBoard:focus .swot-quadrant.-active { border: heavy $accent; }
    SwotBoard .swot-quadrant.-active { border: heavy $panel-lighten-2; }
    SwotBoard .swot-item { margin-bottom: 0; }
    SwotBoard .swot-item.-current { text-style: bold; background: $boost; }
    SwotBoard:focus .swot-item.-current { background: $accent 30%; }
    SwotBoard .swot-empty { color: $text-muted; }
    """
    BINDINGS = [
        Binding("up", "step(-1)", N_("Item above"), id="swot-up", show=False,
                tooltip=N_("Previous item, or the quadrant above")),
        Binding("down", "step(1)", N_("Item below"), id="swot-down", show=False,
                tooltip=N_("Next item, or the quadrant below")),
        Binding("left,right", "across", N_("Other side"), id="swot-across", show=False,
                tooltip=N_("Switch between strengths and weaknesses, or opportunities and threats")),
    ]  # fmt: skip

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.items: dict[str, list[SwotItem]] = {kind: [] for kind in LAYOUT}
        self.kind = "S"
        self.index = 0

    def compose(self) -> ComposeResult:
        with Grid():
            for kind in LAYOUT:
                with Vertical(id=f"swot-{kind}", classes="swot-quadrant") as quadrant:
                    quadrant.border_title = _("{kind} · {title} ({scope})").format(
                        kind=kind, title=_(SWOT_TITLES[kind]), scope=_(SWOT_SCOPE[kind])
                    )
                    listed = len(self.items[kind])
                    quadrant.border_subtitle = ngettext("{count} item", "{count} items", listed).format(count=listed)
                    yield from (Static("", classes="swot-item", markup=False) for _item in self.items[kind])
                    if not self.items[kind]:
                        yield Static(_("Nothing yet: n adds one here."), classes="swot-empty")

    async def show(self, items: dict[str, list[SwotItem]], keep: str | None = None) -> None:
        """Redraw the quadrants; the cursor goes to `keep` if given and present, else
        stays in its quadrant at the nearest index."""
        self.items = {kind: list(items.get(kind, [])) for kind in LAYOUT}
        for kind, listed in self.items.items():
            ids = [item.id for item in listed]
            if keep in ids:
                self.kind, self.index = kind, ids.index(keep)
        await self.recompose()
        self._mark()

    @property
    def current(self) -> SwotItem | None:
        listed = self.items[self.kind]
        return listed[self.index] if 0 <= self.index < len(listed) else None

    def _mark(self) -> None:
        """Show the cursor: the active quadrant, and ▶ against the current item."""
        self.index = max(0, min(self.index, len(self.items[self.kind]) - 1))
        for kind in LAYOUT:
            quadrant = self.query_one(f"#swot-{kind}", Vertical)
            quadrant.set_class(kind == self.kind, "-active")
            lines = quadrant.query(".swot-item").results(Static)
            for index, (line, item) in enumerate(zip(lines, self.items[kind], strict=True)):
                here = kind == self.kind and index == self.index
                line.set_class(here, "-current")
                line.update(f"{'▶' if here else '•'} {item.text}")
                if here:
                    line.scroll_visible()

    def action_step(self, step: int) -> None:
        """Move within the quadrant; past its edge, into the quadrant above or below."""
        index = self.index + step
        if 0 <= index < len(self.items[self.kind]):
            self.index = index
        elif step > 0 and self.kind in BELOW:
            self.kind, self.index = BELOW[self.kind], 0
        elif step < 0 and self.kind in ABOVE:
            self.kind = ABOVE[self.kind]
            self.index = len(self.items[self.kind]) - 1
        self._mark()

    def action_across(self) -> None:
        self.kind = ACROSS[self.kind]
        self._mark()
