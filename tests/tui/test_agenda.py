"""The agenda screen, driven through Pilot on the demo data at a fixed date."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import OptionList, Static

from planner.app import make_app
from planner.core.agenda import OVERDUE, THIS_WEEK, TODAY, option_id, sections
from planner.core.analysis import AgendaItem
from planner.core.models import Account, Action, Visit
from planner.screens.agenda import AgendaScreen
from planner.store import seed
from planner.store.startup import open_store

FIXED = date(2026, 11, 27)


@pytest.fixture
def agenda_store(tmp_path):
    store = open_store(str(tmp_path / "demo.db"), user="rep-a")
    seed.demo(store, FIXED)
    yield store
    store.db.close()


async def settle(pilot) -> None:
    """Wait until no worker runs: marking done starts a reload from its own thread."""
    while pilot.app.workers:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause()


async def open_agenda(pilot) -> AgendaScreen:
    screen = AgendaScreen()
    await pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


def shown(screen: AgendaScreen) -> list[str]:
    """Option ids of the agenda lines, top to bottom, headings left out."""
    return [o.id for o in screen.query_one(OptionList).options if not o.disabled and o.id]


def highlight(screen: AgendaScreen, item: AgendaItem) -> None:
    listing = screen.query_one(OptionList)
    listing.highlighted = listing.get_option_index(option_id(item))


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


# --- the pure grouping --------------------------------------------------------------------


def item(cls: str, due: date, kind: str = "action", ref: str = "r") -> AgendaItem:
    return AgendaItem(kind, f"acc-{cls}", f"Account {cls}", cls, f"{kind} {ref}", due, ref)


def test_sections_split_the_core_order_into_runs_without_reordering():
    today = date(2026, 11, 27)
    items = [
        item("A", date(2026, 11, 20), ref="1"),
        item("A", date(2026, 11, 25), "stale", ref="2"),
        item("A", today, ref="3"),
        item("A", date(2026, 12, 1), "follow-up", ref="4"),
        item("B", date(2026, 11, 1), ref="5"),
        item("B", date(2026, 12, 3), ref="6"),
        item("C", today, "stale", ref="7"),
    ]
    found = sections(items, today)
    assert [(s.account_class, s.band, len(s.items)) for s in found] == [
        ("A", OVERDUE, 2),
        ("A", TODAY, 1),
        ("A", THIS_WEEK, 1),
        ("B", OVERDUE, 1),
        ("B", THIS_WEEK, 1),
        ("C", TODAY, 1),
    ]
    assert [i for s in found for i in s.items] == items
    assert found[0].heading == "A · producing — Overdue (2)"
    assert sections([], today) == []


# --- the screen ---------------------------------------------------------------------------


async def test_the_agenda_shows_the_core_order_a_before_b_before_c(agenda_store):
    app = make_app(agenda_store, today=FIXED)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_agenda(pilot)
        expected = agenda_store.agenda(FIXED)
        assert expected, "the demo must have something due"
        assert shown(screen) == [option_id(i) for i in expected]
        classes = [screen.items[i].account_class for i in shown(screen)]
        assert classes == sorted(classes)
        assert {"A", "B", "C"} <= set(classes)
        first = screen.query_one(OptionList).options[1].prompt.line(90).plain
        top = expected[0]
        assert first.startswith(f" {top.account_class} ")
        assert top.kind in first and f"! {top.due.isoformat()}" in first
        assert screen.query_one(OptionList).options[0].disabled  # a heading, never a cursor stop
        assert screen.query_one(OptionList).highlighted == 1
        assert "A first" in str(screen.query_one("#agenda-status", Static).render())


async def test_x_marks_an_action_done_and_it_leaves_the_agenda(agenda_store):
    app = make_app(agenda_store, today=FIXED)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_agenda(pilot)
        action = next(i for i in agenda_store.agenda(FIXED) if i.kind == "action")
        highlight(screen, action)
        await pilot.press("x")
        await settle(pilot)
        assert agenda_store.get(Action, action.ref_id).status == "done"
        assert option_id(action) not in shown(screen)
        assert option_id(action) not in [option_id(i) for i in agenda_store.agenda(FIXED)]
        assert f"Done: {action.title}" in messages(app)


async def test_x_on_a_stale_account_changes_nothing_and_says_why(agenda_store):
    app = make_app(agenda_store, today=FIXED)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_agenda(pilot)
        before = agenda_store.agenda(FIXED)
        actions = [(a.id, a.version, a.status) for a in agenda_store.list(Action)]
        highlight(screen, next(i for i in before if i.kind == "stale"))
        await pilot.press("x")
        await settle(pilot)
        assert [(a.id, a.version, a.status) for a in agenda_store.list(Action)] == actions
        assert agenda_store.agenda(FIXED) == before
        assert any("A stale account is cleared by a visit" in m for m in messages(app))


async def test_an_action_deleted_behind_the_screen_is_a_notification_not_a_crash(agenda_store):
    app = make_app(agenda_store, today=FIXED)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_agenda(pilot)
        action = next(i for i in agenda_store.agenda(FIXED) if i.kind == "action")
        highlight(screen, action)
        current = agenda_store.get(Action, action.ref_id)
        agenda_store.delete(Action, current.id, current.version)  # another rep, meanwhile
        await pilot.press("x")
        await settle(pilot)
        assert any("no longer exists" in m for m in messages(app))
        assert option_id(action) not in shown(screen)  # the reload shows the truth
        assert app.screen is screen


async def test_an_action_already_done_elsewhere_is_reported_not_rewritten(agenda_store):
    app = make_app(agenda_store, today=FIXED)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_agenda(pilot)
        action = next(i for i in agenda_store.agenda(FIXED) if i.kind == "action")
        highlight(screen, action)
        current = agenda_store.get(Action, action.ref_id)
        done = agenda_store.update(Action, current.id, current.version, status="done")
        await pilot.press("x")
        await settle(pilot)
        assert agenda_store.get(Action, action.ref_id).version == done.version
        assert any("already marked done" in m for m in messages(app))


async def test_enter_opens_the_account_of_the_line(agenda_store):
    pytest.importorskip("planner.screens.account_overview")
    app = make_app(agenda_store, today=FIXED)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_agenda(pilot)
        chosen = agenda_store.agenda(FIXED)[2]
        highlight(screen, chosen)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "AccountOverviewScreen"
        assert app.screen.account_id == chosen.account_id


async def test_escape_goes_back_and_r_reloads(agenda_store):
    app = make_app(agenda_store, today=FIXED)
    async with app.run_test(size=(100, 30)) as pilot:
        previous = app.screen
        screen = await open_agenda(pilot)
        action = next(i for i in agenda_store.agenda(FIXED) if i.kind == "action")
        current = agenda_store.get(Action, action.ref_id)
        agenda_store.update(Action, current.id, current.version, status="done")
        await pilot.press("r")
        await settle(pilot)
        assert option_id(action) not in shown(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is previous


async def test_an_empty_week_says_so(store):
    app = make_app(store, today=FIXED)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_agenda(pilot)
        assert shown(screen) == []
        empty = screen.query_one("#agenda-empty", Static)
        assert empty.display and "Nothing due this week" in str(empty.render())
        assert str(screen.query_one("#agenda-status", Static).render()) == "All clear for this week."
        assert not screen.query_one(OptionList).display
        await pilot.press("x")
        await pilot.pause()
        assert "Nothing to mark done." in messages(app)


# --- visit follow-ups: every promise stays until it is kept ------------------------------


def promises(store) -> tuple[Account, Visit, Visit]:
    """Two visits at a class B account, each ending with a dated next step: the older
    one's promise is overdue, the newer one's is due this week."""
    account = next(a for a in store.list(Account) if a.account_class == "B")
    older = store.create(
        Visit, account_id=account.id, visited_on=date(2026, 11, 2), commitment="Trial",
        next_step="Send the signed NDA", next_step_date=date(2026, 11, 20),
    )  # fmt: skip
    newer = store.create(
        Visit, account_id=account.id, visited_on=date(2026, 11, 25), commitment="Demo",
        next_step="Book the demo room", next_step_date=date(2026, 12, 1),
    )  # fmt: skip
    return account, older, newer


async def test_every_open_follow_up_of_every_visit_is_listed_in_the_methods_order(agenda_store):
    account, older, newer = promises(agenda_store)
    kept = agenda_store.create(
        Visit, account_id=account.id, visited_on=date(2026, 11, 1), next_step="Call back",
        next_step_date=date(2026, 11, 10), next_step_done=True,
    )  # fmt: skip
    gone = agenda_store.create(
        Visit, account_id=account.id, visited_on=date(2026, 11, 3), next_step="Old plan",
        next_step_date=date(2026, 11, 12),
    )  # fmt: skip
    agenda_store.delete(Visit, gone.id, gone.version)
    app = make_app(agenda_store, today=FIXED)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_agenda(pilot)
        lines = shown(screen)
        assert f"follow-up:{older.id}" in lines and f"follow-up:{newer.id}" in lines
        assert f"follow-up:{kept.id}" not in lines and f"follow-up:{gone.id}" not in lines
        assert lines == [option_id(i) for i in agenda_store.agenda(FIXED)]
        classes = [screen.items[i].account_class for i in lines]
        assert classes == sorted(classes)
        b_lines = [screen.items[i] for i in lines if screen.items[i].account_class == "B"]
        overdue = [i.overdue(FIXED) for i in b_lines]
        assert overdue == sorted(overdue, reverse=True)  # overdue first within the class
        assert screen.items[f"follow-up:{older.id}"].title == "Send the signed NDA"
        assert screen.items[f"follow-up:{older.id}"].overdue(FIXED)


async def test_x_marks_a_follow_up_done_and_it_leaves_the_agenda(agenda_store):
    _, older, newer = promises(agenda_store)
    app = make_app(agenda_store, today=FIXED)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_agenda(pilot)
        highlight(screen, screen.items[f"follow-up:{older.id}"])
        await pilot.press("x")
        await settle(pilot)
        saved = agenda_store.get(Visit, older.id)
        assert saved.next_step_done and saved.version == older.version + 1
        assert (saved.next_step, saved.commitment) == ("Send the signed NDA", "Trial")
        assert f"follow-up:{older.id}" not in shown(screen)
        assert f"follow-up:{newer.id}" in shown(screen)
        assert "Done: Send the signed NDA" in messages(app)


async def test_a_follow_up_changed_meanwhile_is_not_marked_done(agenda_store):
    _, older, _ = promises(agenda_store)
    app = make_app(agenda_store, today=FIXED)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_agenda(pilot)
        highlight(screen, screen.items[f"follow-up:{older.id}"])
        agenda_store.update(Visit, older.id, older.version, next_step="Send the NDA and the price list")
        await pilot.press("x")
        await settle(pilot)
        assert not agenda_store.get(Visit, older.id).next_step_done
        assert any("was changed by" in m for m in messages(app))
        assert screen.items[f"follow-up:{older.id}"].title == "Send the NDA and the price list"


async def test_enter_on_a_follow_up_opens_the_account_on_its_visit(agenda_store):
    pytest.importorskip("planner.screens.account_overview")
    from textual.widgets import TabbedContent

    account, older, _ = promises(agenda_store)
    app = make_app(agenda_store, today=FIXED)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_agenda(pilot)
        highlight(screen, screen.items[f"follow-up:{older.id}"])
        await pilot.press("enter")
        await settle(pilot)
        overview = app.screen
        assert type(overview).__name__ == "AccountOverviewScreen"
        assert overview.account_id == account.id
        assert overview.query_one(TabbedContent).active == "visits"
        table = overview.query_one("#visits-table")
        assert table.current.id == older.id
        assert app.focused is table
        await pilot.press("escape")
        await settle(pilot)
        action = next(i for i in agenda_store.agenda(FIXED) if i.kind == "action")
        highlight(screen, action)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "profile"


def test_agenda_snapshot(agenda_store, snap_compare):
    async def run_before(pilot) -> None:
        await open_agenda(pilot)

    assert snap_compare(make_app(agenda_store, today=FIXED), terminal_size=(100, 30), run_before=run_before)
