"""How figures read on screen and in reports: one place, so every view agrees."""

from __future__ import annotations


def money(value: float) -> str:
    """Whole currency units with thousands separators; millions shortened."""
    if abs(value) >= 10_000_000:
        return f"{value / 1_000_000:,.1f}M"
    return f"{value:,.0f}"


def percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def number_input(value: float) -> str:
    """A number as a rep would type it back into a form: no separators, no ".0"."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def industry_choices(industries) -> list[tuple[str, str]]:
    """(label, id) pairs for an industry picker: both names and the tier."""
    return [(f"{i.name_en} {i.name_zh} ({i.tier})", i.id) for i in industries]
