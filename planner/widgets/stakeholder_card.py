"""One person of an account on a card: who they are, where they sit, what they value,
how much they weigh and how close we are, where they stand, when we last met, and
how we first met them (by visit, phone call, introduction or event) with who
introduced them.

The card is focusable so the arrow keys can walk the cards; focus is shown by a
heavy border and an influential person we are not close to carries a ⚠ label, so
both read without colour. The card holds plain data and is updated in place when
the screen reloads, which keeps the focus where the rep left it.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from planner.core import models as m
from planner.core.formatting import STANCE_MARKS
from planner.core.i18n import N_, _
from planner.core.introductions import short_text
from planner.core.stakeholders import HIGHEST, Stakeholder

STANCE_STYLES = {"supporter": "$text-success bold", "opponent": "$text-error bold", "unknown": "$text-muted"}
STANCE_LABELS = {
    "supporter": N_("supporter"),
    "neutral": N_("neutral"),
    "opponent": N_("opponent"),
    "unknown": N_("unknown"),
}
CARD_HEIGHT = 9
"""Rows a card takes: its border and seven lines."""
NOT_CLOSE = N_("⚠ influential, not close")
GUESSED = N_("layer guessed · y confirms")


def dots(score: int) -> str:
    """A 1..5 score as filled and empty dots, readable at a glance and without colour."""
    filled = max(0, min(HIGHEST, score))
    return "●" * filled + "○" * (HIGHEST - filled)


def _stance_plain(stance: str) -> str:
    label = _(STANCE_LABELS[stance]) if stance in STANCE_LABELS else stance
    return f"{STANCE_MARKS.get(stance, '?')} {label}"


def stance_text(stance: str) -> Content:
    """The stance's mark and name, padded (in terminal cells) to the widest stance so
    what follows it lines up from card to card."""
    shown = _stance_plain(stance)
    widest = max(cell_len(_stance_plain(code)) for code in STANCE_LABELS)
    return Content.assemble(
        Content.styled(shown, STANCE_STYLES.get(stance, "")), " " * max(0, widest - cell_len(shown))
    )


def card_content(stakeholder: Stakeholder) -> Content:
    """The card's lines (seven for someone met: how we first met them); each is cut
    with an ellipsis by the card's width."""
    p = stakeholder.person
    met = stakeholder.last_met.isoformat() if stakeholder.last_met else _("never")
    lines = [
        Content.styled(p.title or _("(no title)"), "bold"),
        Content.styled(stakeholder.unit or _("(no unit)"), "$text-muted"),
        Content.assemble((_("Values") + " ", "$text-muted"), m.values_text(p.value_orientation) or "—"),
        Content.assemble(
            (_("Influence") + " ", "$text-muted"),
            dots(p.influence),
            ("  " + _("Closeness") + " ", "$text-muted"),
            dots(p.closeness),
        ),
        Content.assemble(stance_text(p.stance), ("   " + _("Last met") + " ", "$text-muted"), met),
    ]
    how = short_text(stakeholder.how) if stakeholder.how is not None else ""
    if how:
        lines.append(Content.styled(how, "$text-muted"))
    lines.append(Content.styled(p.characteristics.replace("\n", " ") or _("(no characteristics noted)"), "italic"))
    return Content("\n").join(lines)


class StakeholderCard(Widget, can_focus=True):
    """Set `stakeholder` to show another version of the person."""

    DEFAULT_CSS = f"""
    StakeholderCard {{
        height: {CARD_HEIGHT};
        padding: 0 1;
        border: round $foreground 30%;
        border-title-color: $text;
        border-title-style: bold;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }}
    StakeholderCard:focus {{
        border: heavy $primary;
        background: $boost;
    }}
    StakeholderCard.-guessed {{
        border-subtitle-color: $text-muted;
        border-subtitle-style: italic;
    }}
    StakeholderCard.-not-close {{
        border: round $warning;
        border-subtitle-color: $text-warning;
    }}
    StakeholderCard.-not-close:focus {{
        border: heavy $warning;
    }}
    """

    stakeholder: reactive[Stakeholder | None] = reactive(None)

    def __init__(self, stakeholder: Stakeholder, *, id: str | None = None):
        super().__init__(id=id)
        self.set_reactive(StakeholderCard.stakeholder, stakeholder)
        self._dress(stakeholder)

    @property
    def person_id(self) -> str:
        assert self.stakeholder is not None
        return self.stakeholder.id

    def watch_stakeholder(self, stakeholder: Stakeholder | None) -> None:
        if stakeholder is not None:
            self._dress(stakeholder)

    def _dress(self, stakeholder: Stakeholder) -> None:
        """The name on the border, and below it what needs the rep: an influential person
        not close to us, a layer an import guessed from the title."""
        self.border_title = Content(stakeholder.person.name)
        notes = [_(NOT_CLOSE)] * stakeholder.not_close + [_(GUESSED)] * stakeholder.person.layer_guessed
        self.border_subtitle = Content(" · ".join(notes)) if notes else None
        self.set_class(stakeholder.not_close, "-not-close")
        self.set_class(stakeholder.person.layer_guessed, "-guessed")

    def render(self) -> Content:
        return card_content(self.stakeholder) if self.stakeholder else Content("")
