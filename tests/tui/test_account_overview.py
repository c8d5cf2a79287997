"""The account overview: profile, projects, purchases and visits, driven by keys."""

from __future__ import annotations

from datetime import date

from conftest import FIXED_DAY, edit_as_rep_b, history_text, settle, university
from rich.console import Console
from textual.widgets import Input, SelectionList, Static, TabbedContent

from planner.app import make_app
from planner.core import models as m
from planner.core.analysis import forecast_year
from planner.core.formatting import money
from planner.screens.account_overview import AccountOverviewScreen
from planner.screens.confirm import Confirm
from planner.screens.history import HistoryScreen
from planner.screens.record_form import RecordForm
from planner.screens.visit_form import VisitForm
from planner.widgets.account_profile import AccountProfile
from planner.widgets.record_table import RecordTable


async def open_overview(pilot, account_id: str) -> AccountOverviewScreen:
    await settle(pilot)
    await pilot.app.push_screen(AccountOverviewScreen(account_id))
    await settle(pilot)
    return pilot.app.screen


def profile_text(screen) -> str:
    console = Console(width=100, record=True)
    console.print(screen.query_one(AccountProfile).content)
    return console.export_text()


async def test_profile_shows_fields_industry_pattern_service_tier_and_flags(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_overview(pilot, account.id)
        text = profile_text(screen)
        assert account.region in text
        assert "KEY ACCOUNT" in text
        assert "special pricing, close care, value-added service" in text
        assert "How Education buys" in text
        for flag in demo_store.red_flags(FIXED_DAY, account.id)[account.id]:
            assert flag.message.split(":")[0] in text


async def test_projects_add_validate_move_stage_and_delete(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_overview(pilot, account.id)
        await pilot.press("2")
        assert screen.query_one(TabbedContent).active == "projects"
        table = screen.query_one("#projects-table", RecordTable)
        assert table.row_count == len(demo_store.list(m.Project, account_id=account.id))

        await pilot.press("n", *"Campus Wi-Fi 6")
        form = app.screen
        form.query_one("#field-amount", Input).value = "80万"
        form.query_one("#field-expected_date", Input).value = "2027-02-30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "real date" in str(form.query_one("#error-expected_date", Static).render())
        form.query_one("#field-expected_date", Input).value = "2027-03-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        project = next(p for p in demo_store.list(m.Project, account_id=account.id) if p.name == "Campus Wi-Fi 6")
        assert (project.amount, project.expected_date, project.stage) == (800_000, date(2027, 3, 1), "potential")

        table = screen.query_one("#projects-table", RecordTable)
        table.focus()
        table.move_cursor(row=[r.id for r in table.records].index(project.id))
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert demo_store.get(m.Project, project.id).stage == "incubating"
        await pilot.press("d")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert project.id not in [p.id for p in demo_store.list(m.Project, account_id=account.id)]


async def test_purchases_show_history_by_year_and_the_forecast_method(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_overview(pilot, account.id)
        await pilot.press("3")
        text = str(screen.query_one("#forecast", Static).render())
        data = demo_store.overview(account.id, FIXED_DAY)
        assert f"Forecast {forecast_year(FIXED_DAY)}" in text
        assert data.forecast.method in text
        assert str(data.yearly[0][0]) in text

        await pilot.press("n")
        form = app.screen
        form.query_one("#field-purchased_on", Input).value = "2026-11-20"
        form.query_one("#field-amount", Input).value = "-5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "cannot be negative" in str(form.query_one("#error-amount", Static).render())
        form.query_one("#field-amount", Input).value = "5000"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(demo_store.list(m.Purchase, account_id=account.id)) == len(data.purchases) + 1


async def test_a_visit_without_commitment_asks_first_and_becomes_a_red_flag(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_overview(pilot, account.id)
        await pilot.press("4", "n")
        form = app.screen
        assert isinstance(form, VisitForm)
        assert form.query_one("#field-visited_on", Input).value == FIXED_DAY.isoformat()
        people = form.query_one("#people", SelectionList)
        first = demo_store.list(m.Person, account_id=account.id)[0]
        people.select(first.id)
        form.query_one("#field-purpose").load_text("Review the HPC tender timeline")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
    visit = demo_store.list(m.Visit, account_id=account.id)[0]
    assert visit.visited_on == FIXED_DAY and visit.purpose == "Review the HPC tender timeline"
    assert [p.id for p in demo_store.visit_people(visit.id)] == [first.id]
    codes = [f.code for f in demo_store.red_flags(FIXED_DAY, account.id)[account.id]]
    assert "no-commitment" in codes


async def test_a_visit_with_a_commitment_saves_without_asking(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_overview(pilot, account.id)
        await pilot.press("4", "n")
        form = app.screen
        form.query_one("#field-commitment").load_text("Director signs the pilot order by Friday")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, (Confirm, RecordForm))
    assert demo_store.list(m.Visit, account_id=account.id)[0].commitment.startswith("Director signs")


async def test_edit_account_and_change_class_from_the_overview(demo_store):
    account = university(demo_store)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_overview(pilot, account.id)
        await pilot.press("e")
        form = app.screen
        assert form.query_one("#field-name", Input).value == account.name
        form.query_one("#field-profit", Input).value = "1.2m"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
    changed = demo_store.get(m.Account, account.id)
    assert (changed.profit, changed.account_class) == (1_200_000, "B")


async def test_an_account_deleted_by_someone_else_closes_with_a_message(demo_store):
    account = university(demo_store)
    demo_store.delete(m.Account, account.id, account.version)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(AccountOverviewScreen(account.id))
        await settle(pilot)
        assert not isinstance(app.screen, AccountOverviewScreen)


async def test_h_shows_the_history_of_the_highlighted_row_and_of_the_account_on_the_profile(demo_store):
    account = university(demo_store)
    project = demo_store.list(m.Project, account_id=account.id)[-1]
    edit_as_rep_b(demo_store, m.Project, project.id, name="Campus Wi-Fi 6")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_overview(pilot, account.id)
        await pilot.press("2")
        table = screen.query_one("#projects-table", RecordTable)
        table.focus()
        table.move_cursor(row=[r.id for r in table.records].index(project.id))
        await pilot.press("h")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert (history.model, history.row_id) == (m.Project, project.id)
        assert history.sub_title == "History of project Campus Wi-Fi 6"
        assert "rep-b" in history_text(history) and f"{project.name} → Campus Wi-Fi 6" in history_text(history)

        await pilot.press("escape", "1", "h")
        await settle(pilot)
        assert (app.screen.model, app.screen.row_id) == (m.Account, account.id)


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def highlight_project(pilot, screen, project_id: str) -> None:
    table = screen.query_one("#projects-table", RecordTable)
    table.focus()
    table.move_cursor(row=[r.id for r in table.records].index(project_id))
    await pilot.pause()


async def test_brackets_step_a_project_to_producing_and_won_or_lost_is_set_with_w_and_l(demo_store):
    account = university(demo_store)
    projects = {p.stage: p for p in demo_store.list(m.Project, account_id=account.id)}
    won, lost, producing, potential = (projects[s] for s in ("won", "lost", "producing", "potential"))
    stage = lambda project: demo_store.get(m.Project, project.id).stage  # noqa: E731
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_overview(pilot, account.id)
        await pilot.press("right_square_bracket")  # on the profile: says where it works
        await settle(pilot)
        assert "Open the projects tab (2) and highlight a project first." in messages(app)
        await pilot.press("2")
        await settle(pilot)

        # Won and lost are outcomes: ] does not step from one to the other.
        await highlight_project(pilot, screen, won.id)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert stage(won) == "won"
        assert any("is won: [ reopens it as producing" in text for text in messages(app))
        await highlight_project(pilot, screen, lost.id)
        await pilot.press("left_square_bracket")  # reopening asks first
        assert isinstance(app.screen, Confirm) and "Reopen" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert stage(lost) == "lost"
        await pilot.press("left_square_bracket", "y")
        await settle(pilot)
        assert stage(lost) == "producing"

        # The steps end at producing; W and L end a project, each after asking.
        await highlight_project(pilot, screen, producing.id)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert stage(producing) == "producing"
        assert "A producing project ends as won (W) or lost (L)." in messages(app)
        await pilot.press("W")
        assert isinstance(app.screen, Confirm) and "as won" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert stage(producing) == "won"
        await pilot.press("W")
        await settle(pilot)
        assert not isinstance(app.screen, Confirm)
        assert any("is already won" in text for text in messages(app))

        await highlight_project(pilot, screen, potential.id)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert stage(potential) == "potential"
        assert any("is at the first stage, potential" in text for text in messages(app))
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert stage(potential) == "producing"
        await pilot.press("L", "y")
        await settle(pilot)
        assert stage(potential) == "lost"
        assert screen.query_one("#projects-table", RecordTable).current.id == potential.id
        assert "W won · L lost" in str(screen.query_one("#stage-values", Static).render())


async def test_the_stage_keys_act_on_the_projects_table_only(demo_store):
    account = university(demo_store)
    before = {p.id: (p.stage, p.version) for p in demo_store.list(m.Project, account_id=account.id)}
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_overview(pilot, account.id)
        for tab in ("3", "4"):
            await pilot.press(tab)
            await settle(pilot)
            await pilot.press("right_square_bracket", "left_square_bracket", "W", "L")
            await settle(pilot)
            assert not isinstance(app.screen, Confirm)
        assert messages(app).count("Open the projects tab (2) and highlight a project first.") == 8
    assert {p.id: (p.stage, p.version) for p in demo_store.list(m.Project, account_id=account.id)} == before


async def test_t_sets_this_years_revenue_to_this_years_purchases_after_showing_old_and_new(demo_store):
    """The demo's revenue matches its 2026 purchases; one more purchase makes them differ."""
    account = university(demo_store)
    demo_store.create(m.Purchase, account_id=account.id, purchased_on=date(2026, 11, 2), amount=150_000.0)
    bought = sum(p.amount for p in demo_store.list(m.Purchase, account_id=account.id) if p.purchased_on.year == 2026)
    assert bought == account.revenue + 150_000
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_overview(pilot, account.id)
        text = profile_text(screen)
        said = f"this year: {money(account.revenue)} · purchases recorded this year: {money(bought)}"
        assert f"{said} (t\u00a0takes\u00a0it)" in text
        await pilot.press("t")
        await pilot.pause()
        question = str(app.screen.query_one("#question", Static).render())
        assert f"{money(account.revenue)} → {money(bought)}" in question
        await pilot.press("y")
        await settle(pilot)
        stored = demo_store.get(m.Account, account.id)
        assert (stored.revenue, stored.version) == (bought, account.version + 1)
        assert "takes\u00a0it" not in profile_text(screen)
        await pilot.press("t")
        await pilot.pause()
        assert screen is app.screen and any("already equals" in n.message for n in app._notifications)
