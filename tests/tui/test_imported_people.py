"""People an import brought in: the card says their layer was guessed from the title,
until the rep confirms it with one key or changes it in the form."""

from __future__ import annotations

from crm_exports import build, write
from test_stakeholders import SIZE, messages, open_cards, select

from planner.app import make_app
from planner.core import models as m
from planner.core.imports import salesforce
from planner.widgets.stakeholder_card import GUESSED, StakeholderCard


async def test_a_guessed_layer_shows_on_the_card_until_the_rep_confirms_it(store, tmp_path):
    export = build(tmp_path / "sf", 1, 4, 0)
    write(export)
    store.apply_import(salesforce.read(export.folder))
    account = next(a for a in store.list(m.Account) if a.import_source == "salesforce")
    people = store.list(m.Person, account_id=account.id)
    president = next(p for p in people if p.title == "President")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_cards(pilot, account.id)
        card = await select(pilot, screen, president.id)
        assert card.has_class("-guessed") and GUESSED in str(card.border_subtitle)
        await pilot.press("y")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        confirmed = store.get(m.Person, president.id)
        assert confirmed.layer == "image" and not confirmed.layer_guessed
        card = screen.query_one(f"#card-{president.id}", StakeholderCard)
        assert not card.has_class("-guessed") and GUESSED not in str(card.border_subtitle or "")
        await pilot.press("y")
        await pilot.pause()
        assert any("is not a guess" in text for text in messages(pilot.app))
