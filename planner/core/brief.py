"""The pre-visit brief: what a rep needs on the morning of a visit, on one printed page.

Who to meet and what each of them values, what was promised last time and what is
still open, the competitors that need an answer, the red flags, the procurement
outlook, and the five treasures to tick before leaving. Unlike the account plan it
is about one day, so it is dated and counts days from `today`; the figures come
from the analyses the app already runs (cadence, red flags, forecast, counters),
never from a second calculation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from pathlib import Path
from typing import NamedTuple

from planner.core import models as m
from planner.core.agenda import follow_up_title
from planner.core.analysis import Cadence, Forecast, RedFlag, funnel
from planner.core.battle_plan import overdue
from planner.core.competition import Counter, PositionRow, counter_status
from planner.core.export import CHECKLIST, cell, day_text, table, write_document
from planner.core.formatting import (
    count,
    industry_label,
    layer_label,
    money,
    names_list,
    stage_label,
    stance_text,
    status_label,
)
from planner.core.i18n import _
from planner.core.overview import Overview
from planner.core.stakeholders import Stakeholder

GOAL_HORIZON_DAYS = 30
"""Goals due within this many days (or overdue) are on the brief."""
OPEN_STAGES = tuple(stage for stage in m.PROJECT_STAGES if stage not in ("won", "lost"))
"""Projects still to be won or lost: the procurement outlook lists these."""
LAYER_RANK = {layer: rank for rank, layer in enumerate(m.LAYERS)}


@dataclass(frozen=True)
class BriefDocument:
    """What the brief is made from, read by the store in one go."""

    overview: Overview
    people: tuple[Stakeholder, ...]
    positions: list[PositionRow]
    """The account's competitors, each with the actions countering it."""
    actions: list[m.Action]
    goals: list[m.Goal]
    high_threat: int
    today: date


class LastVisit(NamedTuple):
    day: date
    purpose: str
    met: tuple[str, ...]
    commitment: str
    next_step: str
    next_step_date: date | None
    next_step_done: bool


class Due(NamedTuple):
    """One open promise or piece of work: a visit's follow-up, an action, or a goal."""

    due: date | None
    title: str
    kind: str
    overdue: bool


class Threat(NamedTuple):
    brand: str
    threat: int
    counters: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class Brief:
    """The brief's content, decided: what is listed, in which order, what is flagged."""

    account: m.Account
    industry: str
    today: date
    last_contact: date | None
    cadence: Cadence
    people: tuple[Stakeholder, ...]
    """Layer by layer in the method's order (image first), most influential first."""
    last_visit: LastVisit | None
    due: tuple[Due, ...]
    """Oldest first, so what is overdue leads; undated work last."""
    high_threat: int
    threats: tuple[Threat, ...]
    flags: tuple[RedFlag, ...]
    forecast: Forecast | None
    projects: tuple[m.Project, ...]
    checklist: tuple[str, ...]


def build_brief(doc: BriefDocument) -> Brief:
    o, today = doc.overview, doc.today
    industry = o.industry
    return Brief(
        account=o.account,
        industry=industry_label(industry.name_en, industry.name_zh) if industry else "",
        today=today,
        last_contact=o.summary.row.last_contact,
        cadence=o.summary.cadence,
        people=tuple(
            sorted(doc.people, key=lambda s: (LAYER_RANK.get(s.person.layer, 9), -s.person.influence, s.person.name))
        ),
        last_visit=_last_visit(o),
        due=_due(doc),
        high_threat=doc.high_threat,
        threats=tuple(
            Threat(
                p.brand,
                p.threat,
                tuple(_counter(c) for c in p.counters),
                counter_status(p.threat, p.countered, doc.high_threat),
            )
            for p in doc.positions
            if p.threat >= doc.high_threat
        ),
        flags=tuple(o.flags),
        forecast=o.forecast,
        projects=tuple(
            sorted(
                (p for p in o.projects if p.stage in OPEN_STAGES),
                key=lambda p: (p.expected_date or date.max, p.name),
            )
        ),
        checklist=tuple(_(label) for _name, label in CHECKLIST),
    )


def _counter(c: Counter) -> str:
    """An action against a competitor: its title, status and due day."""
    if c.due_date:
        return _("{title} ({status}, due {day})").format(
            title=c.title, status=status_label(c.status), day=day_text(c.due_date)
        )
    return _("{title} ({status})").format(title=c.title, status=status_label(c.status))


def _last_visit(o: Overview) -> LastVisit | None:
    """The newest visit, as the red flags pick it (by day, then the last one recorded)."""
    if not o.visits:
        return None
    v = max(o.visits, key=lambda v: (v.visited_on, v.created_at))
    met = tuple(name for _id, name in o.met.get(v.id, []))
    return LastVisit(v.visited_on, v.purpose, met, v.commitment, v.next_step, v.next_step_date, v.next_step_done)


def _due(doc: BriefDocument) -> tuple[Due, ...]:
    """Every visit's dated follow-up not yet done (as the agenda counts them), every open
    action, and the goals due within `GOAL_HORIZON_DAYS` or overdue."""
    today = doc.today
    until = today + timedelta(days=GOAL_HORIZON_DAYS)
    items = [
        Due(v.next_step_date, follow_up_title(v.next_step), _("follow-up of {day}").format(day=day_text(v.visited_on)),
            v.next_step_date < today)
        for v in doc.overview.visits
        if v.next_step_date is not None and not v.next_step_done
    ]  # fmt: skip
    items += [Due(a.due_date, a.title, _action_kind(a), overdue(a, today)) for a in doc.actions if a.status != "done"]
    items += [
        Due(g.due_date, g.text, _("goal, {phase}").format(phase=g.phase) if g.phase else _("goal"), g.due_date < today)
        for g in doc.goals
        if g.due_date is not None and g.due_date <= until
    ]
    return tuple(sorted(items, key=lambda d: (d.due or date.max, d.kind, d.title)))


def _action_kind(a: m.Action) -> str:
    status = status_label(a.status)
    if a.owner:
        return _("action, {status}, {owner}").format(status=status, owner=a.owner)
    return _("action, {status}").format(status=status)


class Group(NamedTuple):
    """Rows of a table under one heading (a layer and what it values), or none."""

    heading: str
    rows: tuple[tuple[str, ...], ...]


class Section(NamedTuple):
    """One part of the brief, as both the page and the screen lay it out."""

    title: str
    lines: tuple[str, ...] = ()
    """Short statements, one a line."""
    headers: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()
    group_title: str = ""
    """What the groups' headings are (on paper, the header of their column)."""
    empty: str = ""
    """Said when there are neither lines nor rows."""
    ticks: tuple[str, ...] = ()
    """Boxes to tick on the printed page."""


def title(brief: Brief) -> str:
    return _("Visit brief: {account} — {day}").format(account=brief.account.name, day=brief.today.isoformat())


def about(brief: Brief) -> str:
    """Class, owner, where, industry, and the last contact against the class's cadence."""
    a, cadence = brief.account, brief.cadence
    every = count(cadence.cadence_days, "day")
    if brief.last_contact is None:
        contact = _("never contacted (cadence {every}) ⚑ stale").format(every=every)
    else:
        figures = {
            "day": day_text(brief.last_contact),
            "since": count(cadence.days_since or 0, "day"),
            "every": every,
        }
        if cadence.stale:
            contact = _("last contact {day}, {since} ago (cadence {every}) ⚑ stale").format(**figures)
        else:
            contact = _("last contact {day}, {since} ago (cadence {every})").format(**figures)
    parts = (
        _("Class {account_class}").format(account_class=a.account_class),
        _("owner {owner}").format(owner=a.owner or "—"),
        a.region,
        brief.industry,
        contact,
    )
    return " · ".join(part for part in parts if part)


def sections(brief: Brief) -> tuple[Section, ...]:
    """The brief's parts in reading order: the people first, the checklist last; in the
    interface's language at the time of the call (the data as recorded)."""
    due = tuple(
        (_("{day} ⚑ overdue").format(day=day_text(d.due)) if d.overdue else day_text(d.due), d.title, d.kind)
        for d in brief.due
    )
    threats = tuple((t.brand, f"{t.threat}/5", "; ".join(t.counters) or t.status) for t in brief.threats)
    high = brief.high_threat
    return (
        Section(
            _("People to meet (⚑ influential but not close: win them over)"),
            headers=(_("Person"), _("Stance"), _("Infl."), _("Close"), _("Last met")),
            group_title=_("Layer: what it values"),
            groups=_people(brief.people),
            empty=_("Nobody recorded yet: the org chart (o) adds people."),
        ),
        Section(
            _("Last visit, and what is still open"),
            lines=(*_visit(brief.last_visit), *(() if due else (_("Nothing open."),))),
            headers=(_("Due"), _("What"), _("Kind")),
            groups=(Group("", due),) if due else (),
        ),
        Section(
            _("Red flags, and competitors at threat {threat}/5 or more").format(threat=high),
            lines=(
                *(tuple(f"⚑ {flag.message}" for flag in brief.flags) or (_("No red flags."),)),
                *(() if threats else (_("No competitor at threat {threat}/5 or more.").format(threat=high),)),
            ),
            headers=(_("Competitor"), _("Threat"), _("Counter-actions")),
            groups=(Group("", threats),) if threats else (),
        ),
        _outlook(brief),
        Section(
            _("Five treasures (五件宝) for this visit"),
            ticks=(*brief.checklist, _("before leaving, the customer's commitment: ______________________")),
        ),
    )


def _people(people: tuple[Stakeholder, ...]) -> tuple[Group, ...]:
    groups: list[Group] = []
    never = _("never")
    for layer, members in groupby(people, key=lambda s: s.person.layer):
        if layer in m.LAYER_VALUES:
            heading = _("{layer}: {values}").format(layer=layer_label(layer), values=m.layer_values(layer))
        else:
            heading = layer
        rows = tuple(
            (f"{p.name}, {p.title}" if p.title else p.name, stance_text(p.stance), f"{p.influence}/5",
             f"{p.closeness}/5{' ⚑' if s.not_close else ''}", day_text(s.last_met) if s.last_met else never)
            for s in members
            for p in (s.person,)
        )  # fmt: skip
        groups.append(Group(heading, rows))
    return tuple(groups)


def _visit(v: LastVisit | None) -> tuple[str, ...]:
    """When, what about and with whom, and the commitment obtained. Its next step shows
    only when done or undated: an open dated one is in the table below, a follow-up."""
    if v is None:
        return (_("No visit yet."),)
    purpose = " ".join(v.purpose.split())
    people = names_list(v.met) or _("nobody recorded")
    if purpose:
        visited = _("Last visit {day}: {purpose}; met {people}").format(
            day=day_text(v.day), purpose=purpose, people=people
        )
    else:
        visited = _("Last visit {day}; met {people}").format(day=day_text(v.day), people=people)
    lines = [visited, _("Commitment: {commitment}").format(commitment=v.commitment or _("⚑ none"))]
    if v.next_step_date is None and v.next_step:
        lines.append(_("Next step: {step} (no date)").format(step=v.next_step))
    elif v.next_step_date is not None and v.next_step_done:
        lines.append(
            _("Next step: {step}, by {day} (done)").format(
                step=v.next_step or _("follow up"), day=day_text(v.next_step_date)
            )
        )
    return tuple(lines)


def _outlook(brief: Brief) -> Section:
    """The purchase forecast the overview shows, and the open projects with their
    amounts weighted by probability as the funnel weighs them."""
    f = brief.forecast
    if f is None:
        outlook = _("Purchases: no forecast (no purchases before the year it would forecast)")
    else:
        outlook = _("Purchases forecast {year}: {amount} — {method}").format(
            year=f.year, amount=money(f.amount), method=f.method
        )
    if not brief.projects:
        return Section(_("Procurement forecast"), lines=(_("{outlook}; no open project.").format(outlook=outlook),))
    stages = funnel((), ((p.stage, p.amount, p.probability) for p in brief.projects), OPEN_STAGES).projects
    total, weighted = sum(s.value for s in stages), sum(s.weighted for s in stages)
    rows = tuple(
        (p.name, stage_label(p.stage), money(p.amount), f"{p.probability}%", day_text(p.expected_date))
        for p in brief.projects
    )
    line = _("{outlook}; open projects {total}, weighted by probability {weighted}.").format(
        outlook=outlook, total=money(total), weighted=money(weighted)
    )
    return Section(
        _("Procurement forecast"),
        lines=(line,),
        headers=(_("Open project"), _("Stage"), _("Amount"), _("Prob."), _("Expected")),
        groups=(Group("", rows),),
    )


def brief_markdown(brief: Brief) -> str:
    """The brief as compact Markdown: one A4 page for a typical account. A table with
    headed groups (the people by layer) names each group in a first column, on its
    first row only."""
    out = [f"# {title(brief)}", "", cell(about(brief)), ""]
    for section in sections(brief):
        out.append(f"## {section.title}")
        out += [f"- {cell(line)}" for line in section.lines]
        if section.groups:
            out += [""] if section.lines else []
            headed = any(group.heading for group in section.groups)
            rows: list[list[object]] = [
                [*([group.heading if n == 0 else ""] if headed else []), *row]
                for group in section.groups
                for n, row in enumerate(group.rows)
            ]
            out += table([*([section.group_title] if headed else []), *section.headers], rows)[:-1]
        elif not section.lines and section.empty:
            out.append(f"_{section.empty}_")
        out += [f"- [ ] {cell(tick)}" for tick in section.ticks]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def write_brief(brief: Brief, folder: Path | None = None) -> Path:
    """Write the brief to `<folder>/<account name> brief <day>.md`, beside the exported
    plans, and return the path."""
    return write_document(brief_markdown(brief), f"{brief.account.name} brief {brief.today.isoformat()}", folder)
