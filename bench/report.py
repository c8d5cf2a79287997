"""The benchmarks' plain-text tables (both scripts print the same way)."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    """Columns `text` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def grid(header: tuple[str, ...], lines: list[tuple[str, ...]]) -> str:
    """Left-aligned first column, the rest right-aligned, a rule under the header."""
    widths = [max(width(line[i]) for line in (header, *lines)) for i in range(len(header))]
    rows = [
        "  ".join(
            cell + " " * (size - width(cell)) if i == 0 else " " * (size - width(cell)) + cell
            for i, (cell, size) in enumerate(zip(line, widths, strict=True))
        )
        for line in (header, *lines)
    ]
    return "\n".join([rows[0], "  ".join("-" * size for size in widths), *rows[1:]])
