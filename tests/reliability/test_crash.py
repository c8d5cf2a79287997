"""`kill -9` of a writer mid-transaction, 50 times, loses no acknowledged change.

A child process writes through the store without pause (new accounts, and edits of
one counter row), and after each commit appends the acknowledged change to a side
file, flushed and fsynced. The parent SIGKILLs it at a random moment, 50 times,
restarting it each time (on PostgreSQL the server rolls back the killed client's
open transaction and frees its write lock). Afterwards the database is sound (an
SQLite file passes `integrity_check`), every acknowledged change is in it, each
transaction is whole (row and change-log entry together), and the planner starts
normally on it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

from shared_helpers import assert_sound, by_hand

from planner.core import models as m
from planner.store.startup import open_store

KILLS = 50
FIRST_ACK_TIMEOUT = 20.0  # a child that has not written within this is a failure, not a hang
ROUND_TIMEOUT = 2.0


def _writer(path: str, side: str, round_no: int, counter_id: str) -> None:
    """Write until killed; each line of `side` is a change the store acknowledged."""
    store = open_store(path, user=f"crash{round_no}")
    with open(side, "a", encoding="utf-8") as acks:
        n = 0
        while True:
            tag = f"{round_no}-{n}"
            if n % 2:
                current = store.get(m.Account, counter_id)
                saved = store.update(m.Account, counter_id, current.version, revenue=current.revenue + 1, notes=tag)
                line = {"kind": "update", "version": saved.version, "revenue": saved.revenue, "tag": tag}
            else:
                created = store.create(m.Account, name=f"Crash {tag}", notes="x" * (n % 3000), revenue=float(n))
                line = {"kind": "create", "id": created.id, "name": created.name, "n": n}
            acks.write(json.dumps(line) + "\n")
            acks.flush()
            os.fsync(acks.fileno())
            n += 1


def _lines(side: Path) -> list[dict]:
    """Complete lines only: the child may die half-way through writing one."""
    text = side.read_text(encoding="utf-8") if side.exists() else ""
    return [json.loads(line) for line in text.split("\n")[:-1]]


def _ack_count(side: Path) -> int:
    return len(_lines(side))


def test_fifty_kill_9s_of_a_writer_lose_no_acknowledged_change(database_url, tmp_path):
    """50 SIGKILLs mid-write: integrity ok, 0 acknowledged changes missing, next start works."""
    setup = open_store(database_url, user="setup")
    counter_id = setup.create(m.Account, name="Counter").id
    setup.db.close()
    side = tmp_path / "acks.jsonl"
    rng = random.Random(20240505)

    ctx = multiprocessing.get_context("forkserver")
    # Children fork from a server that already imported the planner: restarts take
    # milliseconds, so the 50 rounds spend their time writing, not importing.
    ctx.set_forkserver_preload(["planner.store.startup", __name__])
    for round_no in range(KILLS):
        before = _ack_count(side)
        child = ctx.Process(target=_writer, args=(database_url, str(side), round_no, counter_id), daemon=True)
        child.start()
        try:
            deadline = time.monotonic() + FIRST_ACK_TIMEOUT
            while _ack_count(side) == before:
                assert child.is_alive(), f"round {round_no}: the writer died on its own (exit {child.exitcode})"
                assert time.monotonic() < deadline, f"round {round_no}: no write acknowledged in time"
                time.sleep(0.005)
            time.sleep(rng.uniform(0, min(0.25, ROUND_TIMEOUT)))
            assert child.is_alive(), f"round {round_no}: the writer died on its own (exit {child.exitcode})"
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.join(timeout=ROUND_TIMEOUT)
        assert child.exitcode == -signal.SIGKILL

    acks = _lines(side)
    created = [a for a in acks if a["kind"] == "create"]
    updates = [a for a in acks if a["kind"] == "update"]
    assert len(created) > KILLS and len(updates) > KILLS  # the kills interrupted real work

    assert_sound(database_url)
    names = dict(by_hand(database_url, "SELECT id, name FROM account"))
    missing = [a for a in created if names.get(a["id"]) != a["name"]]
    assert missing == [], f"{len(missing)} acknowledged new accounts are missing"

    [(revenue, version)] = by_hand(database_url, "SELECT revenue, version FROM account WHERE id = :id", id=counter_id)
    # The counter row is whole: every committed edit bumped revenue and version together.
    assert revenue == version - 1
    # It holds every acknowledged edit, plus at most one committed-but-unacknowledged per kill.
    assert len(updates) <= revenue <= len(updates) + KILLS
    assert max(a["version"] for a in updates) <= version
    query = "SELECT changes FROM changelog WHERE row_id = :id AND action = 'update'"
    logged = {json.loads(changes)["notes"][1] for (changes,) in by_hand(database_url, query, id=counter_id)}
    assert len(logged) == revenue
    assert {a["tag"] for a in updates} <= logged

    # Every row has its change-log entry and every entry its row: no half transactions.
    query = "SELECT row_id, count(*) FROM changelog WHERE table_name = 'account' AND action = 'insert' GROUP BY row_id"
    assert dict(by_hand(database_url, query)) == dict.fromkeys(names, 1)

    print(
        f"\n{KILLS} kills: {len(created)} creates and {len(updates)} edits acknowledged, all present; "
        f"{int(revenue) - len(updates)} edits committed but killed before their acknowledgement"
    )
    reopened = open_store(database_url, user="next-start")
    try:
        counter = reopened.get(m.Account, counter_id)
        reopened.update(m.Account, counter_id, counter.version, notes="after the crashes")
        assert len(reopened.account_rows()) == len(names)
    finally:
        reopened.db.close()
