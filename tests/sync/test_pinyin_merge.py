"""Pinyin keys across copies: never sent, worked out by each copy from the merged name."""

from __future__ import annotations

from records import make_account
from replicas import content, make_laptop, open_conflicts, sync

from planner.core import models as m


def test_names_merged_either_way_bring_their_keys_and_no_conflict(store, database_url, tmp_path):
    acme = make_account(store, name="Acme")
    laptop = make_laptop(database_url, tmp_path / "laptop.db")
    mine = laptop.get(m.Account, acme.id)
    laptop.update(m.Account, acme.id, mine.version, name="江南科技大学")
    new_person = laptop.create(m.Person, account_id=acme.id, name="张伟")
    team_person = store.create(m.Person, account_id=acme.id, name="重庆 Li")
    sync(laptop, database_url)
    for side in (store, laptop):
        assert side.get(m.Account, acme.id).search_key == "jiangnankejidaxue jnkjdx"
        assert [h.name for h in side.search_people("zw")] == ["张伟"]
        assert side.get(m.Person, new_person.id).search_key == "zhangwei zw"
        assert side.get(m.Person, team_person.id).search_key == "chongqingli cql"
    assert content(store) == content(laptop) and open_conflicts(store) == []
    again = store.get(m.Account, acme.id)
    store.update(m.Account, acme.id, again.version, name="Acme University")
    sync(laptop, database_url)
    assert laptop.get(m.Account, acme.id).search_key == "" and content(store) == content(laptop)
