"""The home screen, driven through Textual's Pilot on a real demo database."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Static

from planner import reports, seed
from planner.app import make_app
from planner.startup import open_store


@pytest.fixture
def demo_store(tmp_path):
    store = open_store(str(tmp_path / "demo.db"), user="rep-a")
    seed.demo(store, date.today())
    yield store
    store.db.close()


async def test_the_customer_list_shows_every_account_ranked_by_the_core(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        summaries = reports.portfolio(demo_store, date.today())
        assert table.row_count == len(summaries)
        top = max(summaries, key=lambda s: s.row.revenue)
        cells = table.get_row(top.row.id)
        assert cells[0] == top.row.name
        assert cells[6] == "★"
        status = str(app.screen.query_one("#status", Static).render())
        assert f"{len(summaries)} accounts" in status
        await pilot.press("q")
    assert app.return_code == 0
