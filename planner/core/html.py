"""The planner's Markdown as one self-contained HTML page, to open, mail or print.

Only the subset `planner.core.export` writes is understood: headings, `- ` lists nested
by two spaces (with `[ ]`/`[x]` task items), pipe tables with `\\|` escapes and `<br>`
line breaks, `**bold**` and whole `_italic_` paragraphs. Everything else is text, and
all text is escaped: account names are typed by reps and may hold `<`, `&` or quotes.
The page fetches nothing (no fonts, scripts, images or URLs), so it reads the same
offline, in a mail client and when printed; the font stack names the CJK fonts that
Windows, macOS and Linux ship so Chinese names print in one consistent face.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from planner.core.i18n import chinese

_HEADING = re.compile(r"(#{1,6})\s+(.*)")
_ITEM = re.compile(r"( *)- (.*)")
_TASK = re.compile(r"\[([ xX])\] (.*)")
_RULE = re.compile(r"\|(\s*:?-+:?\s*\|)+")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
# CommonMark: a backslash escapes ASCII punctuation; `<br>` is the tables' line break.
_TOKENS = re.compile(r"(\\[!-/:-@\[-`{-~]|<br>)")
# A cell of figures only (an amount, a date, "4/5", "85%") is never broken across lines.
_FIGURES = re.compile(r"[-+\d.,:/%#]+")

FONTS = (
    '"Helvetica Neue", Arial, "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", '
    '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "Apple Color Emoji", "Segoe UI Emoji", '
    '"Noto Color Emoji", sans-serif'
)

STYLE = f"""
:root {{ color-scheme: light; }}
body {{ font-family: {FONTS}; font-size: 10.5pt; line-height: 1.45; color: #1a1a1a;
  max-width: 62rem; margin: 2rem auto; padding: 0 1.5rem; }}
h1 {{ font-size: 1.7em; margin: 0 0 .6em; padding-bottom: .25em; border-bottom: 2px solid #1f4e79; color: #1f4e79; }}
h2 {{ font-size: 1.3em; margin: 1.4em 0 .5em; padding-bottom: .15em; border-bottom: 1px solid #b7c7d9;
  color: #1f4e79; }}
h3 {{ font-size: 1.08em; margin: 1.1em 0 .4em; color: #333; }}
h4, h5, h6 {{ font-size: 1em; margin: 1em 0 .3em; }}
p {{ margin: .4em 0; }}
ul {{ margin: .3em 0; padding-left: 1.4em; }}
li {{ margin: .1em 0; }}
li.task {{ list-style: none; margin-left: -1.2em; padding-left: 1.35em; text-indent: -1.35em; }}
.box {{ display: inline-block; width: .85em; height: .85em; line-height: .85em; margin-right: .45em; text-indent: 0;
  border: 1px solid #555; border-radius: 2px; text-align: center; font-size: .9em; vertical-align: -.05em; }}
table {{ border-collapse: collapse; width: 100%; margin: .5em 0 .9em; font-size: .92em; }}
th, td {{ border: 1px solid #c8d0d9; padding: .25em .45em; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }}
td.n {{ white-space: nowrap; }}
th {{ background: #e8eef5; font-weight: 600; }}
tbody tr:nth-child(even) td {{ background: #f7f9fb; }}
em {{ color: #666; }}
@page {{ size: A4; margin: 15mm; }}
@media print {{
  body {{ font-size: 8.5pt; line-height: 1.35; max-width: none; margin: 0; padding: 0; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
  h1, h2, h3, h4, h5, h6, h2 + p, h3 + p {{ break-after: avoid; page-break-after: avoid; }}
  thead {{ display: table-header-group; }}
  tr, li {{ break-inside: avoid; page-break-inside: avoid; }}
}}
"""


def markdown_page(markdown: str, title: str) -> str:
    """A whole HTML document (UTF-8, inline CSS only) showing `markdown`, titled `title`;
    its `lang` is the interface's language, so a browser picks the right CJK glyphs."""
    body = "\n".join(_blocks(markdown.splitlines()))
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if chinese() else "en"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _blocks(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif heading := _HEADING.fullmatch(line):
            level = len(heading[1])
            out.append(f"<h{level}>{_inline(heading[2].strip())}</h{level}>")
            i += 1
        elif _ITEM.fullmatch(line):
            end = _run(lines, i, lambda text: _ITEM.fullmatch(text) is not None)
            out.append(_list(lines[i:end]))
            i = end
        elif line.startswith("|"):
            end = _run(lines, i, lambda text: text.startswith("|"))
            out.append(_table(lines[i:end]))
            i = end
        else:
            end = _run(lines, i, lambda text: bool(text.strip()) and not _starts_block(text))
            out.append(_paragraph(" ".join(text.strip() for text in lines[i:end])))
            i = end
    return out


def _starts_block(line: str) -> bool:
    return bool(_HEADING.fullmatch(line) or _ITEM.fullmatch(line) or line.startswith("|"))


def _run(lines: list[str], start: int, belongs: Callable[[str], bool]) -> int:
    """The end of the run of lines from `start` that `belongs` accepts (at least one)."""
    end = start + 1
    while end < len(lines) and belongs(lines[end]):
        end += 1
    return end


def _paragraph(text: str) -> str:
    if len(text) > 2 and text.startswith("_") and text.endswith("_"):
        return f"<p><em>{_inline(text[1:-1])}</em></p>"
    return f"<p>{_inline(text)}</p>"


def _list(lines: list[str]) -> str:
    """Items nested by two spaces; a deeper jump than one level nests one level."""
    out: list[str] = []
    level = -1
    for line in lines:
        item = _ITEM.fullmatch(line)
        assert item is not None  # the run holds list items only
        depth = min(len(item[1]) // 2, level + 1)
        if depth > level:
            out.append("<ul>")
            level = depth
        else:
            out.append("</li>")
            while level > depth:
                out.append("</ul></li>")
                level -= 1
        out.append(_item(item[2]))
    out.append("</li>")
    out.extend("</ul></li>" for _level in range(level))
    out.append("</ul>")
    return "".join(out)


def _item(text: str) -> str:
    task = _TASK.fullmatch(text)
    if task is None:
        return f"<li>{_inline(text)}"
    # A box drawn by CSS, ticked with ✓: the ballot-box characters print in colour
    # where an emoji font has them and in black where not.
    done = task[1] != " "
    return f'<li class="task{" done" if done else ""}"><span class="box">{"✓" if done else ""}</span>{_inline(task[2])}'


def _table(lines: list[str]) -> str:
    rows = [_cells(line) for line in lines]
    head: list[str] = []
    if len(lines) > 1 and _RULE.fullmatch(lines[1].strip()):
        head, rows = rows[0], rows[2:]
    width = max([len(head), *(len(row) for row in rows)])
    out = ["<table>"]
    if head:
        out.append("<thead><tr>" + "".join(f"<th>{_inline(c)}</th>" for c in _pad(head, width)) + "</tr></thead>")
    if rows:
        out.append("<tbody>")
        out += ["<tr>" + "".join(_td(c) for c in _pad(row, width)) + "</tr>" for row in rows]
        out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def _td(text: str) -> str:
    figures = ' class="n"' if _FIGURES.fullmatch(text) else ""
    return f"<td{figures}>{_inline(text)}</td>"


def _pad(row: list[str], width: int) -> list[str]:
    return row + [""] * (width - len(row))


def _cells(line: str) -> list[str]:
    """A table row split at its unescaped pipes; escapes stay for `_inline` to read."""
    cells: list[str] = []
    current: list[str] = []
    chars = iter(line.strip())
    for char in chars:
        if char == "\\":
            current.append(char + next(chars, ""))
        elif char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    cells.append("".join(current).strip())
    # The row's outer pipes leave an empty cell at each end.
    if cells and not cells[0]:
        cells = cells[1:]
    if cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _inline(text: str) -> str:
    out: list[str] = []
    position = 0
    for bold in _BOLD.finditer(text):
        out.append(_text(text[position : bold.start()]))
        out.append(f"<strong>{_text(bold[1])}</strong>")
        position = bold.end()
    out.append(_text(text[position:]))
    return "".join(out)


def _text(text: str) -> str:
    """Escaped text: backslash escapes read, `<br>` kept as a line break."""
    parts = _TOKENS.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(escape(part))
        elif part == "<br>":
            out.append("<br>")
        else:
            out.append(escape(part[1]))
    return "".join(out)
