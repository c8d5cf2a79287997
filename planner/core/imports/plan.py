"""What an import would do: compare a batch with what the database holds.

Each record the files name is found by the source's id for it (kept with the record
when it was imported), else by name (an account, or a person or project within their account), else it is
new. A found record takes the file's values field by field, with the values last
imported (the record's `imported`) as the common ancestor, as a merge would:

- the file's value is what was imported last time: nothing to do (a rep's own
  change since then stays);
- the planner still holds what was imported last time: the file's newer value
  replaces it;
- both changed, differently: the rep's value stays and the pair is reported as a
  conflict, for the rep to decide in the Conflicts screen.

A record found by name has no ancestor: the file fills what the planner leaves
empty, and a different non-empty value is a conflict. Nothing here touches the
database; `Existing` is what the store read, `Plan` what it will write.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from planner.core import models as m
from planner.core.changes import encode, plain
from planner.core.formatting import name_key
from planner.core.history import EMPTY, field_spec, show
from planner.core.i18n import N_, _
from planner.core.imports import guess
from planner.core.imports.records import MODELS, SOURCE_NAMES, Batch, Incoming, Problem

KIND_OF = {model: kind for kind, model in MODELS.items()}
_MISSING = object()


@dataclass(frozen=True)
class Link:
    """A record imported from the same source before, and what it was given then."""

    row_id: str
    text: str
    """The `imported` JSON as stored."""

    @property
    def imported(self) -> dict[str, Any]:
        return json.loads(self.text) if self.text else {}


@dataclass
class Existing:
    """What the database holds that an import of `source` may touch."""

    links: dict[tuple[str, str], Link] = field(default_factory=dict)
    """(kind, source id) → the record imported under it; the first made where two copies made one."""
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Row id → its current values (with `version`, `deleted_at`, `updated_by`, `updated_at`)."""
    accounts: dict[str, list[str]] = field(default_factory=dict)
    """Live accounts' ids by name key."""
    named: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    """(kind, account id, name key) → live people and projects of that name."""
    units: dict[tuple[str, str], str] = field(default_factory=dict)
    """(account id, name key) → a live unit."""
    industries: dict[str, str] = field(default_factory=dict)
    """Name key (English or Chinese) → industry id."""
    names: dict[str, str] = field(default_factory=dict)
    """Id → name of the rows a link may point at (units, people, industries), for reports."""


@dataclass(frozen=True)
class Update:
    model: type[m.Record]
    row_id: str
    version: int
    changes: dict[str, Any]


@dataclass(frozen=True)
class Conflict:
    """A field the rep changed in the planner and the file changed differently."""

    model: type[m.Record]
    row_id: str
    record: str
    field: str
    planner: Any
    file: Any
    where: str
    planner_who: str
    planner_at: datetime | None

    shown: tuple[str, str]
    """Both values as the screens show them (money grouped, linked records by name)."""

    def __str__(self) -> str:
        label = spec.label if (spec := field_spec(self.model, self.field)) else self.field
        planner, file = self.shown
        if self.planner_who:
            told = _(
                "{where}: {record}: {field} is {planner} in the planner (last changed by {who}) but {file} in the "
                "file; kept the planner's"
            )
        else:
            told = _(
                "{where}: {record}: {field} is {planner} in the planner (last changed by someone) but {file} in the "
                "file; kept the planner's"
            )
        return told.format(
            where=self.where, record=self.record, field=_(label), planner=planner, who=self.planner_who, file=file
        )


@dataclass
class Plan:
    source: str
    creates: dict[type[m.Record], list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    updates: list[Update] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def changes_anything(self) -> bool:
        return bool(self.updates or self.conflicts or any(self.creates.values()))


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == 0


def _same_name(field: str, now: Any, new: Any) -> bool:
    """A name that differs only in case or spacing is the one a record was found by."""
    return field == "name" and isinstance(now, str) and isinstance(new, str) and name_key(now) == name_key(new)


class _Planner:
    def __init__(self, batch: Batch, existing: Existing):
        self.batch = batch
        self.existing = existing
        self.plan = Plan(batch.source, problems=list(batch.problems), skipped=list(batch.skipped))
        self.row_ids: dict[tuple[str, str], str] = {}  # (kind, source id) → the row it is, or will be
        self.claimed: set[str] = set()
        self.new_industries: dict[str, str] = {}
        self.new_units: dict[tuple[str, str], str] = {}
        self.found: dict[str, tuple[str | None, Link | None]] = {}  # person source id → what `find` found
        self.new_names: dict[str, str] = {}  # person id → name, for reports

    def run(self) -> Plan:
        for item in self.batch.accounts:
            self.record(item, {"industry_id": self.industry(item.industry)} if item.industry else {})
        for item in self.batch.people:
            if self.parent(item):
                self.person_ids(item)
        for item in self.batch.people:
            if (item.kind, item.source_id) in self.row_ids:
                self.person(item)
        for item in self.batch.projects:
            if self.parent(item):
                self.record(item, {})
        return self.plan

    # --- finding ------------------------------------------------------------------

    def parent(self, item: Incoming) -> bool:
        """Whether the item's account is in the planner (or coming in); says why not."""
        if ("account", item.account or "") in self.row_ids:
            return True
        self.skip(item, _("its account was skipped"))
        return False

    def skip(self, item: Incoming, reason: str) -> None:
        self.plan.skipped.append(Problem(item.where, reason))
        self.plan.counts[item.kind]["skipped"] += 1

    def find(self, item: Incoming, account_id: str | None) -> tuple[str | None, Link | None]:
        """The row the item is: by its link, else by name; None for a new record."""
        link = self.existing.links.get((item.kind, item.source_id))
        if link is not None:
            return link.row_id, link
        wanted = name_key(item.values.get("name", ""))
        if item.kind == "account":
            candidates = self.existing.accounts.get(wanted, [])
        else:
            candidates = self.existing.named.get((item.kind, account_id or "", wanted), [])
        free = [row_id for row_id in candidates if row_id not in self.claimed]
        if len(free) == 1:
            return free[0], None
        return None, None

    def industry(self, name: str) -> str:
        key = name_key(name)
        if key in self.existing.industries:
            return self.existing.industries[key]
        if key not in self.new_industries:
            industry_id = m.new_id()
            self.new_industries[key] = industry_id
            self.plan.creates[m.Industry].append({
                "id": industry_id, "name_en": name, "name_zh": "" if name.isascii() else name,
                "tier": guess.tier(name), "tier_guessed": True,
            })  # fmt: skip
            self.plan.counts["industry"]["created"] += 1
        return self.new_industries[key]

    def unit(self, account_id: str, name: str) -> str:
        key = (account_id, name_key(name))
        if key in self.existing.units:
            return self.existing.units[key]
        if key not in self.new_units:
            unit_id = m.new_id()
            self.new_units[key] = unit_id
            self.plan.creates[m.OrgUnit].append({"id": unit_id, "account_id": account_id, "name": name})
            self.plan.counts["unit"]["created"] += 1
        return self.new_units[key]

    # --- people: ids first, so reports-to lines can point forwards -------------------

    def person_ids(self, item: Incoming) -> None:
        account_id = self.row_ids[("account", item.account or "")]
        found = self.claim(item, account_id)
        if found is None:
            return
        row_id, _link = found
        if row_id is not None and self.existing.rows[row_id]["account_id"] != account_id:
            moved = _("moved to another account in the file; it stays where it is in the planner")
            self.plan.problems.append(Problem(item.where, moved))
        self.new_names[self.row_ids[(item.kind, item.source_id)]] = item.values.get("name", "")
        self.found[item.source_id] = found

    def person(self, item: Incoming) -> None:
        row_id, link = self.found[item.source_id]
        account_id = self.row_ids[("account", item.account or "")]
        values = dict(item.values)
        moved = row_id is not None and self.existing.rows[row_id]["account_id"] != account_id
        if not moved:
            values["unit_id"] = self.unit(account_id, item.unit) if item.unit else None
            manager = self.row_ids.get(("person", item.reports_to)) if item.reports_to else None
            values["reports_to_id"] = manager
        values = {k: v for k, v in values.items() if v is not None}
        self.write(item, row_id, link, values, account_id)

    # --- every kind -------------------------------------------------------------------

    def record(self, item: Incoming, links: dict[str, Any]) -> None:
        account_id = self.row_ids.get(("account", item.account or "")) if item.kind != "account" else None
        if found := self.claim(item, account_id):
            self.write(item, *found, {**item.values, **links}, account_id)

    def claim(self, item: Incoming, account_id: str | None) -> tuple[str | None, Link | None] | None:
        """The row the item is (None: a new one, its id drawn now) and its link; None
        altogether, and skipped, when the row was deleted in the planner."""
        row_id, link = self.find(item, account_id)
        if row_id is not None:
            current = self.existing.rows.get(row_id)
            if current is None or current["deleted_at"] is not None:
                self.skip(item, _("deleted in the planner; restore it there to import it again"))
                return None
            self.claimed.add(row_id)
        self.row_ids[(item.kind, item.source_id)] = row_id or m.new_id()
        return row_id, link

    def write(
        self, item: Incoming, row_id: str | None, link: Link | None, values: dict[str, Any], account_id: str | None
    ) -> None:
        imported = {name: plain(value) for name, value in values.items()}
        if row_id is None:
            self.create(item, values, account_id, imported)
            return
        current = self.existing.rows[row_id]
        base = link.imported if link is not None else None
        changes = self.guesses(item, current, values)
        for name, value in values.items():
            if name in changes:
                continue
            now, new = plain(current.get(name)), imported[name]
            before = base.get(name, _MISSING) if base is not None else _MISSING
            if now == new or (before is not _MISSING and new == before) or _same_name(name, now, new):
                continue
            if (before is _MISSING and _blank(now)) or (before is not _MISSING and now == before):
                changes[name] = value
            else:
                model = MODELS[item.kind]
                record = _("{kind} {name}").format(kind=_(KINDS[item.kind]), name=current.get("name") or row_id)
                shown = (self.show(model, name, now), self.show(model, name, new))
                self.plan.conflicts.append(Conflict(
                    model, row_id, record, name, now, new, item.where,
                    current.get("updated_by", ""), current.get("updated_at"), shown,
                ))  # fmt: skip
        counted = "updated" if changes else "unchanged"
        text = encode(imported)
        if link is None:  # found by name, or imported from another source: it is this source's now
            changes.update(import_source=self.batch.source, import_id=item.source_id, imported=text)
        elif text != link.text:
            changes["imported"] = text
        if changes:
            self.plan.updates.append(Update(MODELS[item.kind], row_id, current["version"], changes))
        self.plan.counts[item.kind][counted] += 1

    def show(self, model: type[m.Record], name: str, value: Any) -> str:
        """A value for a conflict's report; a link by the name of what it points at."""
        names = {**self.existing.names, **self.new_names, **{row_id: key[1] for key, row_id in self.new_units.items()}}
        text = show(field_spec(model, name), value, names)
        return text if text == EMPTY else f"'{text}'"

    @staticmethod
    def guesses(item: Incoming, current: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        """A layer still guessed follows the file: its layer if it names one (no longer a
        guess), else a new guess from the title. A layer a rep confirmed is theirs."""
        if item.kind != "person" or not current.get("layer_guessed"):
            return {}
        given = values.get("layer")
        layer = given or guess.layer(values.get("title", current.get("title", "")))
        if layer == current.get("layer") and not given:
            return {}
        return {"layer": layer, "layer_guessed": not given}

    def create(self, item: Incoming, values: dict[str, Any], account_id: str | None, imported: dict[str, Any]) -> None:
        row_id = self.row_ids[(item.kind, item.source_id)]
        row = {"id": row_id, **values}
        if account_id is not None:
            row["account_id"] = account_id
        if item.kind == "person":
            if "layer" not in values:
                row["layer"] = guess.layer(values.get("title", ""))
                row["layer_guessed"] = True
            row["value_orientation"] = m.LAYER_VALUES[row["layer"]]  # as a person made in a form starts
        row.update(import_source=self.batch.source, import_id=item.source_id, imported=encode(imported))
        self.plan.creates[MODELS[item.kind]].append(row)
        self.plan.counts[item.kind]["created"] += 1


def plan(batch: Batch, existing: Existing) -> Plan:
    return _Planner(batch, existing).run()


KINDS = {
    "account": N_("account"),
    "unit": N_("unit"),
    "person": N_("person"),
    "project": N_("project"),
    "industry": N_("industry"),
}
"""A kind of record, as a conflict's line names it."""
SUMMARY_LABELS = {
    "account": N_("accounts"),
    "unit": N_("org units"),
    "person": N_("people"),
    "project": N_("projects"),
    "industry": N_("industries"),
}
"""Each kind of record as the summary heads its line."""
COUNTED = {
    "created": N_("{n} created"),
    "updated": N_("{n} updated"),
    "unchanged": N_("{n} unchanged"),
    "skipped": N_("{n} skipped"),
}


def summary(plan: Plan) -> list[str]:
    """One line per kind of record: created, updated, unchanged, skipped."""
    lines = []
    for kind, label in SUMMARY_LABELS.items():
        count = plan.counts.get(kind)
        if count:
            parts = [_(COUNTED[word]).format(n=count[word]) for word in COUNTED if count[word]]
            lines.append(_("{kind}: {counts}").format(kind=_(label), counts=_(", ").join(parts)))
    return lines


def report(plan: Plan, applied: bool) -> list[str]:
    """What a dry run would do or an applied import did, every skip and problem by
    file and line, then what to do next."""
    source = _(SOURCE_NAMES[plan.source])
    told = _("Imported from the {source} files:") if applied else _("Would import from the {source} files:")
    lines = [told.format(source=source)]
    lines += [f"  {line}" for line in summary(plan)] or ["  " + _("nothing")]
    sections: tuple[tuple[str, list[Any]], ...] = (
        (_("Skipped ({count}):"), plan.skipped),
        (_("Problems ({count}):"), plan.problems),
        (
            _("Changed in the planner and in the file, planner's value kept (see Conflicts, F) ({count}):"),
            plan.conflicts,
        ),
    )
    for title, items in sections:
        if items:
            lines += ["", title.format(count=len(items)), *(f"  {item}" for item in _by_place(items))]
    if not applied:
        lines += ["", _("Dry run: nothing was written. Run again with --apply to import.")]
    elif not plan.changes_anything:
        lines += ["", _("Nothing changed: the planner already holds what the files say.")]
    return lines


def _by_place(items: list[Any]) -> list[Any]:
    """Ordered by file, then line (numerically), as an editor would walk them."""

    def place(item: Any) -> tuple[str, int]:
        name, _colon, line = item.where.rpartition(":")
        return (name, int(line)) if line.isdigit() else (item.where, 0)

    return sorted(items, key=place)
