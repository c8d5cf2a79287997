"""`planner` that writes its peak memory (MiB) to a file when it ends: the sync
benchmark runs the team side as `measured_serve.py RSS_FILE sync-serve --db PATH`."""

from __future__ import annotations

import resource
import sys
from pathlib import Path

from planner.cli import main

if __name__ == "__main__":
    out = Path(sys.argv[1])
    try:
        code = main(sys.argv[2:])
    finally:
        out.write_text(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    sys.exit(code)
