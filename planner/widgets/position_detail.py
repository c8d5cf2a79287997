"""Everything the method asks about one competitor at one account, in its order, with
the brand's shared notes and the actions countering it."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from planner.core import fields
from planner.core import models as m
from planner.core.competition import POSITION_FIELDS, Counter, PositionRow, threat_bar, unanswered
from planner.core.formatting import status_label
from planner.core.i18n import _


def counter_line(c: Counter) -> str:
    """ "• Visit the CIO (todo, due 2026-05-01, Li)": an action countering the competitor."""
    status = status_label(c.status)
    if c.due_date and c.owner:
        about = _("{status}, due {day}, {owner}").format(status=status, day=c.due_date.isoformat(), owner=c.owner)
    elif c.due_date:
        about = _("{status}, due {day}").format(status=status, day=c.due_date.isoformat())
    elif c.owner:
        about = _("{status}, {owner}").format(status=status, owner=c.owner)
    else:
        about = status
    return f"• {c.title} ({about})"


def detail_renderable(row: PositionRow) -> Group:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", max_width=22)
    grid.add_column(overflow="fold")
    grid.add_row(_("Brand"), Text(row.brand))
    grid.add_row(_("About the brand"), Text(row.brand_notes or "—"))
    for name in POSITION_FIELDS:
        label = fields.spec(m.CompetitorPosition, name).label
        value = threat_bar(row.threat) if name == "threat" else getattr(row, name)
        grid.add_row(label, Text(value or "—"))
    counters = [counter_line(c) for c in row.counters]
    grid.add_row(_("Counter-actions"), Text("\n".join(counters) or _("none yet — press a to add one")))
    return Group(grid)


class PositionDetail(VerticalScroll):
    """The highlighted position; an unanswered high threat leads with its red flag."""

    DEFAULT_CSS = """
    PositionDetail { height: 1fr; padding: 0 1; }
    PositionDetail #position-flag { color: $text-error; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="position-flag", markup=False)
        yield Static("", id="position-fields")

    def show(self, row: PositionRow | None, high_threat: int, empty: str) -> None:
        flag = self.query_one("#position-flag", Static)
        body = self.query_one("#position-fields", Static)
        flagged = row is not None and unanswered(row.threat, row.countered, high_threat)
        flag.update(
            _("⚑ High threat ({threat}/5) with no counter-action").format(threat=row.threat)
            if row is not None and flagged
            else ""
        )
        flag.display = flagged
        body.update(detail_renderable(row) if row else Text(empty))
