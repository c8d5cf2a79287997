"""When the planner meets a bug: the details go to a file, the rep gets one sentence.

A traceback on the terminal helps nobody at the keyboard and may show customer data
to whoever looks over a shoulder; a report in the data folder keeps everything a
maintainer needs (version, command, traceback) and the rep is told where it is.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path

from planner import __version__
from planner.core import locations
from planner.core.i18n import _


def write_report(error: BaseException, folder: Path | None = None) -> str:
    """Write the report of `error` and return its path (or, if even that fails, why)."""
    target_dir = folder or locations.data_dir() / "crash-reports"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    text = "".join(
        [
            f"planner {__version__} · Python {platform.python_version()} · {platform.platform()}\n",
            f"command: {' '.join(sys.argv)}\n",
            f"at: {datetime.now().isoformat(timespec='seconds')}\n\n",
            *traceback.format_exception(error),
        ]
    )
    try:
        target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = target_dir / f"crash-{stamp}.txt"
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        # backslashreplace: an argument that is not UTF-8 must not cost the report
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
    except OSError as failure:
        return _("(no report: {reason})").format(reason=failure.strerror or failure)
    return str(target)


def message(report: str) -> str:
    return _(
        "planner stopped on an unexpected error (a bug, not something you did). Nothing you saved is lost.\n"
        "The details are in {report}; please send that file to whoever looks after the planner."
    ).format(report=report)
