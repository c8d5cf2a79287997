"""The customer list's portfolio: column-wise figures that must equal the pure analyses.

`Portfolio` computes the 80/20 figures in one pass over revenues the database
already sorted, and assembles quadrant and cadence per account on demand; these
tests hold it to `analysis.pareto`, `analysis.quadrants` and `analysis.cadence`
over the same accounts, and its sorting to the plain sort of whole summaries.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from records import make_account

from planner.core import analysis
from planner.core import models as m
from planner.core.config import Settings
from planner.core.portfolio import SORT_KEYS, ListFilter, Portfolio, columns_needed, select_accounts

DAY = date(2026, 11, 27)

# The old, obvious way: sort whole summaries. Selections must come out identical.
REFERENCE_KEYS = {
    "name": lambda s, _f: s.row.name.casefold(),
    "industry": lambda s, _f: (s.row.industry.casefold(), s.row.name.casefold()),
    "class": lambda s, _f: (s.row.account_class, -s.row.revenue),
    "revenue": lambda s, _f: s.row.revenue,
    "share": lambda s, _f: s.pareto.share,
    "cumulative": lambda s, _f: s.pareto.cumulative,
    "key": lambda s, _f: (s.pareto.key, s.row.revenue),
    "quadrant": lambda s, _f: (s.quadrant.quadrant, -s.quadrant.output),
    "days": lambda s, _f: float("inf") if s.cadence.days_since is None else s.cadence.days_since,
    "owner": lambda s, _f: (s.row.owner.casefold(), s.row.name.casefold()),
    "flags": lambda s, flags: (flags.get(s.row.id, 0), s.row.revenue),
}


@pytest.fixture
def three(store):
    bank = make_account(store, name="Harbour Bank", revenue=800.0, account_class="A", owner="rep-a")
    school = make_account(store, name="江南大学", revenue=150.0, account_class="B", owner="li")
    shop = make_account(store, name="Corner Shop", revenue=50.0, account_class="C", owner="rep-a")
    store.create(m.Visit, account_id=bank.id, visited_on=date(2026, 11, 20), commitment="PO next week")
    return {"bank": bank, "school": school, "shop": shop}


def test_select_accounts_filters_and_sorts_in_memory(store, three):
    portfolio = store.portfolio(DAY)
    pick = lambda **kw: [s.row.name for s in select_accounts(portfolio, {}, ListFilter(**kw))]  # noqa: E731
    assert pick() == ["Harbour Bank", "江南大学", "Corner Shop"]
    assert pick(text="大学") == ["江南大学"]
    assert pick(text="HARBOUR") == ["Harbour Bank"]
    assert pick(classes=frozenset({"B", "C"})) == ["江南大学", "Corner Shop"]
    assert pick(key_only=True) == ["Harbour Bank"]
    assert pick(stale_only=True) == ["江南大学", "Corner Shop"]
    assert pick(owner="rep-a") == ["Harbour Bank", "Corner Shop"]
    assert pick(owner="rep-a", text="shop", classes=frozenset({"C"})) == ["Corner Shop"]
    by_name = select_accounts(portfolio, {}, ListFilter(), "name", descending=False)
    assert [s.row.name for s in by_name] == ["Corner Shop", "Harbour Bank", "江南大学"]
    by_flags = select_accounts(portfolio, {three["shop"].id: 3}, ListFilter(), "flags")
    assert by_flags[0].row.name == "Corner Shop"


def test_a_selection_finds_accounts_by_id_and_reads_like_a_list(store, three):
    portfolio = store.portfolio(DAY)
    chosen = select_accounts(portfolio, {}, ListFilter(classes=frozenset({"B", "C"})), "name", descending=False)
    assert [s.row.name for s in chosen[0:2]] == ["Corner Shop", "江南大学"]
    assert chosen[-1].row.name == "江南大学"
    assert chosen.position(three["school"].id) == 1
    assert chosen.position(three["bank"].id) is None  # in the portfolio, filtered out
    assert chosen.position("no-such-id") is None and chosen.position(None) is None
    with pytest.raises(IndexError):
        chosen[2]
    assert portfolio.find(three["shop"].id).row.name == "Corner Shop"
    assert portfolio.find("no-such-id") is None
    assert [s.row.name for s in portfolio[-2:]] == ["江南大学", "Corner Shop"]


@pytest.mark.parametrize("sort", sorted(SORT_KEYS))
def test_a_portfolio_warmed_for_a_view_needs_nothing_more_to_show_it(store, three, sort):
    """The customer list's worker warms what the current sort and filter read, so
    showing a fresh portfolio computes no whole-portfolio column on the event loop."""
    wanted = ListFilter(text="bank", stale_only=True)
    portfolio = store.portfolio(DAY)
    portfolio.warm(*columns_needed(sort, wanted))
    warmed = set(portfolio._memos)
    chosen = select_accounts(portfolio, {}, wanted, sort)
    chosen.position(three["bank"].id)
    assert set(portfolio._memos) == warmed


def test_an_empty_portfolio(store):
    portfolio = store.portfolio(DAY)
    assert len(portfolio) == 0 and portfolio.key_count == 0 and list(portfolio) == []
    assert list(select_accounts(portfolio, {}, ListFilter(text="x", stale_only=True), "quadrant")) == []
    portfolio.warm()
    assert portfolio.quadrants == [] and portfolio.search_index == [] and portfolio.pareto_entries == []


def test_a_summary_carries_the_row_with_its_industry_and_last_contact(store, three):
    industry = store.create(m.Industry, name_en="Education", name_zh="教育", tier="major")
    store.update(m.Account, three["school"].id, 1, industry_id=industry.id, cadence_days=7)
    portfolio = store.portfolio(DAY)
    school = portfolio.find(three["school"].id)
    assert (school.row.industry, school.row.industry_zh, school.row.tier) == ("Education", "教育", "major")
    assert school.row.version == 2 and school.cadence.cadence_days == 7
    bank = portfolio.find(three["bank"].id)
    assert bank.row.last_contact == date(2026, 11, 20) and bank.cadence == analysis.Cadence(7, 14, False)
    assert select_accounts(portfolio, {}, ListFilter(text="教育"))[0].row.name == "江南大学"


ACCOUNT = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["Acme", "acme", "Zeta", "张伟科技", "Ωmega", "Beta 🎓"]),
        "revenue": st.sampled_from([0.0, 1.0, 10.0, 10.0, 33.3, 250.0, 1e6]),
        "profit": st.sampled_from([-50.0, 0.0, 7.5, 100.0]),
        "influence": st.integers(1, 5),
        "input_people": st.sampled_from([0.0, 1.0, 3.0]),
        "input_money": st.sampled_from([0.0, 500.0, 1e5]),
        "input_material": st.sampled_from([0.0, 2.0]),
        "account_class": st.sampled_from(["A", "B", "C"]),
        "owner": st.sampled_from(["rep-a", "Li", "li", ""]),
        "cadence_days": st.none() | st.integers(1, 60),
    }
)
PORTFOLIOS = st.lists(st.tuples(ACCOUNT, st.none() | st.integers(0, 120)), max_size=14)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(accounts=PORTFOLIOS, threshold=st.sampled_from([0.5, 0.8, 0.95, 1.0]), flagged=st.sets(st.integers(0, 13)))
def test_portfolio_figures_and_sorts_equal_the_pure_analyses(store, accounts, threshold, flagged):
    with store.db.write_connection() as connection:  # a fresh portfolio per example
        for table in ("visit", "account", "changelog"):
            connection.exec_driver_sql(f"DELETE FROM {table}")
    ids = []
    for values, days_ago in accounts:
        account = store.create(m.Account, **values)
        ids.append(account.id)
        if days_ago is not None:
            store.create(m.Visit, account_id=account.id, visited_on=DAY - timedelta(days=days_ago))
    config = Settings(key_threshold=threshold)
    portfolio = Portfolio(store.account_listing(), config, DAY)
    rows = store.account_rows()  # name order: the caller's order the pure functions rank ties by
    pareto = {e.id: e for e in analysis.pareto([(r.id, r.revenue) for r in rows], threshold)}
    measures = [(r.id, r.revenue, r.profit, r.influence, r.input_people, r.input_money, r.input_material) for r in rows]
    placed = {e.id: e for e in analysis.quadrants(measures)}
    summaries = list(portfolio)
    assert sorted(s.row for s in summaries) == sorted(rows)
    assert [s.pareto for s in summaries] == sorted(pareto.values(), key=lambda e: e.rank)
    assert portfolio.key_count == sum(e.key for e in pareto.values())
    for summary in summaries:
        row = summary.row
        assert summary.pareto == pareto[row.id]
        assert summary.quadrant == placed[row.id]
        assert summary.cadence == analysis.cadence(
            row.last_contact, row.cadence_days or config.cadence[row.account_class], DAY
        )
    flags = {ids[i]: i % 3 + 1 for i in flagged if i < len(ids)}
    for sort, reference in REFERENCE_KEYS.items():
        for descending in (False, True):
            got = [s.row.id for s in select_accounts(portfolio, flags, ListFilter(), sort, descending)]
            expected = sorted(summaries, key=lambda s, ref=reference: ref(s, flags), reverse=descending)
            assert got == [s.row.id for s in expected], (sort, descending)
    assert set(REFERENCE_KEYS) == set(SORT_KEYS)
