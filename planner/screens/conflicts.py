"""Sync conflicts that wait for a decision: which record, what happened to it, the value
the merge kept and the one it did not, who saved each and when.

On a row, `k` keeps what the merge kept, `o` takes the other value (for a record
deleted on one copy and edited on another: restores it, with the edit), `n` types a
new value (checked by the field's own parser before anything is written; a refusal
keeps what was typed). Each is an ordinary logged write, so it syncs like any edit,
and a decided conflict leaves the list (`a` shows the decided ones too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Header, Input, Static, TextArea

from planner.core import fields
from planner.core.conflicts import KEEP, NEW, OTHER, ConflictView
from planner.core.errors import PlannerError, ValidationError
from planner.core.history import local_time
from planner.core.i18n import N_, _
from planner.screens.confirm import Confirm
from planner.screens.filtered_list import FilteredListScreen
from planner.widgets.key_footer import KeyFooter
from planner.widgets.record_table import RecordTable, cell

if TYPE_CHECKING:
    from planner.store.store import Store

WHAT = {"deleted": N_("delete vs edit"), "duplicate": N_("same name"), "loop": N_("loop")}
SORT_NAMES = {"newest": N_("newest"), "record": N_("record"), "field": N_("field")}
"""How the status line names each sort."""
SORTS = {
    "newest": lambda views: views,
    "record": lambda views: sorted(views, key=lambda v: (v.record.casefold(), v.field_label)),
    "field": lambda views: sorted(views, key=lambda v: (what(v).casefold(), v.record.casefold())),
}
NOT_HERE = {
    "deleted": N_(
        "A deleted record takes no typed value: k leaves it deleted, o restores it with the other copy's edit."
    ),
    "duplicate": N_("Two new accounts share a name: k closes this (both stay); to merge them, edit or delete one."),
    "loop": N_("Two moves made a loop and the link was cleared: k closes this; set the link again in the org chart."),
}
"""Why a key does not apply to a kind of conflict, and what does."""


def what(view: ConflictView) -> str:
    return _(WHAT[view.kind]) if view.kind in WHAT else view.field_label


def short(text: str, width: int = 60) -> str:
    """A value cut to fit a sentence (a long note would fill the screen)."""
    return cell(text, width).plain


def who_when(who: str, when: Any) -> str:
    return " · ".join(filter(None, [who, local_time(when) if when else ""])) or _("unknown")


def describe(view: ConflictView) -> str:
    """The highlighted conflict in full, for the panel under the list: what happened,
    what the keys do, then who saved each value when, and the values (long ones last)."""
    if view.resolved:
        choices = _("Decided: {decision}.").format(decision=view.resolved)
    elif view.kind == "field":
        choices = _("k keeps the kept value · o takes the other · n types a new {field}").format(field=view.field_label)
    elif view.kind == "deleted":
        choices = _("k leaves it deleted · o restores it, with the other copy's edit")
    else:
        choices = _(NOT_HERE[view.kind]) if view.kind in NOT_HERE else _("k closes it")
    return "\n".join([view.summary, choices, kept_line(view), other_line(view)])


def kept_line(view: ConflictView) -> str:
    return _("Kept   {who_when}   {value}").format(who_when=who_when(view.kept_by, view.kept_at), value=view.kept)


def other_line(view: ConflictView) -> str:
    return _("Other  {who_when}   {value}").format(who_when=who_when(view.other_by, view.other_at), value=view.other)


class ConflictsScreen(FilteredListScreen[list[ConflictView]]):
    """Open sync conflicts, newest first, with what each choice would do."""

    DEFAULT_CSS = """
    ConflictsScreen #conflicts-table { height: 1fr; }
    ConflictsScreen #conflict-detail {
        height: auto; max-height: 8; padding: 0 1; border-top: solid $primary;
    }
    """
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="conflicts-back", tooltip=N_("Back to the previous screen")),
        Binding(
            "k", "keep", N_("Keep"), id="conflicts-keep", tooltip=N_("Keep what the merge kept; the conflict closes")
        ),
        Binding(
            "o",
            "other",
            N_("Take other"),
            id="conflicts-other",
            tooltip=N_("Take the other value; a deleted record is restored, with the edit (asks first)"),
        ),
        Binding("n", "new", N_("New value"), id="conflicts-new", tooltip=N_("Type a new value for the field")),
        Binding(
            "slash", "focus_filter", N_("Filter"), id="conflicts-filter", tooltip=N_("Filter by record, field or value")
        ),
        Binding(
            "a", "toggle_resolved", N_("Decided"), id="conflicts-decided", tooltip=N_("Show decided ones too (toggle)")
        ),
        Binding(
            "s", "sort", N_("Sort"), id="conflicts-sort", show=False, tooltip=N_("Sort by newest, record or field")
        ),
        Binding(
            "h", "history", N_("History"), id="conflicts-history", show=False, tooltip=N_("Change log of the record")
        ),
        Binding(
            "r,F", "reload", N_("Reload"), id="conflicts-reload", show=False, tooltip=N_("Read the conflicts again")
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.views: list[ConflictView] = []
        self.show_resolved = False
        self.sort = "newest"
        self._retry: tuple[ConflictView, str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("Filter by record, field or value  (/)"), id="conflicts-filter", compact=True)
        yield RecordTable(
            (_("Record"), _("What"), _("Kept"), _("Other"), _("Decision")), self._cells, id="conflicts-table"
        )
        yield Static("", id="conflict-detail", markup=False)
        yield Static(_("Loading conflicts…"), id="status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Sync conflicts")
        self.table.focus()

    def _cells(self, view: ConflictView) -> list[Any]:
        """Cut to the screen's width: about a quarter of it for the record and for each value."""
        room = max(self.app.size.width - 22, 50)  # cell padding, the decision column, a scrollbar
        record, value = room * 28 // 100, room * 25 // 100
        return [
            cell(view.record, record), cell(what(view), room - record - 2 * value),
            cell(view.kept, value), cell(view.other, value), view.resolved,
        ]  # fmt: skip

    # --- load → apply --------------------------------------------------------------------

    def fetch(self, store: Store) -> list[ConflictView]:
        return store.sync_conflicts(resolved=self.show_resolved)

    def apply(self, data: list[ConflictView], keep: Any) -> None:
        self.views = data
        self._show(keep)

    def _show(self, keep: str | None = None) -> None:
        text = self.query_one(Input).value.strip().casefold()
        shown = [v for v in self.views if text in f"{v.record} {what(v)} {v.kept} {v.other}".casefold()]
        self.table.show(SORTS[self.sort](shown), keep)
        self._detail()
        waiting = sum(1 for v in self.views if not v.resolved)
        if not self.views:
            line = _("No conflicts wait for a decision.") if not self.show_resolved else _("No sync conflicts at all.")
        else:
            if self.show_resolved:
                line = _("{waiting} to decide, {decided} decided").format(
                    waiting=waiting, decided=len(self.views) - waiting
                )
            else:
                line = _("{waiting} to decide").format(waiting=waiting)
            if len(shown) < len(self.views):
                line += _(" · {n} match the filter").format(n=len(shown))
            line += _(" · sorted by {sort} (s) · times in local time").format(sort=_(SORT_NAMES[self.sort]))
        self.query_one("#status", Static).update(line)

    def _detail(self) -> None:
        view = self.table.current
        self.query_one("#conflict-detail", Static).update(describe(view) if view else "")

    @on(DataTable.RowHighlighted, "#conflicts-table")
    def _highlighted(self) -> None:
        self._detail()

    # --- keys ------------------------------------------------------------------------------

    def action_sort(self) -> None:
        names = list(SORTS)
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self._show()

    def action_toggle_resolved(self) -> None:
        self.show_resolved = not self.show_resolved
        self.reload()

    def action_history(self) -> None:
        view = self.table.current
        if view is not None:
            self.open("history", view.model, view.row_id, _("History of {name}").format(name=view.record))

    def _chosen(self, choice: str) -> ConflictView | None:
        """The highlighted conflict, if `choice` applies to it; else says why not."""
        self._retry = None
        view = self.table.current
        if view is None:
            self.notify(_("No conflict is highlighted."))
        elif view.resolved:
            self.notify(_("This one was decided already ({decision}).").format(decision=view.resolved))
        elif choice not in view.choices:
            why = _(NOT_HERE[view.kind]) if view.kind in NOT_HERE else _("Only k (keep) applies here.")
            self.notify(why, severity="warning")
        else:
            return view
        return None

    def _resolve(self, view: ConflictView, choice: str, done: str, value: Any = None) -> None:
        """Write the decision; the cursor lands on the next conflict (this one leaves)."""
        ids = [record.id for record in self.table.records]
        at = ids.index(view.id) if view.id in ids else -1
        after = [*ids[at + 1 :], *reversed(ids[:at])] if at >= 0 else []
        self.write(
            lambda store: store.resolve_conflict(view.id, view.version, choice, value),
            keep=view.id if self.show_resolved else next(iter(after), None),
            success=lambda _: self._resolved(done),
        )

    def _resolved(self, done: str) -> str:
        self._retry = None
        return done

    def action_keep(self) -> None:
        if view := self._chosen(KEEP):
            if view.kind == "deleted":
                done = _("{record} stays deleted.").format(record=view.record)
            elif view.kind == "field":
                done = _("{record} keeps {value}.").format(record=view.record, value=short(view.kept))
            else:
                done = _("{record} stays as it is.").format(record=view.record)
            self._resolve(view, KEEP, done)

    def action_other(self) -> None:
        view = self._chosen(OTHER)
        if view is None:
            return
        if view.kind == "deleted":
            question = _("Restore {record}, with the edit made on the other copy ({value})?").format(
                record=view.record, value=short(view.other)
            )
            yes, done = _("Restore"), _("Restored {record}.").format(record=view.record)
        else:
            label, other = view.field_label, short(view.other)
            question = _("Set {field} of {record} to “{value}”, replacing “{kept}”?").format(
                field=label, record=view.record, value=other, kept=short(view.kept)
            )
            yes = _("Take it")
            done = _("{record}: {field} is now “{value}”.").format(record=view.record, field=label, value=other)

        def answered(sure: bool | None) -> None:
            if sure:
                self._resolve(view, OTHER, done)

        self.app.push_screen(Confirm(question, yes=yes), answered)

    def action_new(self) -> None:
        view = self._chosen(NEW)
        if view is None:
            return
        try:
            spec = fields.spec(view.model, view.field)
        except KeyError:
            spec = None
        if spec is None or spec.kind == "ref":
            self.notify(
                _("{field} links to another record: keep one (k, o), then change it in its form.").format(
                    field=view.field_label
                )
            )
            return
        self.read_then(
            lambda store: getattr(store.get(view.model, view.row_id), view.field),
            lambda current: self._ask(view, spec, fields.as_text(spec, current)),
        )

    def _ask(self, view: ConflictView, spec: fields.FieldSpec, text: str, problem: str = "") -> None:
        def typed(answer: tuple[Any, str] | None) -> None:
            if answer is not None:
                value, text = answer
                self._retry = (view, text)
                shown = fields.as_text(spec, value) or _("empty")
                done = _("{record}: {field} is now “{value}”.").format(
                    record=view.record, field=spec.label, value=short(shown)
                )
                self._resolve(view, NEW, done, value)

        self.app.push_screen(NewValue(view, spec, text, problem), typed)

    def write_failed(self, error: PlannerError) -> None:
        """A typed value the store refused comes back in its box, with the message."""
        retry, self._retry = self._retry, None
        if retry is not None and isinstance(error, ValidationError):
            view, text = retry
            self._ask(view, fields.spec(view.model, view.field), text, " ".join(error.errors.values()))
        else:
            super().write_failed(error)


class NewValue(ModalScreen[tuple[Any, str] | None]):
    """A new value for the field of a conflict, checked by the field's parser and rules
    before the box closes; a problem shows under the field and the text stays."""

    DEFAULT_CSS = """
    NewValue { align: center middle; }
    NewValue > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    NewValue #new-title { text-style: bold; padding: 1 0 0 0; }
    NewValue .new-side { color: $text-muted; }
    NewValue #new-hint { color: $text-muted; padding: 1 0 0 0; }
    NewValue #new-error { color: $text-error; text-style: bold; }
    NewValue TextArea { height: 5; }
    NewValue Horizontal { height: auto; align-horizontal: right; padding: 1 0 1 0; }
    NewValue Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="new-value-save", tooltip=N_("Check the value and write it")),
        Binding("escape", "cancel", N_("Cancel"), id="new-value-cancel", tooltip=N_("Close without writing")),
    ]

    def __init__(self, view: ConflictView, spec: fields.FieldSpec, text: str, problem: str = ""):
        super().__init__()
        self.view, self.spec, self.text, self.problem = view, spec, text, problem

    def compose(self) -> ComposeResult:
        view, spec = self.view, self.spec
        with Vertical():
            title = _("A new {field} for {record}").format(field=spec.label, record=view.record)
            yield Static(title, id="new-title", markup=False)
            yield Static(kept_line(view), classes="new-side")
            yield Static(other_line(view), classes="new-side")
            yield Static(self._hint(), id="new-hint", markup=False)
            if spec.kind == "long":
                yield TextArea(self.text, id="new-value", soft_wrap=True, show_line_numbers=False)
            else:
                yield Input(self.text, id="new-value")
            yield Static(self.problem, id="new-error", markup=False)
            with Horizontal():
                yield Button(_("Save (ctrl+s)"), id="save", variant="primary")
                yield Button(_("Cancel (esc)"), id="cancel")

    def _hint(self) -> str:
        spec = self.spec
        label = spec.label
        if spec.choices:
            return _("{field}: one of {choices}").format(field=label, choices=", ".join(spec.choices))
        hints = {"date": N_("YYYY-MM-DD"), "flag": N_("yes or no"), "money": N_("a number, like 120000, 120k or 12万")}
        if spec.kind in hints:
            return _("{field}: {hint}").format(field=label, hint=_(hints[spec.kind]))
        return label

    def on_mount(self) -> None:
        self.query_one("#new-error", Static).display = bool(self.problem)
        self.query_one("#new-value").focus()

    @property
    def typed(self) -> str:
        editor = self.query_one("#new-value")
        return editor.text if isinstance(editor, TextArea) else self.query_one("#new-value", Input).value

    def action_save(self) -> None:
        text = self.typed
        try:
            value = fields.parse(self.spec, text)
        except ValueError as error:
            problem: str | None = str(error)
        else:
            problem = fields.check(self.spec, value)
        if not problem:
            self.dismiss((value, text))
            return
        shown = self.query_one("#new-error", Static)
        shown.update(problem)
        shown.display = True

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#new-value")
    def _submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
