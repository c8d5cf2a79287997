"""Salesforce's Data Export: `Account.csv`, `Contact.csv`, `Opportunity.csv` and
`User.csv`, with the API field names as headers.

Ids come as 15 characters (case-sensitive) or 18 (the same with a 3-character
suffix); both forms of one id are the same record, so ids are kept in 15.
"""

from __future__ import annotations

from pathlib import Path

from planner.core.i18n import N_, _
from planner.core.imports.files import ImportFileError, Sheet, read_csv, titles
from planner.core.imports.records import Batch, Incoming, Typing
from planner.core.imports.settle import settle

FILES = {"account": "Account.csv", "person": "Contact.csv", "project": "Opportunity.csv", "user": "User.csv"}

ACCOUNT_FIELDS = {"name": "name", "revenue": "annualrevenue", "region": "billingcity", "notes": "description"}
CONTACT_FIELDS = {"name": "name", "title": "title", "email": "email"}
OPPORTUNITY_FIELDS = {"name": "name", "amount": "amount", "expected_date": "closedate", "probability": "probability"}


def short_id(text: str | None) -> str | None:
    value = (text or "").strip()
    if not value:
        return None
    return value[:15] if len(value) == 18 and value.isalnum() else value


def _deleted(row: dict[str, str]) -> bool:
    return row.get("isdeleted", "").strip().casefold() in ("true", "1", "yes")


def _find(folder: Path, name: str) -> Path | None:
    """The export's file by name, whatever its case (`account.csv` on some systems)."""
    exact = folder / name
    if exact.exists():
        return exact
    return next((p for p in folder.iterdir() if p.name.casefold() == name.casefold()), None)


def person_name(first: str, last: str) -> str:
    """ "First Last", or "LastFirst" for Chinese names (张 + 伟 is 张伟)."""
    first, last = first.strip(), last.strip()
    if first and last and not (first + last).isascii():
        return last + first
    return " ".join(part for part in (first, last) if part)


def read(folder: Path) -> Batch:
    if not folder.is_dir():
        raise ImportFileError(
            _("{folder} is not a folder; give the folder of the Salesforce export.").format(folder=folder)
        )
    found = {kind: _find(folder, name) for kind, name in FILES.items()}
    if found["account"] is None:
        raise ImportFileError(
            _("No {file} in {folder}: is this a Salesforce data export?").format(file=FILES["account"], folder=folder)
        )
    batch = Batch("salesforce")
    sheets = {kind: read_csv(path) for kind, path in found.items() if path is not None}
    typing = Typing(batch, titles(sheets.values()))
    owners = _owners(sheets.get("user"))
    _accounts(batch, typing, sheets["account"], owners, "user" in sheets)
    if "person" in sheets:
        _contacts(batch, typing, sheets["person"])
    if "project" in sheets:
        _opportunities(batch, typing, sheets["project"])
    settle(batch, {kind: name for kind, name in FILES.items()})
    return batch


def _owners(users: Sheet | None) -> dict[str, str]:
    if users is None:
        return {}
    owners = {}
    for _where, row in users.rows:
        name = row.get("name", "").strip() or person_name(row.get("firstname", ""), row.get("lastname", ""))
        owners[short_id(row.get("id")) or ""] = name or row.get("username", "").strip()
    return owners


def _rows(batch: Batch, sheet: Sheet, what: str):
    """The live rows of a file with their id; deleted rows, rows without an id and a
    second row of one id are skipped and said so."""
    seen: set[str] = set()
    for where, row in sheet.rows:
        source_id = short_id(row.get("id"))
        if _deleted(row):
            batch.skip(where, _("deleted in Salesforce"), source_id)
            continue
        if source_id is None:
            batch.problem(where, _("{what} without an Id; skipped").format(what=_(what)))
            batch.skip(where, _("no Id"))
            continue
        if source_id in seen:
            batch.problem(
                where, _("{what} {id} appears twice; the second is skipped").format(what=_(what), id=source_id)
            )
            batch.skip(where, _("a second row of the same Id"))
            continue
        seen.add(source_id)
        yield where, source_id, row


def _accounts(batch: Batch, typing: Typing, sheet: Sheet, owners: dict[str, str], have_users: bool) -> None:
    for where, source_id, row in _rows(batch, sheet, N_("account")):
        values = typing.fill("account", where, row, ACCOUNT_FIELDS)
        if "name" not in values:
            batch.skip(where, _("no Name"), source_id)
            continue
        owner_id = short_id(row.get("ownerid"))
        if owner_id and owner_id in owners:
            values["owner"] = owners[owner_id]
        elif owner_id and have_users:
            batch.problem(
                where, _("owner {owner} is not in {file}; owner left empty").format(owner=owner_id, file=FILES["user"])
            )
        industry = row.get("industry", "").strip()
        batch.accounts.append(Incoming("account", source_id, where, values, industry=industry or None))


def _contacts(batch: Batch, typing: Typing, sheet: Sheet) -> None:
    for where, source_id, row in _rows(batch, sheet, N_("contact")):
        row = dict(row)
        if not row.get("name", "").strip():
            row["name"] = person_name(row.get("firstname", ""), row.get("lastname", ""))
        values = typing.fill("person", where, row, CONTACT_FIELDS)
        phone = typing.value("person", "phone", row.get("phone") or row.get("mobilephone"), where, "Phone")
        if phone:
            values["phone"] = phone
        if "name" not in values:
            batch.skip(where, _("no Name, FirstName or LastName"), source_id)
            continue
        department = row.get("department", "").strip()
        batch.people.append(
            Incoming(
                "person",
                source_id,
                where,
                values,
                account=short_id(row.get("accountid")),
                unit=department or None,
                reports_to=short_id(row.get("reportstoid")),
            )
        )


def _opportunities(batch: Batch, typing: Typing, sheet: Sheet) -> None:
    for where, source_id, row in _rows(batch, sheet, N_("opportunity")):
        values = typing.fill("project", where, row, OPPORTUNITY_FIELDS)
        if "name" not in values:
            batch.skip(where, _("no Name"))
            continue
        typing.stage(values, row.get("stagename", ""), where)
        notes = [row.get("description", "").strip(), _labelled("Next step", row.get("nextstep", ""))]
        description = typing.value("project", "description", "\n\n".join(n for n in notes if n), where, "Description")
        if description:
            values["description"] = description
        batch.projects.append(Incoming("project", source_id, where, values, account=short_id(row.get("accountid"))))


def _labelled(label: str, text: str) -> str:
    return f"{label}: {text.strip()}" if text.strip() else ""
