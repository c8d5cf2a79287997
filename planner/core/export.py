"""The whole account plan as Markdown, stable enough to diff in git.

Same data, same bytes: every list has a total order that does not depend on ids or
insertion times, and nothing depends on the day of the export (no "days since",
no cadence flags, no forecast for "this year"); those live in the app.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from platformdirs import user_documents_dir

from planner.core import models as m
from planner.core.analysis import yearly_totals
from planner.core.battle_plan import COLUMN_TITLES, goal_flag
from planner.core.errors import PlannerError
from planner.core.formatting import (
    industry_label,
    industry_name,
    layer_label,
    money,
    names_list,
    percent,
    stage_label,
    stance_text,
    tier_text,
)
from planner.core.i18n import N_, _
from planner.core.introductions import channel_label
from planner.core.portfolio import AccountSummary
from planner.core.rows import OrgTree

SWOT_TITLES = {"S": N_("Strengths (internal)"), "W": N_("Weaknesses (internal)"),
               "O": N_("Opportunities (external)"), "T": N_("Threats (external)")}  # fmt: skip
LAYER_TITLES = {"image": N_("Image layer 形象层"), "decision": N_("Decision layer 决策层"),
                "implementation": N_("Implementation layer 实施层"), "usage": N_("Usage layer 使用层")}  # fmt: skip
CHECKLIST = (
    ("appointment_made", N_("appointment by phone")),
    ("brought_cards", N_("business cards")),
    ("brought_notebook", N_("notebook")),
    ("brought_address_book", N_("address book")),
    ("brought_material", N_("technical material")),
    ("brought_quotation", N_("price quotation")),
)
POSITION_LABELS = (
    ("partner", N_("Implementing partner")),
    ("relationship", N_("Relationship and history")),
    ("reputation", N_("Image and reputation")),
    ("experience", N_("Project experience")),
    ("capability", N_("Technical and service capability")),
    ("allies", N_("Allies")),
    ("weaknesses", N_("Main weaknesses")),
)
"""The lines of a competitor position, in the order the export writes them."""


def cell(text: object) -> str:
    """A table cell: pipes escaped, line breaks kept as <br>."""
    value = "" if text is None else str(text)
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>").strip()


def day_text(value: date | None) -> str:
    """A day as YYYY-MM-DD, or a dash for none."""
    return value.isoformat() if value else "—"


def table(headers: list[str], rows: list[list[object]]) -> list[str]:
    """A Markdown table (cells escaped), or a note that there is nothing, then a blank line."""
    if not rows:
        return [_("_None recorded._"), ""]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return [*lines, ""]


@dataclass(frozen=True)
class PlanDocument:
    """Everything the plan says about one account, read by the store in one go."""

    account: m.Account
    industry: m.Industry | None
    summary: AccountSummary
    tree: OrgTree
    people: list[m.Person]
    projects: list[m.Project]
    purchases: list[m.Purchase]
    brands: dict[str, str]
    """Competitor name by id."""
    positions: list[m.CompetitorPosition]
    swot: list[m.SwotItem]
    goals: list[m.Goal]
    actions: list[m.Action]
    reviews: list[m.PlanReview]
    visits: list[m.Visit]
    met: dict[str, list[tuple[str, str]]]
    """(person id, name) of everyone met, per visit id."""
    strategies: list[m.Strategy] = field(default_factory=list)


def account_plan_markdown(doc: PlanDocument) -> str:
    a, industry, summary = doc.account, doc.industry, doc.summary
    out = [_("# Account plan: {name}").format(name=a.name), ""]
    pareto = summary.pareto
    shares = {"rank": pareto.rank, "share": percent(pareto.share), "cumulative": percent(pareto.cumulative)}
    ranked = (
        _("- 80/20: rank #{rank}, {share} of revenue, cumulative {cumulative}, key account")
        if pareto.key
        else _("- 80/20: rank #{rank}, {share} of revenue, cumulative {cumulative}")
    )
    which = (
        _("{industry} ({tier})").format(
            industry=industry_label(industry.name_en, industry.name_zh), tier=tier_text(industry)
        )
        if industry
        else "—"
    )
    out += [
        _("- Class: {account_class} · Owner: {owner} · Region: {region}").format(
            account_class=a.account_class, owner=a.owner or "—", region=a.region or "—"),
        _("- Industry: {industry}").format(industry=which),
        _("- Revenue: {revenue} · Profit: {profit} · Influence: {influence}/5").format(
            revenue=money(a.revenue), profit=money(a.profit), influence=a.influence),
        _("- Input: people {people} · money {money} · material {material}").format(
            people=f"{a.input_people:g}", money=money(a.input_money), material=money(a.input_material)),
        ranked.format(**shares),
        _("- Quadrant: {quadrant}").format(quadrant=_(summary.quadrant.quadrant)),
        _("- Last contact: {day}").format(day=day_text(summary.row.last_contact)),
        "",
        _("## Profile"),
        "",
        *table([_("Field"), _("Value")], [
            [_("Application level"), a.application_level], [_("Problems"), a.problems],
            [_("Procurement method"), a.procurement_method], [_("Notes"), a.notes],
        ]),
    ]  # fmt: skip
    if industry and industry.procurement_pattern:
        out += [
            _("## How {industry} buys").format(industry=industry_name(industry.name_en, industry.name_zh)),
            "",
            industry.procurement_pattern,
            "",
        ]
    out += _organisation(doc.tree)
    out += _people(doc)
    out += _projects_and_purchases(doc)
    out += _competitors(doc)
    out += _battle_plan(doc)
    out += _visits(doc)
    return "\n".join(out).rstrip() + "\n"


def _person_line(p: m.Person) -> str:
    return f"{p.name} · {p.title or '—'} · {layer_label(p.layer)} · {stance_text(p.stance)}"


def _organisation(tree: OrgTree) -> list[str]:
    children: dict[str | None, list] = defaultdict(list)
    for unit in tree.units:
        children[unit.parent_id].append(unit)
    members: dict[str | None, list] = defaultdict(list)
    for person in tree.people:
        members[person.unit_id].append(person)
    out = [_("## Organisation"), ""]

    def walk(parent: str | None, depth: int) -> None:
        for unit in sorted(children[parent], key=lambda u: (u.name, u.responsibilities)):
            duty = f" — {cell(unit.responsibilities)}" if unit.responsibilities else ""
            out.append(f"{'  ' * depth}- **{unit.name}**{duty}")
            for p in sorted(members[unit.id], key=lambda p: (p.name, p.title)):
                out.append(f"{'  ' * (depth + 1)}- {_person_line(p)}")
            walk(unit.id, depth + 1)

    walk(None, 0)
    for p in sorted(members[None], key=lambda p: (p.name, p.title)):
        out.append("- " + _("{person} (no unit)").format(person=_person_line(p)))
    if len(out) == 2:
        out.append(_("_None recorded._"))
    return [*out, ""]


def _people(doc: PlanDocument) -> list[str]:
    units = {u.id: u.name for u in doc.tree.units}
    people = doc.people
    names = {p.id: p.name for p in people}
    out = [_("## Key people by layer"), ""]
    headers = [_("Name"), _("Title"), _("Unit"), _("Reports to"), _("Influence"), _("Closeness"), _("Stance"),
               _("Characteristics")]  # fmt: skip
    for layer in m.LAYERS:
        group = sorted((p for p in people if p.layer == layer), key=lambda p: (p.name, p.title))
        out += [f"### {_(LAYER_TITLES[layer])}", "", _("Values: {values}").format(values=m.layer_values(layer)), ""]
        out += table(
            headers,
            [[p.name, p.title, units.get(p.unit_id or "", "—"), names.get(p.reports_to_id or "", "—"),
              f"{p.influence}/5", f"{p.closeness}/5", stance_text(p.stance), p.characteristics]
             for p in group],
        )  # fmt: skip
    return out


def _projects_and_purchases(doc: PlanDocument) -> list[str]:
    projects = sorted(doc.projects, key=lambda p: (p.expected_date or date.max, p.name))
    out = [_("## Projects"), ""]
    out += table(
        [_("Project"), _("Stage"), _("Amount"), _("Probability"), _("Expected"), _("Funding"), _("Procurement")],
        [[p.name, stage_label(p.stage), money(p.amount), f"{p.probability}%", day_text(p.expected_date),
          p.funding_source, p.procurement_method] for p in projects],
    )  # fmt: skip
    yearly = yearly_totals((p.purchased_on, p.amount) for p in doc.purchases)
    out += [_("## Purchases by year"), ""]
    out += table([_("Year"), _("Total")], [[year, money(total)] for year, total in yearly])
    return out


def _competitors(doc: PlanDocument) -> list[str]:
    brands = doc.brands
    positions = sorted(
        doc.positions,
        key=lambda p: (-p.threat, brands.get(p.competitor_id, "")),
    )
    countered = {a.competitor_position_id for a in doc.actions}
    out = [_("## Competitors"), ""]
    if not positions:
        out += [_("_None recorded._"), ""]
    for p in positions:
        brand = brands.get(p.competitor_id, "?")
        heading = (
            _("### {brand} — threat {threat}/5 (countered)")
            if p.id in countered
            else _("### {brand} — threat {threat}/5 (no counter-action)")
        )
        out += [heading.format(brand=brand, threat=p.threat), ""]
        for name, label in POSITION_LABELS:
            out.append(_("- {label}: {value}").format(label=_(label), value=cell(getattr(p, name)) or "—"))
        out.append("")
    return out


def _battle_plan(doc: PlanDocument) -> list[str]:
    out = [_("## SWOT"), ""]
    items = doc.swot
    for kind, title in SWOT_TITLES.items():
        out += [f"### {_(title)}", ""]
        texts = sorted(cell(i.text) for i in items if i.kind == kind)
        out += [f"- {text}" for text in texts] or [_("_None recorded._")]
        out.append("")
    goals = sorted(doc.goals, key=lambda g: (g.due_date or date.max, g.phase, g.text))
    goal_text = {g.id: g.text for g in goals}
    strategies = {s.id: s for s in doc.strategies if s.goal_id in goal_text}
    people = {p.id: p.name for p in doc.people}
    actions = doc.actions
    out += [_("## Phased goals"), ""]
    out += _goals(goals, strategies, actions)
    out += [_("## Actions"), ""]
    for status in m.ACTION_STATUSES:
        column = sorted((a for a in actions if a.status == status), key=lambda a: (a.position, a.title))
        out += [f"### {_(COLUMN_TITLES[status])}", ""]
        for a in column:
            strategy = strategies.get(a.strategy_id or "")
            goal = goal_text.get(strategy.goal_id if strategy else a.goal_id or "")
            person = people.get(a.person_id or "")
            details = [_("owner {owner}").format(owner=a.owner) if a.owner else "",
                       _("due {day}").format(day=day_text(a.due_date)) if a.due_date else "",
                       _("goal: {goal}").format(goal=goal) if goal else "",
                       _("strategy: {strategy}").format(strategy=strategy.text) if strategy else "",
                       _("with {person}").format(person=person) if person else ""]  # fmt: skip
            extra = "; ".join(d for d in details if d)
            out.append(f"- [{'x' if status == 'done' else ' '}] {cell(a.title)}{f' ({cell(extra)})' if extra else ''}")
        if not column:
            out.append(_("_None._"))
        out.append("")
    reviews = sorted(doc.reviews, key=lambda r: (r.reviewed_on or date.min, r.text))
    out += [_("## Reviews (think, act, think again)"), ""]
    out += [f"- {day_text(r.reviewed_on)}: {cell(r.text)}" for r in reviews] or [_("_None recorded._")]
    return [*out, ""]


def _goals(goals: list[m.Goal], strategies: dict[str, m.Strategy], actions: list[m.Action]) -> list[str]:
    """Each phased goal with its owner and due day (flagged when either is missing), its
    strategies in their order, each with its measures, then its measures under no strategy."""
    if not goals:
        return [_("_None recorded._"), ""]
    status_order = {status: index for index, status in enumerate(m.ACTION_STATUSES)}

    def measures(of: list[m.Action], depth: int) -> list[str]:
        ordered = sorted(of, key=lambda a: (status_order.get(a.status, 9), a.position, a.title))
        return [
            f"{'  ' * depth}- [{'x' if a.status == 'done' else ' '}] {cell(a.title)} ({_(COLUMN_TITLES[a.status])})"
            for a in ordered
        ]

    out: list[str] = []
    for g in goals:
        heading = _("{phase}: {goal}").format(phase=g.phase, goal=g.text) if g.phase else g.text
        out += [f"### {cell(heading)}", ""]
        out.append("- " + _("Due: {day} · Owner: {owner}").format(day=day_text(g.due_date), owner=g.owner or "—"))
        if flag := goal_flag(g):
            out.append(f"- ⚑ {flag}")
        own = sorted((s for s in strategies.values() if s.goal_id == g.id), key=lambda s: (s.position, s.text))
        for s in own:
            out.append("- " + _("Strategy: {strategy}").format(strategy=cell(s.text)))
            out += measures([a for a in actions if a.strategy_id == s.id], 1) or ["  - " + _("No measures yet.")]
        loose = [a for a in actions if a.goal_id == g.id and a.strategy_id not in strategies]
        if loose:
            out.append("- " + (_("Measures under no strategy:") if own else _("Measures (no strategy yet):")))
            out += measures(loose, 1)
        if not own and not loose:
            out.append("- " + _("No strategies or measures yet."))
        out.append("")
    return out


def _visits(doc: PlanDocument) -> list[str]:
    met = doc.met
    visits = sorted(doc.visits, key=lambda v: (v.visited_on or date.min, v.purpose), reverse=True)
    out = [_("## Visits"), ""]
    if not visits:
        out += [_("_None recorded._"), ""]
    for v in visits:
        ticked = names_list(_(label) for name, label in CHECKLIST if getattr(v, name)) or _("nothing ticked")
        people = names_list(sorted(name for _id, name in met.get(v.id, []))) or "—"
        how = channel_label(v.channel)
        if v.channel == "introduction" and v.introduced_by_id:
            introducer = next((p.name for p in doc.people if p.id == v.introduced_by_id), "—")
            how = _("{channel} by {name}").format(channel=how, name=introducer)
        out += [
            f"### {day_text(v.visited_on)} — {cell(v.purpose) or _('visit')}",
            "",
            _("- How: {how}").format(how=how),
            _("- Met: {people}").format(people=people),
            _("- Prepared: {ticked}").format(ticked=ticked),
            _("- Outcome: {outcome}").format(outcome=cell(v.outcome) or "—"),
            _("- Commitment: {commitment}").format(commitment=cell(v.commitment) or _("⚑ none")),
            _("- Next step: {step} ({day})").format(step=cell(v.next_step) or "—", day=day_text(v.next_step_date)),
            "",
        ]
    return out


def export_folder() -> Path:
    """Where the board's export key writes: $PLANNER_EXPORTS, else Documents/planner."""
    override = os.environ.get("PLANNER_EXPORTS")
    return Path(override) if override else Path(user_documents_dir()) / "planner"


def safe_filename(name: str) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .")
    return (cleaned or "account")[:120]


def write_document(text: str, name: str, folder: Path | None = None) -> Path:
    """Write `text` to `<folder>/<name>.md` atomically (a reader never sees half a file),
    in the export folder by default, and return the path."""
    target_dir = folder or export_folder()
    target = target_dir / f"{safe_filename(name)}.md"
    partial = target.with_name(target.name + ".partial")
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    except OSError as error:
        reason, where = error.strerror or error, error.filename or target
        raise PlannerError(_("Export failed: {reason}: {path}").format(reason=reason, path=where)) from error
    return target


def write_plan(doc: PlanDocument, folder: Path | None = None) -> Path:
    """Write the plan to `<folder>/<account name>.md` and return the path."""
    return write_document(account_plan_markdown(doc), doc.account.name, folder)
