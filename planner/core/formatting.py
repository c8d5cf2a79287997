"""How figures read on screen and in reports: one place, so every view agrees."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from planner.core.i18n import chinese

WAN, YI = 10_000, 100_000_000
"""万 and 亿: Chinese counts large sums in ten-thousands and hundred-millions."""


def money(value: float) -> str:
    """Whole currency units with thousands separators; millions shortened. In Chinese,
    sums from 万 up read in 万 or 亿 (1,200,000 is 120万), as a Chinese rep says them."""
    if chinese() and abs(value) >= WAN:
        if abs(value) >= YI:
            return f"{value / YI:,.2f}".rstrip("0").rstrip(".") + "亿"
        shown = f"{value / WAN:,.0f}" if abs(value) >= 1000 * WAN else f"{value / WAN:.1f}".removesuffix(".0")
        return shown + "万"
    if abs(value) >= 10_000_000:
        return f"{value / 1_000_000:,.1f}M"
    return f"{value:,.0f}"


STANCE_MARKS = {"supporter": "✓", "neutral": "~", "opponent": "✗", "unknown": "?"}
"""A stance's symbol, so it reads without colour; the same in every view and export."""


def stance_text(stance: str) -> str:
    """The stance with its symbol: "✓ supporter"."""
    return f"{STANCE_MARKS.get(stance, '?')} {stance}"


def count(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 person", "3 people", "0 units"."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def name_key(name: str) -> str:
    """A name as two reps would call it the same: case, full- and half-width letters and
    runs of spaces don't matter ("ＡＣＭＥ  Bank" is "acme bank")."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def one_line(text: object, width: int) -> str:
    """`text` on one line of at most `width` characters, an ellipsis showing what was cut."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def number_input(value: float) -> str:
    """A number as a rep would type it back into a form: no separators, no ".0"; in
    Chinese a whole number of hundreds from 万 up in 万 ("120万", "12.34万")."""
    if value == int(value):
        if chinese() and abs(value) >= WAN and value % 100 == 0:
            return f"{(Decimal(int(value)) / WAN).normalize():f}万"
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def tier_text(industry) -> str:
    """An industry's tier, and whether an import only guessed it from the name."""
    return f"{industry.tier}, guessed" if industry.tier_guessed else industry.tier


def industry_names(industry) -> str:
    """ "Finance 金融", or just the English name when there is no Chinese one."""
    return " ".join(filter(None, (industry.name_en, industry.name_zh)))


def industry_choices(industries) -> list[tuple[str, str]]:
    """(label, id) pairs for an industry picker: both names and the tier."""
    return [(f"{industry_names(i)} ({tier_text(i)})", i.id) for i in industries]
