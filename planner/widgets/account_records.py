"""The account screen's record tabs (projects, purchases, visits): which records each
lists and edits, their cells, and the purchases tab's yearly totals and forecast."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from planner.core import models as m
from planner.core.export import day_text
from planner.core.formatting import money, names_list, one_line, stage_label
from planner.core.i18n import N_, _
from planner.core.introductions import channel_label
from planner.core.overview import Overview


def record_label(record: m.Project | m.Purchase | m.Visit) -> str:
    """How a history title names a listed record: a project by its name, a purchase
    or a visit by its day and what it was about (one line of at most 40 cells)."""
    if isinstance(record, m.Project):
        return record.name
    if isinstance(record, m.Purchase):
        day, about = record.purchased_on, record.description
    else:
        day, about = record.visited_on, record.purpose
    return f"{day_text(day)} {one_line(about, 40)}".rstrip()


def _text(value: str, width: int) -> Text:
    """What a rep typed, as a table cell: one line, cut to `width`, never read as markup."""
    return Text(one_line(value, width))


def _next_step(visit: m.Visit) -> str:
    """A dated next step is a promise, ticked off or not: "[x] Send the quote" / "[ ] …"."""
    if visit.next_step_date is None:
        return visit.next_step
    return f"{'[x]' if visit.next_step_done else '[ ]'} {visit.next_step or _('follow up')}"


@dataclass(frozen=True)
class ListTab:
    """A tab listing one kind of the account's records."""

    model: type[m.Record]
    noun: str
    """Marked for the catalog: pass it through `_` where it is shown."""
    fields: tuple[str, ...]
    defaults: tuple[tuple[str, Any], ...] = ()


TABS = {
    "projects": ListTab(
        m.Project, N_("project"),
        ("name", "description", "amount", "funding_source", "procurement_method", "expected_date", "stage",
         "probability"),
        (("stage", "potential"), ("probability", 0)),
    ),
    "purchases": ListTab(m.Purchase, N_("purchase"), ("purchased_on", "amount", "description")),
    "visits": ListTab(m.Visit, N_("visit"), ()),
}  # fmt: skip


def project_cells(p: m.Project) -> list[str | Text]:
    return [_text(p.name, 30), stage_label(p.stage), money(p.amount), f"{p.probability}%", day_text(p.expected_date),
            _text(p.funding_source, 16)]  # fmt: skip


def purchase_cells(p: m.Purchase) -> list[str | Text]:
    return [day_text(p.purchased_on), money(p.amount), _text(p.description, 50)]


def visit_cells(v: m.Visit, met: list[tuple[str, str]], people: Sequence[m.Person]) -> list[str | Text]:
    """`met`: (person id, name) of everyone met at the visit; `people`: the account's,
    to name who introduced them."""
    commitment = v.commitment or _("⚑ none")
    how = channel_label(v.channel)
    if v.channel == "introduction" and v.introduced_by_id:
        name = next((p.name for p in people if p.id == v.introduced_by_id), "?")
        how = _("{channel} by {name}").format(channel=how, name=name)
    # What was promised first, who was met last: at 80 columns the promise still shows.
    return [
        day_text(v.visited_on), _text(how, 16), _text(v.purpose, 18), _text(commitment, 18),
        _text(_next_step(v), 24), day_text(v.next_step_date), _text(names_list(name for _id, name in met), 20),
    ]  # fmt: skip


def forecast_text(data: Overview) -> str:
    years = "  ".join(f"{year}: {money(total)}" for year, total in data.yearly) or _("no purchases yet")
    forecast = data.forecast
    if forecast is None:
        outlook = _("Forecast: no forecast (no purchases before the year it would forecast)")
    else:
        outlook = _("Forecast {year}: {amount} ({method})").format(
            year=forecast.year, amount=money(forecast.amount), method=forecast.method
        )
    return _("By year — {years}").format(years=years) + "\n" + outlook
