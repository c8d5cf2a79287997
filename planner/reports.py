"""Portfolio figures: the store's plain rows run through the pure analyses.

Each function gathers what it needs in a few set-based queries (never one query
per account), so the figures stay quick on a 10k-account portfolio.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import col, select

from planner import analysis
from planner import models as m
from planner.listings import AccountRow
from planner.store import Store


class AccountSummary(NamedTuple):
    """One customer-list line: the stored row plus everything derived from it."""

    row: AccountRow
    pareto: analysis.ParetoEntry
    quadrant: analysis.QuadrantEntry
    cadence: analysis.Cadence


def cadence_days(store: Store, account_class: str, override: int | None) -> int:
    return override or store.settings.cadence.get(account_class, 90)


def summarise(store: Store, rows: list[AccountRow], today: date) -> list[AccountSummary]:
    """Pareto, quadrant and cadence for `rows` (the whole portfolio), in their order."""
    ranked = {e.id: e for e in analysis.pareto([(r.id, r.revenue) for r in rows], store.settings.key_threshold)}
    placed = analysis.quadrants(
        [(r.id, r.revenue, r.profit, r.influence, r.input_people, r.input_money, r.input_material) for r in rows]
    )
    cadence = store.settings.cadence
    return [
        AccountSummary(
            row,
            ranked[row.id],
            quadrant,
            analysis.cadence(row.last_contact, row.cadence_days or cadence.get(row.account_class, 90), today),
        )
        for row, quadrant in zip(rows, placed, strict=True)
    ]


def portfolio(store: Store, today: date) -> list[AccountSummary]:
    return summarise(store, store.account_rows(), today)


def funnel(store: Store) -> analysis.Funnel:
    a, p = m.Account, m.Project
    with store.db.read() as session:
        accounts = session.execute(select(a.account_class, a.revenue).where(col(a.deleted_at).is_(None))).all()
        projects = session.execute(select(p.stage, p.amount, p.probability).where(col(p.deleted_at).is_(None))).all()
    return analysis.funnel(accounts, projects, m.PROJECT_STAGES)


def _last_visits(account_id: str | None):
    v = m.Visit
    ranked = select(
        v.account_id,
        v.visited_on,
        v.commitment,
        v.next_step,
        v.next_step_date,
        v.id,
        sa.func.row_number()
        .over(partition_by=v.account_id, order_by=(col(v.visited_on).desc(), col(v.created_at).desc()))
        .label("n"),
    ).where(col(v.deleted_at).is_(None))
    if account_id:
        ranked = ranked.where(v.account_id == account_id)
    ranked = ranked.subquery()
    return select(ranked).where(ranked.c.n == 1)


def red_flags(store: Store, today: date, account_id: str | None = None) -> dict[str, list[analysis.RedFlag]]:
    """Red flags per live account (only accounts that have any), or for one account."""
    a, p, va, v = m.Account, m.Person, m.VisitAttendee, m.Visit
    cp, c, act = m.CompetitorPosition, m.Competitor, m.Action
    accounts = select(a.id, a.account_class, a.cadence_days).where(col(a.deleted_at).is_(None))
    met = (
        select(va.person_id, sa.func.max(v.visited_on).label("last"))
        .join(v, col(va.visit_id) == v.id)
        .where(col(va.deleted_at).is_(None), col(v.deleted_at).is_(None))
        .group_by(va.person_id)
        .subquery()
    )
    people = (
        select(p.account_id, p.name, p.stance, met.c.last)
        .outerjoin(met, met.c.person_id == p.id)
        .where(p.layer == "decision", col(p.deleted_at).is_(None))
        .order_by(p.name)
    )
    countered = select(act.id).where(act.competitor_position_id == cp.id, col(act.deleted_at).is_(None)).exists()
    threats = (
        select(cp.account_id, c.name, cp.threat, countered)
        .join(c, col(cp.competitor_id) == c.id)
        .where(col(cp.deleted_at).is_(None))
        .order_by(c.name)
    )
    if account_id:
        accounts = accounts.where(a.id == account_id)
        people = people.where(p.account_id == account_id)
        threats = threats.where(cp.account_id == account_id)
    facts: dict[str, dict] = defaultdict(lambda: {"decision_people": [], "threats": [], "last_visit": None})
    with store.db.read() as session:
        account_rows = session.execute(accounts).all()
        for acc, name, stance, last_met in session.execute(people):
            facts[acc]["decision_people"].append(analysis.DecisionPerson(name, stance, last_met))
        for acc, name, threat, is_countered in session.execute(threats):
            facts[acc]["threats"].append(analysis.Threat(name, threat, bool(is_countered)))
        for row in session.execute(_last_visits(account_id)):
            facts[row.account_id]["last_visit"] = (row.visited_on, row.commitment)
    result = {}
    for acc, account_class, override in account_rows:
        found = facts[acc]
        account_facts = analysis.AccountFacts(
            tuple(found["decision_people"]), found["last_visit"], tuple(found["threats"])
        )
        flags = analysis.red_flags(
            account_facts, cadence_days(store, account_class, override), today, store.settings.high_threat
        )
        if flags:
            result[acc] = flags
    return result


def agenda(store: Store, today: date, horizon_days: int = 7) -> list[analysis.AgendaItem]:
    """Open actions and visit follow-ups due within the horizon (or overdue), and stale
    accounts, in the method's priority order."""
    until = today + timedelta(days=horizon_days)
    a, act = m.Account, m.Action
    actions = (
        select(act.id, act.title, act.due_date, a.id, a.name, a.account_class)
        .join(a, col(act.account_id) == a.id)
        .where(
            col(act.deleted_at).is_(None),
            col(a.deleted_at).is_(None),
            act.status != "done",
            col(act.due_date).is_not(None),
            col(act.due_date) <= until,
        )
    )
    last = _last_visits(None).subquery()
    follow_ups = (
        select(last.c.id, last.c.next_step, last.c.next_step_date, a.id, a.name, a.account_class)
        .join(a, a.id == last.c.account_id)
        .where(col(a.deleted_at).is_(None), last.c.next_step_date.is_not(None), last.c.next_step_date <= until)
    )
    items: list[analysis.AgendaItem] = []
    with store.db.read() as session:
        for ref, title, due, acc, name, cls in session.execute(actions):
            items.append(analysis.AgendaItem("action", acc, name, cls, title, due, ref))
        for ref, step, due, acc, name, cls in session.execute(follow_ups):
            items.append(analysis.AgendaItem("follow-up", acc, name, cls, step or "Follow up", due, ref))
    for summary in portfolio(store, today):
        if summary.cadence.stale:
            row = summary.row
            since = summary.cadence.days_since
            title = "Never contacted" if since is None else f"No contact for {since} days"
            due = summary.cadence.due_on(today)
            items.append(analysis.AgendaItem("stale", row.id, row.name, row.account_class, title, due, row.id))
    return analysis.agenda_order(items, today)


@dataclass(frozen=True)
class ListFilter:
    """What the customer list shows: typed text plus the quick filters."""

    text: str = ""
    classes: frozenset[str] = frozenset()
    key_only: bool = False
    stale_only: bool = False
    owner: str | None = None


def _days(summary: AccountSummary) -> float:
    since = summary.cadence.days_since
    return float("inf") if since is None else since


# Sort keys per customer-list column; each sorts ascending, the caller may reverse.
SORT_KEYS: dict[str, Callable[[AccountSummary, int], Any]] = {
    "name": lambda s, _f: s.row.name.casefold(),
    "industry": lambda s, _f: (s.row.industry.casefold(), s.row.name.casefold()),
    "class": lambda s, _f: (s.row.account_class, -s.row.revenue),
    "revenue": lambda s, _f: s.row.revenue,
    "share": lambda s, _f: s.pareto.share,
    "cumulative": lambda s, _f: s.pareto.cumulative,
    "key": lambda s, _f: (s.pareto.key, s.row.revenue),
    "quadrant": lambda s, _f: (s.quadrant.quadrant, -s.quadrant.output),
    "days": lambda s, _f: _days(s),
    "owner": lambda s, _f: (s.row.owner.casefold(), s.row.name.casefold()),
    "flags": lambda s, flags: (flags, s.row.revenue),
}


def search_index(summaries: list[AccountSummary]) -> dict[str, str]:
    """What the filter searches per account (name, industry in both languages, owner),
    folded once per load rather than on every keystroke."""
    return {
        s.row.id: "\n".join((s.row.name, s.row.industry, s.row.industry_zh, s.row.owner)).casefold() for s in summaries
    }


def select_accounts(
    summaries: list[AccountSummary],
    flags: dict[str, int],
    wanted: ListFilter,
    sort: str = "revenue",
    descending: bool = True,
    haystacks: dict[str, str] | None = None,
) -> list[AccountSummary]:
    """Filter and sort the customer list in memory: text matches name, industry (in
    English or Chinese) or owner, ignoring case. `haystacks` is `search_index(summaries)`."""
    needle = wanted.text.strip().casefold()
    if needle and haystacks is None:
        haystacks = search_index(summaries)
    chosen = [
        s
        for s in summaries
        if (not wanted.classes or s.row.account_class in wanted.classes)
        and (not wanted.key_only or s.pareto.key)
        and (not wanted.stale_only or s.cadence.stale)
        and (wanted.owner is None or s.row.owner == wanted.owner)
        and (not needle or needle in haystacks[s.row.id])
    ]
    key = SORT_KEYS[sort]
    chosen.sort(key=lambda s: key(s, flags.get(s.row.id, 0)), reverse=descending)
    return chosen


@dataclass(frozen=True)
class Overview:
    """Everything the account overview shows, read in one go."""

    account: m.Account
    industry: m.Industry | None
    summary: AccountSummary
    flags: list[analysis.RedFlag]
    projects: list[m.Project]
    purchases: list[m.Purchase]
    yearly: list[tuple[int, float]]
    forecast: analysis.Forecast | None
    visits: list[m.Visit]
    met: dict[str, list[tuple[str, str]]]
    people: list[m.Person]


def overview(store: Store, account_id: str, today: date) -> Overview:
    """Raises NotFound when the account is gone (deleted by someone else)."""
    account = store.get(m.Account, account_id)
    industry = store.get(m.Industry, account.industry_id) if account.industry_id else None
    summary = next(s for s in portfolio(store, today) if s.row.id == account_id)
    purchases = store.list(m.Purchase, account_id=account_id)
    totals: dict[int, float] = defaultdict(float)
    for purchase in purchases:
        totals[purchase.purchased_on.year] += purchase.amount
    return Overview(
        account=account,
        industry=industry,
        summary=summary,
        flags=red_flags(store, today, account_id).get(account_id, []),
        projects=store.list(m.Project, account_id=account_id),
        purchases=purchases,
        yearly=sorted(totals.items()),
        forecast=analysis.forecast([(p.purchased_on, p.amount) for p in purchases], today.year),
        visits=store.list(m.Visit, account_id=account_id),
        met=store.attendees(account_id),
        people=store.list(m.Person, account_id=account_id),
    )


def project_stages(projects: list[m.Project]) -> list[tuple[str, int, float]]:
    """(stage, count, amount) for every stage, in the funnel's order."""
    return [
        (stage, sum(1 for p in projects if p.stage == stage), sum(p.amount for p in projects if p.stage == stage))
        for stage in m.PROJECT_STAGES
    ]
