"""Start-up as a rep sees it: from the command to the filled customer list, in tmux.

    python bench/bench_startup.py [PATH] [--runs 7] [--warmup 1] [--json]

Each run starts a fresh tmux session at 100×30 running the `planner` command (the
console script in this Python's environment) on a 10k-account portfolio, and polls
the screen (`tmux capture-pane`) until the customer list says "of 10000 accounts";
then the same for a minimal Textual app (Header, Static, Footer; `minimal_app.py`)
until its text shows; and the planner again on the same portfolio in PostgreSQL (a
throwaway cluster, `tests/pgcluster.py`, or `--postgresql URL`). They alternate, so a
busy neighbour on a shared machine slows all alike, and the figures judged are ratios
of the medians: planner on SQLite / minimal app (target ≤ 2.5), and planner on
PostgreSQL / planner on SQLite (target ≤ 1.5). Without PATH the portfolio is generated
first, into a temporary folder; into PostgreSQL it is always generated (unless the
database given already has accounts). `--no-postgresql` leaves PostgreSQL out.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import grid

HERE = Path(__file__).resolve().parent
SIZE = (100, 30)
TARGET_RATIO = 2.5
TARGET_SERVER_RATIO = 1.5
POLL_S = 0.005
TIMEOUT_S = 60.0
SESSION = "planner-bench-startup"
SERVER = "planner on PostgreSQL"


def _shown(text: str) -> bool:
    return (
        text
        in subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", SESSION], capture_output=True, text=True, check=False
        ).stdout
    )


def time_until(command: list[str], text: str, env: dict[str, str]) -> float:
    """Seconds from starting `command` in a new tmux session until `text` is on screen."""
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True, check=False)
    started = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", SESSION, "-x", str(SIZE[0]), "-y", str(SIZE[1]),
         *(f"-e{key}={value}" for key, value in env.items()), " ".join(command)],
        check=True,
    )  # fmt: skip
    try:
        while not _shown(text):
            if time.perf_counter() - started > TIMEOUT_S:
                raise TimeoutError(f"{' '.join(command)} did not show {text!r} within {TIMEOUT_S} s")
            time.sleep(POLL_S)
        return time.perf_counter() - started
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True, check=False)


def _prepare(path: Path | str) -> int:
    """Generate the portfolio if the database has no accounts yet; returns the account count."""
    sys.path.insert(0, str(HERE))
    from generate import generate

    from planner.core import models as m
    from planner.core.config import Settings
    from planner.store.startup import open_store

    store = open_store(str(path), settings=Settings())
    try:
        if not store.has_any(m.Account):
            print("generating the portfolio…", file=sys.stderr)
            generate(store)
        return len(store.account_listing())
    finally:
        store.db.close()


def compile_planner() -> None:
    """Byte-compile the planner's modules, as `pip install` does: in a checkout installed
    with `-e` (and with PYTHONDONTWRITEBYTECODE set) every start would compile them again."""
    import compileall

    import planner

    compileall.compile_dir(Path(planner.__file__).parent, quiet=1)


def run(path: Path, server_url: str | None, runs: int, warmup: int) -> dict[str, list[float]]:
    accounts = _prepare(path)
    compile_planner()
    planner = shutil.which("planner", path=str(Path(sys.executable).parent))
    if planner is None:
        raise SystemExit("no `planner` command beside this Python; pip install the project first")
    with tempfile.TemporaryDirectory(prefix="planner-bench-home-") as home:
        env = {"XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home, "TERM": "xterm-256color"}
        commands = {
            "planner": ([planner, "--db", str(path)], f"of {accounts} accounts"),
            "minimal": ([sys.executable, str(HERE / "minimal_app.py")], "minimal app ready"),
        }
        if server_url is not None:
            server_accounts = _prepare(server_url)
            commands[SERVER] = ([planner, "--db", shlex.quote(server_url)], f"of {server_accounts} accounts")
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for number in range(warmup + runs):
            for name, (command, text) in commands.items():
                elapsed = time_until(command, text, env)
                if number >= warmup:
                    samples[name].append(elapsed)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", help="a database made by bench/generate.py (default: generate one)")
    parser.add_argument("--runs", type=int, default=7, help="timed start-ups of each (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed start-ups of each first (default 1)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--postgresql", metavar="URL", help="a server database to use instead of a throwaway cluster")
    parser.add_argument("--no-postgresql", action="store_true", help="measure SQLite and the minimal app only")
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        raise SystemExit("bench_startup.py needs tmux (apt-get install tmux)")
    cluster = None
    server_url = None if args.no_postgresql else args.postgresql
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as folder:
        try:
            if server_url is None and not args.no_postgresql:
                sys.path.insert(0, str(HERE.parent / "tests"))
                from pgcluster import Cluster

                cluster = Cluster.start(durable=True)
                cluster.psql("CREATE DATABASE startup")
                server_url = cluster.url("startup")
            samples = run(Path(args.path or Path(folder) / "planner.db"), server_url, args.runs, args.warmup)
        finally:
            if cluster is not None:
                cluster.stop()
    medians = {name: statistics.median(values) for name, values in samples.items()}
    ratios = {"planner / minimal app": (medians["planner"] / medians["minimal"], TARGET_RATIO)}
    if SERVER in medians:
        ratios["planner on PostgreSQL / on SQLite"] = (medians[SERVER] / medians["planner"], TARGET_SERVER_RATIO)
    passed = all(ratio <= target for ratio, target in ratios.values())
    if args.json:
        print(json.dumps({"samples_s": samples, "medians_s": medians, "ratios": ratios}))
    else:
        rows = [
            (name, f"{medians[name] * 1000:.0f} ms", f"{min(values) * 1000:.0f} ms", f"{max(values) * 1000:.0f} ms")
            for name, values in samples.items()
        ]
        print(grid(("to the first filled screen", "median", "min", "max"), rows))
        print()
        for label, (ratio, target) in ratios.items():
            print(f"ratio {label}: {ratio:.2f} (target ≤ {target}) {'PASS' if ratio <= target else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
