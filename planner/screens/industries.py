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
from planner.core.formatting import industry_names, name_key, tier_label, tier_text
from planner.core.i18n import N_, _, ngettext
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
            return _("An industry named {names} already exists. Save anyway?").format(names=industry_names(other))
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
        Binding("escape", "back", N_("Back"), id="industries-back", tooltip=N_("Back to the customer list")),
        Binding(
            "slash", "focus_filter", N_("Filter"), id="industries-filter", tooltip=N_("Filter by name, tier or pattern")
        ),
        Binding("n", "new", N_("New"), id="industries-new", tooltip=N_("Add an industry")),
        Binding("e", "edit", N_("Edit"), id="industries-edit", tooltip=N_("Edit the highlighted industry (or Enter)")),
        Binding(
            "d",
            "delete",
            N_("Delete"),
            id="industries-delete",
            tooltip=N_("Delete the highlighted industry if no account uses it (asks first)"),
        ),
        Binding(
            "t",
            "cycle_tier",
            N_("Tier"),
            id="industries-tier",
            tooltip=N_("Move to the next tier: major → minor → tracked → other"),
        ),
        Binding(
            "y",
            "confirm_tier",
            N_("Confirm tier"),
            id="industries-confirm-tier",
            show=False,
            tooltip=N_("Say the tier an import guessed is right"),
        ),
        Binding("s", "sort(1)", N_("Sort"), id="industries-sort", tooltip=N_("Sort by the next column")),
        Binding(
            "S",
            "sort(-1)",
            N_("Sort back"),
            id="industries-sort-back",
            show=False,
            tooltip=N_("Sort by the previous column"),
        ),
        Binding("o", "reverse", N_("Order"), id="industries-reverse", show=False, tooltip=N_("Reverse the sort order")),
        Binding(
            "h", "history", N_("History"), id="industries-history", show=False, tooltip=N_("Change log of the industry")
        ),
        Binding("r", "reload", N_("Reload"), id="industries-reload", show=False, tooltip=N_("Read the database again")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[IndustryRow] = []
        self.pattern_width = 12
        self.sort_index = next(i for i, column in enumerate(COLUMNS) if column.title == "Tier")
        self.descending = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("Filter by name, tier or how it buys  (/)"), id="industries-filter", compact=True)
        yield RecordTable([_(column.title) for column in COLUMNS], self._cells, id="industries-table")
        yield Static("", id="industry-detail", markup=False)
        yield Static(_("Loading industries…"), id="status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Industries")
        self.table.focus()

    def _cells(self, row: IndustryRow) -> list[Text]:
        name, chinese, tier, __ = WIDTHS
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
            min(limit, max([cell_len(_(COLUMNS[i].title)), *(cell_len(text[i]) for text in texts)]))
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
            self.query_one("#status", Static).update(_("No industries yet: n adds one."))
            return
        n = len(self.rows)
        if len(shown) < n:
            parts = [
                ngettext("{shown} of {n} industry match", "{shown} of {n} industries match", n).format(
                    shown=len(shown), n=n
                )
            ]
        else:
            parts = [ngettext("{n} industry", "{n} industries", n).format(n=n)]
        guessed = sum(row.tier_guessed for row in self.rows)
        if guessed:
            parts.append(
                ngettext("{n} tier guessed (y confirms)", "{n} tiers guessed (y confirms)", guessed).format(n=guessed)
            )
        arrow = "↓" if self.descending else "↑"
        parts.append(_("sorted by {column} {arrow} (s)").format(column=_(COLUMNS[self.sort_index].title), arrow=arrow))
        self.query_one("#status", Static).update(" · ".join([*parts, _("Enter edits"), _("? keys")]))

    def _detail(self) -> None:
        row = self.table.current
        text = ""
        if row is not None:
            pattern = row.procurement_pattern or _("How it buys is not recorded yet: e adds it.")
            accounts = ngettext("{n} account", "{n} accounts", row.accounts).format(n=row.accounts)
            tier = tier_label(row.tier)
            if row.tier_guessed:
                about = _("{names} · tier {tier} (an import guessed it: y confirms, t changes it) · {accounts}")
            else:
                about = _("{names} · tier {tier} · {accounts}")
            text = about.format(names=industry_names(row), tier=tier, accounts=accounts) + "\n" + pattern
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

    def _highlighted_row(self, ask: str) -> IndustryRow | None:
        """The highlighted industry; with none, `ask` says what to do (a whole sentence)."""
        row = self.table.current
        if row is None:
            self.notify(ask)
        return row

    def action_history(self) -> None:
        if row := self._highlighted_row(_("Highlight an industry to see its history (n adds one).")):
            self.open("history", m.Industry, row.id, _("History of the industry {name}").format(name=row.name_en))

    def action_new(self) -> None:
        fresh = {"tier": "other"}
        form = RecordForm(
            _("New industry"), m.Industry, INDUSTRY_FIELDS, fresh,
            lambda store, values: store.create(m.Industry, **{**fresh, **values}),
            question=lambda store, values: same_name(store, values, None),
        )  # fmt: skip
        self.app.push_screen(form, self._saved)

    def action_edit(self) -> None:
        if row := self._highlighted_row(_("Highlight an industry to edit (n adds one).")):
            title = ngettext(
                "Industry {names} (used by {n} account)", "Industry {names} (used by {n} accounts)", row.accounts
            ).format(names=industry_names(row), n=row.accounts)
            form = RecordForm(
                title,
                m.Industry, INDUSTRY_FIELDS, row._asdict(),
                lambda store, values: store.update(m.Industry, row.id, row.version, **values),
                question=lambda store, values: same_name(store, values, row.id),
            )  # fmt: skip
            self.app.push_screen(form, self._saved)

    def _saved(self, industry: m.Industry | None) -> None:
        if industry is not None:
            self.notify(_("Saved the industry {name}.").format(name=industry.name_en))
            self.reload(industry.id)

    def action_cycle_tier(self) -> None:
        row = self._highlighted_row(_("Highlight an industry to move it to another tier (n adds one)."))
        if row is None:
            return
        moved = _("{name} is now {tier} (no longer a guess).") if row.tier_guessed else _("{name} is now {tier}.")
        self.write(
            lambda store: store.update(m.Industry, row.id, row.version, tier=next_tier(row.tier)),
            keep=row.id,
            success=lambda industry: moved.format(name=industry.name_en, tier=tier_label(industry.tier)),
            again=self.action_cycle_tier,
        )

    def action_confirm_tier(self) -> None:
        row = self._highlighted_row(_("Highlight an industry to confirm its tier (n adds one)."))
        if row is None:
            return
        if not row.tier_guessed:
            self.notify(_("The tier of {name} is not a guess; t changes it.").format(name=row.name_en))
            return
        self.write(
            lambda store: store.confirm_guess(m.Industry, row.id, row.version),
            keep=row.id,
            success=_("{name} stays {tier}, confirmed.").format(name=row.name_en, tier=tier_label(row.tier)),
            again=self.action_confirm_tier,
        )

    def action_delete(self) -> None:
        row = self._highlighted_row(_("Highlight an industry to delete it (n adds one)."))
        if row is None:
            return
        if row.accounts:
            self.notify(
                ngettext(
                    "{name} is still used by {n} account: give it another industry first, then delete it.",
                    "{name} is still used by {n} accounts: give them another industry first, then delete it.",
                    row.accounts,
                ).format(name=row.name_en, n=row.accounts),
                title=_("Not deleted"),
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
                    success=_("Deleted the industry {name}.").format(name=row.name_en),
                )

        question = _("Delete the industry {names}? No account uses it.").format(names=industry_names(row))
        self.app.push_screen(Confirm(question, yes=_("Delete")), answered)
