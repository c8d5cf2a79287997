"""The method's derived figures, as pure functions over plain values.

Nothing here touches the database or the clock: callers pass `today`, so every
figure can be checked by hand. These are computed on every read, never stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple

from planner.core.formatting import names_list
from planner.core.i18n import N_, _

CLASS_RANK = {"A": 0, "B": 1, "C": 2}
EPSILON = 1e-9


def next_class(account_class: str) -> str:
    """The class a rep cycles to with one key: A → B → C → A."""
    classes = tuple(CLASS_RANK)
    return classes[(classes.index(account_class) + 1) % len(classes)] if account_class in classes else classes[0]


# --- 80/20 -------------------------------------------------------------------------


class ParetoEntry(NamedTuple):
    id: str
    revenue: float
    rank: int
    share: float
    cumulative: float
    key: bool


class ParetoFigures(NamedTuple):
    """Ranks and cumulative shares, position by position, of revenues in descending
    order; the first `key_count` positions are the key accounts."""

    total: float
    ranks: list[int]
    cumulative: list[float]
    key_count: int


def pareto_figures(descending: Sequence[float], threshold: float = 0.8) -> ParetoFigures:
    """The 80/20 figures of revenues already sorted from largest to smallest.

    Column-wise, so a 10k-account portfolio needs one pass and no object per
    account. Key accounts are the smallest top set whose revenue reaches `threshold`
    of the total; an account tied with the last one admitted is admitted too, since
    equal revenue earns equal treatment. Ties share a rank (1, 2, 2, 4). Accounts
    without revenue are never key; with no revenue at all there are no key accounts
    and every share is 0.
    """
    total = float(sum(descending))
    shares = [revenue / total for revenue in descending] if total > 0 else [0.0] * len(descending)
    cumulative = list(accumulate(shares))
    ranks: list[int] = []
    key_count = 0
    rank = 0
    previous: float | None = None
    before = 0.0
    for position, revenue in enumerate(descending, start=1):
        if revenue != previous:
            rank = position
            previous = revenue
        ranks.append(rank)
        if revenue > 0 and key_count == position - 1:
            needed = before < threshold - EPSILON
            if needed or (key_count and revenue == descending[key_count - 1]):
                key_count = position
        before = cumulative[position - 1]
    return ParetoFigures(total, ranks, [min(value, 1.0) for value in cumulative], key_count)


def pareto(revenues: Sequence[tuple[str, float]], threshold: float = 0.8) -> list[ParetoEntry]:
    """Rank accounts by revenue and flag the key accounts (see `pareto_figures`);
    ties keep the caller's order."""
    ordered = sorted(revenues, key=itemgetter(1), reverse=True)
    figures = pareto_figures([revenue for _id, revenue in ordered], threshold)
    total = figures.total
    return [
        ParetoEntry(
            row_id,
            revenue,
            figures.ranks[position],
            revenue / total if total > 0 else 0.0,
            figures.cumulative[position],
            position < figures.key_count,
        )
        for position, (row_id, revenue) in enumerate(ordered)
    ]


# --- input-output quadrant ---------------------------------------------------------

# Each quadrant's name, in English: `QuadrantEntry.quadrant` holds it (sorted and
# compared as a code); what shows it passes it through `_`.
FOCUS_INVEST = N_("Focus in: invest")
FOCUS_GROW = N_("Focus in: grow")
CUT_INPUT = N_("Review: cut input")
MAINTAIN = N_("Maintain: basic service")


class IOFigures(NamedTuple):
    id: str
    revenue: float
    profit: float
    influence: float
    people: float
    money: float
    material: float


class QuadrantEntry(NamedTuple):
    id: str
    output: float
    input: float
    quadrant: str

    @property
    def focus_in(self) -> bool:
        return self.output >= 0.5


class Scale(NamedTuple):
    """Min-max normalisation of one measure across the portfolio to 0..1; a measure
    where every account is equal counts 0.5 for all."""

    low: float
    span: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Scale:
        low = min(values)
        return cls(low, max(values) - low)

    def __call__(self, value: float) -> float:
        return 0.5 if self.span < EPSILON else (value - self.low) / self.span

    def column(self, values: Sequence[float]) -> list[float]:
        """The same for a whole column, without a call per value."""
        if self.span < EPSILON:
            return [0.5] * len(values)
        low, span = self.low, self.span
        return [(value - low) / span for value in values]


class QuadrantScales(NamedTuple):
    """One scale per measure, in `IOFigures` order (revenue, profit, influence,
    people, money, material)."""

    scales: tuple[Scale, ...]

    @classmethod
    def of(cls, columns: Sequence[Sequence[float]]) -> QuadrantScales:
        return cls(tuple(Scale.of(column) for column in columns))

    def place(self, row_id: str, measures: Sequence[float]) -> QuadrantEntry:
        """Output is the mean of the first three normalised measures, input of the rest."""
        revenue, profit, influence, people, money, material = (
            scale(value) for scale, value in zip(self.scales, measures, strict=True)
        )
        output = sum((revenue, profit, influence)) / 3
        spent = sum((people, money, material)) / 3
        return QuadrantEntry(row_id, output, spent, _quadrant(output, spent))

    def place_all(self, ids: Sequence[str], columns: Sequence[Sequence[float]]) -> list[QuadrantEntry]:
        """`place` for every account at once, column by column (the same figures)."""
        if not ids:
            return []
        normalised = [scale.column(column) for scale, column in zip(self.scales, columns, strict=True)]
        outputs = [sum(scores) / 3 for scores in zip(*normalised[:3], strict=True)]
        inputs = [sum(scores) / 3 for scores in zip(*normalised[3:], strict=True)]
        return [
            QuadrantEntry(row_id, output, spent, _quadrant(output, spent))
            for row_id, output, spent in zip(ids, outputs, inputs, strict=True)
        ]


def _quadrant(output: float, spent: float) -> str:
    if output >= 0.5:
        return FOCUS_INVEST if spent >= 0.5 else FOCUS_GROW
    return CUT_INPUT if spent >= 0.5 else MAINTAIN


def quadrants(rows: Sequence[IOFigures]) -> list[QuadrantEntry]:
    """Place accounts by output (revenue, profit, influence) against input (people,
    money, material). Each measure is min-max normalised across the portfolio to
    0..1 (a measure where all accounts are equal counts 0.5) and the three are
    averaged. Scores of 0.5 and above are "high"; high output is where to focus in.
    """
    if not rows:
        return []
    ids, *columns = zip(*rows, strict=True)
    return QuadrantScales.of(columns).place_all(ids, columns)


# --- funnel --------------------------------------------------------------------------

CLASS_STAGES = (("C", "potential"), ("B", "incubating"), ("A", "producing"))


@dataclass(frozen=True)
class FunnelStage:
    name: str
    count: int
    value: float
    weighted: float = 0.0


@dataclass(frozen=True)
class Funnel:
    accounts: tuple[FunnelStage, ...]
    projects: tuple[FunnelStage, ...]


def funnel(
    accounts: Iterable[tuple[str, float]],
    projects: Iterable[tuple[str, float, int]],
    project_stages: Sequence[str],
) -> Funnel:
    """Accounts (class, revenue) per funnel stage, potential first; projects (stage,
    amount, probability %) per stage, with the amount weighted by probability."""
    counts: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for account_class, revenue in accounts:
        counts[account_class][0] += 1
        counts[account_class][1] += revenue
    account_stages = tuple(FunnelStage(name, int(counts[cls][0]), counts[cls][1]) for cls, name in CLASS_STAGES)
    by_stage: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for stage, amount, probability in projects:
        by_stage[stage][0] += 1
        by_stage[stage][1] += amount
        by_stage[stage][2] += amount * probability / 100
    project_rows = tuple(
        FunnelStage(stage, int(by_stage[stage][0]), by_stage[stage][1], by_stage[stage][2]) for stage in project_stages
    )
    return Funnel(account_stages, project_rows)


# --- contact cadence -------------------------------------------------------------


class Cadence(NamedTuple):
    days_since: int | None
    cadence_days: int
    stale: bool

    def due_on(self, today: date) -> date:
        """When the next contact was (or is) due; never contacted means due today."""
        if self.days_since is None:
            return today
        return today - timedelta(days=self.days_since) + timedelta(days=self.cadence_days)


def cadence(last_contact: date | None, cadence_days: int, today: date) -> Cadence:
    """Stale when never contacted, or when more days than the cadence have passed."""
    if last_contact is None:
        return Cadence(None, cadence_days, True)
    days = (today - last_contact).days
    return Cadence(days, cadence_days, days > cadence_days)


# --- procurement forecast --------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    year: int
    amount: float
    method: str
    basis: tuple[tuple[int, float], ...]


def yearly_totals(purchases: Iterable[tuple[date | None, float]]) -> list[tuple[int, float]]:
    """Purchase totals per year, oldest first (a purchase without a date counts nowhere)."""
    totals: dict[int, float] = defaultdict(float)
    for day, amount in purchases:
        if day is not None:
            totals[day.year] += amount
    return sorted(totals.items())


NEXT_YEAR_FROM = 11
"""The month from which the forecast targets next year (1 November)."""


def forecast_year(today: date) -> int:
    """The year the procurement forecast targets: this year until 31 October, next
    year from 1 November, when this year's buying is nearly done and next year's
    budgets are being set. From then on, this year's purchases so far are the last
    year of the forecast's basis, counted as if the year were complete."""
    return today.year + 1 if today.month >= NEXT_YEAR_FROM else today.year


def forecast(purchases: Iterable[tuple[date | None, float]], year: int, window: int = 3) -> Forecast | None:
    """Forecast `year`'s purchases from the complete years before it.

    Method: yearly totals over the last `window` years before `year` (years since
    the first purchase with no purchases count as 0). With one such year the
    forecast repeats it; with more, it extends the least-squares linear trend one
    year, floored at 0. No purchase before `year` means no forecast (None), not 0.
    """
    totals = {y: total for y, total in yearly_totals(purchases) if y < year}
    if not totals:
        return None
    first = max(min(totals), year - window)
    basis = tuple((y, totals.get(y, 0.0)) for y in range(first, year))
    if len(basis) == 1:
        method = _("same as {year} (one year of history)").format(year=basis[0][0])
        return Forecast(year, basis[0][1], method, basis)
    xs = [y for y, _total in basis]
    ys = [total for _year, total in basis]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)
    amount = max(0.0, mean_y + slope * (year - mean_x))
    return Forecast(year, amount, _("linear trend over {first}-{last}").format(first=xs[0], last=xs[-1]), basis)


# --- agenda ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # "action", "follow-up" or "stale"
    account_id: str
    account_name: str
    account_class: str
    title: str
    due: date | None
    ref_id: str

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


KIND_RANK = {"action": 0, "follow-up": 1, "stale": 2}


def agenda_order(items: Iterable[AgendaItem], today: date) -> list[AgendaItem]:
    """A before B before C ("even a cooked duck can fly away": the producing account
    comes first); within a class overdue work first, then by due date."""
    return sorted(
        items,
        key=lambda item: (
            CLASS_RANK.get(item.account_class, 3),
            not item.overdue(today),
            item.due or date.max,
            KIND_RANK.get(item.kind, 3),
            item.title,
            item.account_name,
            item.ref_id,
        ),
    )


# --- red flags ------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionPerson:
    name: str
    stance: str
    last_met: date | None


@dataclass(frozen=True)
class Threat:
    competitor: str
    threat: int
    countered: bool


@dataclass(frozen=True)
class AccountFacts:
    decision_people: tuple[DecisionPerson, ...] = ()
    last_visit: tuple[date, str] | None = None
    threats: tuple[Threat, ...] = ()


@dataclass(frozen=True)
class RedFlag:
    code: str
    message: str


def red_flags(facts: AccountFacts, cadence_days: int, today: date, high_threat: int = 4) -> list[RedFlag]:
    """The warning signs of the method for one account, in a fixed order; the messages
    in the interface's language at the time of the call."""
    flags: list[RedFlag] = []
    people = facts.decision_people
    if not people:
        flags.append(RedFlag("no-decision-supporter", _("Nobody in the decision layer is known yet")))
    elif not any(person.stance == "supporter" for person in people):
        flags.append(RedFlag("no-decision-supporter", _("No supporter in the decision layer")))
    unmet = [
        person.name for person in people if person.last_met is None or (today - person.last_met).days > cadence_days
    ]
    if unmet:
        message = _("Decision layer not met within {days} days: {names}").format(
            days=cadence_days, names=names_list(unmet)
        )
        flags.append(RedFlag("decision-not-met", message))
    if facts.last_visit and not facts.last_visit[1].strip():
        message = _("The last visit ({day}) ended without a commitment").format(day=facts.last_visit[0].isoformat())
        flags.append(RedFlag("no-commitment", message))
    for threat in facts.threats:
        if threat.threat >= high_threat and not threat.countered:
            message = _("{competitor} is a high threat ({threat}/5) with no counter-action").format(
                competitor=threat.competitor, threat=threat.threat
            )
            flags.append(RedFlag("unanswered-threat", message))
    return flags
