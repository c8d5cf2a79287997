"""Keys a rep can find and remap: `?` lists each key with its binding id, and a keymap
id that no binding has is reported with the closest real one."""

from __future__ import annotations

from conftest import FIXED_DAY, settle

from planner.app import make_app
from planner.core.config import Settings
from planner.screens.navigation import binding_ids, unknown_keymap_ids
from planner.store.opening import Opening
from planner.widgets.keys_panel import KeysPanel


def test_every_declared_binding_id_is_known_and_a_typo_gets_the_closest():
    known = binding_ids()
    assert {"list-new", "form-save", "plan-move-up", "conflict-merge", "draft-restore", "help"} <= known
    (warning,) = unknown_keymap_ids({"list-nwe": "insert", "list-new": "insert"}, known)
    assert "'list-nwe'" in warning and "did you mean 'list-new'?" in warning


async def test_a_keymap_with_an_unknown_id_warns_at_start_up(demo_store):
    settings = Settings(keymap={"list-nwe": "insert"})
    opening = Opening(demo_store.db.url, settings, demo_store.db.user, store=demo_store)
    app = make_app(opening, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("did you mean 'list-new'?" in n.message for n in app._notifications)


async def test_the_keys_panel_shows_each_keys_binding_id(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        panel = app.screen.query_one(KeysPanel)
        text = "\n".join(panel.lines)
        assert "[list-new]" in text and "[list-history]" in text  # hidden keys are listed too
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query(KeysPanel)
