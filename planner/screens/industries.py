"""Industries and how they buy (method section 2): every industry with both names, its
tier, the first line of its procurement pattern and how many accounts use it.

`n` adds one and `e` (or enter) edits it on the record form; `t` moves it to the next
tier in one key, and `y` says a tier an import guessed is right (any change of the
tier confirms it too). `d` deletes an industry no account uses; the store refuses
one still in use, so a rep gives those accounts another industry first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Static

from planner.core import models as m
from planner.core.formatting import count, industry_names, name_key, tier_text
from planner.core.industries import COLUMNS, INDUSTRY_FIELDS, IndustryRow, first_line, matching, next_tier, sort_rows
from planner.screens.confirm import Confirm
from planner.screens.filtered_list import FilteredListScreen
from planner.screens.record_form import RecordForm
from planner.widgets.key_footer import KeyFooter
from planner.widgets.record_table import RecordTable, cell

if TYPE_CHECKING:
    from planner.store.store import Store

WIDTHS = (16, 8, 16, 8)
"""At most this many cells for the name, Chinese name, tier and account count; the
pattern takes the rest of the screen's width."""


def same_name(store: Store, values: dict[str, Any], industry_id: str | None) -> str | None:
    """Ask before two industries share a name (in English or in Chinese)."""
    names = {name_key(values.get(field) or "") for field in ("name_en", "name_zh")} - {""}
    for other in store.list(m.Industry):
        if other.id != industry_id and names & {name_key(other.name_en), name_key(other.name_zh)}:
            return f"An industry named {industry_names(other)} already exists. Save anyway?"
    return None


class IndustriesScreen(FilteredListScreen[list[IndustryRow]]):
    """Every industry; add, rename, move between tiers, describe how it buys."""

    DEFAULT_CSS = """
    IndustriesScreen #industries-table { height: 1fr; }
    IndustriesScreen #industry-detail {
        height: 6; padding: 0 1; border-top: solid $primary;
    }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="industries-back", tooltip="Back to the customer list"),
        Binding("slash", "focus_filter", "Filter", id="industries-filter", tooltip="Filter by name, tier or pattern"),
        Binding("n", "new", "New", id="industries-new", tooltip="Add an industry"),
        Binding("e", "edit", "Edit", id="industries-edit", tooltip="Edit the highlighted industry (or Enter)"),
        Binding(
            "d", "delete", "Delete", id="industries-delete",
            tooltip="Delete the highlighted industry if no account uses it (asks first)",
        ),
        Binding(
            "t", "cycle_tier", "Tier", id="industries-tier",
            tooltip="Move to the next tier: major → minor → tracked → other",
        ),
        Binding(
            "y", "confirm_tier", "Confirm tier", id="industries-confirm-tier", show=False,
            tooltip="Say the tier an import guessed is right",
        ),
        Binding("s", "sort(1)", "Sort", id="industries-sort", tooltip="Sort by the next column"),
        Binding(
            "S", "sort(-1)", "Sort back", id="industries-sort-back", show=False, tooltip="Sort by the previous column"
        ),
        Binding("o", "reverse", "Order", id="industries-reverse", show=False, tooltip="Reverse the sort order"),
        Binding("h", "history", "History", id="industries-history", show=False, tooltip="Change log of the industry"),
        Binding("r", "reload", "Reload", id="industries-reload", show=False, tooltip="Read the database again"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[IndustryRow] = []
        self.pattern_width = 12
        self.sort_index = next(i for i, column in enumerate(COLUMNS) if column.title == "Tier")
        self.descending = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter by name, tier or how it buys  (/)", id="industries-filter", compact=True)
        yield RecordTable([column.title for column in COLUMNS], self._cells, id="industries-table")
        yield Static("", id="industry-detail", markup=False)
        yield Static("Loading industries…", id="status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Industries"
        self.table.focus()

    def _cells(self, row: IndustryRow) -> list[Text]:
        name, chinese, tier, _ = WIDTHS
        return [
            cell(row.name_en, name),
            cell(row.name_zh, chinese),
            cell(tier_text(row), tier),
            Text(str(row.accounts), justify="right"),
            cell(first_line(row.procurement_pattern) or "—", self.pattern_width),
        ]

    def _fit_pattern(self, rows: list[IndustryRow]) -> None:
        """Give the pattern column what the other columns, as wide as `rows` make them, leave."""
        texts = [(row.name_en, row.name_zh, tier_text(row), str(row.accounts)) for row in rows]
        used = sum(
            min(limit, max([cell_len(COLUMNS[i].title), *(cell_len(text[i]) for text in texts)]))
            for i, limit in enumerate(WIDTHS)
        )
        self.pattern_width = max(self.app.size.width - used - 2 * len(COLUMNS) - 3, 12)  # padding, scrollbar

    # --- load → apply --------------------------------------------------------------------

    def fetch(self, store: Store) -> list[IndustryRow]:
        return store.industry_rows()

    def apply(self, data: list[IndustryRow], keep: Any) -> None:
        self.rows = data
        self._show(keep)

    def _show(self, keep: str | None = None) -> None:
        shown = sort_rows(matching(self.rows, self.query_one(Input).value), self.sort_index, self.descending)
        self._fit_pattern(shown)
        self.table.show(shown, keep)
        self._detail()
        if not self.rows:
            self.query_one("#status", Static).update("No industries yet: n adds one.")
            return
        total = count(len(self.rows), "industry", "industries")
        parts = [f"{len(shown)} of {total} match" if len(shown) < len(self.rows) else total]
        guessed = sum(row.tier_guessed for row in self.rows)
        if guessed:
            parts.append(f"{count(guessed, 'tier')} guessed (y confirms)")
        parts.append(f"sorted by {COLUMNS[self.sort_index].title} {'↓' if self.descending else '↑'} (s)")
        self.query_one("#status", Static).update(" · ".join([*parts, "Enter edits", "? keys"]))

    def _detail(self) -> None:
        row = self.table.current
        text = ""
        if row is not None:
            guess = " (an import guessed it: y confirms, t changes it)" if row.tier_guessed else ""
            pattern = row.procurement_pattern or "How it buys is not recorded yet: e adds it."
            text = f"{industry_names(row)} · tier {row.tier}{guess} · {count(row.accounts, 'account')}\n{pattern}"
        self.query_one("#industry-detail", Static).update(text)

    def on_resize(self) -> None:
        self._show()  # the pattern column takes the width there is

    @on(DataTable.RowHighlighted, "#industries-table")
    def _highlighted(self) -> None:
        self._detail()

    @on(DataTable.RowSelected, "#industries-table")
    def _chosen(self) -> None:
        self.action_edit()

    @on(DataTable.HeaderSelected, "#industries-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        if event.column_index == self.sort_index:
            self.action_reverse()
        else:
            self.sort_index = event.column_index
            self.descending = COLUMNS[event.column_index].descending
            self._show()

    # --- keys ------------------------------------------------------------------------------

    def action_sort(self, step: int) -> None:
        self.sort_index = (self.sort_index + step) % len(COLUMNS)
        self.descending = COLUMNS[self.sort_index].descending
        self._show()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._show()

    def _highlighted_row(self, doing: str) -> IndustryRow | None:
        row = self.table.current
        if row is None:
            self.notify(f"Highlight an industry to {doing} (n adds one).")
        return row

    def action_history(self) -> None:
        if row := self._highlighted_row("see its history"):
            self.open("history", m.Industry, row.id, f"History of the industry {row.name_en}")

    def action_new(self) -> None:
        fresh = {"tier": "other"}
        form = RecordForm(
            "New industry", m.Industry, INDUSTRY_FIELDS, fresh,
            lambda store, values: store.create(m.Industry, **{**fresh, **values}),
            question=lambda store, values: same_name(store, values, None),
        )  # fmt: skip
        self.app.push_screen(form, self._saved)

    def action_edit(self) -> None:
        if row := self._highlighted_row("edit"):
            form = RecordForm(
                f"Industry {industry_names(row)} (used by {count(row.accounts, 'account')})",
                m.Industry, INDUSTRY_FIELDS, row._asdict(),
                lambda store, values: store.update(m.Industry, row.id, row.version, **values),
                question=lambda store, values: same_name(store, values, row.id),
            )  # fmt: skip
            self.app.push_screen(form, self._saved)

    def _saved(self, industry: m.Industry | None) -> None:
        if industry is not None:
            self.notify(f"Saved the industry {industry.name_en}.")
            self.reload(industry.id)

    def action_cycle_tier(self) -> None:
        row = self._highlighted_row("move it to another tier")
        if row is None:
            return
        confirmed = " (no longer a guess)" if row.tier_guessed else ""
        self.write(
            lambda store: store.update(m.Industry, row.id, row.version, tier=next_tier(row.tier)),
            keep=row.id,
            success=lambda industry: f"{industry.name_en} is now {industry.tier}{confirmed}.",
            again=self.action_cycle_tier,
        )

    def action_confirm_tier(self) -> None:
        row = self._highlighted_row("confirm its tier")
        if row is None:
            return
        if not row.tier_guessed:
            self.notify(f"The tier of {row.name_en} is not a guess; t changes it.")
            return
        self.write(
            lambda store: store.confirm_guess(m.Industry, row.id, row.version),
            keep=row.id,
            success=f"{row.name_en} stays {row.tier}, confirmed.",
            again=self.action_confirm_tier,
        )

    def action_delete(self) -> None:
        row = self._highlighted_row("delete it")
        if row is None:
            return
        if row.accounts:
            self.notify(
                f"{row.name_en} is still used by {count(row.accounts, 'account')}: give "
                f"{'it' if row.accounts == 1 else 'them'} another industry first, then delete it.",
                title="Not deleted",
                severity="warning",
                timeout=8,
            )
            return

        ids = [record.id for record in self.table.records]
        at = ids.index(row.id)
        neighbour = next(iter([*ids[at + 1 :], *reversed(ids[:at])]), None)

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(
                    lambda store: store.delete(m.Industry, row.id, row.version),
                    keep=neighbour,
                    success=f"Deleted the industry {row.name_en}.",
                )

        question = f"Delete the industry {industry_names(row)}? No account uses it."
        self.app.push_screen(Confirm(question, yes="Delete"), answered)
