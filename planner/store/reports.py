"""Portfolio figures: the store's plain rows run through the pure analyses.

Each read gathers what it needs in a few set-based queries (never one query per
account), so the figures stay quick on a 10k-account portfolio.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from planner.core import analysis
from planner.core import models as m
from planner.core.agenda import follow_up_title
from planner.core.errors import NotFound
from planner.core.i18n import _
from planner.core.overview import Overview
from planner.core.portfolio import Portfolio
from planner.store.base import columns
from planner.store.checks import DataChecks
from planner.store.listings import Listings


def _last_visits(account_id: str | None) -> Any:
    v = m.Visit
    ranked = columns(
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
    latest = ranked.subquery()
    return sa.select(latest).where(latest.c.n == 1)


class Reports(Listings, DataChecks):
    def portfolio(self, today: date) -> Portfolio:
        """Every live account with its 80/20 figures, quadrant and cadence (column-wise)."""
        return Portfolio(self.account_listing(), self.settings, today)

    def funnel(self) -> analysis.Funnel:
        a, p = m.Account, m.Project
        with self.db.read() as session:
            accounts = session.execute(select(a.account_class, a.revenue).where(col(a.deleted_at).is_(None))).all()
            projects = session.execute(
                select(p.stage, p.amount, p.probability).where(col(p.deleted_at).is_(None))
            ).all()
        return analysis.funnel(accounts, projects, m.PROJECT_STAGES)

    def red_flags(self, today: date, account_id: str | None = None) -> dict[str, list[analysis.RedFlag]]:
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
        with self.db.read() as session:
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
                account_facts, self.settings.cadence_days(account_class, override), today, self.settings.high_threat
            )
            if flags:
                result[acc] = flags
        return result

    def agenda(self, today: date, horizon_days: int = 7) -> list[analysis.AgendaItem]:
        """Open actions, open visit follow-ups (every visit's dated next step not yet
        done) due within the horizon or overdue, and stale accounts, in the method's
        priority order."""
        until = today + timedelta(days=horizon_days)
        a, act = m.Account, m.Action
        actions = (
            columns(act.id, act.title, act.due_date, a.id, a.name, a.account_class)
            .join(a, col(act.account_id) == a.id)
            .where(
                col(act.deleted_at).is_(None),
                col(a.deleted_at).is_(None),
                act.status != "done",
                col(act.due_date).is_not(None),
                col(act.due_date) <= until,
            )
        )
        # Every visit's promised next step stays on the agenda until it is ticked off,
        # not only the last visit's: a promise made two visits ago is still a promise.
        v = m.Visit
        follow_ups = (
            columns(v.id, v.next_step, v.next_step_date, a.id, a.name, a.account_class)
            .join(a, col(v.account_id) == a.id)
            .where(
                col(v.deleted_at).is_(None),
                col(a.deleted_at).is_(None),
                sa.not_(col(v.next_step_done)),
                col(v.next_step_date).is_not(None),
                col(v.next_step_date) <= until,
            )
        )
        items: list[analysis.AgendaItem] = []
        with self.db.read() as session:
            for ref, title, due, acc, name, cls in session.execute(actions):
                items.append(analysis.AgendaItem("action", acc, name, cls, title, due, ref))
            for ref, step, due, acc, name, cls in session.execute(follow_ups):
                items.append(analysis.AgendaItem("follow-up", acc, name, cls, follow_up_title(step), due, ref))
        accounts = self.portfolio(today)
        for index, stale in enumerate(accounts.stale):
            if stale:
                summary = accounts[index]
                row = summary.row
                since = summary.cadence.days_since
                # English in every language (not `count`, which follows it): the agenda
                # screen reads this title and translates it.
                days = "day" if since == 1 else "days"
                title = "Never contacted" if since is None else f"No contact for {since} {days}"
                due = summary.cadence.due_on(today)
                items.append(analysis.AgendaItem("stale", row.id, row.name, row.account_class, title, due, row.id))
        return analysis.agenda_order(items, today)

    def overview(self, account_id: str, today: date) -> Overview:
        """Raises NotFound when the account is gone (deleted by someone else)."""
        account = self.get(m.Account, account_id)
        industry = self.industry_of(account)
        summary = self.portfolio(today).find(account_id)
        if summary is None:  # deleted between the two reads
            raise NotFound(_("The account {name!r} was just deleted.").format(name=account.name))
        purchases = self.list(m.Purchase, account_id=account_id)
        bought = [(p.purchased_on, p.amount) for p in purchases]
        return Overview(
            account=account,
            industry=industry,
            summary=summary,
            flags=self.red_flags(today, account_id).get(account_id, []),
            projects=self.list(m.Project, account_id=account_id),
            purchases=purchases,
            yearly=analysis.yearly_totals(bought),
            forecast=analysis.forecast(bought, analysis.forecast_year(today)),
            year=today.year,
            visits=self.list(m.Visit, account_id=account_id),
            met=self.attendees(account_id),
            people=self.list(m.Person, account_id=account_id),
            problems=self.data_problems(account_id),
        )
