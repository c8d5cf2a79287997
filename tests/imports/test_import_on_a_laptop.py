"""An import made on a laptop copy reaches the team database by sync with its import
ids and guesses, and importing the same files on the team then changes nothing."""

from __future__ import annotations

import sys
from pathlib import Path

from crm_exports import write_salesforce

from planner.core import models as m
from planner.core.imports import salesforce

sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))
from replicas import content, make_laptop, sync


def test_a_laptops_import_syncs_whole_and_the_team_need_not_import_again(store, db_path, tmp_path):
    export = write_salesforce(tmp_path / "sf", accounts=6, contacts=40, opportunities=9, problems=False)
    laptop = make_laptop(db_path, tmp_path / "laptop.db")
    laptop.apply_import(salesforce.read(export.folder))
    report = sync(laptop, db_path)
    assert report.sent > 0 and report.conflicts == 0
    assert content(store) == content(laptop)
    people = [p for p in store.list(m.Person) if p.import_source == "salesforce"]
    assert len(people) == 40 and all(p.imported for p in people)
    assert sum(p.layer_guessed for p in people) == 40 and sum(p.reports_to_id is not None for p in people) > 20
    again = store.apply_import(salesforce.read(export.folder))
    assert not again.changes_anything and again.counts["person"]["unchanged"] == 40
    laptop.db.close()
