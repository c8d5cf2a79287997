"""Choose a unit from a list (for "move to…" and for where a deleted unit's members
go): type to narrow the list (part of the name, or its pinyin: `cwc` finds 财务处),
Enter to choose, Escape to cancel."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from planner.core.i18n import N_, _
from planner.core.pinyin import search_key, typed_key

TOP_OPTION = "top"


class UnitPicker(ModalScreen[str | None]):
    """`choices` are (label, target) pairs; dismissed with the chosen target ("" is
    the top level / no unit), or None when cancelled."""

    DEFAULT_CSS = """
    UnitPicker { align: center middle; }
    UnitPicker > Vertical {
        width: 70; max-width: 100%; height: 80%; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    UnitPicker #picker-question { text-style: bold; padding: 0 1; width: 100%; }
    UnitPicker #picker-hint { color: $text-muted; padding: 0 1; }
    UnitPicker OptionList { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="picker-cancel", tooltip=N_("Close without moving anything")),
        Binding("down", "focus_list", N_("List"), id="picker-list", show=False, tooltip=N_("Go to the list")),
    ]

    def __init__(self, question: str, choices: Sequence[tuple[str, str]]):
        super().__init__()
        self.question = question
        self.choices = list(choices)
        self.keys: list[str] = []  # each label's pinyin, once folded off the event loop

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="picker-question", markup=False)
            yield Input(placeholder=_("Type to narrow the list"), id="picker-filter")
            yield OptionList(*self._options(""), id="picker-options", markup=False)
            yield Static(_("↓ to the list · Enter choose · Esc cancel"), id="picker-hint")

    def on_mount(self) -> None:
        self._fold()

    @work(thread=True, exclusive=True)
    def _fold(self) -> None:
        """The labels' pinyin (the dictionary takes a moment to load the first time)."""
        keys = [search_key(label) for label, _target in self.choices]
        self.app.call_from_thread(self._folded, keys)

    def _folded(self, keys: list[str]) -> None:
        self.keys = keys
        if typed := self.query_one(Input).value:  # what was typed meanwhile may match by pinyin now
            self._show(typed)

    def _options(self, needle: str) -> list[Option]:
        typed = typed_key(needle)
        needle = needle.strip().casefold()
        keys = self.keys or [""] * len(self.choices)
        return [
            Option(label, id=value or TOP_OPTION)
            for (label, value), key in zip(self.choices, keys, strict=True)
            if not needle or needle in label.casefold() or (typed is not None and typed in key)
        ]

    @on(Input.Changed, "#picker-filter")
    def _narrow(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _show(self, needle: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options(needle))
        options.highlighted = 0 if options.option_count else None

    @on(Input.Submitted, "#picker-filter")
    def _take_first(self) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            self._choose(options.get_option_at_index(options.highlighted or 0).id)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        self.dismiss("" if option_id == TOP_OPTION else option_id)

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
