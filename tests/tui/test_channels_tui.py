"""How a contact happened, recorded in the visit form and read back on the stakeholder
cards: the real app on the demo database, driven as a rep would."""

from __future__ import annotations

from conftest import FIXED_DAY, settle, university
from textual.widgets import Select, SelectionList, Static

from planner.app import make_app
from planner.core import models as m
from planner.screens.account_overview import AccountOverviewScreen
from planner.screens.stakeholders import StakeholdersScreen
from planner.screens.visit_form import VisitForm
from planner.widgets.stakeholder_card import StakeholderCard

SIZE = (100, 30)


def named(store, account: m.Account, name: str) -> m.Person:
    return next(p for p in store.list(m.Person, account_id=account.id) if p.name == name)


def shown(widget) -> str:
    return str(widget.render())


async def new_visit(pilot) -> VisitForm:
    await settle(pilot)
    await pilot.press("4", "n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, VisitForm)
    return form


async def test_an_introduction_recorded_in_the_form_shows_as_a_path_on_the_card(demo_store):
    account = university(demo_store)
    qian, huang = named(demo_store, account, "钱俊"), named(demo_store, account, "黄磊")
    before = len(demo_store.list(m.Visit, account_id=account.id))
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.push_screen(AccountOverviewScreen(account.id))
        form = await new_visit(pilot)
        assert form.query_one("#field-channel", Select).value == "visit"
        form.query_one("#field-channel", Select).value = "introduction"
        form.query_one("#field-introduced_by_id", Select).value = qian.id
        form.query_one("#people", SelectionList).select(huang.id)
        form.query_one("#field-purpose").load_text("钱俊 brings his colleague from the CS school")
        form.query_one("#field-commitment").load_text("黄磊 will send the course's lab needs")
        await settle(pilot)
        assert not form.query_one("#error-introduced_by_id", Static).display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, VisitForm)

        visits = demo_store.list(m.Visit, account_id=account.id)
        assert len(visits) == before + 1
        visit = visits[0]
        assert (visit.channel, visit.introduced_by_id) == ("introduction", qian.id)
        assert [p.id for p in demo_store.visit_people(visit.id)] == [huang.id]

        await pilot.app.push_screen(StakeholdersScreen(account.id))
        await settle(pilot)
        screen = app.screen
        card = screen.query_one(f"#card-{huang.id}", StakeholderCard)
        assert "Introduced by 钱俊 ← 孙明 ← 林晨" in card.render().plain
        card.focus()
        await settle(pilot)
        assert shown(screen.query_one("#stakeholder-path", Static)) == (
            "黄磊 ← introduced by 钱俊 ← introduced by 孙明 ← introduced by 林晨 (林晨 first met: visit)"
        )
        lin = screen.query_one(f"#card-{named(demo_store, account, '林晨').id}", StakeholderCard)
        assert "First met: visit" in lin.render().plain


async def test_the_introducer_among_the_people_introduced_is_refused_at_the_field(demo_store):
    account = university(demo_store)
    qian, huang = named(demo_store, account, "钱俊"), named(demo_store, account, "黄磊")
    before = len(demo_store.list(m.Visit, account_id=account.id))
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.push_screen(AccountOverviewScreen(account.id))
        form = await new_visit(pilot)
        form.query_one("#field-channel", Select).value = "introduction"
        form.query_one("#field-introduced_by_id", Select).value = qian.id
        people = form.query_one("#people", SelectionList)
        people.select(huang.id)
        people.select(qian.id)
        form.query_one("#field-commitment").load_text("黄磊 will send the course's lab needs")
        await settle(pilot)
        error = form.query_one("#error-introduced_by_id", Static)
        assert error.display and "cannot be one of the people introduced" in shown(error)

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "a wrong introducer is not saved"
        assert "Please correct 1 field." in shown(form.query_one("#problem", Static))
        assert app.focused is form.query_one("#field-introduced_by_id", Select)
        assert len(demo_store.list(m.Visit, account_id=account.id)) == before
        # nothing typed is lost: the rep unticks the introducer and saves
        assert form.query_one("#field-introduced_by_id", Select).value == qian.id
        assert form.query_one("#field-commitment").text == "黄磊 will send the course's lab needs"
        people.deselect(qian.id)
        await settle(pilot)
        assert not error.display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, VisitForm)
    saved = demo_store.list(m.Visit, account_id=account.id)[0]
    assert saved.introduced_by_id == qian.id
    assert [p.id for p in demo_store.visit_people(saved.id)] == [huang.id]


async def test_an_introducer_on_a_phone_call_is_refused_until_the_channel_says_introduction(demo_store):
    account = university(demo_store)
    qian = named(demo_store, account, "钱俊")
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.push_screen(AccountOverviewScreen(account.id))
        form = await new_visit(pilot)
        form.query_one("#field-channel", Select).value = "phone"
        form.query_one("#field-introduced_by_id", Select).value = qian.id
        form.query_one("#field-commitment").load_text("He will call back on Monday")
        await settle(pilot)
        error = form.query_one("#error-introduced_by_id", Static)
        assert "Only an introduction has an introducer" in shown(error)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form

        form.query_one("#field-introduced_by_id", Select).value = Select.NULL
        await settle(pilot)
        assert not error.display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, VisitForm)
    saved = demo_store.list(m.Visit, account_id=account.id)[0]
    assert (saved.channel, saved.introduced_by_id) == ("phone", None)


async def test_editing_an_introduction_shows_how_it_happened_and_who_introduced(demo_store):
    account = university(demo_store)
    dean = named(demo_store, account, "孙明")
    intro = next(v for v in demo_store.list(m.Visit, account_id=account.id) if v.introduced_by_id == dean.id)
    app = make_app(demo_store, today=FIXED_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.push_screen(AccountOverviewScreen(account.id))
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#visits-table")
        table.move_cursor(row=[v.id for v in demo_store.list(m.Visit, account_id=account.id)].index(intro.id))
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, VisitForm)
        assert form.query_one("#field-channel", Select).value == "introduction"
        assert form.query_one("#field-introduced_by_id", Select).value == dean.id
        assert not form.has_unsaved_typing()


async def test_the_visit_form_names_the_five_things_to_bring_in_both_languages(demo_store, chinese):
    from textual.widgets import Label

    from planner.core import i18n
    from planner.widgets.tick_box import TickBox

    account = university(demo_store)
    for language, heading, first in (("zh", "五件宝", "名片"), ("en", "The five things to bring", "Business cards")):
        i18n.set_language(language)
        app = make_app(demo_store, today=FIXED_DAY)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.app.push_screen(AccountOverviewScreen(account.id))
            form = await new_visit(pilot)
            shown = [w for w in form.query("#fields > *") if isinstance(w, (Label, TickBox))]
            texts = [str(w.render()) if isinstance(w, Label) else w.label for w in shown]
            at = texts.index(heading)
            assert first in str(texts[at + 1])
