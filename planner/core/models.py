"""SQLModel tables: every concept of the key-account method has a home here.

Every table shares `Record`: a UUID string key (laptop copies must merge later),
timestamps, who changed it last, a `version` used by SQLAlchemy as
`version_id_col` for optimistic locking, and a `deleted_at` tombstone so deletions
can be synced and undone. No relationships are declared: the store queries
explicitly, so objects handed to the UI are plain once detached.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Table, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from planner.core.changes import DERIVED
from planner.core.i18n import N_, _

CLASSES = ("A", "B", "C")
TIERS = ("major", "minor", "tracked", "other")
LAYERS = ("image", "decision", "implementation", "usage")
STANCES = ("supporter", "neutral", "opponent", "unknown")
PROJECT_STAGES = ("potential", "incubating", "producing", "won", "lost")
SWOT_KINDS = ("S", "W", "O", "T")
ACTION_STATUSES = ("todo", "doing", "done")
CHANNELS = ("visit", "phone", "introduction", "event")
"""How a contact happened: the course's ways of building a relationship (电话拜访、他人介绍、活动)."""

LAYER_VALUES = {
    "image": N_("The institution's standing (地位)"),
    "decision": N_("Recognition from leadership (领导认可)"),
    "implementation": N_("Getting the job done well (把事做好)"),
    "usage": N_("Convenience, ease of use (方便好用)"),
}
"""What each layer values, in English: a new person's `value_orientation` starts as
this text (stored as it is); `layer_values` and `values_text` show it translated."""


def layer_values(layer: str) -> str:
    """What `layer` values, in the interface's language (地位 for the image layer)."""
    values = LAYER_VALUES.get(layer)
    return _(values) if values else ""


def values_text(value_orientation: str) -> str:
    """A person's recorded values as shown: the layer's default text, which a new person
    starts with, in the interface's language; what a rep wrote, as written."""
    return _(value_orientation) if value_orientation in LAYER_VALUES.values() else value_orientation


def _uuid7(millis: int, random: bytes) -> str:
    random_bits = int.from_bytes(random) & ((1 << 74) - 1)
    value = (millis << 80) | (0x7 << 76) | ((random_bits >> 62) << 64) | (0b10 << 62) | (random_bits & ((1 << 62) - 1))
    return f"{value:032x}"  # what uuid.UUID(int=value).hex gives, without building the UUID


def new_id() -> str:
    """A UUIDv7-style key: 48 bits of milliseconds, then random bits.

    Unique across laptops like any UUID, but time-ordered, so new rows land at the
    end of the primary-key index instead of at random pages (bulk loads are faster).
    """
    return _uuid7(time.time_ns() // 1_000_000, os.urandom(10))


def new_ids(count: int) -> list[str]:
    """`count` keys as `new_id` makes them, drawing the random bits in one go."""
    millis = time.time_ns() // 1_000_000
    random = os.urandom(10 * count)
    return [_uuid7(millis, random[i : i + 10]) for i in range(0, 10 * count, 10)]


def table_of(model: type[SQLModel]) -> Table:
    """The SQLAlchemy table behind a table model (SQLModel does not type `__table__`)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


def table_name(model: type[SQLModel]) -> str:
    return table_of(model).name


def utcnow() -> datetime:
    return datetime.now(UTC)


class Record(SQLModel):
    """Columns every table carries; see the module docstring for why."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: str = Field(default="")
    version: int = Field(default=1)
    deleted_at: datetime | None = None
    deleted_with: str | None = Field(default=None, max_length=32)
    """The row whose deletion took this one with it: a restore brings back exactly those."""

    @declared_attr  # type: ignore[arg-type]
    def __mapper_args__(cls: type[SQLModel]) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy's declared_attr signature
        return {"version_id_col": table_of(cls).c.version}


class Imported(SQLModel):
    """Where a record came in from (`import_source`: salesforce, hubspot or sheet, and
    the file's own id for it) and each field's value as last imported (JSON), so that
    importing a newer export updates the record instead of duplicating it, and a
    field a rep has changed since is reported instead of overwritten."""

    import_source: str = ""
    import_id: str = ""
    imported: str = ""


class Industry(Record, table=True):
    name_en: str = Field(index=True)
    name_zh: str = ""
    tier: str = "other"
    procurement_pattern: str = ""
    tier_guessed: bool = False


class Account(Imported, Record, table=True):
    name: str = Field(index=True)
    industry_id: str | None = Field(default=None, foreign_key="industry.id", index=True)
    region: str = ""
    account_class: str = "C"
    owner: str = Field(default="", index=True)
    revenue: float = 0.0
    profit: float = 0.0
    influence: int = 3
    input_people: float = 0.0
    input_money: float = 0.0
    input_material: float = 0.0
    application_level: str = ""
    problems: str = ""
    procurement_method: str = ""
    notes: str = ""
    cadence_days: int | None = None
    search_key: str = ""
    """The name's pinyin, full and initials (`core.pinyin`), derived on every write."""


# The customer list reads every live account in 80/20 order (revenue, largest first,
# then name); this index holds those columns in that order, so SQLite answers from
# the index alone, with no sort. `tests/core/test_store.py` checks it stays covering.
_account = table_of(Account).c
Index(
    "ix_account_list",
    _account.revenue.desc(),
    *(_account[name] for name in (
        "name", "id", "industry_id", "account_class", "owner", "profit", "influence", "input_people",
        "input_money", "input_material", "cadence_days", "version", "search_key", "deleted_at",
    )),
    sqlite_where=_account.deleted_at.is_(None),
    postgresql_where=_account.deleted_at.is_(None),
)  # fmt: skip


class OrgUnit(Record, table=True):
    account_id: str = Field(foreign_key="account.id", index=True)
    parent_id: str | None = Field(default=None, foreign_key="orgunit.id")
    name: str
    responsibilities: str = ""


class Person(Imported, Record, table=True):
    """`ix_person_search` covers the people search: scanned in name order, it
    answers without touching the table and stops at the result limit."""

    __table_args__ = (
        Index("ix_person_search", "name", "title", "search_key", "deleted_at", "layer", "stance", "account_id", "id"),
    )

    account_id: str = Field(foreign_key="account.id", index=True)
    unit_id: str | None = Field(default=None, foreign_key="orgunit.id", index=True)
    reports_to_id: str | None = Field(default=None, foreign_key="person.id")
    name: str
    title: str = ""
    layer: str = "usage"
    layer_guessed: bool = False
    value_orientation: str = ""
    characteristics: str = ""
    influence: int = 3
    closeness: int = 1
    stance: str = "unknown"
    phone: str = ""
    email: str = ""
    notes: str = ""
    search_key: str = ""
    """As the account's: the name's pinyin, derived on every write."""


class Project(Imported, Record, table=True):
    account_id: str = Field(foreign_key="account.id", index=True)
    name: str
    description: str = ""
    amount: float = 0.0
    funding_source: str = ""
    procurement_method: str = ""
    expected_date: date | None = None
    stage: str = "potential"
    probability: int = 0


class Purchase(Record, table=True):
    account_id: str = Field(foreign_key="account.id", index=True)
    purchased_on: date
    amount: float
    description: str = ""


class Competitor(Record, table=True):
    name: str = Field(index=True)
    notes: str = ""


class CompetitorPosition(Record, table=True):
    account_id: str = Field(foreign_key="account.id", index=True)
    competitor_id: str = Field(foreign_key="competitor.id", index=True)
    partner: str = ""
    relationship: str = ""
    reputation: str = ""
    experience: str = ""
    capability: str = ""
    allies: str = ""
    weaknesses: str = ""
    threat: int = 3


class SwotItem(Record, table=True):
    account_id: str = Field(foreign_key="account.id", index=True)
    kind: str
    text: str


class Goal(Record, table=True):
    account_id: str = Field(foreign_key="account.id", index=True)
    phase: str = ""
    text: str
    due_date: date | None = None
    owner: str = ""


class Strategy(Record, table=True):
    """How a phased goal will be reached (策略); its measures are the board's actions."""

    account_id: str = Field(foreign_key="account.id", index=True)
    goal_id: str = Field(foreign_key="goal.id", index=True)
    text: str
    position: int = 0


class Action(Record, table=True):
    account_id: str = Field(foreign_key="account.id", index=True)
    goal_id: str | None = Field(default=None, foreign_key="goal.id")
    strategy_id: str | None = Field(default=None, foreign_key="strategy.id", index=True)
    person_id: str | None = Field(default=None, foreign_key="person.id")
    competitor_position_id: str | None = Field(default=None, foreign_key="competitorposition.id")
    title: str
    status: str = "todo"
    position: int = 0
    due_date: date | None = None
    owner: str = ""
    notes: str = ""


class Visit(Record, table=True):
    """`ix_visit_last` gives each account's last contact straight from the index."""

    __table_args__ = (Index("ix_visit_last", "account_id", "visited_on", "deleted_at"),)

    account_id: str = Field(foreign_key="account.id")
    visited_on: date
    channel: str = "visit"
    introduced_by_id: str | None = Field(default=None, foreign_key="person.id")
    purpose: str = ""
    appointment_made: bool = False
    brought_cards: bool = False
    brought_notebook: bool = False
    brought_address_book: bool = False
    brought_material: bool = False
    brought_quotation: bool = False
    outcome: str = ""
    commitment: str = ""
    next_step: str = ""
    next_step_date: date | None = None
    next_step_done: bool = False


class VisitAttendee(Record, table=True):
    """A person met at a visit: the link behind "last met" and the cadence flags."""

    visit_id: str = Field(foreign_key="visit.id", index=True)
    person_id: str = Field(foreign_key="person.id", index=True)


class PlanReview(Record, table=True):
    """A dated TAT note: think, act, think again about the account plan."""

    account_id: str = Field(foreign_key="account.id", index=True)
    reviewed_on: date
    text: str


class ChangeLog(SQLModel, table=True):
    """Append-only: who changed which row, when, and each field's old and new value.

    Entries are never changed or deleted, so they carry who and when instead of a
    version and a tombstone. The key is a UUID like every other table's, so two
    copies' logs can merge; `seq` is this database's own order of writing (the
    previous entry's plus one, taken inside the write lock), which the screens use
    to notice that someone wrote.

    `site` is the copy the change was made on (a laptop's or the team's own) and
    `hlc` its hybrid logical clock: above every clock the copy had seen when the
    change was made, and near the wall time in milliseconds. Copies that merge order
    one field's changes by (`hlc`, `site`), so they agree on the last writer whatever
    their wall clocks say.
    """

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    seq: int = Field(unique=True)
    table_name: str
    row_id: str = Field(index=True)
    action: str
    who: str
    at: datetime = Field(default_factory=utcnow)
    changes: str = "{}"
    site: str = Field(default="", max_length=32)
    hlc: int = Field(default=0, sa_type=BigInteger, index=True)


class SyncConflict(Record, table=True):
    """Two copies changed one field differently while apart (or one deleted a record the
    other edited): the merge kept `kept`, and the other value waits here, on every
    copy, until a rep resolves it. Values are JSON, as in the change log."""

    table_name: str
    row_id: str = Field(index=True)
    field: str = ""
    kind: str = "field"
    kept: str = "null"
    kept_who: str = ""
    kept_at: datetime | None = None
    other: str = "null"
    other_who: str = ""
    other_at: datetime | None = None
    resolved_by: str = ""
    resolved_at: datetime | None = None
    resolution: str = ""


class Draft(SQLModel, table=True):
    """What a rep typed in a form and has not saved, kept so that a dropped connection or
    a closed laptop loses nothing. One per rep and form (`key` names the record, or the
    new record's kind and parent); never logged or synced: it is the rep's scratch pad."""

    __table_args__ = (UniqueConstraint("who", "key"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    who: str
    key: str
    title: str = ""
    fields: str = "{}"
    saved_at: datetime = Field(default_factory=utcnow)


class Meta(SQLModel, table=True):
    """Facts about the database itself, such as what made it (`kind`: demo, team)."""

    __tablename__ = "planner_meta"

    key: str = Field(primary_key=True)
    value: str = ""


ENTITIES: tuple[type[Record], ...] = (
    Industry,
    Account,
    OrgUnit,
    Person,
    Project,
    Purchase,
    Competitor,
    CompetitorPosition,
    SwotItem,
    Goal,
    Strategy,
    Action,
    Visit,
    VisitAttendee,
    PlanReview,
)

GUESSES: dict[type[Record], tuple[str, str]] = {Person: ("layer", "layer_guessed"), Industry: ("tier", "tier_guessed")}
"""Fields an import may guess (model → field, its flag): the flag stays until a rep
confirms the value or changes it."""
IMPORT_FIELDS = ("import_source", "import_id", "imported")
NOT_IN_FORMS = frozenset({*(flag for _field, flag in GUESSES.values()), *IMPORT_FIELDS, *DERIVED})
"""Columns no form edits: the guess flags, where an imported record came from, and
what the store derives."""

SYNCED: tuple[type[Record], ...] = (*ENTITIES, SyncConflict)
"""Every table whose rows travel between a laptop and the team's database."""
SYNCED_BY_TABLE: dict[str, type[Record]] = {table_name(model): model for model in SYNCED}
