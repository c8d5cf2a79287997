"""The pre-visit brief of one account on screen, and written to a file to print.

The screen lays out the same sections as the printed page (`planner.core.brief`),
so the two never say different things; only the layout differs: a table's groups (the
people by layer) get a heading row instead of a column, which keeps the people
readable at 80 columns. `v` on the account opens it; `E` writes the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.console import Group as Stack
from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from planner.core.brief import Brief, Section, about, build_brief, sections, title, write_brief
from planner.core.i18n import N_, _
from planner.screens.base import AccountScreen
from planner.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from planner.store.store import Store

SHORT = 12
"""A column whose every cell is at most this wide never wraps (dates, scores, stances)."""


def _table(section: Section) -> Table:
    rows = [row for group in section.groups for row in group.rows]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True, header_style="bold")
    for n, header in enumerate(section.headers):
        short = max(cell_len(row[n]) for row in rows) <= SHORT
        table.add_column(header, no_wrap=short, overflow="fold")
    for group in section.groups:
        if group.heading:
            table.add_row(Text(group.heading, style="bold"))
        indent = 2 if group.heading else 0
        for first, *rest in group.rows:
            table.add_row(Padding(Text(first), (0, 0, 0, indent)), *(Text(cell) for cell in rest))
    return table


def _marked(mark: str, lines: tuple[str, ...]) -> Table:
    """Lines each after a mark, wrapped lines indented past it."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for line in lines:
        grid.add_row(mark, Text(line))
    return grid


def page(brief: Brief) -> RenderableType:
    parts: list[RenderableType] = [Text(title(brief), style="bold"), Text(about(brief))]
    for section in sections(brief):
        parts += [Text(""), Text(section.title, style="bold underline")]
        parts += [_marked("•", section.lines)] if section.lines else []
        if section.groups:
            parts += [Text(""), _table(section)] if section.lines else [_table(section)]
        elif not section.lines and section.empty:
            parts.append(Text(section.empty, style="dim italic"))
        parts += [_marked("☐", section.ticks)] if section.ticks else []
    return Stack(*parts)


class BriefScreen(AccountScreen[Brief]):
    """One account's brief for the visit, scrollable, with a key to write it to a file."""

    DEFAULT_CSS = """
    BriefScreen #brief { height: 1fr; }
    BriefScreen #brief-page { padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="brief-back", tooltip=N_("Back to the account")),
        Binding(
            "E",
            "export",
            N_("Write file"),
            id="brief-export",
            tooltip=N_("Write the brief to a Markdown file, to print"),
        ),
        Binding("r", "reload", N_("Reload"), id="brief-reload", show=False, tooltip=N_("Read the database again")),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="brief"):
            yield Static(_("Loading…"), id="brief-page")
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#brief", VerticalScroll).focus()

    def fetch(self, store: Store) -> Brief:
        return build_brief(store.brief_document(self.account_id, self.today()))

    def apply(self, data: Brief, keep: Any) -> None:
        self.sub_title = _("Visit brief · {account}").format(account=data.account.name)
        self.query_one("#brief-page", Static).update(page(data))

    def action_back(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        """Write the brief as the database has it now: what `planner brief` prints."""
        account_id, today = self.account_id, self.today()
        self.read_then(
            lambda store: write_brief(build_brief(store.brief_document(account_id, today))),
            lambda path: self.notify(_("Brief written to {path}").format(path=path)),
        )
