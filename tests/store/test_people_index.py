"""The people search's in-memory index: the same hits as a LIKE over the person table,
kept current by writes from this store and from others on the same file."""

from __future__ import annotations

import random
import sqlite3
import threading

import pytest
import sqlalchemy as sa
from records import make_account
from shared_helpers import by_hand
from sqlmodel import col

from planner.core import models as m
from planner.core.pinyin import typed_key
from planner.store import people_index
from planner.store.base import columns, live
from planner.store.people_index import PeopleIndex
from planner.store.startup import open_store

SURNAMES = "张王李赵陈刘杨黄周吴徐孙"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "秀英", "文", "建国", "志明"]
LATIN_FIRST = ["Mary", "Tom", "Zoe", "Wei", "Li", "Ann", "Bob", "Tony", "josé", "Zhang"]
LATIN_LAST = ["Chen", "Wang", "Smith", "Zhang", "O'Neil", "Li", "müller", "Zhou"]
TITLES = ["主任", "副主任", "校长", "IT director", "CIO", "Engineer", "工程师 (IT)", "Head of 100% growth"]
TITLES += ["a_b\\c", ""]
FIXED = ["", "%", "_", "\\", "a_b", "100%", "zz-no-such-person", "zznosuchperson", "a", "Z", "张", "3m", "ibm"]
FIXED += ["mary chen", "zhang wei", "ZW", "  wang  ", "it d", "José", "ü", "o'n", "秀英", "xiuying"]


def _name(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        return rng.choice(SURNAMES) + rng.choice(GIVEN)
    latin = f"{rng.choice(LATIN_FIRST)} {rng.choice(LATIN_LAST)}"
    if kind < 0.8:
        shouted = "".join(c.upper() if c.isascii() else c for c in latin)  # SQLite folds ASCII only
        return rng.choice([latin, shouted, latin.lower()])
    return rng.choice([f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)} {latin}", f"IBM中国 3M {rng.choice(LATIN_LAST)}"])


def _people(rng: random.Random, accounts: list[str], count: int) -> list[dict]:
    return [{"account_id": rng.choice(accounts), "name": _name(rng), "title": rng.choice(TITLES)} for _ in range(count)]


def _portfolio(store, rng: random.Random, people: int = 300) -> list[str]:
    accounts = [make_account(store, name=f"Account {n} 客户{n}").id for n in range(5)]
    store.bulk_insert([(m.Person, [{"id": m.new_id(), **values} for values in _people(rng, accounts, people)])])
    return accounts


def _like(column, text: str):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return col(column).ilike(f"%{escaped}%", escape="\\")


def reference(store, text: str, limit: int) -> list[tuple]:
    """The search as one SQL query (the store's before the index): ILIKE on the name and
    the title (as SQLite's LIKE, ASCII case folds on both), the typed letters on the key;
    ties in name order by id."""
    p, a = m.Person, m.Account
    text = text.strip()
    match = [_like(p.name, text), _like(p.title, text)]
    if (typed := typed_key(text)) is not None:
        match.append(_like(p.search_key, typed))
    query = (
        columns(p.id, p.name, p.title, p.layer, p.stance, p.account_id, a.name)
        .join(a, col(p.account_id) == a.id)
        .where(live(p), sa.or_(*match))
        .order_by(p.name, p.id)
        .limit(limit)
    )
    with store.db.read() as session:
        return [tuple(row) for row in session.execute(query)]


def _texts(store, rng: random.Random, count: int) -> list[str]:
    """Texts a rep might type: pieces of names, titles and keys, in any case, and the fixed ones."""
    people = store.list(m.Person)
    texts = list(FIXED)
    for _ in range(count):
        person = rng.choice(people)
        source = rng.choice([person.name, person.title or person.name, person.search_key or person.name])
        start = rng.randrange(len(source))
        piece = source[start : start + rng.randint(1, 6)]
        if rng.random() < 0.3:
            piece = piece.upper() if piece.isascii() else piece
        if rng.random() < 0.2 and len(piece) > 2 and piece.isascii():
            piece = piece[:2] + " " + piece[2:]  # "zh angwei": the spaces go for the key
        texts.append(piece)
    return texts


def _assert_same(store, texts: list[str]) -> None:
    for text in texts:
        for limit in (3, 50):
            assert [tuple(hit) for hit in store.search_people(text, limit=limit)] == reference(store, text, limit), (
                text,
                limit,
            )


def _count_builds(monkeypatch) -> list[int]:
    builds: list[int] = []
    build = PeopleIndex._build

    def counted(self, session):
        builds.append(1)
        build(self, session)

    monkeypatch.setattr(PeopleIndex, "_build", counted)
    return builds


@pytest.fixture(params=[1024, 4], ids=["one-block", "small-blocks"])
def block(request, monkeypatch):
    """Run with the real block size and with blocks of four, so that edits add to,
    split and empty blocks."""
    monkeypatch.setattr(people_index, "BLOCK", request.param)
    return request.param


def test_the_index_finds_what_the_query_finds(store, block):
    rng = random.Random(7)
    _portfolio(store, rng)
    _assert_same(store, _texts(store, rng, 150))


def test_writes_by_another_store_reach_the_index_without_a_rebuild(store, database_url, block, monkeypatch):
    rng = random.Random(11)
    accounts = _portfolio(store, rng)
    builds = _count_builds(monkeypatch)
    texts = _texts(store, rng, 60)
    _assert_same(store, texts)
    other = open_store(database_url, user="rep-b")
    try:
        for _round in range(4):
            people = other.list(m.Person)
            for person in rng.sample(people, 25):
                other.update(m.Person, person.id, person.version, name=_name(rng))
            for person in rng.sample(people, 10):
                current = other.get(m.Person, person.id)
                other.update(m.Person, person.id, current.version, title=rng.choice(TITLES), stance="supporter")
            for person in rng.sample(people, 5):
                current = other.get(m.Person, person.id)
                other.update(m.Person, person.id, current.version, account_id=rng.choice(accounts))
            gone = rng.sample([p for p in people if p.deleted_at is None], 15)
            for person in gone:
                other.delete(m.Person, person.id, other.get(m.Person, person.id).version)
            for person in gone[:5]:
                other.restore(m.Person, person.id)
            for values in _people(rng, accounts, 20):
                other.create(m.Person, **values)
            account = other.get(m.Account, rng.choice(accounts))
            other.update(m.Account, account.id, account.version, name=f"Renamed {_round} 改名")
            _assert_same(store, texts + _texts(store, rng, 20))
    finally:
        other.db.close()
    assert len(builds) == 1


def test_deleting_an_account_takes_its_people_out_of_the_search(store):
    acme = make_account(store, name="Acme")
    store.create(m.Person, account_id=acme.id, name="张伟", title="主任")
    assert [hit.name for hit in store.search_people("zw")] == ["张伟"]
    store.delete(m.Account, acme.id, store.get(m.Account, acme.id).version)
    assert store.search_people("zw") == []
    store.restore(m.Account, acme.id)
    assert [hit.name for hit in store.search_people("zhangwei")] == ["张伟"]


def test_a_change_log_that_went_back_makes_the_index_again(store, database_url, monkeypatch):
    """A restored backup holds other entries: the index cannot follow it entry by entry."""
    acme = make_account(store, name="Acme")
    person = store.create(m.Person, account_id=acme.id, name="张伟")
    assert [hit.name for hit in store.search_people("zw")] == ["张伟"]
    builds = _count_builds(monkeypatch)
    by_hand(database_url, "DELETE FROM changelog WHERE seq = (SELECT max(seq) FROM changelog)")  # back one entry
    by_hand(database_url, "UPDATE person SET name = '李娜', search_key = 'lina ln' WHERE id = :id", id=person.id)
    assert store.search_people("zw") == [] and [hit.name for hit in store.search_people("ln")] == ["李娜"]
    assert len(builds) == 1
    # the entry it was built to is another one now
    by_hand(database_url, "UPDATE changelog SET id = 'elsewhere' WHERE seq = (SELECT max(seq) FROM changelog)")
    by_hand(database_url, "UPDATE person SET name = '王芳', search_key = 'wangfang wf' WHERE id = :id", id=person.id)
    store.create(m.Person, account_id=acme.id, name="Tom")
    assert [hit.name for hit in store.search_people("wf")] == ["王芳"]
    assert len(builds) == 2


def test_case_folds_beyond_ascii(store):
    """`str.casefold` folds every letter, as PostgreSQL's ILIKE does (SQLite's LIKE folds
    ASCII only)."""
    acme = make_account(store, name="Acme")
    store.create(m.Person, account_id=acme.id, name="Jürgen MÜLLER", title="Straße")
    assert [hit.name for hit in store.search_people("müller")] == ["Jürgen MÜLLER"]
    assert [hit.name for hit in store.search_people("JÜRGEN")] == ["Jürgen MÜLLER"]
    assert [hit.title for hit in store.search_people("STRASSE")] == ["Straße"]


@pytest.mark.sqlite_only  # PostgreSQL's text cannot hold a NUL, whoever writes it
def test_values_written_by_hand_neither_break_nor_join_fields(store, db_path):
    acme = make_account(store, name="Acme")
    person = store.create(m.Person, account_id=acme.id, name="Tom", title="x")
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE person SET title = 'ab' || char(0) || 'cd' WHERE id = ?", (person.id,))
    store.create(m.Person, account_id=acme.id, name="Ann")  # a write: the index reads Tom again
    assert [hit.name for hit in store.search_people("ab")] == ["Tom"]
    assert [hit.name for hit in store.search_people("cd")] == ["Tom"]
    assert store.search_people("bc") == [] and store.search_people("\x00") == []
    assert store.search_people("tom\x00") == []


def test_searches_from_several_threads_while_another_store_writes(store, database_url):
    rng = random.Random(5)
    accounts = _portfolio(store, rng, people=200)
    texts = _texts(store, rng, 30)
    failures: list[BaseException] = []

    def search() -> None:
        try:
            for text in texts:
                store.search_people(text)
        except BaseException as error:  # reported below
            failures.append(error)

    other = open_store(database_url, user="rep-b")
    try:
        threads = [threading.Thread(target=search) for _ in range(4)]
        for thread in threads:
            thread.start()
        for values in _people(rng, accounts, 30):
            other.create(m.Person, **values)
        for thread in threads:
            thread.join()
    finally:
        other.db.close()
    assert failures == []
    _assert_same(store, texts)
