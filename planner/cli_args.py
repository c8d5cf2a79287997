"""What the `planner` commands share: a day as an argument, a document written to a
file or to standard output, and a line saying what a long command is doing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO


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


@contextmanager
def progress(text: str, stream: IO[str] | None = None) -> Iterator[None]:
    """What is going on while a command works, on a terminal only, and wiped when done:
    stdout keeps only the result, and a failure stays one line on stderr."""
    stream = stream or sys.stderr
    shown = stream.isatty()
    if shown:
        stream.write(text)
        stream.flush()
    try:
        yield
    finally:
        if shown:
            stream.write("\r\033[K")
            stream.flush()
