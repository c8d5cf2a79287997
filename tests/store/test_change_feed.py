"""The change feed: on PostgreSQL another rep's save is announced at once (LISTEN/NOTIFY,
the trigger migration 0009 adds), the feed survives the server dropping it, and stopping
it never keeps a closing app waiting."""

from __future__ import annotations

import itertools
import queue
import time
from collections.abc import Iterator

import pytest
from records import make_account
from sqlalchemy.engine import make_url

from planner.store.change_feed import ChangeFeed, announces_changes
from planner.store.startup import open_store
from planner.store.store import Store

PROMPT_S = 1.0
_NUMBERS = itertools.count(1)


def test_only_postgresql_announces_saves(database_url, backend):
    """The app listens on PostgreSQL and keeps its poll on SQLite."""
    assert announces_changes(database_url) is (backend == "postgresql")


@pytest.fixture
def rep_a(pg_cluster) -> Iterator[Store]:
    """A database of the test's own, migrated by the planner itself (so the trigger is
    the shipped migration's)."""
    name = f"feed_{next(_NUMBERS)}"
    pg_cluster.psql(f"CREATE DATABASE {name}")
    store = open_store(pg_cluster.url(name), user="rep-a")
    yield store
    store.db.close()


@pytest.fixture
def rep_b(rep_a) -> Iterator[Store]:
    """Another rep on the same database, with connections of their own."""
    store = open_store(rep_a.db.url, user="rep-b")
    yield store
    store.db.close()


@pytest.fixture
def heard(rep_a) -> Iterator[queue.Queue[int]]:
    """A started feed on rep A's database, and the numbers it handed over so far, its
    first (the newest number once it listens) already taken."""
    numbers: queue.Queue[int] = queue.Queue()
    feed = ChangeFeed(rep_a.db.url)
    feed.start(numbers.put)
    assert numbers.get(timeout=5) == rep_a.latest_change()
    yield numbers
    feed.stop()


def test_another_reps_saves_wake_the_feed_with_their_numbers_at_once(heard, rep_b):
    account = make_account(rep_b, name="Harbour Bank")
    created = rep_b.latest_change()
    assert heard.get(timeout=PROMPT_S) == created
    saved = time.monotonic()
    rep_b.update(type(account), account.id, account.version, name="Harbour Bank Ltd")
    assert heard.get(timeout=PROMPT_S) == rep_b.latest_change() > created
    assert time.monotonic() - saved < PROMPT_S
    assert heard.empty()


def test_the_feed_listens_again_after_the_server_drops_it(heard, rep_a, rep_b, pg_cluster):
    pg_cluster.psql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()",
        database=make_url(rep_a.db.url).database,
    )
    make_account(rep_b, name="Saved while nobody listened")
    missed = rep_b.latest_change()
    assert heard.get(timeout=5) == missed  # read on reconnecting, or heard once reconnected
    make_account(rep_b, name="Saved once listening again")
    assert heard.get(timeout=PROMPT_S) == rep_b.latest_change() > missed


def test_stop_returns_promptly_and_nothing_is_heard_after(rep_a, rep_b):
    numbers: queue.Queue[int] = queue.Queue()
    feed = ChangeFeed(rep_a.db.url)
    feed.start(numbers.put)
    numbers.get(timeout=5)
    asked = time.monotonic()
    feed.stop()
    assert time.monotonic() - asked < PROMPT_S
    make_account(rep_b, name="After the app closed")
    time.sleep(0.5)
    assert numbers.empty()


def test_a_feed_waiting_for_an_unreachable_server_stops_promptly(tmp_path):
    numbers: queue.Queue[int] = queue.Queue()
    feed = ChangeFeed(f"postgresql+psycopg://postgres@/planner?host={tmp_path}")
    feed.start(numbers.put)
    time.sleep(0.3)  # its first attempt has failed; it waits to try again
    asked = time.monotonic()
    feed.stop()
    assert time.monotonic() - asked < PROMPT_S
    assert numbers.empty()
