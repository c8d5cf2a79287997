"""What the `planner` commands share: a day as an argument, and a document written to
a file or to standard output."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


def day(text: str) -> date:
    """An argparse type: YYYY-MM-DD, or a one-line message saying how to write it."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a real date; write YYYY-MM-DD") from None


def emit(data: str | bytes, output: str | None, what: str = "") -> None:
    """Write `data` to the file `output` and say so (with `what`, e.g. "(40 accounts)"),
    or to standard output: text as text, bytes as the same bytes a file would hold."""
    if output:
        if isinstance(data, str):
            Path(output).write_text(data, encoding="utf-8")
        else:
            Path(output).write_bytes(data)
        print(f"Wrote {output}{f' {what}' if what else ''}")
    elif isinstance(data, str):
        sys.stdout.write(data)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
