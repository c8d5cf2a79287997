"""The account's profile: every field, its industry's buying pattern, and the figures
the core derives (80/20 rank, quadrant, contact gap, red flags, service tier)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from planner.core.formatting import industry_label, industry_name, money, percent, tier_text
from planner.core.i18n import N_, _, ngettext
from planner.core.overview import Overview

KEY_SERVICE = N_("Key account: special pricing, close care, value-added service (特殊的价格、密切的关怀、超值的服务)")
BASIC_SERVICE = N_("Basic pricing, attention and technical support")


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def revenue_text(data: Overview) -> str:
    """This year's revenue beside what the purchases recorded this year add up to,
    with the key that takes that sum when the two differ."""
    revenue, bought = data.account.revenue, data.purchased_this_year
    text = _("this year: {revenue} · purchases recorded this year: {bought}").format(
        revenue=money(revenue), bought=money(bought)
    )
    # No-break spaces: a narrow screen wraps before the hint, not inside it.
    hint = _("(t takes it)").replace(" ", "\u00a0")
    return text if round(revenue) == round(bought) else f"{text} {hint}"


def profile_renderable(data: Overview) -> Group:
    a, s = data.account, data.summary
    figures = _grid()
    rank = _("#{rank} · {share} of revenue · cumulative {cumulative}").format(
        rank=s.pareto.rank, share=percent(s.pareto.share), cumulative=percent(s.pareto.cumulative)
    )
    figures.add_row(_("80/20"), rank + (_(" · KEY ACCOUNT ★") if s.pareto.key else ""))
    figures.add_row(_("Service"), _(KEY_SERVICE) if s.pareto.key else _(BASIC_SERVICE))
    named = _(s.quadrant.quadrant)  # its name in English, marked in `analysis`
    figures.add_row(
        _("Quadrant"),
        _("{quadrant} (output {output:.2f}, input {input:.2f})").format(
            quadrant=named, output=s.quadrant.output, input=s.quadrant.input
        ),
    )
    since = s.cadence.days_since
    if since is None:
        contact = _("never contacted")
    elif since == 0:
        contact = _("last contact today")
    else:
        contact = ngettext("last contact {count} day ago", "last contact {count} days ago", since).format(count=since)
    if s.cadence.stale:
        every = s.cadence.cadence_days
        contact += ngettext(
            " — STALE (contact every {count} day)", " — STALE (contact every {count} days)", every
        ).format(count=every)
    figures.add_row(_("Contact"), contact)

    fields = _grid()
    industry = data.industry
    fields.add_row(_("Class"), _("{cls}  (A producing · B incubating · C potential)").format(cls=a.account_class))
    kind = (
        _("{names} · tier {tier}").format(
            names=industry_label(industry.name_en, industry.name_zh), tier=tier_text(industry)
        )
        if industry
        else "—"
    )
    fields.add_row(_("Industry"), kind)
    if a.cadence_days:
        cadence = ngettext("{count} day (override)", "{count} days (override)", a.cadence_days).format(
            count=a.cadence_days
        )
    else:
        cadence = _("class default ({days})").format(days=s.cadence.cadence_days)
    for label, value in (
        (_("Region"), a.region),
        (_("Owner"), a.owner),
        (_("Revenue"), revenue_text(data)),
        (_("Profit"), money(a.profit)),
        (_("Influence"), f"{a.influence}/5"),
        (
            _("Input"),
            _("people {people:g} · money {money} · material {material}").format(
                people=a.input_people, money=money(a.input_money), material=money(a.input_material)
            ),
        ),
        (_("Cadence"), cadence),
        (_("Application"), a.application_level),
        (_("Problems"), a.problems),
        (_("Procurement"), a.procurement_method),
        (_("Notes"), a.notes),
    ):
        fields.add_row(label, value or "—")

    parts: list = [figures, Text("")]
    if data.problems:
        parts.append(Text(_("Values stored in the wrong form (correct them with e or enter)"), style="bold"))
        parts.extend(Text(f"  ⚠ {problem.message}") for problem in data.problems)
        parts.append(Text(""))
    if data.flags:
        parts.append(Text(_("Red flags"), style="bold"))
        parts.extend(Text(f"  ⚑ {flag.message}") for flag in data.flags)
        parts.append(Text(""))
    parts.append(fields)
    if industry and industry.procurement_pattern:
        heading = _("How {industry} buys").format(industry=industry_name(industry.name_en, industry.name_zh))
        parts += [Text(""), Text(heading, style="bold"), Text(industry.procurement_pattern)]
    return Group(*parts)


class AccountProfile(Static):
    def show(self, data: Overview) -> None:
        self.update(profile_renderable(data))
