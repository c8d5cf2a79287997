"""Time the real app, headless, on a large synthetic portfolio against its targets.

    python bench/bench_app.py [PATH] [--runs 5] [--warmup 1] [--json]

Every figure comes from a fresh Python process that starts the planner the way the
`planner` command does (open_store, make_app, gc.freeze, run) under Textual's
headless driver at 100×30. Without PATH (or with a file that has no accounts yet)
the portfolio is generated first, into a temporary folder. Exits 1 when any figure
misses its target.
"""

# ruff: noqa: E402 - the clock starts before anything else is imported

from __future__ import annotations

import time

STARTED = time.perf_counter()  # a child's phases count from here

import argparse
import asyncio
import gc
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench_startup import compile_planner
from report import grid

IMPORTED = time.perf_counter()  # this script's own imports are a phase of their own
SIZE = (100, 30)
TARGETS = {"startup": 800.0, "key": 16.0, "filter": 50.0, "memory": 120.0}
DOWNS, PAGES = 200, 50
FILTER_TEXTS = ("chen", "银行", "bank", "jiangsu")  # the last by pinyin: 江苏…
FILTER_ROUNDS = 3
TIMEOUT_S = 120
# Where a child's start-up time goes: (label, stamp the phase ends at).
PHASES = (
    ("import planner.store.opening (the driver only)", "import store"),
    ("open_for_screen (file, schema and seed checks)", "open store"),
    ("import planner.app (textual)", "import app"),
    ("make_app, gc.freeze, run to first frame", "first frame"),
    ("first frame to the filled list (load worker)", "list filled"),
)


@dataclass(frozen=True)
class Result:
    operation: str
    median: float
    p95: float
    target: float
    unit: str  # "ms" or "MiB"
    runs: int
    judged_on: str = "median"

    @property
    def passed(self) -> bool:
        return (self.median if self.judged_on == "median" else self.p95) <= self.target


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _peak_rss_mib() -> float:
    """This process's peak resident memory. On Linux `ru_maxrss` keeps the parent's peak
    across fork and exec (a parent that generated the data makes it ~400 MiB), so
    /proc's VmHWM, which counts only this program, comes first."""
    try:
        status = Path("/proc/self/status").read_text()
        return round(int(status.split("VmHWM:")[1].split()[0]) / 1024, 1)
    except (OSError, IndexError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
        return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _emit(tag: str, payload: dict[str, Any]) -> None:
    """A line for the parent, on the real stdout whatever Textual does with sys.stdout."""
    sys.__stdout__.write(f"{tag} {json.dumps(payload, ensure_ascii=False)}\n")
    sys.__stdout__.flush()


# --- the child: one app instance ------------------------------------------------------


class _Frames:
    """The app's `post_display_hook`: notes when each frame was painted and what the
    customer list showed in it, and prints READY on the first frame with every row."""

    def __init__(self, app: Any, stamps: dict[str, float]):
        self.app = app
        self.stamps = stamps
        self.log: list[tuple[float, tuple]] = []
        self.filled = asyncio.Event()
        self.screen: Any = None  # the customer list, its table and its filter, once painted
        self.table: Any = None
        self.filter: Any = None

    def state(self) -> tuple:
        return (self.table.rows, self.table.cursor, self.filter.value)

    @staticmethod
    def same(a: tuple, b: tuple) -> bool:
        return a[0] is b[0] and a[1:] == b[1:]

    def hook(self) -> None:
        now = time.perf_counter()
        if self.screen is None:
            from textual.widgets import Input

            from planner.screens.customer_list import CustomerListScreen
            from planner.widgets.account_table import AccountTable

            if not isinstance(self.app.screen, CustomerListScreen):
                return
            self.screen = self.app.screen
            self.table = self.screen.query_one(AccountTable)
            self.filter = self.screen.query_one("#filter", Input)
            self.stamps["first frame"] = _ms(now - STARTED)
        self.log.append((now, self.state()))
        portfolio = self.screen.portfolio
        if not self.filled.is_set() and portfolio and len(self.table.rows) == len(portfolio):
            self.stamps["list filled"] = _ms(now - STARTED)
            _emit("READY", {"stamps": self.stamps, "accounts": len(self.table.rows)})
            self.filled.set()


async def _time_key(pilot: Any, frames: _Frames, key: str) -> float:
    """Milliseconds from pressing `key` to the first frame that shows the settled result.

    `pilot.press` and `pilot.pause` each idle for at least 20 ms, so their return is
    no measure; the frame log says when the result was actually painted."""
    frames.log.clear()
    started = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    final = frames.state()
    painted = next((when for when, state in frames.log if frames.same(state, final)), None)
    if painted is None:
        raise RuntimeError(f"no frame showed the result of pressing {key!r}")
    return _ms(painted - started)


async def _interact(pilot: Any, frames: _Frames) -> dict[str, Any]:
    """Cursor moves and filter keystrokes, each timed key to frame."""
    total = len(frames.table.rows)
    samples: dict[str, Any] = {
        "down": [await _time_key(pilot, frames, "down") for _ in range(DOWNS)],
        "pagedown": [await _time_key(pilot, frames, "pagedown") for _ in range(PAGES)],
        "type": [],
        "delete": [],
        "hits": {},
    }
    await pilot.press("slash")
    await pilot.pause()
    for _ in range(FILTER_ROUNDS):
        for text in FILTER_TEXTS:
            for char in text:
                samples["type"].append(await _time_key(pilot, frames, char))
            if frames.filter.value != text:
                raise RuntimeError(f"the filter shows {frames.filter.value!r}, expected {text!r}")
            samples["hits"][text] = len(frames.table.rows)
            for _ in text:
                samples["delete"].append(await _time_key(pilot, frames, "backspace"))
            if frames.filter.value or len(frames.table.rows) != total:
                raise RuntimeError("deleting the filter text did not bring every account back")
    samples["rss_mib"] = _peak_rss_mib()
    return samples


async def _drive(path: str, interact: bool) -> None:
    """What `planner run` does, with the phases stamped and a frame hook installed."""
    stamps = {"bench imports": _ms(IMPORTED - STARTED)}
    from planner.core.config import Settings
    from planner.store.opening import open_for_screen

    stamps["import store"] = _ms(time.perf_counter() - STARTED)
    opening = open_for_screen(path, settings=Settings())
    stamps["open store"] = _ms(time.perf_counter() - STARTED)
    from planner.app import make_app

    stamps["import app"] = _ms(time.perf_counter() - STARTED)
    app = make_app(opening)
    gc.freeze()  # as planner/cli.py does before app.run()
    frames = _Frames(app, stamps)
    app.post_display_hook = frames.hook
    try:
        async with app.run_test(headless=True, size=SIZE) as pilot:
            await asyncio.wait_for(frames.filled.wait(), TIMEOUT_S)
            if interact:
                _emit("RESULT", await _interact(pilot, frames))
    finally:
        opening.close()


def child(path: str, interact: bool) -> int:
    """Start the planner on `path`, print READY on the first full-list frame and, with
    `interact`, RESULT with the key timings and the peak RSS."""
    asyncio.run(_drive(path, interact))
    return 0


# --- the parent: spawn children, judge the figures -----------------------------------


def _spawn(path: str, interact: bool = False) -> tuple[float, dict[str, Any], dict[str, Any] | None]:
    """Milliseconds from just before Popen to the child's READY line, the READY payload
    and the RESULT payload (with `interact`)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", path, *(["--interact"] if interact else [])]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    elapsed, ready, result = 0.0, None, None
    assert process.stdout is not None
    for line in process.stdout:
        tag, _, payload = line.partition(" ")
        if tag == "READY" and ready is None:
            elapsed = _ms(time.perf_counter() - started)
            ready = json.loads(payload)
        elif tag == "RESULT":
            result = json.loads(payload)
    if process.wait() != 0 or ready is None or (interact and result is None):
        raise SystemExit(f"the app process failed (exit {process.returncode}); see its errors above")
    return elapsed, ready, result


def _result(operation: str, samples: list[float], target: float, unit: str = "ms", on: str = "median") -> Result:
    ordered = sorted(samples)
    p95 = ordered[math.ceil(0.95 * len(ordered)) - 1]
    return Result(operation, round(statistics.median(ordered), 3), round(p95, 3), target, unit, len(ordered), on)


def _phases(total_ms: float, stamps: dict[str, float]) -> dict[str, float]:
    """One start-up's time per phase; "interpreter start-up" is what the child's stamps do
    not cover: from Popen to the child's first line, plus the READY line's trip back."""
    phases = {
        "interpreter start-up": total_ms - stamps["list filled"],
        "bench_app.py's imports (stdlib, asyncio)": stamps["bench imports"],
    }
    previous = stamps["bench imports"]
    for label, stamp in PHASES:
        phases[label] = stamps[stamp] - previous
        previous = stamps[stamp]
    return phases


def run(path: str, runs: int, warmup: int) -> tuple[list[Result], dict[str, float]]:
    """Start the app `warmup + runs` times, then once more for the key timings."""
    compile_planner()
    totals, phases = [], []
    for n in range(warmup + runs):
        elapsed, ready, _ = _spawn(path)
        if n >= warmup:
            totals.append(elapsed)
            phases.append(_phases(elapsed, ready["stamps"]))
    accounts = ready["accounts"]
    _, _, keys = _spawn(path, interact=True)
    assert keys is not None
    hits = ", ".join(f"{text!r} {count}" for text, count in keys["hits"].items())
    results = [
        _result(f"start to full list ({accounts:,} accounts)", totals, TARGETS["startup"]),
        _result("key to frame: down", keys["down"], TARGETS["key"]),
        _result("key to frame: pagedown", keys["pagedown"], TARGETS["key"]),
        _result(f"filter: type a character ({hits} rows)", keys["type"], TARGETS["filter"]),
        _result("filter: delete a character", keys["delete"], TARGETS["filter"]),
        Result("peak RSS after list and keys", keys["rss_mib"], keys["rss_mib"], TARGETS["memory"], "MiB", 1, "peak"),
    ]
    breakdown = {label: round(statistics.median(p[label] for p in phases), 1) for label in phases[0]}
    return results, breakdown


def _prepare(path: str, accounts: int, people: int) -> None:
    """Generate the portfolio into `path` unless it already has accounts."""
    from generate import generate

    from planner.core.config import Settings
    from planner.store.startup import open_store

    store = open_store(path, settings=Settings())
    try:
        started = time.perf_counter()
        if rows := generate(store, accounts, people):
            print(f"Generated {sum(rows.values()):,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    finally:
        store.db.close()


def _format(value: float, unit: str) -> str:
    if unit == "MiB":
        return f"{value:.1f} MiB"
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.2f} ms"


def table(results: list[Result], breakdown: dict[str, float]) -> str:
    lines = [
        (
            r.operation,
            _format(r.median, r.unit),
            _format(r.p95, r.unit),
            _format(r.target, r.unit),
            r.judged_on,
            "PASS" if r.passed else "FAIL",
        )
        for r in results
    ]
    figures = grid(("operation", "median", "p95", "target", "judged on", "result"), lines)
    steps = [(label, _format(ms, "ms")) for label, ms in breakdown.items()]
    phases = grid(("where start-up time goes (medians)", "time"), steps)
    return f"{figures}\n\n{phases}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", help="a database made by bench/generate.py (default: generate one)")
    parser.add_argument("--runs", type=int, default=5, help="timed start-ups (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed start-ups first (default 1)")
    parser.add_argument("--accounts", type=int, default=10_000, help="accounts to generate (default 10,000)")
    parser.add_argument("--people", type=int, default=100_000, help="people to generate (default 100,000)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--interact", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.interact)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as folder:
        path = args.path or str(Path(folder) / "planner.db")
        _prepare(path, args.accounts, args.people)
        results, breakdown = run(path, args.runs, args.warmup)
    if args.json:
        from importlib.metadata import version

        report = {
            "database": args.path,
            "runs": args.runs,
            "warmup": args.warmup,
            "size": SIZE,
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "textual": version("textual"),
            "results": [asdict(r) | {"passed": r.passed} for r in results],
            "startup_phases_ms": breakdown,
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(table(results, breakdown))
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
