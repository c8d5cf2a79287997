"""One modal form for any record, driven by the core's field specs.

Every field is checked where it is typed (on leaving it, and again on save) with the
same rules the store applies; a message appears under the field and the text stays
as typed. Saving runs the caller's `save(store, changes)` off the event loop
(`planner.screens.writing`); if the store still refuses (a rule that needs the
database, another rep's newer version, a busy database), the form stays open with
the message and nothing the rep typed is lost. While a save waits for the database
the form says so, ctrl+s does nothing a second time, and discarding the form
withdraws the save. What the rep types is kept as a draft (`form_drafts`) and offered
back when the form opens again; another rep's newer save opens `ConflictDialog`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from planner.core import fields
from planner.core.choices import choice_label
from planner.core.drafts import draft_key
from planner.core.errors import Conflict, DatabaseBusy, PlannerError, ValidationError
from planner.core.i18n import N_, _, ngettext
from planner.core.models import Record, table_name
from planner.screens.base import HoldsTyping
from planner.screens.confirm import Confirm
from planner.screens.conflict_dialog import ConflictDialog, conflict_rows
from planner.screens.form_drafts import DraftKeeper
from planner.screens.writing import run_write
from planner.widgets.tick_box import TickBox

if TYPE_CHECKING:
    from planner.app import PlannerApp
    from planner.store.store import Store

Choices = Sequence[tuple[str, str]]  # (label, value) per option
Save = Callable[["Store", dict[str, Any]], Any]
Question = Callable[["Store", dict[str, Any]], str | None]


class RecordForm(HoldsTyping, ModalScreen[Any]):
    """Edit `names` of `model` starting from `initial`; `save(store, changes)` (run in
    a thread) returns what the form is dismissed with. `question(store, values)` (run
    in a thread too) may return a question to ask before saving."""

    DEFAULT_CSS = """
    RecordForm { align: center middle; }
    RecordForm > Vertical {
        width: 90; max-width: 100%; height: 90%; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    RecordForm #title { text-style: bold; padding: 0 1; width: 100%; }
    RecordForm #problem { color: $text-error; text-style: bold; padding: 0 1; }
    RecordForm .field-label { padding: 0 1; color: $text-muted; }
    RecordForm TickBox { border: none; padding: 0 1; }
    RecordForm .field-error { color: $text-error; padding: 0 1; }
    RecordForm TextArea { height: 5; }
    RecordForm #buttons { height: auto; align-horizontal: right; padding: 1 0 0 0; }
    RecordForm #buttons Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="form-save", tooltip=N_("Check every field and save")),
        Binding("escape", "cancel", N_("Cancel"), id="form-cancel", tooltip=N_("Close without saving")),
    ]

    def __init__(
        self,
        title: str,
        model: type[Record],
        names: Sequence[str],
        initial: dict[str, Any],
        save: Save,
        *,
        choices: Mapping[str, Choices] | None = None,
        question: Question | None = None,
    ):
        """`title` is shown as given (the caller translates it); the fields' labels and
        choices are translated here."""
        super().__init__()
        self.form_title = title
        self.model = model
        self.specs = [fields.spec(model, name) for name in names]
        self.initial = initial
        self.save_changes = save
        self.choices = choices or {}
        self.question = question
        self.pending: threading.Event | None = None
        self.drafts = DraftKeeper(self, draft_key(table_name(model), initial.get("id"), title))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.form_title, id="title", markup=False)
            yield Static("", id="problem", markup=False)
            with VerticalScroll(id="fields"):
                for field in self.specs:
                    if heading := self.HEADINGS.get(field.name):
                        yield Label(_(heading), classes="field-label")
                    if field.kind != "flag":
                        yield Label(field.label + (" *" if field.required else ""), classes="field-label")
                    yield self._editor(field)
                    yield Static("", id=f"error-{field.name}", classes="field-error", markup=False)
                yield from self.compose_extra()
            with Horizontal(id="buttons"):
                yield Button(_("Save (ctrl+s)"), id="save", variant="primary")
                yield Button(_("Cancel (esc)"), id="cancel")

    HEADINGS: dict[str, str] = {}
    """A heading (an `N_` msgid) a subclass puts above a field, naming the group it starts."""

    def compose_extra(self) -> ComposeResult:
        """Widgets a subclass adds below the fields (e.g. a visit's people)."""
        yield from ()

    def extra_values(self) -> dict[str, Any]:
        """Changed values of the extra widgets, merged into what is saved."""
        return {}

    def _editor(self, field: fields.FieldSpec) -> Widget:
        value = self.initial.get(field.name)
        name = f"field-{field.name}"
        if field.kind == "flag":
            return TickBox(field.label, bool(value), id=name)
        if field.kind == "long":
            return TextArea(value or "", id=name, soft_wrap=True, show_line_numbers=False)
        if field.kind in ("choice", "ref"):
            options = self.choices.get(field.name) or [
                (choice_label(field.name, choice), choice) for choice in field.choices
            ]
            return Select(
                options,
                prompt=_("Select"),  # Textual's own prompt, in the interface's language
                value=value if value is not None else Select.NULL,
                allow_blank=not field.required,
                id=name,
            )
        placeholder = _("YYYY-MM-DD") if field.kind == "date" else ""
        return Input(fields.as_text(field, value), placeholder=placeholder, id=name)

    @property
    def planner(self) -> PlannerApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.query_one("#problem", Static).display = False
        if self.specs:
            self.query_one(f"#field-{self.specs[0].name}").focus()
        self.run_worker(self.drafts.offer(), group="draft-offer")

    # --- what is typed, and the draft of it ---------------------------------------------

    def typed_fields(self) -> dict[str, Any]:
        """Every field as typed (text not yet checked), for a draft."""
        return {field.name: self._raw(field) for field in self.specs} | self.extra_typed()

    def extra_typed(self) -> dict[str, Any]:
        """What the extra widgets hold, for a draft."""
        return {}

    def fill(self, typed: dict[str, Any]) -> None:
        """Put a draft's text back in the fields."""
        for field in self.specs:
            if field.name not in typed:
                continue
            widget = self.query_one(f"#field-{field.name}")
            value = typed[field.name]
            if isinstance(widget, TickBox):
                widget.value = bool(value)
            elif isinstance(widget, TextArea):
                widget.text = value or ""
            elif isinstance(widget, Select):
                widget.value = Select.NULL if value is None else value
            elif isinstance(widget, Input):
                widget.value = value or ""
        self.fill_extra(typed)

    def fill_extra(self, typed: dict[str, Any]) -> None:
        """Put a draft's extra values back (a visit's people)."""

    def has_unsaved_typing(self) -> bool:
        return (
            any(self._raw(f) != self._initial_raw(f) for f in self.specs) or self.extra_typed() != self.extra_initial()
        )

    def extra_initial(self) -> dict[str, Any]:
        return {}

    def draft_job(self) -> Callable[[Store], None]:
        return self.drafts.job()

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(TickBox.Changed)
    @on(Select.Changed)
    def _typed(self) -> None:
        self.drafts.typed()

    def _raw(self, field: fields.FieldSpec) -> Any:
        widget = self.query_one(f"#field-{field.name}")
        if isinstance(widget, TickBox):
            return widget.value
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        return self.query_one(f"#field-{field.name}", Input).value

    def _read(self, field: fields.FieldSpec) -> tuple[Any, str | None]:
        """The typed value of one field and the message for it (None when fine)."""
        raw = self._raw(field)
        if not isinstance(raw, str) or field.kind in ("choice", "ref"):
            value = raw
        else:
            try:
                value = fields.parse(field, raw)
            except ValueError as error:
                return None, str(error)
        if value is None and not field.nullable and not field.required:
            value = self.model.model_fields[field.name].default  # a blank number means the usual default
        return value, fields.check(field, value)

    def _show_error(self, name: str, message: str | None) -> None:
        error = self.query_one(f"#error-{name}", Static)
        error.update(message or "")
        error.display = bool(message)

    @on(Input.Blurred)
    def _check_one(self, event: Input.Blurred) -> None:
        name = (event.input.id or "").removeprefix("field-")
        field = next((f for f in self.specs if f.name == name), None)
        if field:
            self._show_error(name, self._read(field)[1])
            if not any(self.query_one(f"#error-{f.name}", Static).display for f in self.specs):
                self._problem(None)  # every field is right again: the summary above goes too

    def collect(self) -> dict[str, Any] | None:
        """The changed values, or None after marking every field that is wrong."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for field in self.specs:
            value, message = self._read(field)
            if message:
                errors[field.name] = message
            elif value != self.initial.get(field.name) or field.name not in self.initial:
                values[field.name] = value
        self._show_errors(errors)
        return None if errors else {**values, **self.extra_values()}

    def _show_errors(self, errors: dict[str, str]) -> None:
        for field in self.specs:
            self._show_error(field.name, errors.get(field.name))
        if errors:
            first = next(f for f in self.specs if f.name in errors)
            self.query_one(f"#field-{first.name}").focus()
            self._problem(
                ngettext("Please correct {n} field.", "Please correct {n} fields.", len(errors)).format(n=len(errors))
            )
        else:
            self._problem(None)

    def _problem(self, message: str | None) -> None:
        problem = self.query_one("#problem", Static)
        problem.update(message or "")
        problem.display = bool(message)

    def action_save(self) -> None:
        if self.pending is not None:
            self.app.bell()
            return
        values = self.collect()
        if values is None:
            return
        if self.question is None:
            self._save(values)
        else:
            self.run_worker(self._ask(self.question, values), group="question")

    async def _ask(self, question: Question, values: dict[str, Any]) -> None:
        app, merged = self.planner, {**self.initial, **values}
        try:
            asked = await asyncio.to_thread(lambda: question(app.store, merged))
        except PlannerError as error:
            self._refused({}, str(error))
            return
        if asked:
            self.app.push_screen(Confirm(asked, yes=_("Save anyway"), no=_("Go back")), self._answered(values))
        else:
            self._save(values)

    def _answered(self, values: dict[str, Any]) -> Callable[[bool | None], None]:
        def answered(yes: bool | None) -> None:
            if yes:
                self._save(values)

        return answered

    def _save(self, values: dict[str, Any], version: int | None = None) -> None:
        """Save through the caller's function, or (after a conflict was resolved) as an
        update on top of the `version` now in the database. The app runs the write, so
        a form closed meanwhile still hears how it ended."""
        if self.pending is not None:
            return
        self.pending = threading.Event()
        self.planner.run_worker(self._saving(values, version, self.pending), group="write")

    async def _saving(self, values: dict[str, Any], version: int | None, cancel: threading.Event) -> None:
        app = self.planner

        def change(store: Store) -> Any:
            return self.save_changes(store, values) if version is None else self.resave(store, version, values)

        try:
            result = await run_write(app, change, on_slow=self._problem, cancel=cancel)
        except PlannerError as error:
            if not cancel.is_set():
                await self._refused_with(error, values)
        else:
            if cancel.is_set():
                app.notify(_("It had already been saved when you discarded the form."), severity="warning")
            elif self.is_attached:
                self.drafts.drop()
                if self.app.screen is not self:
                    self.pop_until_active()  # a question asked meanwhile ("Discard?") is moot now
                self.dismiss(result)
        finally:
            if self.pending is cancel:
                self.pending = None

    async def _refused_with(self, error: PlannerError, values: dict[str, Any]) -> None:
        self.pending = None
        if isinstance(error, ValidationError):
            self._refused(error.errors, None)
        elif isinstance(error, Conflict):
            app = self.planner
            try:
                current = await asyncio.to_thread(lambda: app.store.get(self.model, self.initial["id"]))
            except PlannerError as gone:
                self._refused({}, _("{error} Your text is kept in the form.").format(error=gone))
                return
            self._conflicted(error, current, values)
        else:
            if isinstance(error, DatabaseBusy):
                self._refused({}, _("{error} Press ctrl+s to try again.").format(error=error))
            else:
                self._refused({}, str(error))

    def resave(self, store: Store, version: int, values: dict[str, Any]) -> Any:
        """Write `values` over the record at `version` (after a conflict)."""
        return store.update(self.model, self.initial["id"], version, **values)

    def _conflicted(self, error: Conflict, current: Record, values: dict[str, Any]) -> None:
        """Show both versions; the rep decides, and nothing typed is lost. Only the fields
        the rep changed are written, on top of the other rep's version."""
        names = {f.name for f in self.specs}
        mine = {name: value for name, value in values.items() if name in names}
        extras = {name: value for name, value in values.items() if name not in names}
        rows, can_merge = conflict_rows(self.specs, self.initial, mine, current)

        def resolve(choice: str | None) -> None:
            if choice == "keep":
                self._save({**mine, **extras}, current.version)
            elif choice == "theirs":
                self.drafts.keep()
                self.app.notify(
                    _("Kept their version. What you typed is kept as a draft: open the record again to restore it."),
                    timeout=8,
                )
                self.dismiss(None)

        self.app.push_screen(ConflictDialog(error.who, error.when, rows, can_merge), resolve)

    def _refused(self, errors: dict[str, str], message: str | None) -> None:
        shown = {name: text for name, text in errors.items() if any(f.name == name for f in self.specs)}
        self._show_errors(shown)
        other = [text for name, text in errors.items() if name not in shown]
        if message or other:
            self._problem(" ".join(filter(None, [message, *other])))

    def action_cancel(self) -> None:
        """Close; if anything was typed, ask first so it is never lost by a slip. A save
        still waiting for the database is withdrawn: nothing of the form is written."""
        if self.has_unsaved_typing():
            self.app.push_screen(
                Confirm(_("Discard what you typed in this form?"), yes=_("Discard"), no=_("Keep editing")),
                self._discard,
            )
        else:
            self._close()

    def _discard(self, yes: bool | None) -> None:
        if yes:
            self.drafts.drop()
            self._close()

    def _close(self) -> None:
        """Close without saving (a draft left from earlier, not restored, stays for later)."""
        if self.pending is not None:
            self.pending.set()
            self.notify(_("Discarded: the save that was waiting will not be written."))
        self.dismiss(None)

    def _initial_raw(self, field: fields.FieldSpec) -> Any:
        value = self.initial.get(field.name)
        if field.kind == "flag":
            return bool(value)
        if field.kind in ("choice", "ref"):
            return value
        return value or "" if field.kind == "long" else fields.as_text(field, value)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
