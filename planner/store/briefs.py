"""Reading everything the pre-visit brief says about one account."""

from __future__ import annotations

from datetime import date

from planner.core import models as m
from planner.core.brief import BriefDocument
from planner.store.account_views import AccountViews


class Briefs(AccountViews):
    def brief_document(self, account_id: str, today: date) -> BriefDocument:
        """What `planner.core.brief` builds the brief from: the overview (figures, red
        flags, forecast, visits), the people with when each was last met, the
        competitors with their counters, the actions and the goals. Raises `NotFound`
        when the account is gone."""
        overview = self.overview(account_id, today)
        return BriefDocument(
            overview=overview,
            people=self.stakeholder_board(account_id, today).people,
            positions=self.competitors_at(account_id).positions,
            actions=self.list(m.Action, account_id=account_id),
            goals=self.list(m.Goal, account_id=account_id),
            high_threat=self.settings.high_threat,
            today=today,
        )
