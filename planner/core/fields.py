"""What each editable field is, and the rules its values must meet.

One table of field specs drives validation in the store (so the CLI, imports and
every form get the same messages) and tells forms how to label and parse input.
Messages name the field and say what would be accepted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from planner.core import models as m
from planner.core.formatting import number_input
from planner.core.i18n import N_, _

SHORT_MAX = 200
LONG_MAX = 5000
MONEY_MAX = 1e13
FIRST_YEAR, LAST_YEAR = 1900, 2200


@dataclass(frozen=True)
class FieldSpec:
    """`kind` is one of: name, text, long, money, amount, score, percent, days,
    position, date, choice, ref, flag. `name` is required short text; `ref` points at `target`."""

    name: str
    msgid: str
    """The label in English, as marked for the catalog (`label` is it translated)."""
    kind: str
    choices: tuple[str, ...] = ()
    target: type[m.Record] | None = None
    required: bool = False
    nullable: bool = True  # may be left empty (None); set from the table below

    @property
    def label(self) -> str:
        """The field's label in the interface's language, looked up when it is shown."""
        return _(self.msgid)


def _f(name: str, msgid: str, kind: str = "text", **extra: Any) -> FieldSpec:
    required = extra.pop("required", False) or kind == "name"
    return FieldSpec(name, msgid, kind, required=required, **extra)


FIELDS: dict[type[m.Record], tuple[FieldSpec, ...]] = {
    m.Industry: (
        _f("name_en", N_("Name (English)"), "name"),
        _f("name_zh", N_("Name (Chinese)")),
        _f("tier", N_("Tier"), "choice", choices=m.TIERS),
        _f("procurement_pattern", N_("Procurement pattern"), "long"),
    ),
    m.Account: (
        _f("name", N_("Name"), "name"),
        _f("industry_id", N_("Industry"), "ref", target=m.Industry),
        _f("region", N_("Region")),
        _f("account_class", N_("Class"), "choice", choices=m.CLASSES),
        _f("owner", N_("Owner")),
        _f("revenue", N_("Revenue this year"), "money"),
        _f("profit", N_("Profit"), "amount"),
        _f("influence", N_("Influence (1-5)"), "score"),
        _f("input_people", N_("Input: people"), "money"),
        _f("input_money", N_("Input: money"), "money"),
        _f("input_material", N_("Input: material"), "money"),
        _f("application_level", N_("Application level"), "long"),
        _f("problems", N_("Problems"), "long"),
        _f("procurement_method", N_("Procurement method"), "long"),
        _f("notes", N_("Notes"), "long"),
        _f("cadence_days", N_("Contact every (days)"), "days"),
    ),
    m.OrgUnit: (
        _f("account_id", N_("Account"), "ref", target=m.Account, required=True),
        _f("parent_id", N_("Parent unit"), "ref", target=m.OrgUnit),
        _f("name", N_("Name"), "name"),
        _f("responsibilities", N_("Responsibilities"), "long"),
    ),
    m.Person: (
        _f("account_id", N_("Account"), "ref", target=m.Account, required=True),
        _f("unit_id", N_("Unit"), "ref", target=m.OrgUnit),
        _f("reports_to_id", N_("Reports to"), "ref", target=m.Person),
        _f("name", N_("Name"), "name"),
        _f("title", N_("Title")),
        _f("layer", N_("Layer"), "choice", choices=m.LAYERS),
        _f("value_orientation", N_("Values"), "long"),
        _f("characteristics", N_("Characteristics"), "long"),
        _f("influence", N_("Influence (1-5)"), "score"),
        _f("closeness", N_("Closeness (1-5)"), "score"),
        _f("stance", N_("Stance"), "choice", choices=m.STANCES),
        _f("phone", N_("Phone")),
        _f("email", N_("Email")),
        _f("notes", N_("Notes"), "long"),
    ),
    m.Project: (
        _f("account_id", N_("Account"), "ref", target=m.Account, required=True),
        _f("name", N_("Name"), "name"),
        _f("description", N_("Description"), "long"),
        _f("amount", N_("Estimated amount"), "money"),
        _f("funding_source", N_("Funding source")),
        _f("procurement_method", N_("Procurement method")),
        _f("expected_date", N_("Expected date"), "date"),
        _f("stage", N_("Stage"), "choice", choices=m.PROJECT_STAGES),
        _f("probability", N_("Probability (%)"), "percent"),
    ),
    m.Purchase: (
        _f("account_id", N_("Account"), "ref", target=m.Account, required=True),
        _f("purchased_on", N_("Date"), "date", required=True),
        _f("amount", N_("Amount"), "money", required=True),
        _f("description", N_("Product / description")),
    ),
    m.Competitor: (
        _f("name", N_("Brand"), "name"),
        _f("notes", N_("Notes"), "long"),
    ),
    m.CompetitorPosition: (
        _f("account_id", N_("Account"), "ref", target=m.Account, required=True),
        _f("competitor_id", N_("Competitor"), "ref", target=m.Competitor, required=True),
        _f("partner", N_("Implementing partner")),
        _f("relationship", N_("Relationship and history"), "long"),
        _f("reputation", N_("Image and reputation"), "long"),
        _f("experience", N_("Project experience"), "long"),
        _f("capability", N_("Technical and service capability"), "long"),
        _f("allies", N_("Allies"), "long"),
        _f("weaknesses", N_("Main weaknesses"), "long"),
        _f("threat", N_("Threat (1-5)"), "score"),
    ),
    m.SwotItem: (
        _f("account_id", N_("Account"), "ref", target=m.Account, required=True),
        _f("kind", N_("Kind"), "choice", choices=m.SWOT_KINDS),
        _f("text", N_("Text"), "long", required=True),
    ),
    m.Goal: (
        _f("account_id", N_("Account"), "ref", target=m.Account, required=True),
        _f("phase", N_("Phase")),
        _f("text", N_("Goal"), "long", required=True),
        _f("due_date", N_("Due"), "date"),
        _f("owner", N_("Owner")),
    ),
    m.Strategy: (
        _f("account_id", N_("Account"), "ref", target=m.Account, required=True),
        _f("goal_id", N_("Goal"), "ref", target=m.Goal, required=True),
        _f("text", N_("Strategy"), "long", required=True),
        _f("position", N_("Position"), "position"),
    ),
    m.Action: (
        _f("account_id", N_("Account"), "ref", target=m.Account, required=True),
        _f("goal_id", N_("Goal"), "ref", target=m.Goal),
        _f("strategy_id", N_("Strategy"), "ref", target=m.Strategy),
        _f("person_id", N_("Person"), "ref", target=m.Person),
        _f("competitor_position_id", N_("Counters competitor"), "ref", target=m.CompetitorPosition),
        _f("title", N_("What to do"), "name"),
        _f("status", N_("Status"), "choice", choices=m.ACTION_STATUSES),
        _f("position", N_("Position in column"), "position"),
        _f("due_date", N_("Due"), "date"),
        _f("owner", N_("Owner")),
        _f("notes", N_("Notes"), "long"),
    ),
    m.Visit: (
        _f("account_id", N_("Account"), "ref", target=m.Account, required=True),
        _f("visited_on", N_("Date"), "date", required=True),
        _f("channel", N_("How it happened"), "choice", choices=m.CHANNELS),
        _f("introduced_by_id", N_("Introduced by"), "ref", target=m.Person),
        _f("purpose", N_("Purpose"), "long"),
        _f("appointment_made", N_("Appointment made by phone"), "flag"),
        _f("brought_cards", N_("Business cards"), "flag"),
        _f("brought_notebook", N_("Notebook"), "flag"),
        _f("brought_address_book", N_("Address book"), "flag"),
        _f("brought_material", N_("Product technical material"), "flag"),
        _f("brought_quotation", N_("Price quotation"), "flag"),
        _f("outcome", N_("Outcome"), "long"),
        _f("commitment", N_("Commitment obtained"), "long"),
        _f("next_step", N_("Next step"), "long"),
        _f("next_step_date", N_("Next step date"), "date"),
        _f("next_step_done", N_("Next step done"), "flag"),
    ),
    m.VisitAttendee: (
        _f("visit_id", N_("Visit"), "ref", target=m.Visit, required=True),
        _f("person_id", N_("Person"), "ref", target=m.Person, required=True),
    ),
    m.PlanReview: (
        _f("account_id", N_("Account"), "ref", target=m.Account, required=True),
        _f("reviewed_on", N_("Date"), "date", required=True),
        _f("text", N_("Review"), "long", required=True),
    ),
}


FIELDS = {
    model: tuple(replace(f, nullable=bool(m.table_of(model).c[f.name].nullable)) for f in specs)
    for model, specs in FIELDS.items()
}
_NAMES = {model: frozenset(field.name for field in specs) for model, specs in FIELDS.items()}
TEXT_KINDS = ("name", "text", "long")


def spec(model: type[m.Record], name: str) -> FieldSpec:
    for field in FIELDS[model]:
        if field.name == name:
            return field
    raise KeyError(f"{model.__name__} has no editable field {name!r}")


# Control characters (Unicode category Cc) and lone surrogates (Cs) cannot be stored
# or shown; long text may keep tabs and line breaks.
BAD_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
BAD_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def check(field: FieldSpec, value: Any) -> str | None:
    """The message for a typed value that breaks the field's rules, else None: in the
    interface's language at the time of the check, naming the field by its label."""
    label = field.label
    kind = field.kind
    if value is None or (value == "" and kind in TEXT_KINDS):
        if field.required:
            return _("{label} is required.").format(label=label)
        return _("{label} cannot be left empty.").format(label=label) if value is None and not field.nullable else None
    if kind in ("name", "text", "long", "choice", "ref"):
        if not isinstance(value, str):
            return _("{label} must be text.").format(label=label)
        if kind == "name" and not value.strip():
            return _("{label} cannot be blank.").format(label=label)
        if kind == "ref" and not value:
            return _("{label}: choose one from the list, or leave it empty.").format(label=label)
        limit = LONG_MAX if kind == "long" else SHORT_MAX
        if len(value) > limit:
            return _("{label} is too long: {length:,} characters, at most {limit:,}.").format(
                label=label, length=len(value), limit=limit
            )
        if (BAD_IN_TEXT if kind == "long" else BAD_IN_LINE).search(value):
            return _("{label} contains control characters that cannot be stored.").format(label=label)
        if kind == "choice" and value not in field.choices:
            return _("{label} must be one of {choices}.").format(label=label, choices=", ".join(field.choices))
        return None
    if kind in ("money", "amount"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _("{label} must be a number.").format(label=label)
        if isinstance(value, float) and not math.isfinite(value):
            return _("{label} must be a real number.").format(label=label)
        if kind == "money" and value < 0:
            return _("{label} cannot be negative.").format(label=label)
        if abs(value) > MONEY_MAX:  # compared as it is: an int too large for a float stays an int
            return _("{label} is too large (at most {limit:,.0f}).").format(label=label, limit=MONEY_MAX)
        return None
    if kind in ("score", "percent", "days", "position"):
        low, high = {"score": (1, 5), "percent": (0, 100), "days": (1, 3650), "position": (0, 10**9)}[kind]
        if isinstance(value, bool) or not isinstance(value, int):
            return _("{label} must be a whole number.").format(label=label)
        if not low <= value <= high:
            return _("{label} must be between {low} and {high}.").format(label=label, low=low, high=high)
        return None
    if kind == "date":
        if not isinstance(value, date) or isinstance(value, datetime):
            return _("{label} must be a date.").format(label=label)
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            return _("{label} must fall between {first} and {last}.").format(
                label=label, first=FIRST_YEAR, last=LAST_YEAR
            )
        return None
    if kind == "flag":
        return None if isinstance(value, bool) else _("{label} must be yes or no.").format(label=label)
    raise ValueError(f"unknown field kind {kind}")


_UNSEEN = object()


def first_invalid(
    model: type[m.Record], rows: Sequence[dict[str, Any]], *, creating: bool, ignore: frozenset[str] = frozenset()
) -> dict[str, str] | None:
    """What `validate` says of the first of `rows` it would reject (keys in `ignore`
    aside), or None when every row is fine.

    For imports: each field's distinct values are checked once, keyed by type as
    well (so True and 1 stay apart), which makes 100k rows several times quicker
    than validating them one by one.
    """
    names = _NAMES[model] | ignore
    first = next((index for index, row in enumerate(rows) if row.keys() - names), len(rows))
    for field in FIELDS[model]:
        name = field.name
        seen: dict[Any, object] = {}
        for index in range(first):
            row = rows[index]
            if name in row:
                value = row[name]
            elif creating and field.required:
                value = None
            else:
                continue
            try:
                key = (type(value), value)
                message = seen.get(key, _UNSEEN)
                if message is _UNSEEN:
                    message = seen[key] = check(field, value)
            except TypeError:  # an unhashable value: checked as it is
                message = check(field, value)
            if message:
                first = index
                break
    if first == len(rows):
        return None
    return validate(model, {k: v for k, v in rows[first].items() if k not in ignore}, creating=creating)


_SCALE = {"k": 1000, "m": 1_000_000, "万": 10_000, "亿": 100_000_000}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def as_text(field: FieldSpec, value: Any) -> str:
    """A stored value as a rep would type it back into the field (`parse` reads it back)."""
    if value is None:
        return ""
    if field.kind in ("money", "amount") and isinstance(value, (int, float)):
        return number_input(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def parse(field: FieldSpec, raw: str) -> Any:
    """Turn what a rep typed into a typed value; raise ValueError with the message."""
    text = raw.strip()
    kind = field.kind
    if kind in ("name", "text", "long", "choice", "ref"):
        return raw if kind == "long" else text
    if text == "":
        return None
    label = field.label
    if kind in ("money", "amount"):
        cleaned = re.sub(r"[\s,_¥$€]", "", text).lower()
        scale = 1
        if cleaned and cleaned[-1] in _SCALE:
            scale, cleaned = _SCALE[cleaned[-1]], cleaned[:-1]
        if not _NUMBER.match(cleaned):
            raise ValueError(_("{label} must be a number, like 120000, 120k or 12万.").format(label=label))
        return float(Decimal(cleaned) * scale)  # exact: "12.34万" is 123400, not 123399.99…
    if kind in ("score", "percent", "days", "position"):
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(_("{label} must be a whole number.").format(label=label))
        if len(text) > 18:  # beyond any range here, and int() refuses thousands of digits
            raise ValueError(_("{label} is far too large.").format(label=label))
        return int(text)
    if kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(_("{label} must be a real date, written YYYY-MM-DD.").format(label=label)) from None
    if kind == "flag":
        lowered = text.lower()
        if lowered in ("y", "yes", "true", "1", "x", "是"):
            return True
        if lowered in ("n", "no", "false", "0", "否"):
            return False
        raise ValueError(_("{label} must be yes or no.").format(label=label))
    raise ValueError(f"unknown field kind {kind}")


def validate(model: type[m.Record], values: dict[str, Any], *, creating: bool) -> dict[str, str]:
    """Messages per field for `values`; on create, required fields must be present."""
    errors: dict[str, str] = {}
    for name in values.keys() - _NAMES[model]:
        errors[name] = _("{name} is not a field of {model}.").format(name=name, model=model.__name__)
    for field in FIELDS[model]:
        if field.name in values or (creating and field.required):
            message = check(field, values.get(field.name))
            if message:
                errors[field.name] = message
    return errors
