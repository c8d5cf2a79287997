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

SHORT_MAX = 200
LONG_MAX = 5000
MONEY_MAX = 1e13
FIRST_YEAR, LAST_YEAR = 1900, 2200


@dataclass(frozen=True)
class FieldSpec:
    """`kind` is one of: name, text, long, money, amount, score, percent, days,
    position, date, choice, ref, flag. `name` is required short text; `ref` points at `target`."""

    name: str
    label: str
    kind: str
    choices: tuple[str, ...] = ()
    target: type[m.Record] | None = None
    required: bool = False
    nullable: bool = True  # may be left empty (None); set from the table below


def _f(name: str, label: str, kind: str = "text", **extra: Any) -> FieldSpec:
    required = extra.pop("required", False) or kind == "name"
    return FieldSpec(name, label, kind, required=required, **extra)


FIELDS: dict[type[m.Record], tuple[FieldSpec, ...]] = {
    m.Industry: (
        _f("name_en", "Name (English)", "name"),
        _f("name_zh", "Name (Chinese)"),
        _f("tier", "Tier", "choice", choices=m.TIERS),
        _f("procurement_pattern", "Procurement pattern", "long"),
    ),
    m.Account: (
        _f("name", "Name", "name"),
        _f("industry_id", "Industry", "ref", target=m.Industry),
        _f("region", "Region"),
        _f("account_class", "Class", "choice", choices=m.CLASSES),
        _f("owner", "Owner"),
        _f("revenue", "Revenue this year", "money"),
        _f("profit", "Profit", "amount"),
        _f("influence", "Influence (1-5)", "score"),
        _f("input_people", "Input: people", "money"),
        _f("input_money", "Input: money", "money"),
        _f("input_material", "Input: material", "money"),
        _f("application_level", "Application level", "long"),
        _f("problems", "Problems", "long"),
        _f("procurement_method", "Procurement method", "long"),
        _f("notes", "Notes", "long"),
        _f("cadence_days", "Contact every (days)", "days"),
    ),
    m.OrgUnit: (
        _f("account_id", "Account", "ref", target=m.Account, required=True),
        _f("parent_id", "Parent unit", "ref", target=m.OrgUnit),
        _f("name", "Name", "name"),
        _f("responsibilities", "Responsibilities", "long"),
    ),
    m.Person: (
        _f("account_id", "Account", "ref", target=m.Account, required=True),
        _f("unit_id", "Unit", "ref", target=m.OrgUnit),
        _f("reports_to_id", "Reports to", "ref", target=m.Person),
        _f("name", "Name", "name"),
        _f("title", "Title"),
        _f("layer", "Layer", "choice", choices=m.LAYERS),
        _f("value_orientation", "Values", "long"),
        _f("characteristics", "Characteristics", "long"),
        _f("influence", "Influence (1-5)", "score"),
        _f("closeness", "Closeness (1-5)", "score"),
        _f("stance", "Stance", "choice", choices=m.STANCES),
        _f("phone", "Phone"),
        _f("email", "Email"),
        _f("notes", "Notes", "long"),
    ),
    m.Project: (
        _f("account_id", "Account", "ref", target=m.Account, required=True),
        _f("name", "Name", "name"),
        _f("description", "Description", "long"),
        _f("amount", "Estimated amount", "money"),
        _f("funding_source", "Funding source"),
        _f("procurement_method", "Procurement method"),
        _f("expected_date", "Expected date", "date"),
        _f("stage", "Stage", "choice", choices=m.PROJECT_STAGES),
        _f("probability", "Probability (%)", "percent"),
    ),
    m.Purchase: (
        _f("account_id", "Account", "ref", target=m.Account, required=True),
        _f("purchased_on", "Date", "date", required=True),
        _f("amount", "Amount", "money", required=True),
        _f("description", "Product / description"),
    ),
    m.Competitor: (
        _f("name", "Brand", "name"),
        _f("notes", "Notes", "long"),
    ),
    m.CompetitorPosition: (
        _f("account_id", "Account", "ref", target=m.Account, required=True),
        _f("competitor_id", "Competitor", "ref", target=m.Competitor, required=True),
        _f("partner", "Implementing partner"),
        _f("relationship", "Relationship and history", "long"),
        _f("reputation", "Image and reputation", "long"),
        _f("experience", "Project experience", "long"),
        _f("capability", "Technical and service capability", "long"),
        _f("allies", "Allies", "long"),
        _f("weaknesses", "Main weaknesses", "long"),
        _f("threat", "Threat (1-5)", "score"),
    ),
    m.SwotItem: (
        _f("account_id", "Account", "ref", target=m.Account, required=True),
        _f("kind", "Kind", "choice", choices=m.SWOT_KINDS),
        _f("text", "Text", "long", required=True),
    ),
    m.Goal: (
        _f("account_id", "Account", "ref", target=m.Account, required=True),
        _f("phase", "Phase"),
        _f("text", "Goal", "long", required=True),
        _f("due_date", "Due", "date"),
        _f("owner", "Owner"),
    ),
    m.Strategy: (
        _f("account_id", "Account", "ref", target=m.Account, required=True),
        _f("goal_id", "Goal", "ref", target=m.Goal, required=True),
        _f("text", "Strategy", "long", required=True),
        _f("position", "Position", "position"),
    ),
    m.Action: (
        _f("account_id", "Account", "ref", target=m.Account, required=True),
        _f("goal_id", "Goal", "ref", target=m.Goal),
        _f("strategy_id", "Strategy", "ref", target=m.Strategy),
        _f("person_id", "Person", "ref", target=m.Person),
        _f("competitor_position_id", "Counters competitor", "ref", target=m.CompetitorPosition),
        _f("title", "Title", "name"),
        _f("status", "Status", "choice", choices=m.ACTION_STATUSES),
        _f("position", "Position in column", "position"),
        _f("due_date", "Due", "date"),
        _f("owner", "Owner"),
        _f("notes", "Notes", "long"),
    ),
    m.Visit: (
        _f("account_id", "Account", "ref", target=m.Account, required=True),
        _f("visited_on", "Date", "date", required=True),
        _f("channel", "How it happened", "choice", choices=m.CHANNELS),
        _f("introduced_by_id", "Introduced by", "ref", target=m.Person),
        _f("purpose", "Purpose", "long"),
        _f("appointment_made", "Appointment made by phone", "flag"),
        _f("brought_cards", "Business cards", "flag"),
        _f("brought_notebook", "Notebook", "flag"),
        _f("brought_address_book", "Address book", "flag"),
        _f("brought_material", "Product technical material", "flag"),
        _f("brought_quotation", "Price quotation", "flag"),
        _f("outcome", "Outcome", "long"),
        _f("commitment", "Commitment obtained", "long"),
        _f("next_step", "Next step", "long"),
        _f("next_step_date", "Next step date", "date"),
        _f("next_step_done", "Next step done", "flag"),
    ),
    m.VisitAttendee: (
        _f("visit_id", "Visit", "ref", target=m.Visit, required=True),
        _f("person_id", "Person", "ref", target=m.Person, required=True),
    ),
    m.PlanReview: (
        _f("account_id", "Account", "ref", target=m.Account, required=True),
        _f("reviewed_on", "Date", "date", required=True),
        _f("text", "Review", "long", required=True),
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
    """The message for a typed value that breaks the field's rules, else None."""
    label = field.label
    kind = field.kind
    if value is None or (value == "" and kind in TEXT_KINDS):
        if field.required:
            return f"{label} is required."
        return f"{label} cannot be left empty." if value is None and not field.nullable else None
    if kind in ("name", "text", "long", "choice", "ref"):
        if not isinstance(value, str):
            return f"{label} must be text."
        if kind == "name" and not value.strip():
            return f"{label} cannot be blank."
        if kind == "ref" and not value:
            return f"{label}: choose one from the list, or leave it empty."
        limit = LONG_MAX if kind == "long" else SHORT_MAX
        if len(value) > limit:
            return f"{label} is too long: {len(value):,} characters, at most {limit:,}."
        if (BAD_IN_TEXT if kind == "long" else BAD_IN_LINE).search(value):
            return f"{label} contains control characters that cannot be stored."
        if kind == "choice" and value not in field.choices:
            return f"{label} must be one of {', '.join(field.choices)}."
        return None
    if kind in ("money", "amount"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{label} must be a number."
        if isinstance(value, float) and not math.isfinite(value):
            return f"{label} must be a real number."
        if kind == "money" and value < 0:
            return f"{label} cannot be negative."
        if abs(value) > MONEY_MAX:  # compared as it is: an int too large for a float stays an int
            return f"{label} is too large (at most {MONEY_MAX:,.0f})."
        return None
    if kind in ("score", "percent", "days", "position"):
        low, high = {"score": (1, 5), "percent": (0, 100), "days": (1, 3650), "position": (0, 10**9)}[kind]
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{label} must be a whole number."
        if not low <= value <= high:
            return f"{label} must be between {low} and {high}."
        return None
    if kind == "date":
        if not isinstance(value, date) or isinstance(value, datetime):
            return f"{label} must be a date."
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            return f"{label} must fall between {FIRST_YEAR} and {LAST_YEAR}."
        return None
    if kind == "flag":
        return None if isinstance(value, bool) else f"{label} must be yes or no."
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
            raise ValueError(f"{label} must be a number, like 120000, 120k or 12万.")
        return float(Decimal(cleaned) * scale)  # exact: "12.34万" is 123400, not 123399.99…
    if kind in ("score", "percent", "days", "position"):
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(f"{label} must be a whole number.")
        if len(text) > 18:  # beyond any range here, and int() refuses thousands of digits
            raise ValueError(f"{label} is far too large.")
        return int(text)
    if kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{label} must be a real date, written YYYY-MM-DD.") from None
    if kind == "flag":
        lowered = text.lower()
        if lowered in ("y", "yes", "true", "1", "x", "是"):
            return True
        if lowered in ("n", "no", "false", "0", "否"):
            return False
        raise ValueError(f"{label} must be yes or no.")
    raise ValueError(f"unknown field kind {kind}")


def validate(model: type[m.Record], values: dict[str, Any], *, creating: bool) -> dict[str, str]:
    """Messages per field for `values`; on create, required fields must be present."""
    errors: dict[str, str] = {}
    for name in values.keys() - _NAMES[model]:
        errors[name] = f"{name} is not a field of {model.__name__}."
    for field in FIELDS[model]:
        if field.name in values or (creating and field.required):
            message = check(field, values.get(field.name))
            if message:
                errors[field.name] = message
    return errors
