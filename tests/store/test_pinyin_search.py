"""Pinyin search in the store: keys kept with the rows on every write path, and found."""

from __future__ import annotations

import json
from datetime import date

from records import make_account, raw_log
from shared_helpers import by_hand
from test_migrations import _database_at

from planner.core import models as m
from planner.core.portfolio import ListFilter, select_accounts
from planner.store.startup import open_store

DAY = date(2026, 12, 3)


def _filter(store, text: str) -> list[str]:
    return [s.row.name for s in select_accounts(store.portfolio(DAY), {}, ListFilter(text=text))]


def _stored_key(store, model: type[m.Record], row_id: str) -> str:
    return store.get(model, row_id).search_key


def test_the_customer_list_filter_finds_by_pinyin_initials_and_full(store):
    make_account(store, name="江南科技大学", revenue=5.0)
    make_account(store, name="江北银行", revenue=3.0)
    make_account(store, name="Jiangsu Power", revenue=1.0)
    assert _filter(store, "jnkj") == ["江南科技大学"]
    assert _filter(store, "jiangnan") == ["江南科技大学"]
    assert _filter(store, "JiangNan KeJi") == ["江南科技大学"]
    assert _filter(store, "jiang") == ["江南科技大学", "江北银行", "Jiangsu Power"]  # 80/20 order
    assert _filter(store, "科技") == ["江南科技大学"] and _filter(store, "power") == ["Jiangsu Power"]


def test_people_search_finds_by_pinyin_alongside_name_and_title(store):
    acme = make_account(store, name="Acme")
    store.create(m.Person, account_id=acme.id, name="张伟", title="主任")
    store.create(m.Person, account_id=acme.id, name="Zoe Wang", title="CIO")
    store.create(m.Person, account_id=acme.id, name="王芳", title="Engineer")
    assert [h.name for h in store.search_people("zw")] == ["张伟"]  # Zoe Wang's initials are not a key
    assert [h.name for h in store.search_people("zhangwei")] == ["张伟"]
    assert [h.name for h in store.search_people("zhang wei")] == ["张伟"]
    assert [h.name for h in store.search_people("wang")] == ["Zoe Wang", "王芳"]
    assert [h.name for h in store.search_people("主任")] == ["张伟"]


def test_a_latin_word_finds_latin_mixed_and_chinese_names_alike(store):
    """For one word the store judges a row with a key on the key alone: the key must
    hold the name's own letters and digits as well as its pinyin."""
    acme = make_account(store, name="Acme")
    for name in ("Mary Chen", "陈伟", "IBM中国 3M Li", "王芳"):
        store.create(m.Person, account_id=acme.id, name=name)
    assert [h.name for h in store.search_people("Chen")] == ["Mary Chen", "陈伟"]
    assert [h.name for h in store.search_people("ibm")] == ["IBM中国 3M Li"]
    assert [h.name for h in store.search_people("3m")] == ["IBM中国 3M Li"]
    assert [h.name for h in store.search_people("mary chen")] == ["Mary Chen"]


def test_the_key_follows_the_name_and_stays_out_of_the_change_log(store):
    account = make_account(store, name="江南科技大学")
    assert _stored_key(store, m.Account, account.id) == "jiangnankejidaxue jnkjdx"
    renamed = store.update(m.Account, account.id, account.version, name="重庆大学")
    assert _stored_key(store, m.Account, account.id) == "chongqingdaxue cqdx"
    store.update(m.Account, account.id, renamed.version, name="Chongqing University")
    assert _stored_key(store, m.Account, account.id) == ""
    assert _filter(store, "cqdx") == []
    person = store.create(m.Person, account_id=account.id, name="张伟")
    store.update(m.Person, person.id, person.version, name="李娜")
    assert _stored_key(store, m.Person, person.id) == "lina ln"
    logged = [json.loads(entry.changes) for entry in raw_log(store, m.Account, account.id)]
    logged += [json.loads(entry.changes) for entry in raw_log(store, m.Person, person.id)]
    assert all("search_key" not in changes for changes in logged)
    assert store.history(m.Account, account.id)  # the history reads without the key


def test_an_edit_of_another_field_keeps_the_key(store):
    account = make_account(store, name="江南科技大学")
    store.update(m.Account, account.id, account.version, revenue=9.0)
    assert _stored_key(store, m.Account, account.id) == "jiangnankejidaxue jnkjdx"


def test_bulk_inserts_get_keys(store):
    account_id, person_id = m.new_id(), m.new_id()
    store.bulk_insert(
        [
            (m.Account, [{"id": account_id, "name": "江南科技大学"}]),
            (m.Person, [{"id": person_id, "account_id": account_id, "name": "张伟"}]),
        ]
    )
    assert _stored_key(store, m.Account, account_id) == "jiangnankejidaxue jnkjdx"
    assert _stored_key(store, m.Person, person_id) == "zhangwei zw"
    assert _filter(store, "jnkj") == ["江南科技大学"]
    assert "search_key" not in json.loads(raw_log(store, m.Person, person_id)[0].changes)


def test_a_0006_database_gets_keys_for_the_rows_it_holds(empty_database_url):
    url = empty_database_url
    _database_at(url, "0006")
    by_hand(
        url,
        "INSERT INTO account (id, name, created_at, updated_at, updated_by, version, region, account_class,"
        " owner, revenue, profit, influence, input_people, input_money, input_material, application_level,"
        " problems, procurement_method, notes) VALUES ('a1', '江南科技大学', '2026-11-01 09:00:00.000000',"
        " '2026-11-01 09:00:00.000000', 'li', 1, '', 'A', 'li', 9.0, 0, 3, 0, 0, 0, '', '', '', '')",
    )
    by_hand(
        url,
        "INSERT INTO person (id, account_id, name, created_at, updated_at, updated_by, version, title, layer,"
        " value_orientation, characteristics, influence, closeness, stance, phone, email, notes)"
        " VALUES ('p1', 'a1', '张伟', '2026-11-01 09:00:00.000000', '2026-11-01 09:00:00.000000', 'li', 1,"
        " '', 'usage', '', '', 3, 1, 'unknown', '', '', '')",
    )
    store = open_store(url, user="rep-a")
    try:
        assert _stored_key(store, m.Account, "a1") == "jiangnankejidaxue jnkjdx"
        assert [h.name for h in store.search_people("zw")] == ["张伟"]
        assert _filter(store, "jnkj") == ["江南科技大学"]
    finally:
        store.db.close()
