"""Reading the files as people have them: UTF-8 with or without a BOM, GB18030/GBK
from Chinese Excel, CRLF line ends, quoted fields with line breaks, and workbooks.

Each row comes with where it starts (`file:line`, counting physical lines, so a
quoted field with line breaks does not shift the lines after it), and headers are
matched without regard to case or surrounding spaces.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from planner.core.errors import PlannerError
from planner.core.i18n import _

csv.field_size_limit(16 * 1024 * 1024)  # a CRM's long description is a field, not an attack


class ImportFileError(PlannerError):
    """A file that cannot be read at all: the import stops before anything is written."""


@dataclass(frozen=True)
class Sheet:
    """One table of rows: a CSV file, or one worksheet of a workbook."""

    name: str  # how problems name it: `Contact.csv`, `book.xlsx[People]`
    headers: tuple[str, ...]  # folded: lower case, single-spaced
    rows: list[tuple[str, dict[str, str]]]  # (where, folded header → cell text)
    titles: dict[str, str] = field(default_factory=dict)  # folded header → as the file writes it


def fold(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").casefold().split())


def decode(data: bytes, name: str) -> str:
    """The text of a CSV file: UTF-8 (a BOM is dropped), else GB18030, the superset
    of the GBK that Chinese Excel saves."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "{name} is neither UTF-8 nor GB18030/GBK text; save it from your spreadsheet as "
                '"CSV UTF-8" and import it again.'
            ).format(name=name)
        ) from None


def read_csv(path: Path) -> Sheet:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(
            _("Cannot read {path}: {reason}").format(path=path, reason=error.strerror or error)
        ) from None
    text = decode(data, path.name)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header_row = next(reader, None)
        if header_row is None:
            return Sheet(path.name, (), [])
        headers = tuple(fold(h) for h in header_row)
        titles = {fold(h): h.replace("\ufeff", "").strip() for h in header_row}
        rows: list[tuple[str, dict[str, str]]] = []
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((f"{path.name}:{start}", dict(zip(headers, cells, strict=False))))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ImportFileError(f"{path.name}:{reader.line_num}: {error}") from None
    return Sheet(path.name, headers, rows, titles)


def read_workbook(path: Path) -> Iterator[Sheet]:
    """Every worksheet of an .xlsx workbook, cells as text the way a CSV would have them."""
    from openpyxl import load_workbook  # only imports of workbooks pay for it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError(
            _("{name} is not an .xlsx workbook the planner can read ({error}).").format(name=path.name, error=error)
        ) from None
    try:
        for sheet in book.worksheets:
            lines = sheet.iter_rows(values_only=True)
            first = next(lines, None)
            if first is None:
                continue
            headers = tuple(fold(_text(h)) for h in first)
            titles = {fold(_text(h)): _text(h).strip() for h in first}
            label = f"{path.name}[{sheet.title}]"
            rows = []
            for number, cells in enumerate(lines, start=2):
                texts = [_text(cell) for cell in cells]
                if any(t.strip() for t in texts):
                    rows.append((f"{label}:{number}", dict(zip(headers, texts, strict=False))))
            yield Sheet(label, headers, rows, titles)
    finally:
        book.close()


def _text(cell: object) -> str:
    """A workbook cell as text: whole numbers without ".0", days as YYYY-MM-DD."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        text = cell.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(cell)


def titles(found: Iterable[Sheet]) -> dict[str, str]:
    """Every sheet's headers as written, by folded name: messages name a column as the file does."""
    return {folded: title for sheet in found for folded, title in sheet.titles.items()}


def sheets(paths: list[Path]) -> Iterator[Sheet]:
    """The tables in `paths`: a CSV file is one, a workbook one per worksheet."""
    for path in paths:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            yield from read_workbook(path)
        else:
            yield read_csv(path)
