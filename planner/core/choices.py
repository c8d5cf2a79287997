"""How a form, a conflict or a list shows a choice field's stored code: the code itself
in English (so English reads as it always did), the course's term in Chinese."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from planner.core import fields, formatting
from planner.core.i18n import N_, _
from planner.core.introductions import channel_label

CLASS_LABELS = {"A": N_("A"), "B": N_("B"), "C": N_("C")}
"""An account's class as a picker shows it (A类 in Chinese); the code is stored."""
CHOICE_LABELS: dict[str, Callable[[str], str]] = {
    "account_class": lambda code: _(CLASS_LABELS[code]) if code in CLASS_LABELS else code,
    "tier": formatting.tier_label,
    "layer": formatting.layer_label,
    "stance": formatting.stance_label,
    "stage": formatting.stage_label,
    "status": formatting.status_label,
    "channel": channel_label,
}
"""How a picker shows the stored codes of each choice field, by field name: the code
itself in English (so the English forms read as before), the course's term in Chinese.
The codes are what is stored; a field or code missing here shows the code."""


def choice_label(name: str, code: str) -> str:
    """The stored `code` of the choice field `name` as the rep reads it, in the
    interface's language ("stage", "won": 赢单)."""
    shown = CHOICE_LABELS.get(name)
    return shown(code) if shown else code


def shown_value(field: fields.FieldSpec, value: Any) -> str:
    """A stored value as a form shows it: a choice by its label, anything else as typed."""
    if field.kind == "choice" and isinstance(value, str):
        return choice_label(field.name, value)
    return fields.as_text(field, value)
