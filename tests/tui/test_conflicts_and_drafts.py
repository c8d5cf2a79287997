"""Two reps on one file: the conflict choices write only what a rep changed, take
theirs keeps the typed text as a draft, and a form's text survives the app being killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from conftest import FIXED_DAY, settle
from textual.widgets import Input

from planner.app import make_app
from planner.core import models as m
from planner.screens.conflict_dialog import ConflictDialog
from planner.screens.draft_offer import DraftOffer
from planner.screens.record_form import RecordForm
from planner.store.startup import open_store
from planner.widgets.account_table import AccountTable

SIZE = (100, 30)


def _rep_b(store):
    return open_store(store.db.url.removeprefix("sqlite:///"), user="rep-b")


async def _open_top_account_form(pilot) -> tuple[str, RecordForm]:
    await settle(pilot)
    table = pilot.app.screen.query_one(AccountTable)
    account_id = table.rows[table.cursor].row.id
    await pilot.press("e")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, RecordForm)
    return account_id, form


async def _type(pilot, form: RecordForm, **values: str) -> None:
    for name, value in values.items():
        form.query_one(f"#field-{name}", Input).value = value
    await pilot.pause()


async def test_keep_mine_writes_only_the_fields_i_changed_on_top_of_theirs(demo_store):
    """rep1 saves Region; rep2, who only changed Profit, keeps theirs... their own:
    Region stays as rep1 saved it (it used to go back to the old value)."""
    rep1, rep2 = make_app(demo_store, today=FIXED_DAY), make_app(_rep_b(demo_store), today=FIXED_DAY)
    async with rep1.run_test(size=SIZE) as one, rep2.run_test(size=SIZE) as two:
        account_id, form1 = await _open_top_account_form(one)
        _, form2 = await _open_top_account_form(two)
        await _type(one, form1, region="Saved by rep1")
        await one.press("ctrl+s")
        await settle(one)
        await _type(two, form2, profit="4321")
        await two.press("ctrl+s")
        await settle(two)
        dialog = rep2.screen
        assert isinstance(dialog, ConflictDialog) and dialog.can_merge
        assert rep2.focused is not None and rep2.focused.id == "keep"  # merge is offered first
        await two.press("m")
        await settle(two)
        assert not isinstance(rep2.screen, (ConflictDialog, RecordForm))
    saved = demo_store.get(m.Account, account_id)
    assert (saved.region, saved.profit) == ("Saved by rep1", 4321)


async def test_when_we_both_changed_a_field_keep_mine_wins_there_and_theirs_stay_elsewhere(demo_store):
    rep1, rep2 = make_app(demo_store, today=FIXED_DAY), make_app(_rep_b(demo_store), today=FIXED_DAY)
    async with rep1.run_test(size=SIZE) as one, rep2.run_test(size=SIZE) as two:
        account_id, form1 = await _open_top_account_form(one)
        _, form2 = await _open_top_account_form(two)
        await _type(one, form1, region="rep1's region", owner="rep1")
        await one.press("ctrl+s")
        await settle(one)
        await _type(two, form2, region="rep2's region")
        await two.press("ctrl+s")
        await settle(two)
        dialog = rep2.screen
        assert isinstance(dialog, ConflictDialog) and not dialog.can_merge
        await two.press("m")
        await settle(two)
    saved = demo_store.get(m.Account, account_id)
    assert (saved.region, saved.owner) == ("rep2's region", "rep1")


async def test_take_theirs_keeps_what_i_typed_as_a_draft_to_restore(demo_store):
    rep1, rep2 = make_app(demo_store, today=FIXED_DAY), make_app(_rep_b(demo_store), today=FIXED_DAY)
    async with rep1.run_test(size=SIZE) as one, rep2.run_test(size=SIZE) as two:
        account_id, form1 = await _open_top_account_form(one)
        _, form2 = await _open_top_account_form(two)
        await _type(one, form1, region="Theirs")
        await one.press("ctrl+s")
        await settle(one)
        await _type(two, form2, region="Mine, typed with care")
        await two.press("ctrl+s")
        await settle(two)
        await two.press("t")
        await settle(two)
        assert not isinstance(rep2.screen, (ConflictDialog, RecordForm))
        messages = [n.message for n in rep2._notifications]
        assert any("kept as a draft" in message for message in messages)
        assert not any(message.startswith("Saved") for message in messages)
        assert demo_store.get(m.Account, account_id).region == "Theirs"
        await two.press("e")
        await settle(two)
        assert isinstance(rep2.screen, DraftOffer)
        await two.press("r")
        await two.pause()
        form = rep2.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#field-region", Input).value == "Mine, typed with care"


async def test_discarding_a_draft_forgets_it(demo_store):
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        _, form = await _open_top_account_form(pilot)
        await _type(pilot, form, region="Half a thought")
        await pilot.pause(1.3)  # typing paused: the draft is kept
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, DraftOffer)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)  # no offer: the draft is gone


CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    from planner.app import make_app
    from planner.store.startup import open_store
    from textual.widgets import Input

    app = make_app(open_store(sys.argv[1], user="rep-a"), today=date(2026, 11, 27))

    async def auto(pilot):
        await pilot.pause(1.5)
        await pilot.press("n")
        await pilot.pause(0.5)
        app.screen.query_one("#field-name", Input).value = "Typed before the lid closed"
        await pilot.pause(2.0)  # typing paused long enough for the draft
        print("TYPED", flush=True)
        await pilot.pause(60)

    app.run(headless=True, size=(100, 30), auto_pilot=auto)
    """
)


async def test_a_form_survives_the_app_being_killed(demo_store, tmp_path):
    path = demo_store.db.url.removeprefix("sqlite:///")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen([sys.executable, "-c", CHILD, path], stdout=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while "TYPED" not in line and time.monotonic() < deadline:
            line = child.stdout.readline() if child.stdout else ""
        assert "TYPED" in line
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, DraftOffer)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.query_one("#field-name", Input).value == "Typed before the lid closed"
