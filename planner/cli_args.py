"""What the `planner` commands share: a day as an argument, a document written to a
file or to standard output, and a line saying what a long command is doing."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO

from planner.core.i18n import N_, _, ngettext

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    ngettext("expected %s argument", "expected %s arguments", 2),  # a plural entry: argparse asks ngettext
)
"""argparse's own texts (Python 3.11's msgids), marked so they reach the catalog:
argparse looks them up through gettext's default domain, which
`planner.core.i18n.set_language` binds to the planner's, so `--help` and a bad
argument's message come out in the rep's language. Nothing reads this tuple."""


_NO_LINE_START = frozenset("，。、；：？！）」』》〉】”’")
_NO_LINE_END = frozenset("（「『《〈【“‘")


def cell_width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _pieces(text: str) -> list[str]:
    """Words, single spaces and single Chinese characters (each a place a line may
    break), closing punctuation kept with what it closes, opening with what it opens."""
    pieces: list[str] = []
    glued = False  # the last piece ends in an opening bracket: the next one joins it
    for char in " ".join(text.split()):
        if char == " ":
            pieces.append(" ")
            glued = False
        elif glued or (
            pieces and pieces[-1] != " " and (char in _NO_LINE_START or not (_wide(char) or _wide(pieces[-1][-1])))
        ):
            pieces[-1] += char
        else:
            pieces.append(char)
        glued = char in _NO_LINE_END
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal columns (a longer word gets a line
    of its own), broken at spaces and between Chinese characters."""
    lines: list[str] = []
    line = ""
    for piece in _pieces(text):
        if piece == " ":
            line += " " if line else ""
        elif line and cell_width(line) + cell_width(piece) > width:
            lines.append(line.rstrip())
            line = piece
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, wrapped by terminal columns where it holds Chinese (argparse
    counts characters, so Chinese lines would run twice too wide)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        if not any(_wide(char) for char in text):
            return super()._split_lines(text, width)
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if not any(_wide(char) for char in text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def _format_usage(self, usage, actions, groups, prefix) -> str:
        """The usage's later lines line up under the first, whose prefix ("用法：")
        is wider on the screen than it is long."""
        shown = _("usage: ") if prefix is None else prefix
        extra = cell_width(shown) - len(shown)
        if extra <= 0:
            return super()._format_usage(usage, actions, groups, prefix)
        self._width -= extra  # argparse measures the prefix by its length
        try:
            text = super()._format_usage(usage, actions, groups, prefix)
        finally:
            self._width += extra
        first, *rest = text.split("\n")
        return "\n".join([first, *(" " * extra + line if line.startswith(" ") else line for line in rest)])


def day(text: str) -> date:
    """An argparse type: YYYY-MM-DD, or a one-line message saying how to write it."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text!r} is not a real date; write YYYY-MM-DD").format(text=text)) from None


def emit(data: str | bytes, output: str | None, what: str = "") -> None:
    """Write `data` to the file `output` and say so (with `what`, e.g. "(40 accounts)"),
    or to standard output: text as text, bytes as the same bytes a file would hold."""
    if output:
        if isinstance(data, str):
            Path(output).write_text(data, encoding="utf-8")
        else:
            Path(output).write_bytes(data)
        told = _("Wrote {file} {what}") if what else _("Wrote {file}")
        print(told.format(file=output, what=what))
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
