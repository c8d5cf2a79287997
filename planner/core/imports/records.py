"""The neutral form every reader produces, and the value parsing they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from planner.core import fields
from planner.core import models as m
from planner.core.i18n import N_, _

SOURCE_NAMES = {"salesforce": "Salesforce", "hubspot": "HubSpot", "sheet": N_("spreadsheet")}
"""Each source's records remember it by its key; reports name it so."""


@dataclass(frozen=True)
class Problem:
    """Something in the files a rep should know about, where it is (`file:line`)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Incoming:
    """One record as a file has it. `values` are the planner's fields, already typed;
    links to other records are by the file's ids (`account`, `reports_to`) or by
    name (`unit`: a department; `industry`), resolved when the import is planned."""

    kind: str  # "account", "person" or "project"
    source_id: str
    where: str
    values: dict[str, Any]
    account: str | None = None
    unit: str | None = None
    reports_to: str | None = None
    industry: str | None = None


@dataclass
class Batch:
    source: str
    accounts: list[Incoming] = field(default_factory=list)
    people: list[Incoming] = field(default_factory=list)
    projects: list[Incoming] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)
    """Ids of rows in the files that were skipped → why, for the lines pointing at them."""

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def skip(self, where: str, reason: str, source_id: str | None = None) -> None:
        self.skipped.append(Problem(where, reason))
        if source_id:
            self.left_out[source_id] = reason


MODELS: dict[str, type[m.Record]] = {"account": m.Account, "person": m.Person, "project": m.Project}
_SPECS = {kind: {spec.name: spec for spec in fields.FIELDS[model]} for kind, model in MODELS.items()}

STAGES = {
    # Salesforce's standard sales process
    "prospecting": "potential", "qualification": "potential",
    "needsanalysis": "incubating", "valueproposition": "incubating", "iddecisionmakers": "incubating",
    "perceptionanalysis": "incubating",
    "proposalpricequote": "producing", "negotiationreview": "producing",
    "closedwon": "won", "closedlost": "lost",
    # HubSpot's default deal pipeline (labels and internal values fold to the same keys)
    "appointmentscheduled": "potential", "qualifiedtobuy": "potential",
    "presentationscheduled": "incubating", "decisionmakerboughtin": "incubating",
    "contractsent": "producing",
    # the method's own words, for the planner's template
    "potential": "potential", "incubating": "incubating", "producing": "producing", "won": "won", "lost": "lost",
    "潜在": "potential", "孵化": "incubating", "产出": "producing", "赢单": "won", "丢单": "lost",
}  # fmt: skip
"""A CRM stage (folded: lower case, letters and digits only) → the method's stage."""


def stage_of(text: str) -> str | None:
    return STAGES.get(re.sub(r"[\W_]+", "", text.casefold()))


def _day(text: str) -> date:
    """A day as CRMs and spreadsheets write it: ISO (with or without a time), Y/M/D,
    or the US M/D/Y that Salesforce and HubSpot use in their exports."""
    head = text.strip().split("T")[0].split(" ")[0]
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%Y.%m.%d"):
        try:
            return datetime.strptime(head, pattern).date()
        except ValueError:
            continue
    raise ValueError(head)


class Typing:
    """Turns a file's text into field values, reporting what it cannot take and
    checking each distinct value once (100k rows repeat most of theirs)."""

    def __init__(self, batch: Batch, titles: dict[str, str] | None = None):
        self.batch = batch
        self.titles = titles or {}  # a column's folded name → as the file writes it, for messages
        self._checked: dict[tuple[str, str, Any], str | None] = {}

    def value(self, kind: str, name: str, raw: str | None, where: str, column: str) -> Any:
        """The typed value of `raw` for field `name`, or None (reported) when the file's
        value cannot be used; None too for an empty cell, which means "not known"."""
        if raw is None:
            return None
        column = self.titles.get(column, column)
        spec = _SPECS[kind][name]
        if spec.kind in fields.TEXT_KINDS:
            return self._text(spec, raw, where, column)
        text = raw.strip()
        if not text:
            return None
        try:
            if spec.kind == "date":
                value: Any = _day(text)
            elif spec.kind in ("percent", "score") and re.fullmatch(r"[+-]?\d+(\.\d+)?%?", text):
                value = round(float(text.rstrip("%")))
            else:
                value = fields.parse(spec, text)
        except ValueError:
            if spec.kind == "date":
                told = _("{column} {value} is not a date; left empty")
            elif spec.kind != "choice":
                told = _("{column} {value} is not a number; left empty")
            else:
                told = _("{column} {value} is not a known value; left empty")
            self.batch.problem(where, told.format(column=column, value=_quoted(text)))
            return None
        key = (kind, name, value)
        if key not in self._checked:
            self._checked[key] = fields.check(spec, value)
        if message := self._checked[key]:
            self.batch.problem(where, _("{column}: {message} Left empty.").format(column=column, message=message))
            return None
        return value

    def _text(self, spec: fields.FieldSpec, raw: str, where: str, column: str) -> str | None:
        """Text as the forms would store it: one line (or, for long text, line breaks
        kept), within the field's length; what does not fit is cut, and said so."""
        long = spec.kind == "long"
        text = (raw.replace("\r\n", "\n") if long else raw).strip()
        if not text:
            return None
        bad = fields.BAD_IN_TEXT if long else fields.BAD_IN_LINE
        if bad.search(text):
            text = bad.sub(" ", text).strip()
            self.batch.problem(where, _("{column}: control characters replaced by spaces").format(column=column))
        limit = fields.LONG_MAX if long else fields.SHORT_MAX
        if len(text) > limit:
            self.batch.problem(
                where, _("{column} is longer than {limit:,} characters; cut to fit").format(column=column, limit=limit)
            )
            text = text[:limit]
        return text or None

    def stage(self, values: dict[str, Any], text: str, where: str) -> None:
        """A CRM's stage as the method's (in `values`), or reported when it has none."""
        text = text.strip()
        if not text:
            return
        stage = stage_of(text)
        if stage is None:
            self.batch.problem(
                where, _("unknown stage {stage!r}; stage not set (a new project is potential)").format(stage=text)
            )
        else:
            values["stage"] = stage

    def fill(self, kind: str, where: str, row: dict[str, str], columns: dict[str, str]) -> dict[str, Any]:
        """Field values from `row` by `columns` (field → column), leaving out unknowns."""
        values = {}
        for name, column in columns.items():
            value = self.value(kind, name, row.get(column), where, column)
            if value is not None:
                values[name] = value
        return values


def _quoted(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:39] + "…")
