"""Whatever a rep (or an import) types, the store accepts it faithfully or refuses it cleanly.

Hypothesis throws any Unicode (control characters and lone surrogates included),
strings up to 20,000 characters, NaN, infinities, negative and huge numbers, dates
from year 1 to 9999 and values of the wrong type at every editable field of several
models, through `Store.create` and `Store.update`. Each call either succeeds, and the
value reads back equal, or raises `ValidationError` with a message for that field and
leaves the database exactly as it was. No other exception may escape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from shared_helpers import plain_engine, snapshot

from planner.core import fields
from planner.core import models as m
from planner.core.errors import ValidationError
from planner.store.startup import open_store
from planner.store.store import Store

MODELS = (m.Account, m.Person, m.Project, m.Purchase, m.Goal, m.Action, m.Visit, m.OrgUnit)
SETTINGS = settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

ANY_CHAR = st.characters(exclude_categories=())  # Cc control characters and Cs lone surrogates too
HUGE = st.builds(
    lambda char, size, tail: char * size + tail,
    ANY_CHAR,
    st.sampled_from([199, 200, 201, 4999, 5000, 5001, 20_000]) | st.integers(0, 20_000),
    st.text(ANY_CHAR, max_size=3),
)
TEXT = st.text(ANY_CHAR, max_size=40) | st.text(max_size=40) | HUGE
FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [math.nan, math.inf, -math.inf, -0.0, -1.0, 1e13, 1e13 + 2, -1e13, 1e308, -1e308, 5e-324]
)
INTS = st.integers(-(2**70), 2**70) | st.integers(-10, 3700) | st.sampled_from([2**63, -(2**63) - 1, 10**9, 10**9 + 1])
DATES = st.dates() | st.sampled_from([date(1, 1, 1), date(1899, 12, 31), date(1900, 1, 1), date(2200, 12, 31)])
# Every type a field might wrongly receive, empty values and datetimes included.
ANYTHING = st.one_of(TEXT, FLOATS, INTS, DATES, st.booleans(), st.none(), st.just(""), st.datetimes())
TEXT_KINDS = ("name", "text", "long")


@dataclass
class World:
    store: Store
    outside: sa.Engine  # reads the database as another program would
    account_id: str
    rows: dict[type[m.Record], str]
    ids: dict[type[m.Record], list[str]]


def _base(world: World, model: type[m.Record]) -> dict:
    """Minimal valid values for a new row of `model`."""
    account = {"account_id": world.account_id}
    return {
        m.Account: {"name": "Base account"},
        m.Person: {**account, "name": "Base person"},
        m.Project: {**account, "name": "Base project"},
        m.Purchase: {**account, "purchased_on": date(2025, 1, 2), "amount": 10.0},
        m.Goal: {**account, "text": "Base goal"},
        m.Action: {**account, "title": "Base action"},
        m.Visit: {**account, "visited_on": date(2025, 1, 3)},
        m.OrgUnit: {**account, "name": "Base unit"},
    }[model]


@pytest.fixture
def world(database_url) -> World:
    store = open_store(database_url, user="rep-a")
    account_id = store.create(m.Account, name="Home").id
    other = store.create(m.Account, name="Elsewhere").id
    ids: dict[type[m.Record], list[str]] = {m.Account: [account_id, other]}
    world = World(store, plain_engine(database_url), account_id, {}, ids)
    for model in MODELS:
        row = store.create(model, **_base(world, model))
        world.rows[model] = row.id
        ids.setdefault(model, []).append(row.id)
    ids[m.Industry] = [row.id for row in store.list(m.Industry)[:3]]
    ids[m.CompetitorPosition] = [
        store.create(
            m.CompetitorPosition, account_id=account_id, competitor_id=store.create(m.Competitor, name="R").id
        ).id
    ]
    yield world
    store.db.close()
    world.outside.dispose()


def _nullable(model: type[m.Record], name: str) -> bool:
    return model.__table__.c[name].nullable


PRINTABLE = st.characters(exclude_categories=("Cc", "Cs"))
VALID = {
    "name": st.text(PRINTABLE, min_size=1, max_size=200).filter(str.strip),
    "text": st.text(PRINTABLE, max_size=200),
    "long": st.text(st.one_of(PRINTABLE, st.sampled_from("\t\n\r")), max_size=300)
    | st.builds(lambda c, n: c * n, PRINTABLE, st.integers(4900, 5000)),
    "money": st.floats(0, 1e13) | st.integers(0, 10**13),
    "amount": st.floats(-1e13, 1e13) | st.integers(-(10**13), 10**13),
    "score": st.integers(1, 5),
    "percent": st.integers(0, 100),
    "days": st.integers(1, 3650),
    "position": st.integers(0, 10**9),
    "date": st.dates(date(1900, 1, 1), date(2200, 12, 31)),
    "flag": st.booleans(),
}


def _values(world: World, model: type[m.Record], field: fields.FieldSpec) -> st.SearchStrategy:
    """A third each: values the field should accept, edge values of its kind, anything at all."""
    kind = field.kind
    valid = VALID.get(kind)
    if kind == "choice":
        valid = st.sampled_from(field.choices)
    elif kind == "ref":
        valid = st.sampled_from(world.ids.get(field.target, ["x"]))
    aimed = {
        "money": FLOATS | INTS,
        "amount": FLOATS | INTS,
        "score": INTS,
        "percent": INTS,
        "days": INTS,
        "position": INTS,
        "date": DATES,
        "flag": ANYTHING,
    }.get(kind, TEXT)
    strategy = st.one_of(valid, aimed, st.just(None).flatmap(lambda _: ANYTHING))
    if field.required or _nullable(model, field.name):
        strategy = strategy | st.none()
    if kind not in TEXT_KINDS and not field.required:
        strategy = strategy.filter(lambda value: not (isinstance(value, str) and value == ""))
    return strategy


def _snapshot(world: World) -> dict:
    """Every row of every table, read past the store."""
    with world.outside.connect() as connection:
        return snapshot(connection)


def _same(stored, value) -> bool:
    """Equal, and a flag is still a bool (True == 1 must not pass for a flag stored as 1)."""
    if isinstance(value, bool) or isinstance(stored, bool):
        return stored is value
    return stored == value


def _refused_cleanly(error: ValidationError, name: str, before: dict, world: World) -> None:
    assert name in error.errors, error.errors
    message = error.errors[name]
    assert isinstance(message, str) and message.strip()
    assert _snapshot(world) == before, "a refused write changed the database"


@SETTINGS
@given(data=st.data())
def test_update_stores_a_value_faithfully_or_refuses_it_with_a_message(world, data):
    """store.update: reads back equal (one version step) or ValidationError for that field, nothing changed."""
    store = world.store
    model = data.draw(st.sampled_from(MODELS), label="model")
    field = data.draw(st.sampled_from(fields.FIELDS[model]), label="field")
    value = data.draw(_values(world, model, field), label="value")
    row_id = world.rows[model]
    current = store.get(model, row_id)
    before = _snapshot(world)
    try:
        saved = store.update(model, row_id, current.version, **{field.name: value})
    except ValidationError as error:
        event(f"refused {field.kind}")
        _refused_cleanly(error, field.name, before, world)
        return
    event(f"accepted {field.kind}")
    assert fields.check(field, value) is None, "the store accepted a value its own rules reject"
    reread = store.get(model, row_id)
    assert _same(getattr(reread, field.name), value), (getattr(reread, field.name), value)
    unchanged = getattr(current, field.name) == value
    assert saved.version == reread.version == current.version + (0 if unchanged else 1)


@SETTINGS
@given(data=st.data())
def test_create_stores_values_faithfully_or_refuses_them_with_a_message(world, data):
    """store.create: the new row reads back equal, else ValidationError for that field and no row added."""
    store = world.store
    model = data.draw(st.sampled_from(MODELS), label="model")
    field = data.draw(st.sampled_from(fields.FIELDS[model]), label="field")
    value = data.draw(_values(world, model, field), label="value")
    values = {**_base(world, model), field.name: value}
    before = _snapshot(world)
    try:
        created = store.create(model, **values)
    except ValidationError as error:
        event(f"refused {field.kind}")
        _refused_cleanly(error, field.name, before, world)
        assert set(error.errors) == {field.name}, error.errors
        return
    event(f"accepted {field.kind}")
    assert fields.check(field, value) is None, "the store accepted a value its own rules reject"
    reread = store.get(model, created.id)
    for name, given_value in values.items():
        assert _same(getattr(reread, name), given_value), (name, getattr(reread, name), given_value)
    assert reread.version == 1


@pytest.mark.filterwarnings("ignore::UserWarning")  # pydantic complains about the '' it is handed
def test_an_empty_string_for_a_field_that_is_not_text_is_refused_or_stored_as_empty(world):
    """An empty string for a number, date, flag, choice or link: ValidationError (or a real empty value)."""
    store = world.store
    wrong = []
    for model in MODELS:
        for field in fields.FIELDS[model]:
            if field.kind in TEXT_KINDS or field.required:
                continue
            for creating in (False, True):
                current = store.get(model, world.rows[model])
                before = _snapshot(world)
                where = f"{'create' if creating else 'update'} {model.__name__}.{field.name}"
                try:
                    if creating:
                        row = store.create(model, **{**_base(world, model), field.name: ""})
                    else:
                        row = store.update(model, current.id, current.version, **{field.name: ""})
                except ValidationError as error:
                    if field.name not in error.errors or _snapshot(world) != before:
                        wrong.append(f"{where}: refused without a clean message/rollback")
                    continue
                except Exception as error:
                    wrong.append(f"{where}: {type(error).__name__}: {str(error).splitlines()[0]}")
                    continue
                stored = getattr(store.get(model, row.id), field.name)
                if stored == "":
                    wrong.append(f"{where}: stored '' in a {field.kind} field")
    assert wrong == []


def test_none_for_an_optional_field_is_refused_or_stored_never_a_crash(world):
    """Clearing e.g. Revenue in a form gives None (fields.parse): create/update must not crash on it."""
    store = world.store
    escaped = []
    for model in MODELS:
        for field in fields.FIELDS[model]:
            if field.required or _nullable(model, field.name):
                continue
            for creating in (False, True):
                current = store.get(model, world.rows[model])
                before = _snapshot(world)
                where = f"{'create' if creating else 'update'} {model.__name__}.{field.name}"
                try:
                    if creating:
                        store.create(model, **{**_base(world, model), field.name: None})
                    else:
                        store.update(model, current.id, current.version, **{field.name: None})
                except ValidationError as error:
                    if field.name not in error.errors or _snapshot(world) != before:
                        escaped.append(f"{where}: refused without a clean message/rollback")
                except Exception as error:
                    escaped.append(f"{where}: {type(error).__name__}: {str(error).splitlines()[0]}")
    assert escaped == []


@pytest.mark.filterwarnings("ignore::UserWarning")  # pydantic complains about the datetime
def test_a_datetime_for_a_date_field_is_refused_or_kept_whole(world):
    """A datetime given for a date is refused, or read back exactly as accepted."""
    store = world.store
    moment = datetime(2026, 3, 1, 15, 30)
    current = store.get(m.Project, world.rows[m.Project])
    try:
        store.update(m.Project, current.id, current.version, expected_date=moment)
    except ValidationError as error:
        assert "expected_date" in error.errors
        return
    assert store.get(m.Project, current.id).expected_date == moment


# Values that look alike to a dict but not to the rules: True == 1 == 1.0, "" vs None,
# NaN != NaN, and an unhashable list.
LOOKALIKES = st.sampled_from([True, False, 1, 0, 1.0, 0.0, -1, 3, 7, "", " ", None, math.nan, [], "A", "x"])


@SETTINGS
@given(data=st.data(), model=st.sampled_from([m.Account, m.Person, m.Visit]))
def test_bulk_validation_rejects_exactly_the_first_row_validate_rejects(data, model):
    """`first_invalid` checks each distinct value once; its verdict must be the one
    row-by-row validation gives, for look-alike values above all."""
    base = {
        m.Account: {"name": "Acme"},
        m.Person: {"account_id": "a1", "name": "Li"},
        m.Visit: {"account_id": "a1", "visited_on": date(2025, 1, 2)},
    }[model]
    names = [spec.name for spec in fields.FIELDS[model]]
    target = data.draw(st.sampled_from(names))  # one field that sees look-alikes in many rows
    changes = st.fixed_dictionaries({}, optional={target: LOOKALIKES, data.draw(st.sampled_from(names)): ANYTHING})
    rows = [{**base, **change} for change in data.draw(st.lists(changes | st.just({"unknown": 1}), max_size=8))]
    expected = next((errors for r in rows if (errors := fields.validate(model, r, creating=True))), None)
    assert fields.first_invalid(model, rows, creating=True) == expected
