"""Time the store's hot paths on a large synthetic portfolio against their targets.

    python bench/bench_store.py [PATH] [--runs 20] [--warmup 2] [--json]

Without PATH (or with a file that has no accounts yet) the portfolio is generated
first, into a temporary folder, and the generation is timed too. Exits 1 when any
figure misses its target.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from generate import BIG_ACCOUNT, BIG_PEOPLE, generate, size_error
from report import grid

from planner.core import models as m
from planner.core.config import Settings
from planner.core.portfolio import AccountSummary, Portfolio
from planner.store.startup import open_store
from planner.store.store import Store

TARGET_MS = {"generate": 5000.0, "accounts": 40.0, "search": 20.0, "org_tree": 10.0, "edit": 2.0}
SEARCHES = ("Chen", "张伟", "主任", "zw", "zhangwei", "zz-no-such-person", "zznosuchperson")
"""The last two match nothing: every row is scanned; letters alone are compared with the
pinyin keys too, so the second is the worst case."""


@dataclass(frozen=True)
class Result:
    operation: str
    median_ms: float
    p95_ms: float
    target_ms: float | None  # None: reported, not judged
    runs: int

    @property
    def passed(self) -> bool:
        return self.target_ms is None or self.p95_ms <= self.target_ms


def _samples(
    runs: int, warmup: int, call: Callable[..., object], prepare: Callable[[int], tuple] | None = None
) -> list[float]:
    """Milliseconds per call for `runs` calls after `warmup` untimed ones; `prepare(n)`
    makes the n-th call's arguments outside the timing."""
    times = []
    for n in range(warmup + runs):
        args = prepare(n) if prepare else ()
        started = time.perf_counter()
        call(*args)
        times.append((time.perf_counter() - started) * 1000)
    return times[warmup:]


def _result(operation: str, samples: list[float], target: float) -> Result:
    ordered = sorted(samples)
    p95 = ordered[math.ceil(0.95 * len(ordered)) - 1]
    return Result(operation, round(statistics.median(ordered), 3), round(p95, 3), target, len(ordered))


def _first_screen(portfolio: Portfolio, rows: int = 30) -> list[AccountSummary]:
    """What the customer list reads of a fresh portfolio before it can paint: the
    summaries of a screenful of rows, in the default order."""
    return [portfolio[index] for index in range(min(rows, len(portfolio)))]


def run(store: Store, runs: int, warmup: int, today: date) -> list[Result]:
    """Time the account list, people searches, the big org tree and one edit."""
    big = store.list(m.Account, name=BIG_ACCOUNT)[0].id
    tree = store.org_tree(big)
    if len(tree.people) != BIG_PEOPLE:
        raise SystemExit(f"{BIG_ACCOUNT} has {len(tree.people)} people, expected {BIG_PEOPLE}.")
    accounts = len(store.portfolio(today))
    results = [
        _result(
            f"account list + Pareto ({accounts:,})",
            _samples(runs, warmup, lambda: _first_screen(store.portfolio(today))),
            TARGET_MS["accounts"],
        )
    ]
    started = time.perf_counter()
    store.search_people(SEARCHES[0])  # the first search builds the store's index of people
    built = round((time.perf_counter() - started) * 1000, 3)
    results.append(Result("search people: the first, building the index", built, built, None, 1))
    for text in SEARCHES:
        found = len(store.search_people(text))
        results.append(
            _result(
                f"search people {text!r} ({found} hits)",
                _samples(runs, warmup, store.search_people, lambda _n, text=text: (text,)),
                TARGET_MS["search"],
            )
        )
    results.append(
        _result(
            f"org tree ({len(tree.units)} units, {len(tree.people)} people)",
            _samples(runs, warmup, store.org_tree, lambda _n: (big,)),
            TARGET_MS["org_tree"],
        )
    )
    person = tree.people[0].id
    results.append(
        _result(
            "edit one person",
            _samples(
                runs,
                warmup,
                lambda version, title: store.update(m.Person, person, version, title=title),
                lambda n: (store.get(m.Person, person).version, f"Benchmark title {n}"),
            ),
            TARGET_MS["edit"],
        )
    )

    def edit_first(n: int) -> tuple[str]:
        """One edit, so the timed search brings the index up to date first."""
        store.update(m.Person, person, store.get(m.Person, person).version, title=f"Benchmark title {n}")
        return (SEARCHES[-1],)

    results.append(
        _result(
            f"search people {SEARCHES[-1]!r} after an edit",
            _samples(runs, warmup, store.search_people, edit_first),
            TARGET_MS["search"],
        )
    )
    return results


def _format_ms(value: float) -> str:
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.2f} ms"


def table(results: list[Result]) -> str:
    header = ("operation", "median", "p95", "target", "result")
    lines = [
        (
            r.operation,
            _format_ms(r.median_ms),
            _format_ms(r.p95_ms),
            "—" if r.target_ms is None else _format_ms(r.target_ms),
            "—" if r.target_ms is None else "PASS" if r.passed else "FAIL",
        )
        for r in results
    ]
    return grid(header, lines)


def _time_bare_generation(args: argparse.Namespace) -> Result:
    """The target's own rows, accounts and people only, into a scratch database."""
    with tempfile.TemporaryDirectory(prefix="planner-bench-bare-") as folder:
        store = open_store(str(Path(folder) / "bare.db"), settings=Settings())
        try:
            started = time.perf_counter()
            rows = generate(store, args.accounts, args.people, bare=True)
            elapsed = round((time.perf_counter() - started) * 1000, 3)
        finally:
            store.db.close()
    label = f"generate {sum(rows.values()):,} rows ({args.accounts:,} accounts + {args.people:,} people)"
    return Result(label, elapsed, elapsed, TARGET_MS["generate"], 1)


def _bench(path: str, args: argparse.Namespace) -> tuple[list[Result], dict[str, int] | None]:
    """Open `path`, generate the portfolio if it has none (timed), run the benchmarks."""
    store = open_store(path, settings=Settings())
    try:
        results, rows = [], None
        if not store.list(m.Account, name=BIG_ACCOUNT):
            print(f"Generating {args.accounts:,} accounts and {args.people:,} people…", file=sys.stderr)
            results.append(_time_bare_generation(args))
            started = time.perf_counter()
            rows = generate(store, args.accounts, args.people)
            elapsed = round((time.perf_counter() - started) * 1000, 3)
            if not rows:
                raise SystemExit(f"{path} has accounts but no {BIG_ACCOUNT!r}: give an empty or generated file.")
            label = f"generate the bench portfolio ({sum(rows.values()):,} rows)"
            results.append(Result(label, elapsed, elapsed, None, 1))
        gc.freeze()  # as `planner` does once the app is loaded (see planner/cli.py)
        return results + run(store, args.runs, args.warmup, date.today()), rows
    finally:
        store.db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", help="a database made by bench/generate.py (default: generate one)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per operation (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (default 2)")
    parser.add_argument("--accounts", type=int, default=10_000, help="accounts to generate (default 10,000)")
    parser.add_argument("--people", type=int, default=100_000, help="people to generate (default 100,000)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if error := size_error(args.accounts, args.people):
        parser.error(error)
    if args.path:
        results, rows = _bench(args.path, args)
    else:
        with tempfile.TemporaryDirectory(prefix="planner-bench-") as folder:
            results, rows = _bench(str(Path(folder) / "planner.db"), args)
    if args.json:
        report = {
            "database": args.path,
            "generated_rows": rows,
            "runs": args.runs,
            "warmup": args.warmup,
            "sqlite": sqlite3.sqlite_version,
            "python": sys.version.split()[0],
            "results": [asdict(r) | {"passed": r.passed} for r in results],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(table(results))
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
