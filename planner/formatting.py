"""How figures read on screen and in reports: one place, so every view agrees."""

from __future__ import annotations


def money(value: float) -> str:
    """Whole currency units with thousands separators; millions shortened."""
    if abs(value) >= 10_000_000:
        return f"{value / 1_000_000:,.1f}M"
    return f"{value:,.0f}"


def percent(share: float) -> str:
    return f"{share * 100:.1f}%"
