"""Which year the procurement forecast targets, worked by hand around 1 November."""

from __future__ import annotations

from datetime import date

import pytest

from planner.core.analysis import forecast, forecast_year

PURCHASES = [(date(2024, 4, 1), 100.0), (date(2025, 4, 1), 200.0), (date(2026, 5, 20), 50.0)]


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (date(2026, 1, 1), 2026),
        (date(2026, 6, 15), 2026),
        (date(2026, 10, 31), 2026),
        (date(2026, 11, 1), 2027),
        (date(2026, 12, 31), 2027),
    ],
)
def test_the_forecast_targets_next_year_from_the_first_of_november(today, year):
    assert forecast_year(today) == year


def test_in_june_the_forecast_is_this_years_from_the_complete_years_before_it():
    """2024: 100, 2025: 200 → the trend's next step, 300; June's 50 is not used."""
    result = forecast(PURCHASES, forecast_year(date(2026, 6, 15)))
    assert result is not None
    assert (result.year, result.basis) == (2026, ((2024, 100.0), (2025, 200.0)))
    assert result.amount == pytest.approx(300.0)


def test_in_december_the_forecast_is_next_years_with_this_year_so_far_as_its_last_year():
    """2024: 100, 2025: 200, 2026: 50. Mean year 2025, mean 350/3; the slope is
    (-1·(100-350/3) + 1·(50-350/3)) / 2 = -25, so 2027 is 350/3 - 2·25 = 66.67."""
    result = forecast(PURCHASES, forecast_year(date(2026, 12, 10)))
    assert result is not None
    assert (result.year, result.basis) == (2027, ((2024, 100.0), (2025, 200.0), (2026, 50.0)))
    assert result.amount == pytest.approx(66.667, abs=0.001)
