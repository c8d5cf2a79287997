"""The account's profile: every field, its industry's buying pattern, and the figures
the core derives (80/20 rank, quadrant, contact gap, red flags, service tier)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from planner.core.formatting import count, money, percent, tier_text
from planner.core.overview import Overview

KEY_SERVICE = "Key account: special pricing, close care, value-added service (特殊的价格、密切的关怀、超值的服务)"
BASIC_SERVICE = "Basic pricing, attention and technical support"


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def revenue_text(data: Overview) -> str:
    """This year's revenue beside what the purchases recorded this year add up to,
    with the key that takes that sum when the two differ."""
    revenue, bought = data.account.revenue, data.purchased_this_year
    text = f"this year: {money(revenue)} · purchases recorded this year: {money(bought)}"
    # No-break spaces: a narrow screen wraps before the hint, not inside it.
    return text if round(revenue) == round(bought) else f"{text} (t\u00a0takes\u00a0it)"


def profile_renderable(data: Overview) -> Group:
    a, s = data.account, data.summary
    figures = _grid()
    rank = f"#{s.pareto.rank} · {percent(s.pareto.share)} of revenue · cumulative {percent(s.pareto.cumulative)}"
    figures.add_row("80/20", rank + (" · KEY ACCOUNT ★" if s.pareto.key else ""))
    figures.add_row("Service", KEY_SERVICE if s.pareto.key else BASIC_SERVICE)
    figures.add_row("Quadrant", f"{s.quadrant.quadrant} (output {s.quadrant.output:.2f}, input {s.quadrant.input:.2f})")
    since = s.cadence.days_since
    ago = "today" if since == 0 else f"{count(since, 'day')} ago" if since is not None else ""
    contact = "never contacted" if since is None else f"last contact {ago}"
    stale = f" — STALE (contact every {s.cadence.cadence_days} days)" if s.cadence.stale else ""
    figures.add_row("Contact", contact + stale)

    fields = _grid()
    industry = data.industry
    fields.add_row("Class", f"{a.account_class}  (A producing · B incubating · C potential)")
    kind = f"{industry.name_en} {industry.name_zh} · tier {tier_text(industry)}" if industry else "—"
    fields.add_row("Industry", kind)
    for label, value in (
        ("Region", a.region),
        ("Owner", a.owner),
        ("Revenue", revenue_text(data)),
        ("Profit", money(a.profit)),
        ("Influence", f"{a.influence}/5"),
        ("Input", f"people {a.input_people:g} · money {money(a.input_money)} · material {money(a.input_material)}"),
        (
            "Cadence",
            f"{a.cadence_days} days (override)" if a.cadence_days else f"class default ({s.cadence.cadence_days})",
        ),
        ("Application", a.application_level),
        ("Problems", a.problems),
        ("Procurement", a.procurement_method),
        ("Notes", a.notes),
    ):
        fields.add_row(label, value or "—")

    parts: list = [figures, Text("")]
    if data.problems:
        parts.append(Text("Values stored in the wrong form (correct them with e or enter)", style="bold"))
        parts.extend(Text(f"  ⚠ {problem.message}") for problem in data.problems)
        parts.append(Text(""))
    if data.flags:
        parts.append(Text("Red flags", style="bold"))
        parts.extend(Text(f"  ⚑ {flag.message}") for flag in data.flags)
        parts.append(Text(""))
    parts.append(fields)
    if industry and industry.procurement_pattern:
        parts += [Text(""), Text(f"How {industry.name_en} buys", style="bold"), Text(industry.procurement_pattern)]
    return Group(*parts)


class AccountProfile(Static):
    def show(self, data: Overview) -> None:
        self.update(profile_renderable(data))
