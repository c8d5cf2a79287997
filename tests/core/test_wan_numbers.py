"""In Chinese, sums read and are typed in 万 (1,200,000 ↔ 120万); English is unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core import fields
from planner.core import models as m
from planner.core.formatting import money, number_input

REVENUE = fields.spec(m.Account, "revenue")


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1_200_000, "120万"), (12_345, "1.2万"), (9_999, "9,999"), (123_456_789, "1.23亿"), (-50_000, "-5万")],
)
def test_chinese_shows_sums_in_wan_and_yi(chinese, value, shown):
    assert money(value) == shown


def test_english_keeps_separators_and_millions():
    assert money(1_200_000) == "1,200,000"
    assert money(12_000_000) == "12.0M"
    assert number_input(1_200_000) == "1200000"


@pytest.mark.parametrize(("value", "typed"), [(1_200_000, "120万"), (1_234_500, "123.45万"), (12_345, "12345")])
def test_a_form_shows_what_a_chinese_rep_would_type(chinese, value, typed):
    assert number_input(value) == typed


@pytest.mark.parametrize("typed", ["120万", "120 万", "1,200,000", "1.2m", "1200k", "0.012亿"])
def test_every_way_of_typing_the_sum_means_the_same(typed):
    assert fields.parse(REVENUE, typed) == 1_200_000


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_what_a_form_shows_reads_back_exactly_in_both_languages(value):
    from planner.core import i18n

    for language in ("en", "zh"):
        i18n.set_language(language)
        assert fields.parse(REVENUE, number_input(value)) == value
    i18n.set_language("en")


@pytest.mark.parametrize("width", [76, 96])
def test_the_funnel_keeps_the_unit_of_every_sum_in_chinese(chinese, width):
    from rich.cells import cell_len

    from planner.core.analysis import Funnel, FunnelStage
    from planner.widgets.funnel_chart import chart_lines

    stages = (FunnelStage("producing", 12, 21_990_000), FunnelStage("incubating", 22, 29_450_000, 13_830_000))
    funnel = Funnel(accounts=(*stages, FunnelStage("potential", 3, 150_000)), projects=stages)
    lines = ["".join(text for text, _style in line) for line in chart_lines(funnel, width, 20)]
    assert all(cell_len(line) <= width for line in lines)
    assert sum("万" in line for line in lines) >= 4
    assert any(line.rstrip().endswith("2,199万") for line in lines)
