"""How figures read on screen and in reports: one place, so every view agrees."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal

from rich.cells import cell_len, get_character_cell_size

from planner.core.i18n import N_, _, chinese, ngettext

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

# The names of the codes stored in the database, as a rep reads them: the code itself
# in English, the course's term in Chinese. The codes never change; only what shows them.
STANCE_LABELS = {
    "supporter": N_("supporter"),
    "neutral": N_("neutral"),
    "opponent": N_("opponent"),
    "unknown": N_("unknown"),
}
LAYER_LABELS = {
    "image": N_("image"),
    "decision": N_("decision"),
    "implementation": N_("implementation"),
    "usage": N_("usage"),
}
STAGE_LABELS = {
    "potential": N_("potential"),
    "incubating": N_("incubating"),
    "producing": N_("producing"),
    "won": N_("won"),
    "lost": N_("lost"),
}
TIER_LABELS = {"major": N_("major"), "minor": N_("minor"), "tracked": N_("tracked"), "other": N_("other")}
STATUS_LABELS = {"todo": N_("todo"), "doing": N_("doing"), "done": N_("done")}


def _shown(labels: dict[str, str], code: str) -> str:
    label = labels.get(code)
    return _(label) if label else code


def stance_label(stance: str) -> str:
    """ "supporter" (支持者 in Chinese); an unknown code as it is."""
    return _shown(STANCE_LABELS, stance)


def layer_label(layer: str) -> str:
    """ "decision" (决策层 in Chinese)."""
    return _shown(LAYER_LABELS, layer)


def stage_label(stage: str) -> str:
    """A project stage: "incubating" (孵化 in Chinese)."""
    return _shown(STAGE_LABELS, stage)


def tier_label(tier: str) -> str:
    """An industry tier: "major" (主要 in Chinese)."""
    return _shown(TIER_LABELS, tier)


def status_label(status: str) -> str:
    """An action's status: "todo" (待办 in Chinese)."""
    return _shown(STATUS_LABELS, status)


def stance_text(stance: str) -> str:
    """The stance with its symbol: "✓ supporter" (✓ 支持者)."""
    return f"{STANCE_MARKS.get(stance, '?')} {stance_label(stance)}"


# Each noun `count` knows, with its forms as the catalog holds them (a whole phrase with
# the number, since Chinese puts a measure word between them: "3 people" is 3 人).
_COUNTED: dict[str, Callable[[int], str]] = {
    "day": lambda n: ngettext("{n} day", "{n} days", n),
    "person": lambda n: ngettext("{n} person", "{n} people", n),
    "account": lambda n: ngettext("{n} account", "{n} accounts", n),
    "industry": lambda n: ngettext("{n} industry", "{n} industries", n),
    "tier": lambda n: ngettext("{n} tier", "{n} tiers", n),
    "project": lambda n: ngettext("{n} project", "{n} projects", n),
    "unit": lambda n: ngettext("{n} unit", "{n} units", n),
    "visit": lambda n: ngettext("{n} visit", "{n} visits", n),
    "action": lambda n: ngettext("{n} action", "{n} actions", n),
    "change": lambda n: ngettext("{n} change", "{n} changes", n),
    "conflict": lambda n: ngettext("{n} conflict", "{n} conflicts", n),
    "record": lambda n: ngettext("{n} record", "{n} records", n),
}


def count(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 person", "3 people", "0 units": in the interface's language (3 人) for the
    nouns in `_COUNTED`, which `ngettext` looks up; any other noun in English."""
    forms = _COUNTED.get(noun)
    if forms is not None:
        return forms(number).format(n=number)
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def name_key(name: str) -> str:
    """A name as two reps would call it the same: case, full- and half-width letters and
    runs of spaces don't matter ("ＡＣＭＥ  Bank" is "acme bank")."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def one_line(text: object, width: int) -> str:
    """`text` on one line of at most `width` cells (a Chinese character takes two), an
    ellipsis showing what was cut; a double-width character is never split."""
    flat = " ".join(str(text).split())
    if cell_len(flat) <= width:
        return flat
    kept, used = [], 0
    for char in flat:
        size = get_character_cell_size(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept) + "…"


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
    tier = tier_label(industry.tier)
    return _("{tier}, guessed").format(tier=tier) if industry.tier_guessed else tier


def industry_name(name_en: str, name_zh: str) -> str:
    """An industry's name in the interface's language, the other one when it has none."""
    return (name_zh or name_en) if chinese() else (name_en or name_zh)


def industry_label(name_en: str, name_zh: str) -> str:
    """ "Finance 金融" in English (both names, as always); in Chinese just "金融"
    (the English one when there is no Chinese name)."""
    if chinese():
        return name_zh or name_en
    return " ".join(filter(None, (name_en, name_zh)))


def names_list(names: Iterable[str]) -> str:
    """People's (or accounts') names run together: "周丽、孙明" in Chinese, "Zhou, Sun" in English."""
    return ("、" if chinese() else ", ").join(names)


def industry_names(industry) -> str:
    """ "Finance 金融", or just the English name when there is no Chinese one."""
    return " ".join(filter(None, (industry.name_en, industry.name_zh)))


def industry_choices(industries) -> list[tuple[str, str]]:
    """(label, id) pairs for an industry picker: both names and the tier."""
    return [(f"{industry_names(i)} ({tier_text(i)})", i.id) for i in industries]


def pack_line(pieces: list[str], width: int, gap: str = "   ") -> str:
    """`pieces` joined by `gap`, a line break instead of the gap before a piece that would
    pass `width` cells: lines break between pieces, never inside one."""
    lines: list[str] = []
    for piece in pieces:
        if lines and (not width or cell_len(lines[-1] + gap + piece) <= width):
            lines[-1] += gap + piece
        else:
            lines.append(piece)
    return "\n".join(lines)
