"""HubSpot's CSV exports of companies, contacts and deals, linked through their
associated-company columns (by company id, else by the company's name).

Which file is which is read from its headers, so the files can come in any order
and under any name. HubSpot has no reports-to lines; a contact's department, where
the export has one, becomes an org unit.
"""

from __future__ import annotations

from pathlib import Path

from planner.core.formatting import name_key
from planner.core.i18n import N_, _
from planner.core.imports.columns import has_any, pick
from planner.core.imports.files import ImportFileError, Sheet, sheets, titles
from planner.core.imports.records import Batch, Incoming, Typing
from planner.core.imports.salesforce import person_name
from planner.core.imports.settle import settle

ID = ("record id", "hs_object_id", "company id", "contact id", "deal id")
COMPANY = {
    "name": ("company name", "name"),
    "revenue": ("annual revenue", "annualrevenue"),
    "region": ("city", "state/region"),
    "owner": ("company owner", "hubspot owner", "owner"),
    "notes": ("description", "about us"),
}
CONTACT = {
    "title": ("job title", "jobtitle"),
    "email": ("email",),
    "phone": ("phone number", "phone", "mobile phone number"),
}
DEAL = {
    "name": ("deal name", "dealname"),
    "amount": ("amount",),
    "expected_date": ("close date", "closedate"),
    "description": ("deal description", "description"),
}
COMPANY_ID = ("associated company ids (primary)", "associated company ids", "associated company id",
              "associatedcompanyid", "company id")  # fmt: skip
COMPANY_NAME = ("associated company", "company name", "company")
FILES_OF = {
    "companies": N_("{first} and {second} are both companies; give one file of each."),
    "contacts": N_("{first} and {second} are both contacts; give one file of each."),
    "deals": N_("{first} and {second} are both deals; give one file of each."),
}
"""Two files of one kind, as the rep is told."""


def _kind(sheet: Sheet) -> str:
    if has_any(sheet, "deal name", "dealname", "deal stage", "dealstage"):
        return "deals"
    if has_any(sheet, "first name", "firstname", "last name", "lastname"):
        return "contacts"
    if has_any(sheet, "company name", "name", "company domain name", "domain"):
        return "companies"
    raise ImportFileError(
        _(
            "{name}: not a HubSpot export of companies, contacts or deals (no Company name, First name "
            "or Deal name column)."
        ).format(name=sheet.name)
    )


def read(paths: list[Path]) -> Batch:
    found: dict[str, Sheet] = {}
    for sheet in sheets(paths):
        kind = _kind(sheet)
        if kind in found:
            raise ImportFileError(_(FILES_OF[kind]).format(first=found[kind].name, second=sheet.name))
        found[kind] = sheet
    if "companies" not in found:
        raise ImportFileError(_("No companies file among the files: the contacts and deals need their companies."))
    batch = Batch("hubspot")
    typing = Typing(batch, titles(found.values()))
    names = _companies(batch, typing, found["companies"])
    if "contacts" in found:
        _contacts(batch, typing, found["contacts"], names)
    if "deals" in found:
        _deals(batch, typing, found["deals"], names)
    labels = {"account": found["companies"].name, "person": found.get("contacts", found["companies"]).name}
    settle(batch, labels)
    return batch


def _ids(batch: Batch, sheet: Sheet, what: str):
    column = next((c for c in ID if c in sheet.headers), None)
    if column is None:
        raise ImportFileError(
            _("{name} has no Record ID column; export it with the record ids.").format(name=sheet.name)
        )
    seen: set[str] = set()
    for where, row in sheet.rows:
        source_id = row.get(column, "").strip()
        if not source_id:
            batch.problem(where, _("{what} without a Record ID; skipped").format(what=_(what)))
            batch.skip(where, _("no Record ID"))
        elif source_id in seen:
            batch.problem(
                where, _("{what} {id} appears twice; the second is skipped").format(what=_(what), id=source_id)
            )
            batch.skip(where, _("a second row of the same Record ID"))
        else:
            seen.add(source_id)
            yield where, source_id, row


def _companies(batch: Batch, typing: Typing, sheet: Sheet) -> dict[str, list[str]]:
    """Reads the companies; returns their ids by name, for files linked by name."""
    columns = pick(sheet, COMPANY)
    industry = "industry" if "industry" in sheet.headers else None
    names: dict[str, list[str]] = {}
    for where, source_id, row in _ids(batch, sheet, N_("company")):
        values = typing.fill("account", where, row, columns)
        if "name" not in values:
            batch.skip(where, _("no Company name"), source_id)
            continue
        names.setdefault(name_key(values["name"]), []).append(source_id)
        kind = _industry_name(row.get(industry, "")) if industry else ""
        batch.accounts.append(Incoming("account", source_id, where, values, industry=kind or None))
    return names


def _industry_name(text: str) -> str:
    """HubSpot writes industries as BANKING or COMPUTER_SOFTWARE in some exports: make it a name."""
    text = text.strip()
    if text.isupper() and text.isascii():
        return text.replace("_", " ").title()
    return text


def _company(batch: Batch, sheet: Sheet, where: str, row: dict[str, str], names: dict[str, list[str]]) -> str | None:
    """The row's company id: from an id column (the first where it lists several), else by name."""
    for column in COMPANY_ID:
        if row.get(column, "").strip():
            return row[column].replace(",", ";").split(";")[0].strip()
    for column in COMPANY_NAME:
        name = row.get(column, "").strip()
        if name:
            found = names.get(name_key(name), [])
            if len(found) == 1:
                return found[0]
            if not found:
                told = _("company {name!r}: no company of that name in the companies file; skipped")
            else:
                told = _("company {name!r}: {count} companies of that name in the companies file; skipped")
            batch.problem(where, told.format(name=name, count=len(found)))
            return ""
    return None


def _contacts(batch: Batch, typing: Typing, sheet: Sheet, names: dict[str, list[str]]) -> None:
    columns = pick(sheet, CONTACT)
    first = next((c for c in ("first name", "firstname") if c in sheet.headers), "")
    last = next((c for c in ("last name", "lastname") if c in sheet.headers), "")
    for where, source_id, row in _ids(batch, sheet, N_("contact")):
        values = typing.fill("person", where, row, columns)
        name = typing.value("person", "name", person_name(row.get(first, ""), row.get(last, "")), where, "Name")
        if not name:
            batch.skip(where, _("no First name or Last name"))
            continue
        values["name"] = name
        company = _company(batch, sheet, where, row, names)
        if company == "":
            batch.skip(where, _("its company is not in the companies file"))
            continue
        department = row.get("department", "").strip()
        batch.people.append(Incoming("person", source_id, where, values, account=company, unit=department or None))


def _deals(batch: Batch, typing: Typing, sheet: Sheet, names: dict[str, list[str]]) -> None:
    columns = pick(sheet, DEAL)
    stage_column = next((c for c in ("deal stage", "dealstage") if c in sheet.headers), "")
    for where, source_id, row in _ids(batch, sheet, N_("deal")):
        values = typing.fill("project", where, row, columns)
        if "name" not in values:
            batch.skip(where, _("no Deal name"))
            continue
        typing.stage(values, row.get(stage_column, ""), where)
        company = _company(batch, sheet, where, row, names)
        if company == "":
            batch.skip(where, _("its company is not in the companies file"))
            continue
        batch.projects.append(Incoming("project", source_id, where, values, account=company))
