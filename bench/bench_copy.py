"""Time `planner copy` on a bench portfolio: SQLite → PostgreSQL → SQLite, checked.

    python bench/bench_copy.py [--accounts 10000] [--people 100000]

Generates the portfolio (bench/generate.py) into a temporary SQLite file, starts a
throwaway PostgreSQL cluster (tests/pgcluster.py), copies the file into a new
PostgreSQL database and that back into a new file, and prints each copy's rows and
times: the copy itself (migrating the destination, one transaction of inserts) and
the check that reads both sides afresh, and the CPU time this process spent (the
server's is not in it: on a busy machine the wall times grow, the CPU time less).
The round trip must come back with every table's rows and content hash equal to the
original's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from generate import generate, size_error
from report import grid

from planner.store.copying import copy_database, digests
from planner.store.startup import open_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pgcluster import Cluster


def _timed_copy(source: str, destination: str) -> tuple[str, ...]:
    started, cpu = time.perf_counter(), time.process_time()
    copied = copy_database(source, destination)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    times = (copied.seconds, total - copied.seconds, total, cpu)
    return f"{copied.rows:,}", *(f"{seconds:.2f}" for seconds in times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args(argv)
    if error := size_error(args.accounts, args.people):
        parser.error(error)
    with tempfile.TemporaryDirectory(prefix="planner-bench-copy-") as folder:
        original, back = Path(folder) / "team.db", Path(folder) / "back.db"
        store = open_store(str(original), user="bench")
        try:
            generate(store, args.accounts, args.people)
        finally:
            store.db.close()
        cluster = Cluster.start(durable=True)
        try:
            cluster.psql("CREATE DATABASE team")
            lines = [
                ("SQLite → PostgreSQL", *_timed_copy(str(original), cluster.url("team"))),
                ("PostgreSQL → SQLite", *_timed_copy(cluster.url("team"), str(back))),
            ]
        finally:
            cluster.stop()
        same = digests(str(original)) == digests(str(back))
    print(f"{args.accounts:,} accounts, {args.people:,} people; load average {os.getloadavg()[0]:.1f}")
    print(grid(("copy", "rows", "copy s", "check s", "total s", "our CPU s"), lines))
    print("round trip: every table's rows and content match" if same else "round trip: MISMATCH")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
