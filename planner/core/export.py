"""The whole account plan as Markdown, stable enough to diff in git.

Same data, same bytes: every list has a total order that does not depend on ids or
insertion times, and nothing depends on the day of the export (no "days since",
no cadence flags, no forecast for "this year"); those live in the app.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from platformdirs import user_documents_dir

from planner.core import models as m
from planner.core.analysis import yearly_totals
from planner.core.errors import PlannerError
from planner.core.formatting import money, percent, stance_text, tier_text
from planner.core.portfolio import AccountSummary
from planner.core.rows import OrgTree

SWOT_TITLES = {"S": "Strengths (internal)", "W": "Weaknesses (internal)", "O": "Opportunities (external)",
               "T": "Threats (external)"}  # fmt: skip
LAYER_TITLES = {"image": "Image layer 形象层", "decision": "Decision layer 决策层",
                "implementation": "Implementation layer 实施层", "usage": "Usage layer 使用层"}  # fmt: skip
CHECKLIST = (
    ("appointment_made", "appointment by phone"),
    ("brought_cards", "business cards"),
    ("brought_notebook", "notebook"),
    ("brought_address_book", "address book"),
    ("brought_material", "technical material"),
    ("brought_quotation", "price quotation"),
)


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
        return ["_None recorded._", ""]
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


def account_plan_markdown(doc: PlanDocument) -> str:
    a, industry, summary = doc.account, doc.industry, doc.summary
    out = [f"# Account plan: {a.name}", ""]
    out += [
        f"- Class: {a.account_class} · Owner: {a.owner or '—'} · Region: {a.region or '—'}",
        f"- Industry: {f'{industry.name_en} {industry.name_zh} ({tier_text(industry)})' if industry else '—'}",
        f"- Revenue: {money(a.revenue)} · Profit: {money(a.profit)} · Influence: {a.influence}/5",
        f"- Input: people {a.input_people:g} · money {money(a.input_money)} · material {money(a.input_material)}",
        f"- 80/20: rank #{summary.pareto.rank}, {percent(summary.pareto.share)} of revenue, cumulative "
        f"{percent(summary.pareto.cumulative)}{', key account' if summary.pareto.key else ''}",
        f"- Quadrant: {summary.quadrant.quadrant}",
        f"- Last contact: {day_text(summary.row.last_contact)}",
        "",
        "## Profile",
        "",
        *table(["Field", "Value"], [
            ["Application level", a.application_level], ["Problems", a.problems],
            ["Procurement method", a.procurement_method], ["Notes", a.notes],
        ]),
    ]  # fmt: skip
    if industry and industry.procurement_pattern:
        out += [f"## How {industry.name_en} buys", "", industry.procurement_pattern, ""]
    out += _organisation(doc.tree)
    out += _people(doc)
    out += _projects_and_purchases(doc)
    out += _competitors(doc)
    out += _battle_plan(doc)
    out += _visits(doc)
    return "\n".join(out).rstrip() + "\n"


def _organisation(tree: OrgTree) -> list[str]:
    children: dict[str | None, list] = defaultdict(list)
    for unit in tree.units:
        children[unit.parent_id].append(unit)
    members: dict[str | None, list] = defaultdict(list)
    for person in tree.people:
        members[person.unit_id].append(person)
    out = ["## Organisation", ""]

    def walk(parent: str | None, depth: int) -> None:
        for unit in sorted(children[parent], key=lambda u: (u.name, u.responsibilities)):
            duty = f" — {cell(unit.responsibilities)}" if unit.responsibilities else ""
            out.append(f"{'  ' * depth}- **{unit.name}**{duty}")
            for p in sorted(members[unit.id], key=lambda p: (p.name, p.title)):
                out.append(f"{'  ' * (depth + 1)}- {p.name} · {p.title or '—'} · {p.layer} · {stance_text(p.stance)}")
            walk(unit.id, depth + 1)

    walk(None, 0)
    for p in sorted(members[None], key=lambda p: (p.name, p.title)):
        out.append(f"- {p.name} · {p.title or '—'} · {p.layer} · {stance_text(p.stance)} (no unit)")
    if len(out) == 2:
        out.append("_None recorded._")
    return [*out, ""]


def _people(doc: PlanDocument) -> list[str]:
    units = {u.id: u.name for u in doc.tree.units}
    people = doc.people
    names = {p.id: p.name for p in people}
    out = ["## Key people by layer", ""]
    for layer in m.LAYERS:
        group = sorted((p for p in people if p.layer == layer), key=lambda p: (p.name, p.title))
        out += [f"### {LAYER_TITLES[layer]}", "", f"Values: {m.LAYER_VALUES[layer]}", ""]
        out += table(
            ["Name", "Title", "Unit", "Reports to", "Influence", "Closeness", "Stance", "Characteristics"],
            [[p.name, p.title, units.get(p.unit_id or "", "—"), names.get(p.reports_to_id or "", "—"),
              f"{p.influence}/5", f"{p.closeness}/5", stance_text(p.stance), p.characteristics]
             for p in group],
        )  # fmt: skip
    return out


def _projects_and_purchases(doc: PlanDocument) -> list[str]:
    projects = sorted(doc.projects, key=lambda p: (p.expected_date or date.max, p.name))
    out = ["## Projects", ""]
    out += table(
        ["Project", "Stage", "Amount", "Probability", "Expected", "Funding", "Procurement"],
        [[p.name, p.stage, money(p.amount), f"{p.probability}%", day_text(p.expected_date), p.funding_source,
          p.procurement_method] for p in projects],
    )  # fmt: skip
    yearly = yearly_totals((p.purchased_on, p.amount) for p in doc.purchases)
    out += ["## Purchases by year", ""]
    out += table(["Year", "Total"], [[year, money(total)] for year, total in yearly])
    return out


def _competitors(doc: PlanDocument) -> list[str]:
    brands = doc.brands
    positions = sorted(
        doc.positions,
        key=lambda p: (-p.threat, brands.get(p.competitor_id, "")),
    )
    countered = {a.competitor_position_id for a in doc.actions}
    out = ["## Competitors", ""]
    if not positions:
        out += ["_None recorded._", ""]
    for p in positions:
        answer = "countered" if p.id in countered else "no counter-action"
        out += [f"### {brands.get(p.competitor_id, '?')} — threat {p.threat}/5 ({answer})", ""]
        for label, value in (
            ("Implementing partner", p.partner), ("Relationship and history", p.relationship),
            ("Image and reputation", p.reputation), ("Project experience", p.experience),
            ("Technical and service capability", p.capability), ("Allies", p.allies),
            ("Main weaknesses", p.weaknesses),
        ):  # fmt: skip
            out.append(f"- {label}: {cell(value) or '—'}")
        out.append("")
    return out


def _battle_plan(doc: PlanDocument) -> list[str]:
    out = ["## SWOT", ""]
    items = doc.swot
    for kind, title in SWOT_TITLES.items():
        out += [f"### {title}", ""]
        texts = sorted(cell(i.text) for i in items if i.kind == kind)
        out += [f"- {text}" for text in texts] or ["_None recorded._"]
        out.append("")
    goals = sorted(doc.goals, key=lambda g: (g.due_date or date.max, g.phase, g.text))
    goal_text = {g.id: g.text for g in goals}
    out += ["## Phased goals", ""]
    out += table(["Phase", "Goal", "Due", "Owner"], [[g.phase, g.text, day_text(g.due_date), g.owner] for g in goals])
    people = {p.id: p.name for p in doc.people}
    actions = doc.actions
    out += ["## Actions", ""]
    for status, title in (("todo", "To do"), ("doing", "Doing"), ("done", "Done")):
        column = sorted((a for a in actions if a.status == status), key=lambda a: (a.position, a.title))
        out += [f"### {title}", ""]
        for a in column:
            details = [f"owner {a.owner}" if a.owner else "", f"due {day_text(a.due_date)}" if a.due_date else "",
                       f"goal: {goal_text[a.goal_id]}" if a.goal_id in goal_text else "",
                       f"with {people[a.person_id]}" if a.person_id in people else ""]  # fmt: skip
            extra = "; ".join(d for d in details if d)
            out.append(f"- [{'x' if status == 'done' else ' '}] {cell(a.title)}{f' ({cell(extra)})' if extra else ''}")
        if not column:
            out.append("_None._")
        out.append("")
    reviews = sorted(doc.reviews, key=lambda r: (r.reviewed_on or date.min, r.text))
    out += ["## Reviews (think, act, think again)", ""]
    out += [f"- {day_text(r.reviewed_on)}: {cell(r.text)}" for r in reviews] or ["_None recorded._"]
    return [*out, ""]


def _visits(doc: PlanDocument) -> list[str]:
    met = doc.met
    visits = sorted(doc.visits, key=lambda v: (v.visited_on or date.min, v.purpose), reverse=True)
    out = ["## Visits", ""]
    if not visits:
        out += ["_None recorded._", ""]
    for v in visits:
        ticked = ", ".join(label for name, label in CHECKLIST if getattr(v, name)) or "nothing ticked"
        people = ", ".join(sorted(name for _, name in met.get(v.id, []))) or "—"
        out += [
            f"### {day_text(v.visited_on)} — {cell(v.purpose) or 'visit'}",
            "",
            f"- Met: {people}",
            f"- Prepared: {ticked}",
            f"- Outcome: {cell(v.outcome) or '—'}",
            f"- Commitment: {cell(v.commitment) or '⚑ none'}",
            f"- Next step: {cell(v.next_step) or '—'} ({day_text(v.next_step_date)})",
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
        raise PlannerError(f"Export failed: {error.strerror or error}: {error.filename or target}") from error
    return target


def write_plan(doc: PlanDocument, folder: Path | None = None) -> Path:
    """Write the plan to `<folder>/<account name>.md` and return the path."""
    return write_document(account_plan_markdown(doc), doc.account.name, folder)
