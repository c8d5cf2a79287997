"""Pick the competitor brand before describing its position at an account.

Brands are shared across accounts, so the rep picks an existing one (reuse keeps the
cross-account view whole) or asks for a new one; brands already recorded at this
account are shown but cannot be picked twice.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from planner.core import models as m
from planner.core.i18n import N_, _

NEW_BRAND = "new-brand"


class BrandPicker(ModalScreen[str | None]):
    """Dismissed with a competitor id, `NEW_BRAND`, or None when cancelled."""

    DEFAULT_CSS = """
    BrandPicker { align: center middle; }
    BrandPicker > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    BrandPicker #brand-picker-title { text-style: bold; padding: 0 1 1 1; }
    BrandPicker OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [
        Binding(
            "escape", "cancel", N_("Cancel"), id="brand-picker-cancel", tooltip=N_("Close without choosing a brand")
        ),
    ]

    def __init__(self, brands: Sequence[m.Competitor], present: Collection[str], account_name: str):
        super().__init__()
        self.brands = brands
        self.present = present
        self.account_name = account_name

    def compose(self) -> ComposeResult:
        options = [Option(Content(_("+ New brand…")), id=NEW_BRAND)]
        for brand in self.brands:
            here = brand.id in self.present
            label = _("{brand}  (already listed here)").format(brand=brand.name) if here else brand.name
            options.append(Option(Content(label), id=brand.id, disabled=here))
        with Vertical():
            question = _("Which competitor at {account}?").format(account=self.account_name)
            yield Static(question, id="brand-picker-title", markup=False)
            yield OptionList(*options, id="brand-picker-options")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
