"""Every screen in Chinese: SVG snapshots at 80x24 and 100x30 (columns, cards and charts
aligned with double-width characters), and no English of ours left on any of them."""

from __future__ import annotations

import re

import pytest
from conftest import FIXED_DAY
from sqlalchemy import inspect, select
from tour import STOPS, screen_text

from planner.app import make_app
from planner.core import models as m
from planner.screens.navigation import binding_ids

SIZES = {"80x24": (80, 24), "100x30": (100, 30)}
WORD = re.compile(r"[A-Za-z][A-Za-z]{2,}")
NOT_OURS_TO_TRANSLATE = {
    # key names as Textual shows them, and terms the course itself uses in Latin letters
    "esc", "enter", "tab", "del", "ctrl", "shift", "space", "home", "end", "pgup", "pgdn", "ins",
    "SWOT", "TAT", "config", "toml", "keymap", "CSV", "HTML", "SSH", "SQLite", "xlsx",
}  # fmt: skip


DRAWN = [stop for stop in STOPS if stop.name != "history"]
"""The history lists when each change was made: the demo's are made as the tests start,
so its picture would differ every run (its words are checked below all the same)."""


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("stop", DRAWN, ids=[stop.name for stop in DRAWN])
def test_every_screen_in_chinese(snap_compare, demo_store, chinese, stop, size):
    async def run_before(pilot):
        await stop.visit(pilot, demo_store)

    assert snap_compare(make_app(demo_store, today=FIXED_DAY), terminal_size=size, run_before=run_before)


def data_words(store) -> set[str]:
    """Words the rep's own data holds (names, notes, the demo's English), and their
    beginnings (a narrow column cuts a name): shown as typed, not ours to translate."""
    words: set[str] = set()
    with store.db.engine.connect() as connection:
        present = set(inspect(connection).get_table_names())
        for table in m.SQLModel.metadata.sorted_tables:
            if table.name in present:
                for row in connection.execute(select(table)):
                    words.update(word for value in row if isinstance(value, str) for word in WORD.findall(value))
    return {word[:end] for word in words for end in range(3, len(word) + 1)}


@pytest.mark.parametrize("stop", STOPS, ids=[stop.name for stop in STOPS])
async def test_no_english_of_ours_is_left_on_a_chinese_screen(demo_store, chinese, stop):
    allowed = (
        NOT_OURS_TO_TRANSLATE
        | data_words(demo_store)
        | {part for binding_id in binding_ids() for part in binding_id.split("-")}
    )
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await stop.visit(pilot, demo_store)
        text = screen_text(app)
    left = [
        (word, line.strip())
        for line in text.splitlines()
        for word in WORD.findall(line)
        if word not in allowed and word.lower() not in allowed
    ]
    assert not left, "English left on the Chinese screen:\n" + "\n".join(f"{w!r} in: {line}" for w, line in left)
