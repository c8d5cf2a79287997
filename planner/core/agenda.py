"""The agenda as a rep reads it: the core's priority order split into headed runs.

`Store.agenda` decides what is due and in which order: A before B before C ("even a
cooked duck can fly away"), overdue first within a class. This only splits that
order into sections and never re-sorts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from planner.core.analysis import CLASS_STAGES, AgendaItem
from planner.core.formatting import stage_label
from planner.core.i18n import N_, _

STAGE = dict(CLASS_STAGES)
OVERDUE, TODAY, THIS_WEEK = N_("Overdue"), N_("Today"), N_("This week")
"""The bands of the week, in English (a section's `band`); shown through `_`."""
NOT_DONE = {"stale": N_("A stale account is cleared by a visit, not marked done: enter opens it.")}
"""Why `x` leaves a line alone, for the kinds that cannot be marked done (shown through `_`)."""
OPENS_ON = {"follow-up": "visits"}
"""The account overview tab a line opens on (the profile unless named here)."""
FOLLOW_UP = N_("Follow up")
"""The title of a follow-up whose visit named a date but no step."""


def follow_up_title(next_step: str) -> str:
    """How a visit's next step reads as an agenda line: on one line, never empty."""
    return " ".join(next_step.split()) or _(FOLLOW_UP)


def band(item: AgendaItem, today: date) -> str:
    """Which part of the week an item belongs to."""
    if item.overdue(today):
        return OVERDUE
    return TODAY if item.due == today else THIS_WEEK


@dataclass(frozen=True)
class Section:
    account_class: str
    band: str
    items: tuple[AgendaItem, ...]

    @property
    def heading(self) -> str:
        stage = STAGE.get(self.account_class)
        return _("{account_class} · {stage} — {band} ({count})").format(
            account_class=self.account_class,
            stage=stage_label(stage) if stage else _("other"),
            band=_(self.band),
            count=len(self.items),
        )


def sections(items: list[AgendaItem], today: date) -> list[Section]:
    """Consecutive runs of the core's order sharing a class and a band. Because the core
    sorts overdue first and then by date within a class, each class falls into at most
    Overdue, Today, This week, and concatenating the sections gives back `items`."""
    return [
        Section(cls, when, tuple(run))
        for (cls, when), run in groupby(items, key=lambda item: (item.account_class, band(item, today)))
    ]


def option_id(item: AgendaItem) -> str:
    """Unique per line: a stale account and its follow-up share an account, not a ref."""
    return f"{item.kind}:{item.ref_id}"
