"""Keep the Chinese message catalog in step with the source.

    python tools/catalog.py update            # new strings in, stale ones out, translations kept
    python tools/catalog.py add FILE.json     # {"English": "中文"} into the catalog
    python tools/catalog.py missing [PATH]    # strings with no Chinese yet (only PATH's, if given)
    python tools/catalog.py check             # exit 1 on anything missing, stale or mistranslated
    python tools/catalog.py compile           # planner.po -> planner.mo (the build does this too)

The catalog is `planner/locale/zh/LC_MESSAGES/planner.po`, one file for the whole
planner. Entries name the files they come from (no line numbers, so an edit elsewhere
in a file does not churn the catalog). Several people may run this at once: every
change to the catalog happens under a lock.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "planner"
PO = SOURCE / "locale" / "zh" / "LC_MESSAGES" / "planner.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
SKIPPED = ("store/migrations/",)
FIELD = re.compile(r"\{[^{}]*\}")
HEADER = {
    "locale": "zh_Hans_CN",
    "project": "planner",
    "charset": "utf-8",
    "fuzzy": False,
    "creation_date": datetime(2026, 12, 3, tzinfo=UTC),
    "revision_date": datetime(2026, 12, 3, tzinfo=UTC),
    "last_translator": "the planner team",
    "language_team": "the planner team",
}
"""Fixed, so updating the catalog changes only its entries."""


def extracted() -> dict[str | tuple[str, str], set[str]]:
    """Every marked string in the planner's source, with the files it is in."""
    found: dict[str | tuple[str, str], set[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        SOURCE, [("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    ):
        if filename.startswith(SKIPPED):
            continue
        key = message if isinstance(message, str) else (message[0], message[1])
        found.setdefault(key, set()).add(f"planner/{filename}")
    return found


def read() -> Catalog:
    if not PO.exists():
        return Catalog(**HEADER)
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh_Hans_CN")


def write(catalog: Catalog) -> None:
    PO.parent.mkdir(parents=True, exist_ok=True)
    temporary = PO.with_suffix(".po.tmp")
    with temporary.open("wb") as handle:
        write_po(handle, catalog, width=0, include_lineno=False, omit_header=False, sort_output=True)
    temporary.replace(PO)


@contextmanager
def locked() -> Iterator[None]:
    PO.parent.mkdir(parents=True, exist_ok=True)
    with (PO.parent / ".catalog.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def merged(catalog: Catalog, found: dict[str | tuple[str, str], set[str]]) -> Catalog:
    """A catalog of exactly the source's strings, keeping the translations it had."""
    fresh = Catalog(**HEADER)
    for key, files in sorted(found.items(), key=lambda item: str(item[0])):
        msgid = key[0] if isinstance(key, tuple) else key
        old = catalog.get(msgid)
        if isinstance(key, tuple):
            string = old.string if old and isinstance(old.string, (tuple, list)) else ("",)
            fresh.add(key, tuple(string)[:1], locations=[(f, None) for f in sorted(files)])
        else:
            string = old.string if old and isinstance(old.string, str) else ""
            fresh.add(key, string, locations=[(f, None) for f in sorted(files)])
    return fresh


def translated(message) -> str:
    string = message.string
    return (string[0] if string else "") if isinstance(string, (tuple, list)) else string


def problems(catalog: Catalog | None = None) -> list[str]:
    """What keeps the catalog from matching the source: strings with no Chinese,
    entries no source has any more, and translations whose {fields} differ."""
    catalog = catalog or read()
    found = extracted()
    wanted = {key[0] if isinstance(key, tuple) else key for key in found}
    report = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        if msgid not in wanted:
            report.append(f"stale: {msgid!r} is in the catalog but in no source file (tools/catalog.py update)")
            continue
        text = translated(message)
        if not text:
            report.append(f"missing: {msgid!r} ({', '.join(sorted(found[_key(found, msgid)]))})")
        elif sorted(FIELD.findall(msgid)) != sorted(FIELD.findall(text)):
            report.append(f"fields differ: {msgid!r} -> {text!r}")
    for key, files in found.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if catalog.get(msgid) is None:
            report.append(f"missing: {msgid!r} ({', '.join(sorted(files))}) is not in the catalog")
    return sorted(report)


def _key(found: dict[str | tuple[str, str], set[str]], msgid: str) -> str | tuple[str, str]:
    return next(key for key in found if (key[0] if isinstance(key, tuple) else key) == msgid)


def update() -> Catalog:
    with locked():
        catalog = merged(read(), extracted())
        write(catalog)
    return catalog


def add(path: Path) -> list[str]:
    """Put the translations in `path` (JSON: English → Chinese) into the catalog; the
    strings no source has are returned, not added."""
    wanted: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    unknown = []
    with locked():
        catalog = merged(read(), extracted())
        for msgid, text in wanted.items():
            message = catalog.get(msgid)
            if message is None:
                unknown.append(msgid)
            elif isinstance(message.id, (tuple, list)):
                message.string = (text,)
            else:
                message.string = text
        write(catalog)
    return unknown


def compile_catalog() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans_CN")
    temporary = MO.with_suffix(".mo.tmp")
    with temporary.open("wb") as handle:
        write_mo(handle, catalog)
    temporary.replace(MO)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update")
    adding = commands.add_parser("add")
    adding.add_argument("file", type=Path)
    missing = commands.add_parser("missing")
    missing.add_argument("path", nargs="?", default="")
    commands.add_parser("check")
    commands.add_parser("compile")
    args = parser.parse_args(argv)
    if args.command == "update":
        catalog = update()
        print(f"{len(catalog)} strings; {sum(1 for m in catalog if m.id and not translated(m))} without Chinese")
    elif args.command == "add":
        unknown = add(args.file)
        for msgid in unknown:
            print(f"not in any source file, skipped: {msgid!r}")
    elif args.command == "missing":
        found = extracted()
        catalog = read()
        for key, files in sorted(found.items(), key=lambda item: str(item[0])):
            msgid = key[0] if isinstance(key, tuple) else key
            message = catalog.get(msgid)
            if (message is None or not translated(message)) and any(f.startswith(args.path) for f in files):
                print(json.dumps(msgid, ensure_ascii=False))
    elif args.command == "check":
        report = problems()
        print("\n".join(report) or "the catalog matches the source")
        return 1 if report else 0
    else:
        compile_catalog()
    return 0


if __name__ == "__main__":
    sys.exit(main())
