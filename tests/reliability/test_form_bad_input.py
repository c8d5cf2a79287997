"""Whatever a rep types into a form, the form saves it faithfully or says at the field what is wrong.

Issue 5 at the forms (the store itself is covered in test_bad_input_properties.py).
Hypothesis types any Unicode (control characters and lone surrogates included),
strings up to 20,000 characters, numbers as text ("nan", "inf", "-1e309", "1,2,3",
"12万", "1e13"), and dates far in the past and future or that do not exist:

- into every field a form shows in an Input, through `fields.parse`/`fields.check`
  and `RecordForm._read` (fast, no app);
- into the real new-account, project, purchase and visit forms, driven with a Pilot
  on a demo database: ctrl+s either closes the form with the record saved as typed,
  or keeps the form open with a message at the field, the text as typed and the
  database unchanged. No exception may escape.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from shared_helpers import by_hand
from textual.widgets import Input, Static, TextArea
from textual.worker import WorkerCancelled

from planner.app import PlannerApp, make_app
from planner.core import fields
from planner.core import models as m
from planner.screens.account_form import ACCOUNT_FIELDS
from planner.screens.account_overview import AccountOverviewScreen
from planner.screens.confirm import Confirm
from planner.screens.draft_offer import DraftOffer
from planner.screens.record_form import RecordForm
from planner.screens.visit_form import VISIT_FIELDS
from planner.store import seed
from planner.store.startup import open_store
from planner.store.store import Store
from planner.widgets.account_records import TABS

FIXED_DAY = date(2026, 11, 27)
NOT_TYPED = ("flag", "choice", "ref", "long")  # kinds edited with a Checkbox, a Select or a TextArea
WHOLE = ("score", "percent", "days", "position")
INT_DIGITS_LIMIT = 4300  # sys.get_int_max_str_digits(): int() refuses longer digit strings

# --- what a rep might type --------------------------------------------------------------

ANY_CHAR = st.characters(exclude_categories=())  # Cc control characters and Cs lone surrogates too
PRINTABLE = st.characters(exclude_categories=("Cc", "Cs"))
HUGE = st.builds(
    lambda char, size, tail: char * size + tail,
    ANY_CHAR,
    st.sampled_from([199, 200, 201, 4999, 5000, 5001, 20_000]) | st.integers(0, 20_000),
    st.text(ANY_CHAR, max_size=3),
)
NUMBER_SAMPLES = (
    "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e309", "-1e309", "1e13", "1e-5", "1E3", "1,2,3",
    "12万", "1.5亿", "120k", "3M", "-1", "-0", "0", "+7", "٣", "１２", "1_000", "¥12", "$-5", "€1.5", "0x10",
    "1/2", "10000000000000", "10000000000001", "-10000000000001", "5", "6", "100", "101", "3650", "3651",
    "1000000000", "1000000001", ".5", "5.", "..5", "1e", "k", "万", "--1", "1 000", "½", "²", "12.5%",
)  # fmt: skip
DATE_SAMPLES = (
    "0001-01-01", "9999-12-31", "2026-02-30", "2026-02-29", "2028-02-29", "1899-12-31", "1900-01-01",
    "2200-12-31", "2201-01-01", "20260101", "2026-W01-1", "2026-001", "2026-1-1", "2026/01/01", "01/02/2026",
    "2026-13-01", "2026-00-10", "2026-01-01T10:00", "-2026-01-01", "+2026-01-01", "２０２６-０１-０１",
    "today", "  ", "", "\t", "\u3000",
)  # fmt: skip
ODD_SAMPLES = (
    "\x00", "\ud800", "\x1b[31m", "a\nb", "\u200b", "\ufeff", "🚀" * 201, "x" * 20_000, "9" * INT_DIGITS_LIMIT,
    "1" * 400, "0." + "0" * 400 + "1", "-" + "9" * 400 + "万",
)  # fmt: skip
NUMBER_TEXT = st.one_of(
    st.floats().map(str),
    st.integers(-(10**20), 10**20).map(str),
    st.builds(lambda n, unit: f"{n}{unit}", st.floats(-1e9, 1e9), st.sampled_from(["k", "K", "m", "万", "亿"])),
)
DATE_TEXT = st.dates().map(date.isoformat)
PADDING = st.sampled_from(["", " ", "  ", "\t", "\u3000", "\n"])
TYPED = st.builds(
    lambda before, text, after: before + text + after,
    PADDING,
    st.one_of(
        st.text(ANY_CHAR, max_size=40),
        st.text(max_size=40),
        HUGE,
        st.sampled_from(NUMBER_SAMPLES + DATE_SAMPLES + ODD_SAMPLES),
        NUMBER_TEXT,
        DATE_TEXT,
    ),
    PADDING,
)

INPUT_FIELDS = [
    (model, field) for model, specs in fields.FIELDS.items() for field in specs if field.kind not in NOT_TYPED
]


def _form_read(model: type[m.Record], field: fields.FieldSpec, raw: str) -> tuple[Any, str | None]:
    """`RecordForm._read` itself, with `raw` standing in for what the widget holds."""
    return RecordForm._read(SimpleNamespace(model=model, _raw=lambda _field: raw), field)


def _refused_or_accepted_cleanly(model: type[m.Record], field: fields.FieldSpec, raw: str) -> str:
    """parse raises only ValueError naming the field, else check passes or names the field; the form's
    `_read` agrees, and what it lets through the store accepts (`fields.validate`)."""
    try:
        value = fields.parse(field, raw)
    except ValueError as error:
        message = str(error)
        assert message.strip() and field.label in message, (field.name, message)
        assert _form_read(model, field, raw) == (None, message)
        return "refused by parse"
    message = fields.check(field, value)
    assert message is None or field.label in message, (field.name, message)
    form_value, form_message = _form_read(model, field, raw)
    if form_message is None:
        assert fields.validate(model, {field.name: form_value}, creating=False) == {}
        return "accepted"
    assert form_message.strip() and field.label in form_message, (field.name, form_message)
    return "refused by check"


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(INPUT_FIELDS), raw=TYPED)
def test_any_text_typed_into_an_input_gets_a_value_or_a_message_naming_the_field(target, raw):
    """Generated text at any Input-typed field: a value the rules accept, or a message naming the field."""
    model, field = target
    event(f"{field.kind}: {_refused_or_accepted_cleanly(model, field, raw)}")


def test_every_input_field_takes_every_edge_sample_cleanly():
    """Each named edge case (nan, inf, -1e309, 1,2,3, 12万, 1e13, year 1 and 9999, Feb 30, blanks,
    control characters, 20,000 characters) at every Input-typed field of every model."""
    for model, field in INPUT_FIELDS:
        for raw in NUMBER_SAMPLES + DATE_SAMPLES + ODD_SAMPLES:
            for padded in (raw, f"  {raw}\t"):
                _refused_or_accepted_cleanly(model, field, padded)


def test_a_whole_number_with_thousands_of_digits_gets_the_fields_own_message():
    """A 4,301-digit number typed as e.g. Influence (1-5) is refused with a message naming the field."""
    wrong = []
    for model, field in INPUT_FIELDS:
        if field.kind not in WHOLE:
            continue
        try:
            fields.parse(field, "9" * (INT_DIGITS_LIMIT + 1))
        except ValueError as error:
            if field.label not in str(error):
                wrong.append(f"{model.__name__}.{field.name}: {str(error)[:60]}")
        else:
            wrong.append(f"{model.__name__}.{field.name}: accepted")
    assert wrong == []


# --- the real forms, driven with a Pilot ------------------------------------------------


async def settle(pilot) -> None:
    """Let workers finish and their results reach the screen."""
    for _ in range(2):
        with suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@dataclass(frozen=True)
class Form:
    model: type[m.Record]
    names: tuple[str, ...]  # the fields the form shows
    always: tuple[str, ...]  # required fields the form opens empty: typed into in every example
    tab: str | None  # the overview tab whose `n` opens it; None: the customer list's `n`


ACCOUNT_FORM = Form(m.Account, ACCOUNT_FIELDS, ("name",), None)
PROJECT_FORM = Form(m.Project, TABS["projects"].fields, ("name",), "2")
PURCHASE_FORM = Form(m.Purchase, TABS["purchases"].fields, ("purchased_on", "amount"), "3")
VISIT_FORM = Form(m.Visit, VISIT_FIELDS, (), "4")


class Session:
    """One app on one demo database for all of a property's examples (starting an app per
    example would cost more than the examples). An `asyncio.Runner` keeps the loop and the
    context between examples; the app waits, suspended, while Hypothesis draws. An app that
    died in an example (already reported there) is replaced, so examples stay independent."""

    def __init__(self, url: str):
        self.url = url
        self.store: Store = open_store(url, user="rep-a")
        seed.demo(self.store, FIXED_DAY)
        self.account = next(a for a in self.store.list(m.Account) if "大学" in a.name and a.account_class == "A")
        self.runner = asyncio.Runner()
        self._test = None
        self._start()

    def _start(self) -> None:
        self.app = make_app(self.store, today=FIXED_DAY)
        self._test = self.app.run_test(size=(100, 30))
        self.pilot = self.run(self._test.__aenter__())
        self.run(settle(self.pilot))
        self.base = None  # the screen whose `n` opens the form under test

    def _stop(self) -> None:
        test, self._test = self._test, None
        self.run(test.__aexit__(None, None, None))  # re-raises what ended the app, if anything did

    def ready(self) -> None:
        if self.app.return_code is not None:
            with suppress(Exception):
                self._stop()
            self._start()

    def run(self, coroutine):
        return self.runner.run(coroutine)

    def close(self) -> None:
        try:
            if self._test is not None:
                self._stop()
        finally:
            self.runner.close()
            self.store.db.close()


@pytest.fixture
def session(database_url, monkeypatch):
    monkeypatch.setattr(PlannerApp, "poll_seconds", 0)  # no reload timer firing mid-example
    opened = Session(database_url)
    yield opened
    opened.close()


def _plausible(field: fields.FieldSpec) -> st.SearchStrategy[str]:
    """Text of the field's kind a rep would normally type, mostly (not always) within its rules."""
    kind = field.kind
    low = 0 if kind == "money" else -(10**13)
    whole = {"score": (1, 5), "percent": (0, 100), "days": (1, 3650), "position": (0, 10**9)}
    if kind in ("name", "text"):
        return st.text(PRINTABLE, min_size=1 if kind == "name" else 0, max_size=40)
    if kind == "long":
        return st.text(st.one_of(PRINTABLE, st.sampled_from("\t\n")), max_size=120)
    if kind in ("money", "amount"):
        return st.one_of(
            st.integers(low, 10**13).map(str),
            st.floats(low, 1e13).map(lambda x: f"{x:.2f}"),
            st.integers(low // 10**4, 10**9).map(lambda n: f"{n}万"),
            st.integers(low, 10**13).map(lambda n: f"{n:,}"),
        )
    if kind in whole:
        first, last = whole[kind]
        return st.integers(first - 2, last + 2).map(str)
    if kind == "date":
        return st.dates(date(1890, 1, 1), date(2210, 12, 31)).map(date.isoformat)
    raise AssertionError(kind)


def _expected(model: type[m.Record], field: fields.FieldSpec, raw: str) -> tuple[Any, str | None]:
    """What the form should make of `raw`: the typed value and the message (None when fine)."""
    try:
        value = fields.parse(field, raw)
    except ValueError as error:
        return None, str(error)
    if value is None and not field.nullable and not field.required:
        value = model.model_fields[field.name].default  # a blank number means the usual default
    return value, fields.check(field, value)


def _footprint(url: str, model: type[m.Record]) -> tuple[int, int]:
    """Rows of the model's table (deleted ones too) and the newest change-log entry, read past the store."""
    [(rows, change)] = by_hand(
        url, f"SELECT (SELECT count(*) FROM {model.__tablename__}), (SELECT max(seq) FROM changelog)"
    )
    return rows, change or 0


def _ids(session: Session, form: Form) -> set[str]:
    scope = {} if form.model is m.Account else {"account_id": session.account.id}
    return {row.id for row in session.store.list(form.model, **scope)}


def _held(widget) -> str:
    return widget.text if isinstance(widget, TextArea) else widget.value


async def _type_and_save(session: Session, form: Form, typed: dict[str, str]) -> str:
    pilot, app, store = session.pilot, session.app, session.store
    while app.screen is not session.base:  # a failed example may have left a form or a question open
        await app.pop_screen()
        await settle(pilot)
    before_ids, before = _ids(session, form), _footprint(session.url, form.model)
    await pilot.press("n")
    await settle(pilot)
    if isinstance(app.screen, DraftOffer):  # an earlier example's text, kept as a draft
        await pilot.press("d")
        await settle(pilot)
    screen = app.screen
    assert isinstance(screen, RecordForm) and screen.model is form.model
    held = {}
    for name, text in typed.items():
        widget = screen.query_one(f"#field-{name}")
        if isinstance(widget, TextArea):
            widget.load_text(text)  # TextArea splits lines as str.splitlines and joins them with one newline
        else:
            assert isinstance(widget, Input)
            widget.value = text
        held[name] = _held(widget)
    specs = {spec.name: spec for spec in fields.FIELDS[form.model]}
    expected = {name: _expected(form.model, specs[name], text) for name, text in held.items()}
    wrong = {name for name, (_, message) in expected.items() if message}

    await pilot.press("ctrl+s")
    await settle(pilot)
    if isinstance(app.screen, Confirm):  # a visit without a commitment, or a second account of a name, asks first
        assert form.model in (m.Visit, m.Account) and not wrong
        await pilot.press("y")
    await settle(pilot)
    assert app.return_code is None, f"an exception escaped and ended the app: {app._exception!r}"

    if screen not in app.screen_stack:
        assert not wrong, f"the form closed although {sorted(wrong)} were wrong"
        assert app.screen is session.base
        added = _ids(session, form) - before_ids
        assert len(added) == 1, added
        row = store.get(form.model, added.pop())
        for name, (value, _) in expected.items():
            assert getattr(row, name) == value, (name, getattr(row, name), value)
        rows, change = _footprint(session.url, form.model)
        assert rows == before[0] + 1 and change > before[1]
        return "saved"

    assert app.screen is screen, f"{type(app.screen).__name__} is on top of the form"
    shown = {
        name: str(screen.query_one(f"#error-{name}", Static).render())
        for name in specs.keys() & set(form.names)
        if screen.query_one(f"#error-{name}", Static).display
    }
    problem = screen.query_one("#problem", Static)
    assert any(text.strip() for text in shown.values()) or (problem.display and str(problem.render()).strip())
    assert wrong, f"the form refused good input: {shown}, {problem.render()}"
    for name in wrong:
        assert shown.get(name, "").strip(), f"no message at {name}: {expected[name]}"
    for name, text in held.items():
        assert _held(screen.query_one(f"#field-{name}")) == text, f"the text typed into {name} was lost"
    assert _footprint(session.url, form.model) == before, "a refused form changed the database"
    assert _ids(session, form) == before_ids
    return "refused"


async def _open_base(session: Session, form: Form) -> None:
    pilot = session.pilot
    if form.tab is not None:
        await session.app.push_screen(AccountOverviewScreen(session.account.id))
        await settle(pilot)
        await pilot.press(form.tab)
        await settle(pilot)
    session.base = session.app.screen


def _drive(session: Session, form: Form, data: st.DataObject) -> None:
    session.ready()
    if session.base is None:
        session.run(_open_base(session, form))
    specs = {spec.name: spec for spec in fields.FIELDS[form.model]}
    typeable = [name for name in form.names if specs[name].kind not in ("flag", "choice", "ref")]
    optional = [name for name in typeable if name not in form.always]
    chosen = [
        *form.always,
        *data.draw(st.lists(st.sampled_from(optional), min_size=0 if form.always else 1, max_size=3, unique=True)),
    ]
    typed = {name: data.draw(st.one_of(_plausible(specs[name]), TYPED), label=name) for name in chosen}
    outcome = session.run(_type_and_save(session, form, typed))
    event(outcome)


PILOT = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@settings(PILOT, max_examples=15)
@given(data=st.data())
def test_the_new_account_form_saves_as_typed_or_keeps_the_text_with_a_message(session, data):
    """Customer list `n`: generated text in Inputs and TextAreas, ctrl+s; saved as parsed or refused at the field."""
    _drive(session, ACCOUNT_FORM, data)


@settings(PILOT, max_examples=15)
@given(data=st.data())
def test_the_project_form_saves_as_typed_or_keeps_the_text_with_a_message(session, data):
    """Overview tab 2, `n`: the same for a new project."""
    _drive(session, PROJECT_FORM, data)


@settings(PILOT, max_examples=15)
@given(data=st.data())
def test_the_purchase_form_saves_as_typed_or_keeps_the_text_with_a_message(session, data):
    """Overview tab 3, `n`: the same for a new purchase (date and amount required)."""
    _drive(session, PURCHASE_FORM, data)


@settings(PILOT, max_examples=15)
@given(data=st.data())
def test_the_visit_form_saves_as_typed_or_keeps_the_text_with_a_message(session, data):
    """Overview tab 4, `n`: the same for a new visit; the no-commitment question is answered yes."""
    _drive(session, VISIT_FORM, data)


def test_thousands_of_digits_in_influence_get_the_forms_own_message(session):
    """The same bug as the rep sees it: under Influence (1-5) the new-account form shows Python's message."""
    session.run(_open_base(session, ACCOUNT_FORM))
    before = _footprint(session.url, m.Account)

    async def type_and_save() -> str:
        pilot = session.pilot
        await pilot.press("n")
        form = session.app.screen
        form.query_one("#field-name", Input).value = "Digits Ltd"
        form.query_one("#field-influence", Input).value = "9" * (INT_DIGITS_LIMIT + 1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert session.app.screen is form and session.app.return_code is None
        return str(form.query_one("#error-influence", Static).render())

    message = session.run(type_and_save())
    assert message.strip() and _footprint(session.url, m.Account) == before
    assert "Influence (1-5)" in message, message
