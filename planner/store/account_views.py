"""What each account-analysis screen shows, read in one call: the org chart, the key
people, the competitors (at one account and across the portfolio) and the battle plan.

Each read raises `NotFound` when the account is gone (deleted by another rep), so a
screen open on it can close with a message.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from planner.core import battle_plan, org
from planner.core import models as m
from planner.core.competition import (
    POSITION_FIELDS,
    AccountCompetitors,
    Counter,
    PositionRow,
    Presence,
)
from planner.core.stakeholders import Board, Stakeholder
from planner.store.base import columns, live
from planner.store.reports import Reports


class AccountViews(Reports):
    def org_chart(self, account_id: str) -> org.Chart:
        """The account's chart: its units and people, with what the detail panel shows."""
        account = self.get(m.Account, account_id)
        p = m.Person
        query = select(p.id, p.value_orientation, p.characteristics).where(p.account_id == account_id, live(p))
        with self.db.read() as session:
            notes = {row[0]: org.Notes(row[1], row[2]) for row in session.execute(query)}
        return org.build(self.org_tree(account_id), notes, account.name)

    def stakeholder_board(self, account_id: str, today: date) -> Board:
        """The account's people with their unit and when they were last met, and its red flags."""
        account = self.get(m.Account, account_id)
        units = self.org_tree(account_id).units
        names = {unit.id: unit.name for unit in units}
        met = self.last_met(account_id)
        people = tuple(
            Stakeholder(person, names.get(person.unit_id or "", ""), met.get(person.id))
            for person in self.list(m.Person, account_id=account_id)
        )
        flags = tuple(self.red_flags(today, account_id).get(account_id, []))
        return Board(account, people, units, flags)

    def competitors_at(self, account_id: str) -> AccountCompetitors:
        """The account's live competitor positions, most threatening first, then by brand,
        each with the actions countering it; and every brand, to pick from."""
        account = self.get(m.Account, account_id)
        cp, c, act = m.CompetitorPosition, m.Competitor, m.Action
        keys = (cp.id, cp.version, cp.account_id, cp.competitor_id, c.name, c.notes, c.version)
        rows = (
            columns(*keys, *(getattr(cp, name) for name in POSITION_FIELDS))
            .join(c, col(cp.competitor_id) == c.id)
            .where(cp.account_id == account_id, live(cp), live(c))
        )
        actions = (
            columns(act.competitor_position_id, act.title, act.status, act.due_date, act.owner)
            .where(act.account_id == account_id, col(act.competitor_position_id).is_not(None), live(act))
            .order_by(col(act.status), col(act.due_date).nulls_first(), col(act.title))
        )
        counters: dict[str, list[Counter]] = {}
        with self.db.read() as session:
            found = session.execute(rows).all()
            for position_id, *counter in session.execute(actions):
                counters.setdefault(position_id, []).append(Counter(*counter))
        positions = [PositionRow._make((*row, tuple(counters.get(row[0], ())))) for row in found]
        positions.sort(key=lambda p: (-p.threat, p.brand.casefold()))
        return AccountCompetitors(account, positions, self.list(m.Competitor))

    def competitor_presence(self) -> list[Presence]:
        """Every live brand with each live account where it is present, sorted by brand,
        then threat (highest first), then account name."""
        cp, c, a, act = m.CompetitorPosition, m.Competitor, m.Account, m.Action
        countered = select(act.id).where(act.competitor_position_id == cp.id, live(act)).exists()
        placed = (
            columns(c.id, c.name, cp.id, a.id, a.name, a.account_class, cp.threat, countered)
            .join(cp, col(cp.competitor_id) == c.id)
            .join(a, col(cp.account_id) == a.id)
            .where(live(c), live(cp), live(a))
        )
        brands = select(c.id, c.name).where(live(c))
        with self.db.read() as session:
            rows = [Presence._make((*row[:7], bool(row[7]))) for row in session.execute(placed)]
            present = {row.competitor_id for row in rows}
            rows += [
                Presence(brand_id, name, None, None, "", "", 0, False)
                for brand_id, name in session.execute(brands)
                if brand_id not in present
            ]
        rows.sort(key=lambda p: (p.brand.casefold(), p.competitor_id, -p.threat, p.account_name.casefold()))
        return rows

    def battle_plan(self, account_id: str, today: date) -> battle_plan.Plan:
        """Everything the battle-plan screen shows: the goals with their strategies and
        measures, the board, the SWOT and the reviews."""
        account = self.get(m.Account, account_id)
        goals = self.list(m.Goal, account_id=account_id)
        people = self.list(m.Person, account_id=account_id)
        competitors = {c.id: c.name for c in self.list(m.Competitor)}
        here = self.list(m.CompetitorPosition, account_id=account_id)
        positions = sorted((competitors.get(p.competitor_id, "?"), p.id) for p in here)
        strategies = self.list(m.Strategy, account_id=account_id)
        actions = self.list(m.Action, account_id=account_id)
        return battle_plan.Plan(
            account=account,
            swot=battle_plan.quadrants(self.list(m.SwotItem, account_id=account_id)),
            goals=goals,
            board=battle_plan.cards(actions, goals, people, today, strategies),
            tree=battle_plan.goal_tree(goals, strategies, actions),
            reviews=self.list(m.PlanReview, account_id=account_id),
            people=people,
            positions=positions,
        )
