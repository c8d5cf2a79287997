"""A laptop copy in the TUI: the badge under the header, the sync key, the Conflicts screen.

Real SQLite files in tmp_path: a team database, laptop copies cloned from it, and syncs
through `sync-serve` run in a thread (tests/sync/replicas.py), injected as the app's
`sync_connect`.
"""

from __future__ import annotations

import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import FIXED_DAY, settle
from records import make_account
from textual.widgets import Input

from planner.app import make_app
from planner.core import models as m
from planner.core.config import Settings
from planner.core.errors import ValidationError
from planner.screens.confirm import Confirm
from planner.screens.conflicts import ConflictsScreen, NewValue
from planner.screens.customer_list import CustomerListScreen
from planner.store.opening import Opening
from planner.store.startup import open_store
from planner.widgets.keys_panel import KeysPanel
from planner.widgets.record_table import RecordTable
from planner.widgets.replica_badge import ReplicaBadge

sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))
from replicas import connect_to, make_laptop, open_conflicts, sync


@pytest.fixture
def team(store, db_path):
    """The team database with two accounts."""
    acme = make_account(store, name="Acme", region="North", revenue=100.0)
    beta = make_account(store, name="Beta", region="South", revenue=5.0)
    return store, db_path, acme, beta


@pytest.fixture
def utc_clock(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def badge(app) -> ReplicaBadge | None:
    found = app.screen.query(ReplicaBadge)
    return found.first() if found else None


def messages(app) -> list[str]:
    return [f"{n.title}: {n.message}" if n.title else n.message for n in app._notifications]


def conflicting_laptop(team, tmp_path, user: str = "rep2"):
    """Two laptops changed Acme's region apart; the second one's sync kept a conflict."""
    _, team_db, acme, _ = team
    one = make_laptop(team_db, tmp_path / "one.db", user="rep1")
    two = make_laptop(team_db, tmp_path / "two.db", user=user)
    one.update(m.Account, acme.id, acme.version, region="East")
    two.update(m.Account, acme.id, acme.version, region="West")
    sync(one, team_db)
    assert sync(two, team_db).conflicts == 1
    one.db.close()
    return two


async def test_the_badge_shows_on_a_laptop_copy_and_not_on_a_team_database(team, tmp_path):
    server, team_db, acme, _ = team
    laptop = make_laptop(team_db, tmp_path / "laptop.db")
    laptop.update(m.Account, acme.id, acme.version, region="East")
    app = make_app(laptop, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = badge(app)
        assert shown is not None
        assert shown.plain.startswith("Laptop copy of team:")
        assert "synced" in shown.plain and "1 to send" in shown.plain
        assert len(shown.plain) <= 78  # fits 80 columns with its padding
        assert shown.region.y == 1  # under the header, on top of nothing
        await pilot.press("enter")  # another screen gets one too
        await settle(pilot)
        assert badge(app) is not None and "1 to send" in badge(app).plain
    laptop.db.close()

    app = make_app(server, today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.check_for_changes()
        await settle(pilot)
        assert badge(app) is None


async def test_the_sync_key_syncs_through_the_injected_transport_and_updates_the_badge(team, tmp_path):
    server, team_db, _, beta = team
    laptop = make_laptop(team_db, tmp_path / "laptop.db")
    server.update(m.Account, beta.id, beta.version, owner="wang")
    app = make_app(laptop, today=FIXED_DAY)
    app.sync_connect = connect_to(team_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")  # the rep's own save: class of the highlighted account
        await settle(pilot)
        assert "1 to send" in badge(app).plain
        home = app.screen

        await pilot.press("ctrl+y")
        await settle(pilot)
        assert any(text.startswith("Synced: sent 1, received 1") for text in messages(app))
        assert "nothing to send" in badge(app).plain
        assert laptop.get(m.Account, beta.id).owner == "wang"
        row = next(s.row for s in home.table.rows if s.row.id == beta.id)
        assert row.owner == "wang"  # the list reloaded
    laptop.db.close()


async def test_a_second_sync_key_while_one_runs_only_says_so(team, tmp_path):
    _, team_db, _, _ = team
    laptop = make_laptop(team_db, tmp_path / "laptop.db")
    release = threading.Event()
    through = connect_to(team_db)

    def slow(*args):
        release.wait(10)
        return through(*args)

    app = make_app(laptop, today=FIXED_DAY)
    app.sync_connect = slow
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert "syncing with team…" in badge(app).plain
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert any("A sync is already running" in text for text in messages(app))
        release.set()
        await settle(pilot)
        assert sum("Synced: sent 0" in text for text in messages(app)) == 1
        assert "syncing" not in badge(app).plain
    laptop.db.close()


async def test_a_failed_sync_says_why_in_one_line(team, tmp_path):
    _, team_db, _, _ = team
    laptop = make_laptop(team_db, tmp_path / "laptop.db")
    app = make_app(laptop, today=FIXED_DAY)
    app.sync_connect = connect_to(team_db, cut_reply=10)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        [failed] = [n for n in app._notifications if n.title == "Sync failed"]
        assert failed.severity == "error" and "Nothing was written" in failed.message
        assert "\n" not in failed.message
        assert "syncing" not in badge(app).plain
    laptop.db.close()


async def test_the_sync_key_on_a_team_database_says_where_sync_runs(team):
    server, *_ = team
    app = make_app(server, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert any("This is the team database" in text and "planner clone" in text for text in messages(app))


async def test_the_sync_and_conflict_keys_are_in_the_help_panel_and_the_palette(team):
    server, *_ = team
    app = make_app(server, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = "\n".join(app.screen.query_one(KeysPanel).lines)
        assert "[sync]" in text and "[conflicts]" in text
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Sync with the team database (^y)" in titles or "Sync with the team database (ctrl+y)" in titles


def table_ids(screen: ConflictsScreen) -> list[str]:
    return [view.id for view in screen.query_one(RecordTable).records]


async def open_conflicts_screen(pilot) -> ConflictsScreen:
    await settle(pilot)
    await pilot.press("F")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConflictsScreen)
    return screen


async def test_the_conflicts_screen_lists_a_conflict_and_o_takes_the_other_value(team, tmp_path):
    _, _, acme, _ = team
    laptop = conflicting_laptop(team, tmp_path)
    [conflict] = open_conflicts(laptop)
    app = make_app(laptop, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "1 conflict (F)" in badge(app).plain
        screen = await open_conflicts_screen(pilot)
        assert table_ids(screen) == [conflict.id]
        detail = str(screen.query_one("#conflict-detail").render())
        assert "Acme: Region changed on two copies" in detail
        kept, other = screen.views[0].kept, screen.views[0].other
        assert {kept, other} == {"East", "West"} and laptop.get(m.Account, acme.id).region == kept

        await pilot.press("o")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert laptop.get(m.Account, acme.id).region == other
        assert open_conflicts(laptop) == []
        assert table_ids(screen) == []
        assert "conflict" not in badge(app).plain and "2 to send" in badge(app).plain  # the value, the decision

        await pilot.press("a")  # the decided ones too
        await settle(pilot)
        assert table_ids(screen) == [conflict.id]
        assert screen.views[0].resolved
    laptop.db.close()


async def test_k_keeps_what_the_merge_kept(team, tmp_path):
    _, _, acme, _ = team
    laptop = conflicting_laptop(team, tmp_path)
    kept = laptop.get(m.Account, acme.id).region
    app = make_app(laptop, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_conflicts_screen(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert open_conflicts(laptop) == [] and table_ids(screen) == []
        assert laptop.get(m.Account, acme.id).region == kept
        assert any(f"Acme keeps {kept}." in text for text in messages(app))
    laptop.db.close()


async def test_n_types_a_new_value_checked_by_the_fields_parser(team, tmp_path):
    _, team_db, acme, _ = team
    one = make_laptop(team_db, tmp_path / "one.db", user="rep1")
    two = make_laptop(team_db, tmp_path / "two.db", user="rep2")
    one.update(m.Account, acme.id, acme.version, revenue=200.0)
    two.update(m.Account, acme.id, acme.version, revenue=300.0)
    sync(one, team_db)
    sync(two, team_db)
    one.db.close()
    app = make_app(two, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_conflicts_screen(pilot)
        await pilot.press("n")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, NewValue)
        box = modal.query_one("#new-value", Input)
        assert box.value == "300" or box.value == "200"  # the value stored now, to edit
        box.value = "lots"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is modal and box.value == "lots"  # nothing typed is lost
        assert "must be a number" in str(modal.query_one("#new-error").render())
        box.value = "120k"
        await pilot.press("enter")
        await settle(pilot)
        assert two.get(m.Account, acme.id).revenue == 120_000.0
        assert open_conflicts(two) == []
    two.db.close()


async def test_o_on_a_delete_against_an_edit_restores_the_record(team, tmp_path):
    _, team_db, _, beta = team
    one = make_laptop(team_db, tmp_path / "one.db")
    two = make_laptop(team_db, tmp_path / "two.db")
    one.delete(m.Account, beta.id, beta.version)
    two.update(m.Account, beta.id, beta.version, revenue=555.0)
    sync(one, team_db)
    sync(two, team_db)
    one.db.close()
    app = make_app(two, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_conflicts_screen(pilot)
        assert "deleted while it was edited elsewhere" in str(screen.query_one("#conflict-detail").render())
        await pilot.press("n")  # no new value for a deleted record
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        await pilot.press("o")
        assert "Restore Beta" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert two.get(m.Account, beta.id).revenue == 555.0
        assert open_conflicts(two) == []
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CustomerListScreen)
        assert beta.id in [s.row.id for s in app.screen.table.rows]
    two.db.close()


def _pinned(laptop_path: Path) -> None:
    """Times, names and the team database's place as a snapshot can show them anywhere."""
    store = open_store(str(laptop_path))
    conflict = m.SyncConflict.__table__
    meta = m.Meta.__table__
    with store.db.write_connection() as connection:
        connection.execute(
            sa.update(conflict).values(
                kept="\"West\"", other="\"East\"", kept_who="rep2", kept_at=datetime(2026, 11, 26, 16, 5, tzinfo=UTC),
                other_who="rep1", other_at=datetime(2026, 11, 26, 15, 40, tzinfo=UTC),
            )
        )  # fmt: skip
        for key, value in {
            "sync_origin": "team-server:/srv/planner/team.db",
            "sync_synced_at": datetime(2026, 11, 27, 10, 42, tzinfo=UTC).isoformat(),
        }.items():
            connection.execute(sa.update(meta).where(meta.c.key == key).values(value=value))
    store.db.close()


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
def test_conflicts_snapshot(snap_compare, team, tmp_path, utc_clock, size):
    laptop = conflicting_laptop(team, tmp_path)
    path = Path(laptop.db.url.removeprefix("sqlite:///"))
    laptop.db.close()
    _pinned(path)
    opened = open_store(str(path), user="rep2")

    async def run_before(pilot):
        await open_conflicts_screen(pilot)

    try:
        assert snap_compare(make_app(opened, today=FIXED_DAY), terminal_size=size, run_before=run_before)
    finally:
        opened.db.close()


async def test_at_start_up_the_badge_waits_for_the_store_the_list_builds(team, tmp_path):
    """The list is drawn before the ORM is loaded; the badge follows on the next poll."""
    _, team_db, _, _ = team
    path = tmp_path / "laptop.db"
    make_laptop(team_db, path).db.close()
    app = make_app(Opening(f"sqlite:///{path}", Settings(), "rep-a"), today=FIXED_DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.opening.store_is_built  # by the list's follow-up
        app.check_for_changes()
        await settle(pilot)
        assert "Laptop copy of team" in badge(app).plain
    app.opening.close()


async def test_filter_sort_and_a_refused_new_value_comes_back_with_its_text(team, tmp_path, monkeypatch):
    laptop = conflicting_laptop(team, tmp_path)
    acme = laptop.list(m.Account)[0]
    other = make_account(laptop, name="Zeta")
    laptop.update(m.Account, other.id, other.version, region="Far")
    app = make_app(laptop, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_conflicts_screen(pilot)
        await pilot.press("slash", "z", "z")
        await pilot.pause()
        assert table_ids(screen) == []
        assert "0 match the filter" in str(screen.query_one("#status").render())
        await pilot.press("escape")  # out of the filter, still on the screen
        assert app.screen is screen and screen.focused is screen.table
        screen.query_one("#conflicts-filter", Input).value = ""
        await pilot.press("s")
        assert "sorted by record" in str(screen.query_one("#status").render())

        def refused(*args, **kwargs):
            raise ValidationError({"region": "Region is not one the team uses."})

        monkeypatch.setattr(type(laptop), "resolve_conflict", refused)
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#new-value", Input).value = "Mars"
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, NewValue)
        assert modal.query_one("#new-value", Input).value == "Mars"
        assert "not one the team uses" in str(modal.query_one("#new-error").render())
    assert laptop.get(m.Account, acme.id).region in ("East", "West")
    laptop.db.close()
