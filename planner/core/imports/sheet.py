"""The planner's own spreadsheet template: accounts, people and projects, as CSV
files or as the sheets of one .xlsx workbook, linked by names as a rep writes them
(a person's account by its name, a manager by their name in the same account).

An `id` column is optional: without one, a record is known by its name (a person or
project by their name within the account), so renaming a row in the sheet makes a
new record. Headers may be English (snake_case or spaced) or Chinese.
"""

from __future__ import annotations

from pathlib import Path

from planner.core.formatting import name_key
from planner.core.i18n import _
from planner.core.imports.columns import pick
from planner.core.imports.files import ImportFileError, Sheet, sheets, titles
from planner.core.imports.records import Batch, Incoming, Typing
from planner.core.imports.settle import settle

ACCOUNT = {
    "name": ("name", "account", "名称", "客户", "客户名称"),
    "region": ("region", "区域", "地区"),
    "account_class": ("class", "account class", "级别", "分类"),
    "owner": ("owner", "负责人"),
    "revenue": ("revenue", "收入", "销售额"),
    "profit": ("profit", "利润"),
    "notes": ("notes", "备注"),
}
PERSON = {
    "name": ("name", "姓名"),
    "title": ("title", "职务", "职位"),
    "layer": ("layer", "层级"),
    "phone": ("phone", "电话"),
    "email": ("email", "邮箱"),
    "notes": ("notes", "备注"),
}
PROJECT = {
    "name": ("name", "project", "项目", "项目名称"),
    "amount": ("amount", "金额"),
    "expected_date": ("expected date", "close date", "预计日期"),
    "probability": ("probability", "概率"),
    "description": ("description", "next step", "说明"),
}
ACCOUNT_REF = ("account", "客户", "客户名称")
INDUSTRY = ("industry", "行业")
DEPARTMENT = ("department", "unit", "部门")
REPORTS_TO = ("reports to", "上级")
STAGE = ("stage", "阶段")
LAYER_WORDS = {"形象层": "image", "决策层": "decision", "实施层": "implementation", "使用层": "usage"}
KINDS = {"accounts": "account", "people": "person", "projects": "project",
         "客户": "account", "人员": "person", "关键人物": "person", "项目": "project"}  # fmt: skip


def _spaced(sheet: Sheet) -> Sheet:
    """Headers with underscores as spaces, so `reports_to` and `Reports to` are one."""
    headers = tuple(h.replace("_", " ") for h in sheet.headers)
    rows = [(where, {k.replace("_", " "): v for k, v in row.items()}) for where, row in sheet.rows]
    return Sheet(sheet.name, headers, rows, {k.replace("_", " "): v for k, v in sheet.titles.items()})


def _kind(sheet: Sheet) -> str:
    """By the file's or worksheet's name where it says, else by its columns."""
    label = sheet.name.rsplit("[", 1)[-1].rstrip("]") if "[" in sheet.name else Path(sheet.name).stem
    for word, kind in KINDS.items():
        if word in label.casefold():
            return kind
    headers = set(sheet.headers)
    if headers & set(ACCOUNT_REF) and headers & {"title", "layer", "email", "phone", "reports to", "职务", "层级"}:
        return "person"
    if headers & set(ACCOUNT_REF) and headers & {"stage", "amount", "阶段", "金额"}:
        return "project"
    if headers & {"name", "名称", "客户名称"}:
        return "account"
    raise ImportFileError(
        _("{name}: not an accounts, people or projects sheet of the planner's template.").format(name=sheet.name)
    )


def read(paths: list[Path]) -> Batch:
    found: dict[str, list[Sheet]] = {"account": [], "person": [], "project": []}
    for sheet in sheets(paths):
        if sheet.headers:
            spaced = _spaced(sheet)
            found[_kind(spaced)].append(spaced)
    if not found["account"]:
        raise ImportFileError(_("No accounts sheet among the files: people and projects need their accounts."))
    batch = Batch("sheet")
    typing = Typing(batch, titles(sheet for group in found.values() for sheet in group))
    accounts: dict[str, str] = {}
    for sheet in found["account"]:
        _accounts(batch, typing, sheet, accounts)
    managers: dict[str, str] = {}
    for sheet in found["person"]:
        _people(batch, typing, sheet, accounts, managers)
    _managers(batch, managers)
    for sheet in found["project"]:
        _projects(batch, typing, sheet, accounts)
    labels = {"account": found["account"][0].name, "person": (found["person"] or found["account"])[0].name}
    settle(batch, labels)
    return batch


def _first(row: dict[str, str], candidates: tuple[str, ...]) -> str:
    return next((row[c].strip() for c in candidates if row.get(c, "").strip()), "")


def _accounts(batch: Batch, typing: Typing, sheet: Sheet, accounts: dict[str, str]) -> None:
    """Reads the accounts into `accounts`: their ids by id and by name key."""
    columns = pick(sheet, ACCOUNT)
    for where, row in sheet.rows:
        if "account_class" in columns:
            row = {**row, columns["account_class"]: row.get(columns["account_class"], "").strip().upper()}
        values = typing.fill("account", where, row, columns)
        if "name" not in values:
            batch.skip(where, _("no name"))
            continue
        source_id = row.get("id", "").strip() or name_key(values["name"])
        if source_id in accounts.values():
            batch.problem(where, _("account {name!r} appears twice; the second is skipped").format(name=values["name"]))
            batch.skip(where, _("a second row of the same account"))
            continue
        accounts[source_id] = accounts[name_key(values["name"])] = source_id
        industry = _first(row, INDUSTRY)
        batch.accounts.append(Incoming("account", source_id, where, values, industry=industry or None))


def _member(batch: Batch, sheet: Sheet, where: str, row: dict[str, str], accounts: dict[str, str]) -> str | None:
    """The source id of the row's account (by id or name), or None, reported."""
    wanted = _first(row, ACCOUNT_REF)
    if not wanted:
        return None
    found = accounts.get(wanted) or accounts.get(name_key(wanted))
    if found is None:
        batch.problem(where, _("account {name!r} is not in the accounts sheet; skipped").format(name=wanted))
        return ""
    return found


def _people(batch: Batch, typing: Typing, sheet: Sheet, accounts: dict[str, str], managers: dict[str, str]) -> None:
    """Reads the people; `managers` gets each one's reports-to text, by source id."""
    columns = pick(sheet, PERSON)
    known = {p.source_id for p in batch.people}
    for where, row in sheet.rows:
        row = dict(row)
        layer = _first(row, PERSON["layer"])
        if layer in LAYER_WORDS:
            row[columns["layer"]] = LAYER_WORDS[layer]
        elif "layer" in columns and layer:
            row[columns["layer"]] = layer.casefold()
        values = typing.fill("person", where, row, columns)
        account = _member(batch, sheet, where, row, accounts)
        if "name" not in values or account == "":
            batch.skip(where, _("no name") if "name" not in values else _("its account is not in the accounts sheet"))
            continue
        source_id = row.get("id", "").strip() or f"{account}/{name_key(values['name'])}"
        if source_id in known:
            twice = _(
                "{name!r} appears twice in one account; the second is skipped "
                "(give the sheet an id column to import both)"
            )
            batch.problem(where, twice.format(name=values["name"]))
            batch.skip(where, _("a second person of the same name in the account"))
            continue
        known.add(source_id)
        if manager := _first(row, REPORTS_TO):
            managers[source_id] = manager
        batch.people.append(
            Incoming("person", source_id, where, values, account=account, unit=_first(row, DEPARTMENT) or None)
        )


def _managers(batch: Batch, managers: dict[str, str]) -> None:
    """Reports-to by the manager's id, else by their name in the same account."""
    ids = {p.source_id for p in batch.people}
    by_name = {f"{p.account}/{name_key(p.values['name'])}": p.source_id for p in batch.people}
    for person in batch.people:
        wanted = managers.get(person.source_id)
        if wanted:
            named = f"{person.account}/{name_key(wanted)}"
            person.reports_to = wanted if wanted in ids else by_name.get(named, named)


def _projects(batch: Batch, typing: Typing, sheet: Sheet, accounts: dict[str, str]) -> None:
    columns = pick(sheet, PROJECT)
    for where, row in sheet.rows:
        values = typing.fill("project", where, row, columns)
        account = _member(batch, sheet, where, row, accounts)
        if "name" not in values or account == "":
            batch.skip(where, _("no name") if "name" not in values else _("its account is not in the accounts sheet"))
            continue
        typing.stage(values, _first(row, STAGE), where)
        source_id = row.get("id", "").strip() or f"{account}/{name_key(values['name'])}"
        batch.projects.append(Incoming("project", source_id, where, values, account=account))
