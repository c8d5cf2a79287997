"""Pilot fixtures: the real app on a real demo database, with the day pinned."""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from pathlib import Path

import pytest
from shared_helpers import copy_database
from textual.widgets import OptionList
from textual.worker import WorkerCancelled

from planner.app import PlannerApp
from planner.core.config import Settings
from planner.core.models import Account, Record
from planner.store import seed
from planner.store.startup import open_store

FIXED_DAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def no_background_polling(monkeypatch):
    """Tests call `app.check_for_changes()` themselves: a timer firing mid-test would
    reload screens at random moments."""
    monkeypatch.setattr(PlannerApp, "poll_seconds", 0)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo portfolio made once per session; each `demo_store` is a copy of it."""
    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    store = open_store(str(path), settings=Settings(), user="rep-a")
    seed.demo(store, FIXED_DAY)
    store.db.close()
    return path


@pytest.fixture
def demo_store(tmp_path, demo_template):
    copy_database(demo_template, tmp_path / "demo.db")
    store = open_store(str(tmp_path / "demo.db"), user="rep-a")
    yield store
    store.db.close()


async def settle(pilot) -> None:
    """Let workers finish and their results reach the screen (a worker whose screen
    closed meanwhile is cancelled; that is not an error here)."""
    for _ in range(2):
        with suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def university(store) -> Account:
    """The demo's class-A university, the account most tests look at."""
    return next(a for a in store.list(Account) if "大学" in a.name and a.account_class == "A")


async def open_plan(pilot, account_id: str):
    """The account's battle plan, opened and loaded."""
    from planner.screens.battle_plan import BattlePlanScreen

    await settle(pilot)
    await pilot.app.push_screen(BattlePlanScreen(account_id))
    await settle(pilot)
    return pilot.app.screen


def edit_as_rep_b(store, model: type[Record], row_id: str, **changes) -> None:
    """Another rep changes the record through a store of their own on the same file."""
    other = open_store(store.db.url.removeprefix("sqlite:///"), user="rep-b")
    try:
        other.update(model, row_id, other.get(model, row_id).version, **changes)
    finally:
        other.db.close()


def history_text(screen) -> str:
    """The text of a HistoryScreen's entries."""
    return "\n".join(str(getattr(o.prompt, "plain", o.prompt)) for o in screen.query_one(OptionList).options)
