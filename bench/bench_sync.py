"""Time laptop sync over loopback SSH on the large portfolio against its targets.

    python bench/bench_sync.py [PATH] [--runs 3]

Starts a throwaway sshd on 127.0.0.1 (the tests' own, tests/sshd.py), copies the team
database PATH (or generates 10,000 accounts and 100,000 people), and times what a rep
runs, as the rep runs it (`planner clone`, `planner sync`: a new process, SSH start
included): the clone, a sync with nothing to exchange, and a sync with 1,000 changes
made on each side. The team side's peak memory is read from `sync-serve` itself.
Exits 1 when a figure misses its target.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate
from report import grid

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from sshd import running_sshd, why_not_runnable

from planner.core import models as m
from planner.core.config import Settings
from planner.store.startup import open_store
from planner.store.store import Store

TARGETS_S = {"clone": 10.0, "sync, nothing to exchange": 1.0, "sync, 1,000 changes each side": 2.0}
TARGET_MIB = 150.0
MEASURED_SERVE = Path(__file__).resolve().parent / "measured_serve.py"


def _planner(*args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"planner {' '.join(args)} failed: {done.stderr.strip()}")
    return elapsed


def _edit(store: Store, accounts: list[m.Account], tag: str) -> None:
    for account in accounts:
        store.update(m.Account, account.id, store.get(m.Account, account.id).version, notes=f"{tag} {account.name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, help="a team database to copy (default: generate one)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the empty sync (default 3)")
    args = parser.parse_args()
    reason = why_not_runnable()
    if reason:
        raise SystemExit(f"cannot run the loopback sshd: {reason}")
    with tempfile.TemporaryDirectory(prefix="planner-bench-sync-") as folder:
        work = Path(folder)
        team = work / "team.db"
        if args.path:
            shutil.copy(args.path, team)
        else:
            store = open_store(str(team), settings=Settings())
            generate(store)
            store.db.close()
        open_store(str(team), settings=Settings()).db.close()  # migrated before timing
        rss = work / "serve-rss"
        remote = shlex.join([sys.executable, str(MEASURED_SERVE), str(rss)])
        (work / "sshd").mkdir()
        with running_sshd(work / "sshd") as ssh:
            laptop = work / "laptop.db"
            via = ["--ssh-command", ssh.ssh_command]
            figures = {"clone": _planner("clone", f"{ssh.alias}:{team}", "--db", str(laptop), *via,
                                         "--remote-planner", remote)}  # fmt: skip
            memory = [float(rss.read_text())]
            empty = [_planner("sync", "--db", str(laptop), *via) for _ in range(args.runs)]
            memory.append(float(rss.read_text()))
            figures["sync, nothing to exchange"] = statistics.median(empty)
            on_team, on_laptop = (
                open_store(str(team), settings=Settings()),
                open_store(str(laptop), settings=Settings()),
            )
            accounts = on_team.list(m.Account)
            _edit(on_team, accounts[:1000], "team")
            _edit(on_laptop, accounts[1000:2000], "laptop")
            on_team.db.close()
            on_laptop.db.close()
            figures["sync, 1,000 changes each side"] = _planner("sync", "--db", str(laptop), *via)
            memory.append(float(rss.read_text()))
    lines = [(name, f"{seconds:.2f} s", f"≤ {TARGETS_S[name]:.0f} s") for name, seconds in figures.items()]
    peak = max(memory)
    lines.append(("team side's peak memory", f"{peak:.0f} MiB", f"≤ {TARGET_MIB:.0f} MiB"))
    print(grid(("operation", "measured", "target"), lines))
    missed = [name for name, seconds in figures.items() if seconds > TARGETS_S[name]] + (
        ["memory"] if peak > TARGET_MIB else []
    )
    if missed:
        print(f"missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
