"""Everything the account overview shows about one account, and its per-stage totals."""

from __future__ import annotations

from dataclasses import dataclass

from planner.core import analysis
from planner.core import models as m
from planner.core.portfolio import AccountSummary
from planner.core.problems import DataProblem


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
    problems: list[DataProblem]
    """Values of the account's records stored in the wrong form (read as 0 or missing)."""
    year: int
    """This year, whose revenue the profile sets beside the purchases recorded in it."""

    @property
    def purchased_this_year(self) -> float:
        """The sum of the purchases recorded this year (0 when there are none)."""
        return dict(self.yearly).get(self.year, 0.0)


def project_stages(projects: list[m.Project]) -> list[tuple[str, int, float]]:
    """(stage, count, amount) for every stage, in the funnel's order."""
    return [
        (stage, sum(1 for p in projects if p.stage == stage), sum(p.amount for p in projects if p.stage == stage))
        for stage in m.PROJECT_STAGES
    ]
