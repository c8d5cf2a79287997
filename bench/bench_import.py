"""Time `planner import salesforce --apply` on a large export against its target.

    python bench/bench_import.py [--accounts 10000] [--contacts 100000] [--opportunities 20000]

Writes a Salesforce Data Export of that size (tests/crm_exports.py: 18-character
ids, reports-to lines, departments, quoted descriptions, CRLF) into a temporary
folder, then times the import as a rep runs it, in a new process (`planner import
salesforce DIR --apply` into a new database: start-up, reading the files, planning,
the bulk insert and the commit), and then a second import of the same files, which
must change nothing. Exits 1 when a figure misses its target.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import grid

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from crm_exports import build, write

TARGETS_S = {"first import": 20.0, "same files again": 20.0}


def _import(folder: Path, db: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "planner", "--db", str(db), "import", "salesforce", str(folder), "--apply"],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"planner import failed: {done.stderr.strip()}")
    return elapsed, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--opportunities", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="planner-import-bench-") as scratch:
        folder = Path(scratch) / "export"
        write(build(folder, args.accounts, args.contacts, args.opportunities))
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        db = Path(scratch) / "planner.db"
        first, report = _import(folder, db)
        again, second = _import(folder, db)
        if "Nothing changed" not in second:
            raise SystemExit("the second import of the same files changed something:\n" + second[:2000])
    figures = {"first import": first, "same files again": again}
    sizes = f"{args.accounts:,} accounts, {args.contacts:,} contacts, {args.opportunities:,} opportunities"
    print(f"{sizes} ({size:.0f} MB)")
    print("\n".join(line for line in report.splitlines()[:7]))
    rows = [[name, f"{seconds:.1f} s", f"≤ {TARGETS_S[name]:.0f} s",
             "ok" if seconds <= TARGETS_S[name] else "MISSED"] for name, seconds in figures.items()]  # fmt: skip
    print(grid(["operation", "measured", "target", ""], rows))
    return 0 if all(seconds <= TARGETS_S[name] for name, seconds in figures.items()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
