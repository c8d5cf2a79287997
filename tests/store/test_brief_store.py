"""The brief read from a real database: the demo portfolio, then edits a rep makes."""

from __future__ import annotations

from datetime import date

import pytest

from planner.core import models as m
from planner.core.analysis import forecast_year
from planner.core.brief import brief_markdown, build_brief
from planner.core.config import Settings
from planner.core.errors import NotFound
from planner.core.formatting import money
from planner.store import seed
from planner.store.startup import open_store

DAY = date(2026, 11, 27)
PAGE = 60
"""Lines of Markdown that still print on one A4 page."""


@pytest.fixture
def demo(store):
    seed.demo(store, DAY)
    return store


def brief_text(store, account_id: str) -> str:
    return brief_markdown(build_brief(store.brief_document(account_id, DAY)))


def test_a_typical_demo_accounts_brief_fits_one_page_and_says_what_the_records_say(demo):
    bank = demo.find_account("Eastern Harbour Bank")
    text = brief_text(demo, bank.id)
    assert len(text.splitlines()) < PAGE
    for person in demo.list(m.Person, account_id=bank.id):
        assert f"| {person.name}, {person.title} |" in text
    newest = max(demo.list(m.Visit, account_id=bank.id), key=lambda v: v.visited_on)
    assert f"- Commitment: {newest.commitment}\n" in text
    flags = demo.red_flags(DAY, bank.id)[bank.id]
    assert [f"- ⚑ {flag.message}" for flag in flags] == [line for line in text.splitlines() if line.startswith("- ⚑")]
    forecast = demo.overview(bank.id, DAY).forecast
    assert forecast is not None and f"Purchases forecast {forecast_year(DAY)}: {money(forecast.amount)}" in text


def test_every_demo_account_has_a_brief_and_the_small_ones_fit_a_page_too(demo):
    lengths = {row.name: len(brief_text(demo, row.id).splitlines()) for row in demo.account_rows()}
    assert len(lengths) == len(demo.account_rows())
    # Only the university, with eighteen people on its org chart, runs past one page.
    assert [name for name, length in lengths.items() if length >= PAGE] == ["江南科技大学"]


def test_a_visit_today_moves_last_met_and_the_commitment(demo):
    bank = demo.find_account("Eastern Harbour Bank")
    richard = next(p for p in demo.list(m.Person, account_id=bank.id) if p.name == "Richard Tan")
    assert f"| {richard.name}, {richard.title} | ~ neutral | 5/5 | 2/5 ⚑ | never |" in brief_text(demo, bank.id)
    demo.save_visit(None, None, [richard.id], account_id=bank.id, visited_on=DAY, purpose="Forum invitation",
                    commitment="Richard Tan opens the forum", next_step="Send the agenda",
                    next_step_date=date(2026, 11, 30))  # fmt: skip
    text = brief_text(demo, bank.id)
    assert f"| {richard.name}, {richard.title} | ~ neutral | 5/5 | 2/5 ⚑ | {DAY.isoformat()} |" in text
    assert "- Last visit 2026-11-27: Forum invitation; met Richard Tan\n" in text
    assert "- Commitment: Richard Tan opens the forum\n" in text
    assert "| 2026-11-30 | Send the agenda | follow-up of 2026-11-27 |" in text


def test_a_deleted_counter_action_leaves_the_threat_unanswered(demo):
    bank = demo.find_account("Eastern Harbour Bank")
    (northgate,) = [p for p in demo.competitors_at(bank.id).positions if p.brand == "Northgate Systems"]
    (counter,) = [a for a in demo.list(m.Action, account_id=bank.id) if a.competitor_position_id == northgate.id]
    assert f"| Northgate Systems | 5/5 | {counter.title} (doing, " in brief_text(demo, bank.id)
    demo.delete(m.Action, counter.id, counter.version)
    text = brief_text(demo, bank.id)
    assert "| Northgate Systems | 5/5 | no counter-action ⚑ |" in text
    assert "- ⚑ Northgate Systems is a high threat (5/5) with no counter-action" in text
    assert counter.title not in text


def test_the_threat_that_needs_a_counter_comes_from_the_settings(database_url, demo):
    bank = demo.find_account("Eastern Harbour Bank")
    strict = open_store(database_url, settings=Settings(high_threat=5), user="rep-a")
    try:
        text = brief_text(strict, bank.id)
    finally:
        strict.db.close()
    assert "## Red flags, and competitors at threat 5/5 or more" in text
    assert "Northgate Systems" in text and "HuaXinDa" not in text


def test_a_deleted_account_has_no_brief(demo):
    bank = demo.find_account("Eastern Harbour Bank")
    demo.delete(m.Account, bank.id, bank.version)
    with pytest.raises(NotFound):
        demo.brief_document(bank.id, DAY)
