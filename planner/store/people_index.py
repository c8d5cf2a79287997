"""The people search's index: every live person's name, title and pinyin key, kept in
memory so a search is `str.find` at C speed instead of a LIKE over every row.

People are held in name order (then id, so ties always come out alike) in blocks of
about `BLOCK`. A block's haystack is one string: each person's folded name, folded
title and search key, each field followed by `SEP`. A search finds the typed text in
each block's haystack in turn, maps a find to its person with `bisect` over the
block's offsets, judges that person's fields exactly, and stops at the limit, so a
search that matches nobody costs a few `find` calls over the whole index, and a
common word stops after its first few dozen people. The hits' rows (title, layer,
stance, account name) are then read by id, at most `limit` of them.

Matching is what `Listings.search_people` promises: the name or the title contains
the text, ignoring case (`str.casefold`, so non-ASCII letters fold too, as
PostgreSQL's ILIKE folds them and SQLite's LIKE does not), or the name's pinyin key
contains the typed letters (`typed_key`).

The index is built on the first search (in the caller's worker thread) from one read
of the person table. Every search first reads the newest change-log entry, which
every write advances (the screens' change poll reads the same); when it moved, the
people the log names since are read again and only their blocks are redone. When
the log no longer holds the entry the index was built to (a restored backup) or a
large share of the people changed, the index is built afresh. A lock makes the
searches of several worker threads take turns. For 100,000 people the index holds
about 25 MiB and a build reads and sorts them in about a third of a second of CPU.
"""

from __future__ import annotations

import sqlite3
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from heapq import merge
from itertools import accumulate, islice
from typing import Any

from sqlmodel import Session, col, select

from planner.core import models as m
from planner.core.pinyin import typed_key
from planner.core.rows import PersonHit
from planner.store.base import columns, live
from planner.store.connection import translate

BLOCK = 1024
"""People per block when the index is built; a block that grows to twice that splits."""
SEP = "\x00"
"""Ends each field in a haystack. No keyboard types it, and one in a field (written by
hand) stands as U+FFFD there, so a find never spans two fields."""
CHUNK = 500
"""Ids per `IN (...)` read, well inside every database's parameter limit."""

_PERSON = m.table_name(m.Person)
PEOPLE_SQL = f"SELECT name, id, title, search_key FROM {_PERSON} WHERE deleted_at IS NULL"


def _text(value: Any) -> str:
    """A stored value as text (SQLite keeps a BLOB written by hand in a text column)."""
    if type(value) is str:
        return value
    return "" if value is None else str(value)


def _segment(name: str, title: Any, key: Any) -> str:
    """A person's text in a haystack: folded name, folded title, key, each ended by SEP."""
    try:
        segment = name.casefold() + SEP + title.casefold() + SEP + key + SEP
        if segment.count(SEP) == 3:
            return segment
    except (AttributeError, TypeError):
        pass
    fields = (_text(name).casefold(), _text(title).casefold(), _text(key))
    return "".join(field.replace(SEP, "\ufffd") + SEP for field in fields)


def _read_people(session: Session) -> list[tuple[str, str, Any, Any]]:
    """(name, id, title, key) of every live person, in name order (then id), straight
    off a DBAPI cursor: the ORM's result rows would double the time."""
    connection = session.connection().connection
    driver_error = getattr(connection, "Error", sqlite3.Error)  # DB-API's optional Connection.Error
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(PEOPLE_SQL)
            rows = cursor.fetchall()
        finally:
            cursor.close()
    except driver_error as error:
        raise translate(error) from error
    if not all(type(row[0]) is str for row in rows):  # a BLOB written by hand
        rows = [(_text(name), id_, title, key) for name, id_, title, key in rows]
    return sorted(rows)


class _Block:
    """People in name order: their ids, their haystack, and where each one's text
    starts in it (one more offset at the end: the haystack's length)."""

    __slots__ = ("hay", "ids", "starts")

    def __init__(self, ids: list[str], segments: Sequence[str]):
        self.ids = ids
        self.hay = "".join(segments)
        self.starts = array("q", accumulate(map(len, segments), initial=0))

    def segments(self) -> list[str]:
        hay, starts = self.hay, self.starts
        return [hay[starts[n] : starts[n + 1]] for n in range(len(self.ids))]

    def rows_with(self, needle: str) -> Iterator[int]:
        """The positions of the people whose text holds `needle`, in order."""
        hay, starts, end = self.hay, self.starts, len(self.hay)
        at = hay.find(needle)
        while 0 <= at < end:
            row = bisect_right(starts, at) - 1
            yield row
            at = hay.find(needle, starts[row + 1])


def _once(rows: Iterable[int]) -> Iterator[int]:
    last = -1
    for row in rows:
        if row != last:
            yield row
            last = row


class PeopleIndex:
    """The search index of one store's people; `search` keeps it current."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._blocks: list[_Block] = []
        self._names: dict[str, str] = {}  # id → name of every indexed person: where to find them
        self._seen: tuple[int, str] | None = None  # (seq, id) of the newest change-log entry indexed

    def search(self, session: Session, text: str, limit: int) -> list[PersonHit]:
        """Up to `limit` live people, in name order, whose name or title contains
        `text` (ignoring case) or whose pinyin key contains it as typed."""
        text = text.strip()
        folded, typed = text.casefold(), typed_key(text)
        if SEP in folded:
            return []
        with self._lock:
            self._refresh(session)
            found = self._matches(folded, typed)
            hits: list[PersonHit] = []
            while len(hits) < limit and (wanted := list(islice(found, limit - len(hits)))):
                hits += _rows(session, wanted)  # fewer only for a person whose account is missing
            return hits

    # --- matching ----------------------------------------------------------------------

    def _matches(self, folded: str, typed: str | None) -> Iterator[str]:
        """The ids of the matching people, in name order."""
        for block in self._blocks:
            rows = block.rows_with(folded)
            if typed is not None and typed != folded:  # "zhang wei": the key holds "zhangwei"
                rows = _once(merge(rows, block.rows_with(typed)))
            hay, starts, ids = block.hay, block.starts, block.ids
            for row in rows:
                name, title, key, _end = hay[starts[row] : starts[row + 1]].split(SEP)
                if folded in name or folded in title or (typed is not None and typed in key):
                    yield ids[row]

    # --- keeping current ---------------------------------------------------------------

    def _refresh(self, session: Session) -> None:
        log = m.ChangeLog
        newest = session.execute(select(log.seq, log.id).order_by(col(log.seq).desc()).limit(1)).first()
        mark = (newest[0], newest[1]) if newest else (0, "")
        seen = self._seen
        if mark == seen:
            return
        try:
            if seen is None or mark[0] < seen[0] or not _still_logged(session, seen):
                self._build(session)
            else:
                query = (
                    select(log.row_id)
                    .where(log.seq > seen[0], log.seq <= mark[0], log.table_name == _PERSON)
                    .distinct()
                )
                changed = list(session.execute(query).scalars())
                if len(changed) > max(BLOCK, len(self._names) // 4):
                    self._build(session)
                else:
                    self._update(session, changed)
        except BaseException:
            self._seen = None  # half-updated: build afresh next time
            raise
        self._seen = mark

    def _build(self, session: Session) -> None:
        rows = _read_people(session)
        self._names = {id_: name for name, id_, _title, _key in rows}
        self._blocks = [
            _Block([row[1] for row in part], [_segment(name, title, key) for name, _id, title, key in part])
            for part in (rows[start : start + BLOCK] for start in range(0, len(rows), BLOCK))
        ]

    def _update(self, session: Session, changed: list[str]) -> None:
        """Read the `changed` people again: take out their old text, put in the live
        ones' new text, and make again only the blocks that changed."""
        if not changed:
            return
        p = m.Person
        fresh: dict[str, tuple[str, str]] = {}  # id → (name, segment)
        for start in range(0, len(changed), CHUNK):
            query = columns(p.id, p.name, p.title, p.search_key).where(
                col(p.id).in_(changed[start : start + CHUNK]), live(p)
            )
            for id_, name, title, key in session.execute(query):
                fresh[id_] = (_text(name), _segment(_text(name), title, key))
        if not self._blocks:
            self._blocks = [_Block([], [])]
        names, blocks = self._names, self._blocks
        firsts = [(names[block.ids[0]], block.ids[0]) if block.ids else ("", "") for block in blocks]
        edits: dict[int, tuple[list[str], list[str]]] = {}  # block number → its (ids, segments)

        def place(name: str, id_: str) -> tuple[list[str], list[str], int]:
            number = max(bisect_right(firsts, (name, id_)) - 1, 0)
            if number not in edits:
                edits[number] = (list(blocks[number].ids), blocks[number].segments())
            ids, segments = edits[number]
            return ids, segments, bisect_left(ids, (name, id_), key=lambda other: (names[other], other))

        for id_ in changed:
            if id_ in names:
                ids, segments, row = place(names[id_], id_)
                del ids[row], segments[row], names[id_]
        for id_, (name, segment) in fresh.items():
            ids, segments, row = place(name, id_)
            ids.insert(row, id_)
            segments.insert(row, segment)
            names[id_] = name
        self._blocks = []
        for number, block in enumerate(blocks):
            if number not in edits:
                self._blocks.append(block)
                continue
            ids, segments = edits[number]
            size = -(-len(ids) // (len(ids) // BLOCK)) if len(ids) >= 2 * BLOCK else BLOCK * 2
            self._blocks += [
                _Block(ids[start : start + size], segments[start : start + size]) for start in range(0, len(ids), size)
            ]


def _still_logged(session: Session, seen: tuple[int, str]) -> bool:
    """Whether the change log still holds the entry the index was brought up to (a
    restored backup has other entries, or fewer)."""
    if seen == (0, ""):
        return True
    log = m.ChangeLog
    return session.execute(select(log.id).where(log.seq == seen[0])).scalar() == seen[1]


def _rows(session: Session, ids: list[str]) -> list[PersonHit]:
    """The hits' rows, in the order of `ids`; a person whose account row is missing is
    left out, as a join leaves it out."""
    p, a = m.Person, m.Account
    query = (
        columns(p.id, p.name, p.title, p.layer, p.stance, p.account_id, a.name)
        .join(a, col(p.account_id) == a.id)
        .where(col(p.id).in_(ids), live(p))
    )
    found = {row[0]: PersonHit(*row) for row in session.execute(query)}
    return [found[id_] for id_ in ids if id_ in found]
