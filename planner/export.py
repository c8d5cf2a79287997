"""The whole account plan as Markdown, stable enough to diff in git.

Same data, same bytes: every list has a total order that does not depend on ids or
insertion times, and nothing depends on the day of the export (no "days since",
no cadence flags, no forecast for "this year"); those live in the app.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

from platformdirs import user_documents_dir
from sqlmodel import col, or_, select

from planner import models as m
from planner import reports
from planner.errors import NotFound
from planner.formatting import money, percent
from planner.store import Store

STANCE_MARK = {"supporter": "✓", "neutral": "~", "opponent": "✗", "unknown": "?"}
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


def _day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _table(headers: list[str], rows: list[list[object]]) -> list[str]:
    if not rows:
        return ["_None recorded._", ""]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return [*lines, ""]


def find_account(store: Store, wanted: str, *, deleted: bool = False) -> m.Account:
    """An account by id, exact name, or a name fragment matching exactly one account.
    With `deleted`, a deleted account is found by id or exact name too: its history
    outlives it."""
    rows = store.account_rows()
    for row in rows:
        if wanted in (row.id, row.name):
            return store.get(m.Account, row.id)
    if deleted:
        a = m.Account
        query = select(a).where(or_(a.id == wanted, a.name == wanted), col(a.deleted_at).is_not(None))
        with store.db.read() as session:
            found = session.exec(query).all()
        if len(found) == 1:
            return found[0]
    matches = [row for row in rows if wanted.casefold() in row.name.casefold()]
    if len(matches) == 1:
        return store.get(m.Account, matches[0].id)
    if not matches:
        raise NotFound(f"No account matches {wanted!r}.")
    names = ", ".join(sorted(row.name for row in matches)[:5])
    raise NotFound(f"{len(matches)} accounts match {wanted!r} ({names}…); give more of the name.")


def account_plan_markdown(store: Store, account_id: str) -> str:
    a = store.get(m.Account, account_id)
    industry = store.get(m.Industry, a.industry_id) if a.industry_id else None
    summary = reports.portfolio(store, date.today()).find(account_id)
    if summary is None:
        raise NotFound(f"The account {a.name!r} was deleted.")
    out = [f"# Account plan: {a.name}", ""]
    out += [
        f"- Class: {a.account_class} · Owner: {a.owner or '—'} · Region: {a.region or '—'}",
        f"- Industry: {f'{industry.name_en} {industry.name_zh} ({industry.tier})' if industry else '—'}",
        f"- Revenue: {money(a.revenue)} · Profit: {money(a.profit)} · Influence: {a.influence}/5",
        f"- Input: people {a.input_people:g} · money {money(a.input_money)} · material {money(a.input_material)}",
        f"- 80/20: rank #{summary.pareto.rank}, {percent(summary.pareto.share)} of revenue, cumulative "
        f"{percent(summary.pareto.cumulative)}{', key account' if summary.pareto.key else ''}",
        f"- Quadrant: {summary.quadrant.quadrant}",
        f"- Last contact: {_day(summary.row.last_contact)}",
        "",
        "## Profile",
        "",
        *_table(["Field", "Value"], [
            ["Application level", a.application_level], ["Problems", a.problems],
            ["Procurement method", a.procurement_method], ["Notes", a.notes],
        ]),
    ]  # fmt: skip
    if industry and industry.procurement_pattern:
        out += [f"## How {industry.name_en} buys", "", industry.procurement_pattern, ""]
    out += _organisation(store, account_id)
    out += _people(store, account_id)
    out += _projects_and_purchases(store, account_id)
    out += _competitors(store, account_id)
    out += _battle_plan(store, account_id)
    out += _visits(store, account_id)
    return "\n".join(out).rstrip() + "\n"


def _organisation(store: Store, account_id: str) -> list[str]:
    tree = store.org_tree(account_id)
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
                out.append(f"{'  ' * (depth + 1)}- {p.name} · {p.title or '—'} · {p.layer} · "
                           f"{STANCE_MARK[p.stance]} {p.stance}")  # fmt: skip
            walk(unit.id, depth + 1)

    walk(None, 0)
    for p in sorted(members[None], key=lambda p: (p.name, p.title)):
        out.append(f"- {p.name} · {p.title or '—'} · {p.layer} · {STANCE_MARK[p.stance]} {p.stance} (no unit)")
    if len(out) == 2:
        out.append("_None recorded._")
    return [*out, ""]


def _people(store: Store, account_id: str) -> list[str]:
    units = {u.id: u.name for u in store.org_tree(account_id).units}
    people = store.list(m.Person, account_id=account_id)
    names = {p.id: p.name for p in people}
    out = ["## Key people by layer", ""]
    for layer in m.LAYERS:
        group = sorted((p for p in people if p.layer == layer), key=lambda p: (p.name, p.title))
        out += [f"### {LAYER_TITLES[layer]}", "", f"Values: {m.LAYER_VALUES[layer]}", ""]
        out += _table(
            ["Name", "Title", "Unit", "Reports to", "Influence", "Closeness", "Stance", "Characteristics"],
            [[p.name, p.title, units.get(p.unit_id, "—"), names.get(p.reports_to_id, "—"), f"{p.influence}/5",
              f"{p.closeness}/5", f"{STANCE_MARK[p.stance]} {p.stance}", p.characteristics] for p in group],
        )  # fmt: skip
    return out


def _projects_and_purchases(store: Store, account_id: str) -> list[str]:
    projects = sorted(store.list(m.Project, account_id=account_id), key=lambda p: (p.expected_date or date.max, p.name))
    out = ["## Projects", ""]
    out += _table(
        ["Project", "Stage", "Amount", "Probability", "Expected", "Funding", "Procurement"],
        [[p.name, p.stage, money(p.amount), f"{p.probability}%", _day(p.expected_date), p.funding_source,
          p.procurement_method] for p in projects],
    )  # fmt: skip
    totals: dict[int, float] = defaultdict(float)
    for purchase in store.list(m.Purchase, account_id=account_id):
        totals[purchase.purchased_on.year] += purchase.amount
    out += ["## Purchases by year", ""]
    out += _table(["Year", "Total"], [[year, money(total)] for year, total in sorted(totals.items())])
    return out


def _competitors(store: Store, account_id: str) -> list[str]:
    brands = {c.id: c.name for c in store.list(m.Competitor)}
    positions = sorted(
        store.list(m.CompetitorPosition, account_id=account_id),
        key=lambda p: (-p.threat, brands.get(p.competitor_id, "")),
    )
    countered = {a.competitor_position_id for a in store.list(m.Action, account_id=account_id)}
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


def _battle_plan(store: Store, account_id: str) -> list[str]:
    out = ["## SWOT", ""]
    items = store.list(m.SwotItem, account_id=account_id)
    for kind, title in SWOT_TITLES.items():
        out += [f"### {title}", ""]
        texts = sorted(cell(i.text) for i in items if i.kind == kind)
        out += [f"- {text}" for text in texts] or ["_None recorded._"]
        out.append("")
    goals = sorted(store.list(m.Goal, account_id=account_id), key=lambda g: (g.due_date or date.max, g.phase, g.text))
    goal_text = {g.id: g.text for g in goals}
    out += ["## Phased goals", ""]
    out += _table(["Phase", "Goal", "Due", "Owner"], [[g.phase, g.text, _day(g.due_date), g.owner] for g in goals])
    people = {p.id: p.name for p in store.list(m.Person, account_id=account_id)}
    actions = store.list(m.Action, account_id=account_id)
    out += ["## Actions", ""]
    for status, title in (("todo", "To do"), ("doing", "Doing"), ("done", "Done")):
        column = sorted((a for a in actions if a.status == status), key=lambda a: (a.position, a.title))
        out += [f"### {title}", ""]
        for a in column:
            details = [f"owner {a.owner}" if a.owner else "", f"due {_day(a.due_date)}" if a.due_date else "",
                       f"goal: {goal_text[a.goal_id]}" if a.goal_id in goal_text else "",
                       f"with {people[a.person_id]}" if a.person_id in people else ""]  # fmt: skip
            extra = "; ".join(d for d in details if d)
            out.append(f"- [{'x' if status == 'done' else ' '}] {cell(a.title)}{f' ({cell(extra)})' if extra else ''}")
        if not column:
            out.append("_None._")
        out.append("")
    reviews = sorted(store.list(m.PlanReview, account_id=account_id), key=lambda r: (r.reviewed_on, r.text))
    out += ["## Reviews (think, act, think again)", ""]
    out += [f"- {_day(r.reviewed_on)}: {cell(r.text)}" for r in reviews] or ["_None recorded._"]
    return [*out, ""]


def _visits(store: Store, account_id: str) -> list[str]:
    met = store.attendees(account_id)
    visits = sorted(store.list(m.Visit, account_id=account_id), key=lambda v: (v.visited_on, v.purpose), reverse=True)
    out = ["## Visits", ""]
    if not visits:
        out += ["_None recorded._", ""]
    for v in visits:
        ticked = ", ".join(label for name, label in CHECKLIST if getattr(v, name)) or "nothing ticked"
        people = ", ".join(sorted(name for _, name in met.get(v.id, []))) or "—"
        out += [
            f"### {_day(v.visited_on)} — {cell(v.purpose) or 'visit'}",
            "",
            f"- Met: {people}",
            f"- Prepared: {ticked}",
            f"- Outcome: {cell(v.outcome) or '—'}",
            f"- Commitment: {cell(v.commitment) or '⚑ none'}",
            f"- Next step: {cell(v.next_step) or '—'} ({_day(v.next_step_date)})",
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


def write_plan(store: Store, account_id: str, folder: Path | None = None) -> Path:
    """Write the plan to `<folder>/<account name>.md` (atomically) and return the path."""
    account = store.get(m.Account, account_id)
    target_dir = folder or export_folder()
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{safe_filename(account.name)}.md"
    partial = target.with_suffix(".md.partial")
    partial.write_text(account_plan_markdown(store, account_id), encoding="utf-8")
    partial.replace(target)
    return target
