"""A sales team saving at once: 50 reps, each its own process, on SQLite and PostgreSQL.

    python bench/bench_team.py [--reps 50] [--saves 200] [--backends sqlite postgresql] [--json]

For each backend a 10k-account portfolio is generated (`generate.py`): an SQLite file
in a folder on local disk, as the planner makes it (WAL), and a database in a
throwaway PostgreSQL cluster (`tests/pgcluster.py`). Then every rep process opens its
own store (`open_store(url, user="repN")`), waits until all have, and makes `--saves`
read-modify-write saves, a think time apart: read the account (`store.get`), add 1
to its profit (`store.update` at the version read), and on `Conflict` read again and
retry. Half the saves go to the 20 key accounts every rep shares, half to ten
accounts of the rep's own. At the end each account's profit must have grown by the
saves that succeeded on it (else an update was lost), and nothing but conflicts may
have been raised. Exits 1 on any lost update or error, or when a backend's save p99
misses its target.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from report import grid

HERE = Path(__file__).resolve().parent
KEY_ACCOUNTS = 20
OWN_ACCOUNTS = 10
THINK_MS = (1000, 3000)
"""A rep reads, types and saves again within one to three seconds at the briskest; 50 such
reps ask for about 25 saves a second, the most one team database has to serve."""
TARGET_P99_MS = 50.0
REP_TIMEOUT_S = 1200.0


@dataclass
class RepReport:
    rep: int
    saves: int = 0
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)
    save_ms: list[float] = field(default_factory=list)  # every store.update call, conflicted ones too
    done: Counter = field(default_factory=Counter)  # account id -> saves that succeeded on it
    lock_ms: list[float] = field(default_factory=list)  # waits for the write lock, inside those calls


WRITE_LOCKS = ("BEGIN IMMEDIATE", "SELECT pg_advisory_xact_lock")


def time_write_lock(engine, waits: list[float]) -> None:
    """Record how long each wait for the write lock (SQLite's BEGIN IMMEDIATE, the
    advisory lock on PostgreSQL) takes: the part of a save spent taking turns."""
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _before(connection, cursor, statement, *_args) -> None:
        if statement.startswith(WRITE_LOCKS):
            connection.info["lock_began"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(connection, cursor, statement, *_args) -> None:
        if (began := connection.info.pop("lock_began", None)) is not None:
            waits.append((time.perf_counter() - began) * 1000)


def rep(
    number: int, url: str, key: list[str], own: list[str], saves: int, think_ms: tuple[int, int], start, results
) -> None:
    """One rep's session (run in its own process)."""
    from planner.core import models as m
    from planner.core.errors import Conflict
    from planner.store.startup import open_store

    report = RepReport(number)
    store = None
    try:
        store = open_store(url, user=f"rep{number}")
        rng = random.Random(number)
        time_write_lock(store.db.engine, report.lock_ms)
        row = store.get(m.Account, own[0])  # as in an app open a while: the first save's statements
        store.update(m.Account, own[0], row.version, profit=row.profit + 1)  # are compiled before the clock runs
        report.done[own[0]] += 1
        start.wait()
        report.lock_ms.clear()
        for n in range(saves):
            time.sleep(rng.uniform(*think_ms) / 1000)
            account_id = rng.choice(key if n % 2 == 0 else own)
            row = store.get(m.Account, account_id)
            while True:
                began = time.perf_counter()
                try:
                    store.update(m.Account, account_id, row.version, profit=row.profit + 1)
                except Conflict:
                    report.save_ms.append((time.perf_counter() - began) * 1000)
                    report.conflicts += 1
                    row = store.get(m.Account, account_id)
                    continue
                report.save_ms.append((time.perf_counter() - began) * 1000)
                report.saves += 1
                report.done[account_id] += 1
                break
    except Exception:
        report.errors.append(traceback.format_exc(limit=3))
        start.abort()  # a rep that could not start: the others do not wait for it
    finally:
        if store is not None:
            store.db.close()
        results.put(report)


def _percentile(values: list[float], share: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def _profits(url: str, ids: list[str]) -> dict[str, float]:
    from planner.core import models as m
    from planner.core.config import Settings
    from planner.store.startup import open_store

    store = open_store(url, settings=Settings(), user="bench")
    try:
        return {account_id: store.get(m.Account, account_id).profit for account_id in ids}
    finally:
        store.db.close()


def _generate(url: str, accounts: int, people: int) -> list[str]:
    """Fill the database; the account ids, biggest revenue first."""
    from generate import generate

    from planner.core.config import Settings
    from planner.store.startup import open_store

    store = open_store(url, settings=Settings(), user="bench")
    try:
        generate(store, accounts, people)
        return list(store.account_listing().columns.id)
    finally:
        store.db.close()


def run_team(url: str, reps: int, saves: int, think_ms: tuple[int, int], accounts: int, people: int) -> dict:
    """Generate, run the reps, check every account; the backend's figures."""
    started = time.perf_counter()
    ids = _generate(url, accounts, people)
    generated_s = time.perf_counter() - started
    key = ids[:KEY_ACCOUNTS]  # the biggest accounts are everyone's key accounts
    mine = {n: ids[KEY_ACCOUNTS + n * OWN_ACCOUNTS : KEY_ACCOUNTS + (n + 1) * OWN_ACCOUNTS] for n in range(reps)}
    watched = key + [account_id for own in mine.values() for account_id in own]
    before = _profits(url, watched)
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(reps + 1)
    results = context.Queue()
    processes = [
        context.Process(target=rep, args=(n, url, key, mine[n], saves, think_ms, start, results), daemon=True)
        for n in range(reps)
    ]
    for process in processes:
        process.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a rep failed to start: its report says why
        start.wait(timeout=REP_TIMEOUT_S)  # every rep has opened its store
    load = os.getloadavg()[0]
    began = time.perf_counter()
    reports: list[RepReport] = [results.get(timeout=REP_TIMEOUT_S) for _ in processes]
    wall_s = time.perf_counter() - began
    for process in processes:
        process.join(timeout=10)
    after = _profits(url, watched)
    done: Counter = sum((report.done for report in reports), Counter())
    lost = sum(round(before[i] + done[i] - after[i]) for i in watched)
    samples = [ms for report in reports for ms in report.save_ms]
    errors = [error for report in reports for error in report.errors]
    waits = [ms for report in reports for ms in report.lock_ms]
    return {
        "reps": reps,
        "saves": sum(report.saves for report in reports),
        "conflicts": sum(report.conflicts for report in reports),
        "errors": len(errors),
        "error_samples": errors[:3],
        "lost_updates": lost,
        "wrong_accounts": sum(1 for i in watched if round(before[i] + done[i] - after[i]) != 0),
        "p50_ms": statistics.median(samples) if samples else 0.0,
        "p95_ms": _percentile(samples, 0.95) if samples else 0.0,
        "p99_ms": _percentile(samples, 0.99) if samples else 0.0,
        "max_ms": max(samples, default=0.0),
        "lock_wait_p50_ms": statistics.median(waits) if waits else 0.0,
        "lock_wait_p99_ms": _percentile(waits, 0.99) if waits else 0.0,
        "lock_wait_share": sum(waits) / sum(samples) if samples else 0.0,
        "wall_s": wall_s,
        "generate_s": generated_s,
        "load_at_start": load,
        "load_at_end": os.getloadavg()[0],
    }


def _journal_mode(path: str) -> str:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("PRAGMA journal_mode").fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=50, help="rep processes (default 50)")
    parser.add_argument("--saves", type=int, default=200, help="saves per rep (default 200)")
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--postgresql",
        metavar="URL",
        help="a server database to use (generated into if empty) instead of a throwaway cluster",
    )
    parser.add_argument(
        "--think-ms",
        nargs=2,
        type=int,
        default=THINK_MS,
        metavar=("MIN", "MAX"),
        help="think time between a rep's saves (default 1000 3000)",
    )
    parser.add_argument("--folder", help="where the SQLite file goes (default: a temporary folder under /var/tmp)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.reps * OWN_ACCOUNTS + KEY_ACCOUNTS > args.accounts:
        parser.error("too few accounts for that many reps")
    print(
        f"{args.reps} reps x {args.saves} saves, "
        f"think time uniform {args.think_ms[0]}-{args.think_ms[1]} ms between saves; "
        f"half on {KEY_ACCOUNTS} shared key accounts, half on {OWN_ACCOUNTS} of each rep's own; "
        f"load before: {' '.join(f'{value:.2f}' for value in os.getloadavg())}",
        file=sys.stderr,
    )
    figures: dict[str, dict] = {}
    for backend in args.backends:
        folder = Path(tempfile.mkdtemp(prefix="planner-bench-team-", dir=args.folder or "/var/tmp"))
        cluster = None
        try:
            if backend == "sqlite":
                url = str(folder / "team.db")  # local disk; its journal mode is checked after the run
            elif args.postgresql:
                url = args.postgresql
            else:
                sys.path.insert(0, str(HERE.parent / "tests"))
                from pgcluster import Cluster

                cluster = Cluster.start(durable=True)
                cluster.psql("CREATE DATABASE team")
                url = cluster.url("team")
            figures[backend] = run_team(url, args.reps, args.saves, tuple(args.think_ms), args.accounts, args.people)
            if backend == "sqlite":
                figures[backend]["journal_mode"] = _journal_mode(url)
        finally:
            if cluster is not None:
                cluster.stop()
            shutil.rmtree(folder, ignore_errors=True)
    failed = [
        backend
        for backend, found in figures.items()
        if found["lost_updates"] or found["wrong_accounts"] or found["errors"] or found["p99_ms"] > TARGET_P99_MS
    ]
    if args.json:
        print(json.dumps({"think_ms": args.think_ms, "target_p99_ms": TARGET_P99_MS, "figures": figures}))
    else:
        rows = [
            ("saves", "{saves}"),
            ("conflicts (read again, retried)", "{conflicts}"),
            ("errors (anything else)", "{errors}"),
            ("lost updates", "{lost_updates}"),
            ("save p50", "{p50_ms:.1f} ms"),
            ("save p95", "{p95_ms:.1f} ms"),
            ("save p99", "{p99_ms:.1f} ms"),
            ("save max", "{max_ms:.1f} ms"),
            ("write-lock wait p50 / p99", "{lock_wait_p50_ms:.1f} / {lock_wait_p99_ms:.1f} ms"),
            ("share of save time waiting for the lock", "{lock_wait_share:.0%}"),
            ("wall time", "{wall_s:.1f} s"),
            ("load average (1 min) at start / end", "{load_at_start:.1f} / {load_at_end:.1f}"),
        ]
        names = list(figures)
        print(grid(("", *names), [(label, *(text.format(**figures[n]) for n in names)) for label, text in rows]))
        if "sqlite" in figures:
            print(f"\nSQLite journal mode: {figures['sqlite']['journal_mode']}")
        print(
            "save = one store.update call (a conflicted attempt is a sample of its own); "
            f"p99 target ≤ {TARGET_P99_MS:.0f} ms"
        )
        for backend, found in figures.items():
            for sample in found["error_samples"]:
                print(f"\n{backend} error:\n{sample}", file=sys.stderr)
        print("FAIL: " + ", ".join(failed) if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
