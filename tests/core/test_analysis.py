"""The method's derived figures (planner/analysis.py), checked against numbers worked by hand.

Every expected value below is computed in a comment, not by re-running the formula.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core.analysis import (
    CUT_INPUT,
    FOCUS_GROW,
    FOCUS_INVEST,
    MAINTAIN,
    AccountFacts,
    AgendaItem,
    DecisionPerson,
    Funnel,
    FunnelStage,
    IOFigures,
    Threat,
    agenda_order,
    cadence,
    forecast,
    funnel,
    pareto,
    quadrants,
    red_flags,
)

TODAY = date(2024, 3, 15)


# --- pareto ------------------------------------------------------------------------------

# total 1000: A 500 -> 0.5, B 300 -> 0.3, C 100 -> 0.1, D 60 -> 0.06, E 40 -> 0.04
# cumulative: 0.5 after A, 0.8 after B, 0.9 after C, 0.96 after D, 1.0 after E
PORTFOLIO = [("C", 100.0), ("A", 500.0), ("E", 40.0), ("B", 300.0), ("D", 60.0)]


def test_pareto_normal_portfolio_key_set_exactly_covers_80_percent():
    entries = pareto(PORTFOLIO)
    assert [e.id for e in entries] == ["A", "B", "C", "D", "E"]
    assert [e.revenue for e in entries] == [500.0, 300.0, 100.0, 60.0, 40.0]
    assert [e.rank for e in entries] == [1, 2, 3, 4, 5]
    assert [e.share for e in entries] == pytest.approx([0.5, 0.3, 0.1, 0.06, 0.04])
    assert [e.cumulative for e in entries] == pytest.approx([0.5, 0.8, 0.9, 0.96, 1.0])
    # A: cumulative before it 0 < 0.8 -> key; B: 0.5 < 0.8 -> key; C: 0.8 reached -> not key
    assert [e.key for e in entries] == [True, True, False, False, False]


@pytest.mark.parametrize(
    ("threshold", "keys"),
    [
        # before A 0 < 0.5 -> key; before B 0.5 is not < 0.5 -> stop
        (0.5, ["A"]),
        # before C 0.8 < 0.9 -> key; before D 0.9 reached -> stop
        (0.9, ["A", "B", "C"]),
        # before E 0.96 < 1.0 -> key: every account with revenue
        (1.0, ["A", "B", "C", "D", "E"]),
    ],
)
def test_pareto_threshold_changes_the_key_set(threshold, keys):
    entries = pareto(PORTFOLIO, threshold=threshold)
    assert [e.id for e in entries if e.key] == keys
    # the threshold never changes ranks, shares or cumulative shares
    assert [e.cumulative for e in entries] == pytest.approx([0.5, 0.8, 0.9, 0.96, 1.0])


def test_pareto_float_rounding_at_the_threshold_does_not_admit_an_extra_account():
    # total 10: A 7 -> 0.7, B 1 -> 0.1, C 0.9 -> 0.09, D 0.6 -> 0.06, E 0.5 -> 0.05
    # in floats 0.7 + 0.1 = 0.7999999999999999, which is 80% all the same: C is not key
    entries = pareto([("A", 7.0), ("B", 1.0), ("C", 0.9), ("D", 0.6), ("E", 0.5)])
    assert [e.id for e in entries if e.key] == ["A", "B"]
    assert [e.cumulative for e in entries] == pytest.approx([0.7, 0.8, 0.89, 0.95, 1.0])


def test_pareto_ties_share_a_rank_and_a_tie_at_the_boundary_admits_both():
    # total 100: W 40 -> 0.4, X 25 -> 0.25, Y 25 -> 0.25, Z 10 -> 0.1
    # ranks 1, 2, 2, 4; cumulative 0.4, 0.65, 0.9, 1.0
    # threshold 0.5: before W 0 < 0.5 key; before X 0.4 < 0.5 key (last admitted);
    # before Y 0.65 >= 0.5 but Y ties X (25) -> key too; Z 10 is no tie -> not key
    entries = pareto([("Z", 10.0), ("X", 25.0), ("W", 40.0), ("Y", 25.0)], threshold=0.5)
    assert [e.id for e in entries] == ["W", "X", "Y", "Z"]
    assert [e.rank for e in entries] == [1, 2, 2, 4]
    assert [e.share for e in entries] == pytest.approx([0.4, 0.25, 0.25, 0.1])
    assert [e.cumulative for e in entries] == pytest.approx([0.4, 0.65, 0.9, 1.0])
    assert [e.key for e in entries] == [True, True, True, False]


def test_pareto_tie_after_the_boundary_is_not_admitted():
    # same portfolio, threshold 0.4: W alone reaches 0.4; X is not needed and ties
    # nobody admitted (W has 40), so neither X nor Y is key
    entries = pareto([("W", 40.0), ("X", 25.0), ("Y", 25.0), ("Z", 10.0)], threshold=0.4)
    assert [e.key for e in entries] == [True, False, False, False]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ([("P", 30.0), ("Q", 30.0), ("R", 30.0), ("S", 10.0)], ["P", "Q", "R", "S"]),
        ([("R", 30.0), ("S", 10.0), ("Q", 30.0), ("P", 30.0)], ["R", "Q", "P", "S"]),
    ],
)
def test_pareto_keeps_the_callers_order_among_ties(given, expected):
    entries = pareto(given)
    assert [e.id for e in entries] == expected
    assert [e.rank for e in entries] == [1, 1, 1, 4]


def test_pareto_zero_revenue_accounts_are_never_key():
    # total 100: A 100 -> share 1.0; the two zero accounts tie at rank 2 with share 0
    # and the cumulative share stays at 1.0; threshold 1.0 would want "everything",
    # but an account without revenue is never key
    entries = pareto([("Z1", 0.0), ("A", 100.0), ("Z2", 0.0)], threshold=1.0)
    assert [e.id for e in entries] == ["A", "Z1", "Z2"]
    assert [e.rank for e in entries] == [1, 2, 2]
    assert [e.share for e in entries] == pytest.approx([1.0, 0.0, 0.0])
    assert [e.cumulative for e in entries] == pytest.approx([1.0, 1.0, 1.0])
    assert [e.key for e in entries] == [True, False, False]


def test_pareto_all_zero_portfolio_has_zero_shares_and_no_key_account():
    # total 0: no division, every share 0, everyone ties at rank 1, nobody is key
    entries = pareto([("A", 0.0), ("B", 0.0), ("C", 0.0)])
    assert [e.id for e in entries] == ["A", "B", "C"]
    assert [e.rank for e in entries] == [1, 1, 1]
    assert [e.share for e in entries] == [0.0, 0.0, 0.0]
    assert [e.cumulative for e in entries] == [0.0, 0.0, 0.0]
    assert not any(e.key for e in entries)


def test_pareto_single_account_is_the_whole_portfolio_and_key():
    [entry] = pareto([("only", 42.0)])
    assert entry.id == "only"
    assert entry.rank == 1
    assert entry.share == pytest.approx(1.0)
    assert entry.cumulative == pytest.approx(1.0)
    assert entry.key is True


def test_pareto_empty_portfolio():
    assert pareto([]) == []


def test_pareto_cumulative_never_exceeds_one():
    # 11 accounts of 3: each share 1/11; adding 1/11 eleven times in floats gives
    # 1.0000000000000002, which must be reported as 1.0. All tie at rank 1, and the
    # first is needed (0 < 0.8), so every tied account is admitted too.
    entries = pareto([(f"a{i:02d}", 3.0) for i in range(11)])
    assert all(e.cumulative <= 1.0 for e in entries)
    assert entries[-1].cumulative == 1.0
    assert [e.share for e in entries] == pytest.approx([1 / 11] * 11)
    assert entries[4].cumulative == pytest.approx(5 / 11)
    assert {e.rank for e in entries} == {1}
    assert all(e.key for e in entries)


def _key_set_by_definition(revenues: list[float], threshold: float) -> set[int]:
    """Positions (in descending order) of the key accounts, straight from the words:
    the shortest top prefix whose share reaches the threshold, plus every account
    tied with its last one, never an account without revenue."""
    total = sum(revenues)
    if total <= 0:
        return set()
    size = 0
    while size < len(revenues) and sum(revenues[:size]) / total < threshold - 1e-9:
        size += 1
    if size:
        last = revenues[size - 1]
        size += sum(1 for revenue in revenues[size:] if revenue == last)
    return {i for i in range(size) if revenues[i] > 0}


@given(
    st.lists(st.sampled_from([0.0, 1.0, 2.5, 10.0, 10.0, 40.0, 1e6]), max_size=25),
    st.sampled_from([0.3, 0.5, 0.8, 0.95, 1.0]),
)
def test_pareto_key_set_matches_its_definition(revenues, threshold):
    entries = pareto([(str(i), revenue) for i, revenue in enumerate(revenues)], threshold)
    ordered = [e.revenue for e in entries]
    assert ordered == sorted(revenues, reverse=True)
    assert {i for i, e in enumerate(entries) if e.key} == _key_set_by_definition(ordered, threshold)
    assert [e.rank for e in entries] == [ordered.index(revenue) + 1 for revenue in ordered]


# --- quadrants -----------------------------------------------------------------------------

# Four accounts; influence and material are equal everywhere, so they count 0.5 each.
#   revenue   A 100, B 80, C 20, D 0      -> min 0, range 100:   1.0, 0.8, 0.2, 0.0
#   profit    A 30, B 50, C -50, D 0      -> min -50, range 100: 0.8, 1.0, 0.0, 0.5
#   influence all 3                        -> 0.5 each
#   output    A (1.0+0.8+0.5)/3 = 2.3/3 = 0.7667   B (0.8+1.0+0.5)/3 = 0.7667
#             C (0.2+0.0+0.5)/3 = 0.7/3 = 0.2333   D (0.0+0.5+0.5)/3 = 1/3 = 0.3333
#   people    A 4, B 0, C 2, D 1          -> min 0, range 4:     1.0, 0.0, 0.5, 0.25
#   money     A 1000, B 200, C 600, D 0   -> min 0, range 1000:  1.0, 0.2, 0.6, 0.0
#   material  all 7                        -> 0.5 each
#   input     A (1+1+0.5)/3 = 0.8333   B (0+0.2+0.5)/3 = 0.2333
#             C (0.5+0.6+0.5)/3 = 0.5333   D (0.25+0+0.5)/3 = 0.25
FOUR = [
    IOFigures("A", revenue=100, profit=30, influence=3, people=4, money=1000, material=7),
    IOFigures("B", revenue=80, profit=50, influence=3, people=0, money=200, material=7),
    IOFigures("C", revenue=20, profit=-50, influence=3, people=2, money=600, material=7),
    IOFigures("D", revenue=0, profit=0, influence=3, people=1, money=0, material=7),
]


def test_quadrants_min_max_normalisation_by_hand_reaches_all_four_quadrants():
    entries = quadrants(FOUR)
    assert [e.id for e in entries] == ["A", "B", "C", "D"]
    assert [e.output for e in entries] == pytest.approx([2.3 / 3, 2.3 / 3, 0.7 / 3, 1 / 3])
    assert [e.input for e in entries] == pytest.approx([2.5 / 3, 0.7 / 3, 1.6 / 3, 0.75 / 3])
    assert [e.quadrant for e in entries] == [FOCUS_INVEST, FOCUS_GROW, CUT_INPUT, MAINTAIN]
    assert [e.focus_in for e in entries] == [True, True, False, False]


def test_quadrant_names():
    assert FOCUS_INVEST == "Focus in: invest"
    assert FOCUS_GROW == "Focus in: grow"
    assert CUT_INPUT == "Review: cut input"
    assert MAINTAIN == "Maintain: basic service"


def test_quadrants_negative_profit_is_the_low_end_of_the_scale():
    # profit -200, -50, 100 -> min -200, range 300: 0.0, 0.5, 1.0
    # revenue 10, 10, 10 and influence 1, 1, 1 equal -> 0.5 each
    # output: (0.5+0.0+0.5)/3 = 1/3, (0.5+0.5+0.5)/3 = 0.5, (0.5+1.0+0.5)/3 = 2/3
    # input all equal -> 0.5 each
    rows = [
        IOFigures("loss", revenue=10, profit=-200, influence=1, people=1, money=1, material=1),
        IOFigures("small loss", revenue=10, profit=-50, influence=1, people=1, money=1, material=1),
        IOFigures("gain", revenue=10, profit=100, influence=1, people=1, money=1, material=1),
    ]
    entries = quadrants(rows)
    assert [e.output for e in entries] == pytest.approx([1 / 3, 0.5, 2 / 3])
    assert [e.input for e in entries] == pytest.approx([0.5, 0.5, 0.5])
    # exactly 0.5 counts as high
    assert [e.quadrant for e in entries] == [CUT_INPUT, FOCUS_INVEST, FOCUS_INVEST]


def test_quadrants_output_of_exactly_one_half_is_high():
    # revenue 0, 9 -> 0.0, 1.0; profit 5, 1 -> 1.0, 0.0; influence equal -> 0.5
    # output: X (0+1+0.5)/3 = 0.5, Y (1+0+0.5)/3 = 0.5 -> both high
    # input: people 0, 2 -> 0.0, 1.0; money and material equal -> 0.5
    #        X (0+0.5+0.5)/3 = 1/3 (low), Y (1+0.5+0.5)/3 = 2/3 (high)
    rows = [
        IOFigures("X", revenue=0, profit=5, influence=2, people=0, money=3, material=3),
        IOFigures("Y", revenue=9, profit=1, influence=2, people=2, money=3, material=3),
    ]
    entries = quadrants(rows)
    assert [e.output for e in entries] == pytest.approx([0.5, 0.5])
    assert [e.input for e in entries] == pytest.approx([1 / 3, 2 / 3])
    assert [e.quadrant for e in entries] == [FOCUS_GROW, FOCUS_INVEST]
    assert all(e.focus_in for e in entries)


def test_quadrants_measures_equal_across_accounts_count_one_half():
    row = dict(revenue=50, profit=-5, influence=4, people=2, money=100, material=0)
    entries = quadrants([IOFigures("P", **row), IOFigures("Q", **row)])
    assert [(e.output, e.input) for e in entries] == [
        pytest.approx((0.5, 0.5)),
        pytest.approx((0.5, 0.5)),
    ]
    assert [e.quadrant for e in entries] == [FOCUS_INVEST, FOCUS_INVEST]


def test_quadrants_single_account():
    # a single account ties with itself on every measure: 0.5 everywhere
    [entry] = quadrants([IOFigures("solo", revenue=1e6, profit=-3, influence=5, people=9, money=1, material=2)])
    assert entry.id == "solo"
    assert entry.output == pytest.approx(0.5)
    assert entry.input == pytest.approx(0.5)
    assert entry.quadrant == FOCUS_INVEST
    assert entry.focus_in is True


def test_quadrants_empty():
    assert quadrants([]) == []


# --- funnel ----------------------------------------------------------------------------------

PROJECT_STAGES = ("lead", "proposal", "negotiation", "won")


def test_funnel_accounts_per_class_in_funnel_order():
    accounts = [("A", 100.0), ("C", 5.0), ("B", 30.0), ("A", 50.0), ("C", 0.0)]
    result = funnel(accounts, [], PROJECT_STAGES)
    # C: 2 accounts, 5 + 0 = 5; B: 1 account, 30; A: 2 accounts, 100 + 50 = 150
    assert result.accounts == (
        FunnelStage("potential", 2, 5.0, 0.0),
        FunnelStage("incubating", 1, 30.0, 0.0),
        FunnelStage("producing", 2, 150.0, 0.0),
    )


def test_funnel_projects_per_stage_with_weighted_value():
    projects = [
        ("lead", 1000.0, 10),  # 1000 x 10/100 = 100
        ("proposal", 2000.0, 50),  # 2000 x 50/100 = 1000
        ("proposal", 500.0, 20),  # 500 x 20/100 = 100 -> proposal 2500, weighted 1100
        ("won", 300.0, 100),  # 300 x 100/100 = 300
    ]
    result = funnel([], projects, PROJECT_STAGES)
    assert [s.name for s in result.projects] == list(PROJECT_STAGES)
    assert [s.count for s in result.projects] == [1, 2, 0, 1]
    assert [s.value for s in result.projects] == pytest.approx([1000.0, 2500.0, 0.0, 300.0])
    assert [s.weighted for s in result.projects] == pytest.approx([100.0, 1100.0, 0.0, 300.0])


def test_funnel_zero_probability_weighs_nothing():
    result = funnel([], [("lead", 800.0, 0), ("lead", 200.0, 25)], ("lead",))
    # 800 x 0 = 0, 200 x 0.25 = 50
    assert result.projects == (FunnelStage("lead", 2, 1000.0, pytest.approx(50.0)),)


def test_funnel_empty_stages_give_zeros():
    result = funnel([], [], PROJECT_STAGES)
    assert result == Funnel(
        accounts=(
            FunnelStage("potential", 0, 0.0, 0.0),
            FunnelStage("incubating", 0, 0.0, 0.0),
            FunnelStage("producing", 0, 0.0, 0.0),
        ),
        projects=tuple(FunnelStage(name, 0, 0.0, 0.0) for name in PROJECT_STAGES),
    )
    assert all(isinstance(stage.count, int) for stage in result.accounts + result.projects)


def test_funnel_only_one_class_present_leaves_the_others_at_zero():
    result = funnel([("B", 12.5), ("B", 7.5)], [], ())
    assert result.accounts == (
        FunnelStage("potential", 0, 0.0),
        FunnelStage("incubating", 2, 20.0),
        FunnelStage("producing", 0, 0.0),
    )
    assert result.projects == ()


# --- cadence ---------------------------------------------------------------------------------


def test_cadence_never_contacted_is_stale_and_due_today():
    result = cadence(None, 30, TODAY)
    assert result.days_since is None
    assert result.cadence_days == 30
    assert result.stale is True
    assert result.due_on(TODAY) == TODAY


@pytest.mark.parametrize(
    ("last_contact", "days_since", "stale", "due"),
    [
        # 2024 is a leap year: 14 Feb -> 14 Mar is 29 days, -> 15 Mar is 30: exactly the cadence
        (date(2024, 2, 14), 30, False, date(2024, 3, 15)),
        # 13 Feb -> 15 Mar is 31 days: one over -> stale, was due 13 Feb + 30 = 14 Mar
        (date(2024, 2, 13), 31, True, date(2024, 3, 14)),
        # contacted today: 0 days, next due 15 Mar + 30 = 14 Apr
        (TODAY, 0, False, date(2024, 4, 14)),
        # 1 Mar -> 15 Mar is 14 days; due 1 Mar + 30 = 31 Mar
        (date(2024, 3, 1), 14, False, date(2024, 3, 31)),
    ],
)
def test_cadence_days_since_stale_and_due_on(last_contact, days_since, stale, due):
    result = cadence(last_contact, 30, TODAY)
    assert result.days_since == days_since
    assert result.cadence_days == 30
    assert result.stale is stale
    assert result.due_on(TODAY) == due


def test_cadence_across_a_year_end():
    # 20 Dec 2023 -> 15 Mar 2024: 11 (rest of Dec) + 31 + 29 + 15 = 86 days
    result = cadence(date(2023, 12, 20), 90, TODAY)
    assert result.days_since == 86
    assert result.stale is False
    # 20 Dec 2023 + 90 days: 11 -> 31 Dec, 42 -> 31 Jan, 71 -> 29 Feb, 90 -> 19 Mar
    assert result.due_on(TODAY) == date(2024, 3, 19)


# --- forecast ----------------------------------------------------------------------------------


def test_forecast_without_purchases_is_none():
    assert forecast([], 2024) is None


def test_forecast_with_purchases_only_in_or_after_the_year_is_none():
    purchases = [(date(2024, 1, 1), 500.0), (date(2024, 12, 31), 10.0), (date(2026, 6, 1), 80.0)]
    assert forecast(purchases, 2024) is None


def test_forecast_one_year_of_history_repeats_it():
    # 2023: 60 + 40 = 100; the 2024 and 2025 purchases are not history for 2024
    purchases = [
        (date(2023, 2, 1), 60.0),
        (date(2023, 11, 30), 40.0),
        (date(2024, 1, 15), 999.0),
        (date(2025, 3, 1), 5000.0),
    ]
    result = forecast(purchases, 2024)
    assert result is not None
    assert result.year == 2024
    assert result.amount == pytest.approx(100.0)
    assert result.basis == ((2023, pytest.approx(100.0)),)
    assert result.method == "same as 2023 (one year of history)"


def test_forecast_two_years_linear_trend():
    # 2022: 100, 2023: 150; mean x 2022.5, mean y 125
    # slope = ((-0.5)(-25) + (0.5)(25)) / (0.25 + 0.25) = 25 / 0.5 = 50
    # 2024: 125 + 50 x 1.5 = 200
    result = forecast([(date(2022, 5, 1), 100.0), (date(2023, 5, 1), 150.0)], 2024)
    assert result is not None
    assert result.amount == pytest.approx(200.0)
    assert result.basis == ((2022, 100.0), (2023, 150.0))
    assert result.method == "linear trend over 2022-2023"


def test_forecast_three_years_linear_trend():
    # 2021: 100, 2022: 80 + 120 = 200, 2023: 300 -> mean x 2022, mean y 200
    # slope = ((-1)(-100) + 0 + (1)(100)) / (1 + 0 + 1) = 100; 2024: 200 + 100 x 2 = 400
    purchases = [
        (date(2021, 3, 1), 100.0),
        (date(2022, 1, 10), 80.0),
        (date(2022, 12, 31), 120.0),
        (date(2023, 7, 7), 300.0),
    ]
    result = forecast(purchases, 2024)
    assert result is not None
    assert result.amount == pytest.approx(400.0)
    assert result.basis == ((2021, 100.0), (2022, 200.0), (2023, 300.0))
    assert result.method == "linear trend over 2021-2023"


def test_forecast_non_collinear_trend_is_least_squares():
    # 2021: 100, 2022: 300, 2023: 200 -> mean x 2022, mean y 200
    # slope = ((-1)(-100) + 0 + (1)(0)) / 2 = 50; 2024: 200 + 50 x 2 = 300
    purchases = [(date(2021, 1, 1), 100.0), (date(2022, 1, 1), 300.0), (date(2023, 1, 1), 200.0)]
    result = forecast(purchases, 2024)
    assert result is not None
    assert result.amount == pytest.approx(300.0)


@pytest.mark.parametrize(
    "purchases",
    [
        # 2022: 300, 2023: 100 -> mean y 200, slope -200; 200 - 200 x 1.5 = -100 -> 0
        [(date(2022, 6, 1), 300.0), (date(2023, 6, 1), 100.0)],
        # 500, 300, 50 -> mean y 850/3 = 283.33; slope ((-1)(216.67) + (1)(-233.33)) / 2 = -225
        # 283.33 - 225 x 2 = -166.67 -> 0
        [(date(2021, 6, 1), 500.0), (date(2022, 6, 1), 300.0), (date(2023, 6, 1), 50.0)],
    ],
)
def test_forecast_falling_trend_is_floored_at_zero(purchases):
    result = forecast(purchases, 2024)
    assert result is not None
    assert result.amount == 0.0


def test_forecast_gap_year_inside_the_window_counts_as_zero():
    # 2021: 100, 2022: nothing -> 0, 2023: 300; mean x 2022, mean y 400/3 = 133.33
    # slope = ((-1)(100 - 133.33) + 0 + (1)(300 - 133.33)) / 2 = (33.33 + 166.67) / 2 = 100
    # 2024: 133.33 + 100 x 2 = 333.33
    result = forecast([(date(2021, 4, 1), 100.0), (date(2023, 4, 1), 300.0)], 2024)
    assert result is not None
    assert result.basis == ((2021, 100.0), (2022, 0.0), (2023, 300.0))
    assert result.amount == pytest.approx(1000 / 3)
    assert result.method == "linear trend over 2021-2023"


def test_forecast_silent_last_year_after_the_first_purchase_counts_as_zero():
    # first purchase 2022: 100, then nothing in 2023 -> basis (2022, 100), (2023, 0)
    # mean y 50, slope -100; 2024: 50 - 100 x 1.5 = -100 -> floored to 0
    result = forecast([(date(2022, 9, 9), 100.0)], 2024)
    assert result is not None
    assert result.basis == ((2022, 100.0), (2023, 0.0))
    assert result.amount == 0.0
    assert result.method == "linear trend over 2022-2023"


def test_forecast_ignores_purchases_older_than_the_window():
    # window 3 before 2024 is 2021-2023; the 2018 purchase of 10000 plays no part
    # 100, 200, 300 -> 400 as worked above
    purchases = [
        (date(2018, 1, 1), 10000.0),
        (date(2021, 1, 1), 100.0),
        (date(2022, 1, 1), 200.0),
        (date(2023, 1, 1), 300.0),
    ]
    result = forecast(purchases, 2024)
    assert result is not None
    assert result.basis == ((2021, 100.0), (2022, 200.0), (2023, 300.0))
    assert result.amount == pytest.approx(400.0)
    assert result.method == "linear trend over 2021-2023"


def test_forecast_custom_window():
    # window 2 before 2024: 2022: 200, 2023: 400 -> mean y 300, slope 200
    # 2024: 300 + 200 x 1.5 = 600 (2021's 100 is outside the window)
    purchases = [(date(2021, 1, 1), 100.0), (date(2022, 1, 1), 200.0), (date(2023, 1, 1), 400.0)]
    result = forecast(purchases, 2024, window=2)
    assert result is not None
    assert result.basis == ((2022, 200.0), (2023, 400.0))
    assert result.amount == pytest.approx(600.0)
    assert result.method == "linear trend over 2022-2023"


def test_forecast_only_purchases_older_than_the_window_give_a_zero_forecast():
    # 2019 bought 500; the window 2021-2023 is all zeros -> flat trend at 0
    result = forecast([(date(2019, 5, 5), 500.0)], 2024)
    assert result is not None
    assert result.basis == ((2021, 0.0), (2022, 0.0), (2023, 0.0))
    assert result.amount == 0.0


# --- agenda ----------------------------------------------------------------------------------


def item(ref, account_class, due, kind="action", title=None):
    return AgendaItem(
        kind=kind,
        account_id=f"acc-{account_class}",
        account_name=f"Account {account_class}",
        account_class=account_class,
        title=title if title is not None else ref,
        due=due,
        ref_id=ref,
    )


def test_agenda_class_first_then_overdue_then_due_date_undated_last():
    items = [
        item("c-overdue", "C", date(2024, 3, 1)),
        item("a-future", "A", date(2024, 3, 20)),
        item("b-undated", "B", None),
        item("a-overdue", "A", date(2024, 3, 10)),
        item("a-undated", "A", None),
        item("b-tomorrow", "B", date(2024, 3, 16)),
        item("a-today", "A", TODAY),
        item("a-overdue-older", "A", date(2024, 3, 5)),
    ]
    ordered = agenda_order(items, TODAY)
    assert [i.ref_id for i in ordered] == [
        "a-overdue-older",  # A, 5 Mar, overdue
        "a-overdue",  # A, 10 Mar, overdue
        "a-today",  # A, due today: not overdue
        "a-future",  # A, 20 Mar
        "a-undated",  # A, no due date: last of A
        "b-tomorrow",  # B, 16 Mar
        "b-undated",  # B, no due date
        "c-overdue",  # C comes after A and B even when overdue
    ]


def test_agenda_overdue_flag():
    assert item("x", "A", date(2024, 3, 14)).overdue(TODAY) is True
    assert item("x", "A", TODAY).overdue(TODAY) is False
    assert item("x", "A", None).overdue(TODAY) is False


def test_agenda_unknown_class_comes_after_c():
    ordered = agenda_order([item("x", "X", date(2024, 1, 1)), item("c", "C", None)], TODAY)
    assert [i.ref_id for i in ordered] == ["c", "x"]


def test_agenda_tie_break_is_kind_then_title_whatever_the_input_order():
    due = date(2024, 3, 20)
    items = [
        item("stale", "B", due, kind="stale", title="Aaa"),
        item("follow", "B", due, kind="follow-up", title="Aaa"),
        item("action-1", "B", due, kind="action", title="Call"),
        item("action-2", "B", due, kind="action", title="Brief"),
    ]
    # action < follow-up < stale; among the two actions "Brief" < "Call" (not by ref id)
    expected = ["action-2", "action-1", "follow", "stale"]
    for permutation in itertools.permutations(items):
        assert [i.ref_id for i in agenda_order(permutation, TODAY)] == expected


def test_agenda_empty():
    assert agenda_order([], TODAY) == []


# --- red flags -------------------------------------------------------------------------------

CADENCE = 30
RECENT = date(2024, 3, 1)  # 14 days before TODAY


def supporter(name="Zhang", last_met=RECENT):
    return DecisionPerson(name, "supporter", last_met)


def codes(facts, **kwargs):
    return [flag.code for flag in red_flags(facts, CADENCE, TODAY, **kwargs)]


def test_red_flags_healthy_account_has_none():
    facts = AccountFacts(
        decision_people=(supporter(),),
        last_visit=(date(2024, 3, 10), "Agreed to a pilot"),
        threats=(Threat("Acme", 5, True),),
    )
    assert red_flags(facts, CADENCE, TODAY) == []


def test_red_flags_nobody_in_the_decision_layer():
    flags = red_flags(AccountFacts(), CADENCE, TODAY)
    assert [(f.code, f.message) for f in flags] == [
        ("no-decision-supporter", "Nobody in the decision layer is known yet"),
    ]


@pytest.mark.parametrize("stance", ["neutral", "opponent", ""])
def test_red_flags_decision_people_but_no_supporter(stance):
    people = (DecisionPerson("Li", stance, RECENT), DecisionPerson("Wang", "neutral", RECENT))
    facts = AccountFacts(decision_people=people)
    flags = red_flags(facts, CADENCE, TODAY)
    assert [(f.code, f.message) for f in flags] == [
        ("no-decision-supporter", "No supporter in the decision layer"),
    ]


def test_red_flags_one_supporter_is_enough():
    facts = AccountFacts(decision_people=(DecisionPerson("Li", "opponent", RECENT), supporter()))
    assert codes(facts) == []


@pytest.mark.parametrize(
    ("last_met", "flagged"),
    [
        (None, True),  # never met
        (date(2024, 2, 13), True),  # 31 days before 15 Mar: one over the cadence
        (date(2024, 2, 14), False),  # 30 days: exactly the cadence
        (RECENT, False),  # 14 days
    ],
)
def test_red_flags_decision_person_not_met_within_the_cadence(last_met, flagged):
    facts = AccountFacts(decision_people=(supporter("Zhang", last_met),))
    flags = red_flags(facts, CADENCE, TODAY)
    if flagged:
        assert [(f.code, f.message) for f in flags] == [
            ("decision-not-met", "Decision layer not met within 30 days: Zhang"),
        ]
    else:
        assert flags == []


def test_red_flags_decision_not_met_names_everyone_unmet_in_order():
    facts = AccountFacts(
        decision_people=(
            supporter("Zhang", None),
            supporter("Li", RECENT),
            supporter("Wang", date(2023, 12, 1)),
        )
    )
    flags = red_flags(facts, 60, TODAY)
    # Wang: 1 Dec 2023 -> 15 Mar 2024 = 30 + 31 + 29 + 15 = 105 days > 60
    assert [(f.code, f.message) for f in flags] == [
        ("decision-not-met", "Decision layer not met within 60 days: Zhang, Wang"),
    ]


@pytest.mark.parametrize("commitment", ["", "   ", "\t\n "])
def test_red_flags_last_visit_without_commitment(commitment):
    facts = AccountFacts(decision_people=(supporter(),), last_visit=(date(2024, 3, 10), commitment))
    flags = red_flags(facts, CADENCE, TODAY)
    assert [(f.code, f.message) for f in flags] == [
        ("no-commitment", "The last visit (2024-03-10) ended without a commitment"),
    ]


@pytest.mark.parametrize("last_visit", [None, (date(2024, 3, 10), "Will send the tender documents")])
def test_red_flags_no_visit_or_visit_with_commitment_is_fine(last_visit):
    facts = AccountFacts(decision_people=(supporter(),), last_visit=last_visit)
    assert codes(facts) == []


@pytest.mark.parametrize(
    ("threat", "high_threat", "flagged"),
    [
        (Threat("Acme", 4, False), 4, True),  # at the high level, uncountered
        (Threat("Acme", 5, False), 4, True),  # above it, uncountered
        (Threat("Acme", 5, True), 4, False),  # countered
        (Threat("Acme", 3, False), 4, False),  # below the high level
        (Threat("Acme", 3, False), 3, True),  # the level is configurable
        (Threat("Acme", 4, False), 5, False),
    ],
)
def test_red_flags_unanswered_high_threat(threat, high_threat, flagged):
    facts = AccountFacts(decision_people=(supporter(),), threats=(threat,))
    flags = red_flags(facts, CADENCE, TODAY, high_threat=high_threat)
    if flagged:
        assert [(f.code, f.message) for f in flags] == [
            ("unanswered-threat", f"Acme is a high threat ({threat.threat}/5) with no counter-action"),
        ]
    else:
        assert flags == []


def test_red_flags_default_high_threat_is_four():
    facts = AccountFacts(decision_people=(supporter(),), threats=(Threat("Acme", 4, False), Threat("Beta", 3, False)))
    assert codes(facts) == ["unanswered-threat"]


def test_red_flags_come_in_a_fixed_order():
    facts = AccountFacts(
        decision_people=(DecisionPerson("Li", "neutral", None),),
        last_visit=(date(2024, 2, 1), " "),
        threats=(Threat("Beta", 5, False), Threat("Gamma", 2, False), Threat("Acme", 4, False)),
    )
    flags = red_flags(facts, CADENCE, TODAY)
    assert [(f.code, f.message) for f in flags] == [
        ("no-decision-supporter", "No supporter in the decision layer"),
        ("decision-not-met", "Decision layer not met within 30 days: Li"),
        ("no-commitment", "The last visit (2024-02-01) ended without a commitment"),
        ("unanswered-threat", "Beta is a high threat (5/5) with no counter-action"),
        ("unanswered-threat", "Acme is a high threat (4/5) with no counter-action"),
    ]
