"""CRM exports as reps bring them, written for tests and the import benchmark.

`write_salesforce` writes a Salesforce Data Export folder (API field names as headers,
18-character ids in the Id columns and a mix of 15 and 18 in the references, quoted
descriptions with commas and line breaks, CRLF line ends) whose org charts have
reports-to lines; with `problems`, it also holds one of each problem the import
must report, at known lines (`Export.lines`).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

INDUSTRIES = ("Banking", "Education", "Telecommunications", "Healthcare", "Retail", "Utilities", "金融")
CITIES = ("Shanghai", "Beijing", "Nanjing", "杭州", "广州", "Chengdu")
DEPARTMENTS = ("IT", "Procurement", "Finance", "信息中心", "Operations")
TITLES = ("President", "Director of IT", "IT Manager", "Engineer", "处长", "科长", "科员", "Analyst", "校长")
STAGES = ("Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Proposal/Price Quote",
          "Negotiation/Review", "Closed Won", "Closed Lost")  # fmt: skip
SURNAMES = ("王", "李", "张", "刘", "陈", "杨")
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊")
FIRST = ("David", "Emily", "James", "Sophie", "Grace", "Peter")
LAST = ("Smith", "Carter", "Lee", "Brown", "Miller", "Taylor")
HEADERS = {
    "Account.csv": ("Id", "IsDeleted", "Name", "Industry", "AnnualRevenue", "OwnerId", "BillingCity", "Description"),
    "Contact.csv": ("Id", "IsDeleted", "AccountId", "FirstName", "LastName", "Title", "Department", "ReportsToId",
                    "Phone", "Email"),
    "Opportunity.csv": ("Id", "IsDeleted", "AccountId", "Name", "StageName", "Amount", "CloseDate", "NextStep",
                        "Probability"),
    "User.csv": ("Id", "Name", "Username"),
}  # fmt: skip
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def long_id(short: str) -> str:
    """Salesforce's 18-character form: a letter per 5 characters saying which were capitals."""
    suffix = ""
    for chunk in (short[0:5], short[5:10], short[10:15]):
        bits = sum(1 << i for i, c in enumerate(chunk) if "A" <= c <= "Z")
        suffix += _SUFFIX[bits]
    return short + suffix


@dataclass
class Export:
    folder: Path
    accounts: list[dict[str, str]] = field(default_factory=list)
    contacts: list[dict[str, str]] = field(default_factory=list)
    opportunities: list[dict[str, str]] = field(default_factory=list)
    lines: dict[str, str] = field(default_factory=dict)
    """Injected problem → its `file:line`."""


class _Ids:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.count = 0

    def make(self, prefix: str) -> str:
        self.count += 1
        tail = "".join(self.rng.choice(_BASE62) for _ in range(6))
        return f"{prefix}{self.count:06d}{tail}"


def _person(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.5:
        return rng.choice(GIVEN), rng.choice(SURNAMES)
    return rng.choice(FIRST), rng.choice(LAST)


def build(folder: Path, accounts: int, contacts: int, opportunities: int, seed: int = 7) -> Export:
    rng = random.Random(seed)
    ids = _Ids(rng)
    export = Export(folder)
    users = [{"Id": long_id(ids.make("005")), "Name": name, "Username": f"{name.split()[0].lower()}@example.com"}
             for name in ("Li Wei", "Sarah Chen", "Tom Baker")]  # fmt: skip
    for index in range(accounts):
        short = ids.make("001")
        name = f"{rng.choice(CITIES)} {('Bank', 'University', 'Power', 'Telecom')[index % 4]} {index + 1}"
        export.accounts.append({
            "Id": long_id(short), "IsDeleted": "false", "Name": name, "Industry": INDUSTRIES[index % len(INDUSTRIES)],
            "AnnualRevenue": str(rng.randrange(10_000, 5_000_000)) if index % 9 else "",
            "OwnerId": rng.choice(users)["Id"][:15], "BillingCity": rng.choice(CITIES),
            "Description": f"Key site, \"tier {index % 3}\"\nsecond line" if index % 5 == 0 else "",
        })  # fmt: skip
    per_account: dict[str, list[dict[str, str]]] = {a["Id"]: [] for a in export.accounts}
    for index in range(contacts):
        account = export.accounts[index % accounts]
        first, last = _person(rng)
        colleagues = per_account[account["Id"]]
        manager = rng.choice(colleagues[: max(1, len(colleagues) // 2 + 1)]) if colleagues else None
        contact = {
            "Id": long_id(ids.make("003")), "IsDeleted": "false", "AccountId": account["Id"][: 15 + 3 * (index % 2)],
            "FirstName": first, "LastName": last, "Title": TITLES[index % len(TITLES)],
            "Department": DEPARTMENTS[(index // accounts) % len(DEPARTMENTS)],
            "ReportsToId": manager["Id"][: 15 + 3 * (index % 3 == 0)] if manager else "",
            "Phone": f"+86 21 {rng.randrange(10_000_000, 99_999_999)}", "Email": f"c{index}@example.com",
        }  # fmt: skip
        colleagues.append(contact)
        export.contacts.append(contact)
    for index in range(opportunities):
        account = export.accounts[index % accounts]
        export.opportunities.append({
            "Id": long_id(ids.make("006")), "IsDeleted": "false", "AccountId": account["Id"],
            "Name": f"Deal {index + 1}", "StageName": STAGES[index % len(STAGES)],
            "Amount": f"{rng.randrange(1_000, 900_000)}.00",
            "CloseDate": f"2027-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
            "NextStep": "Call the CIO" if index % 4 else "",
            "Probability": str((index % 10) * 10),
        })  # fmt: skip
    export.users = users  # type: ignore[attr-defined]
    return export


def inject_problems(export: Export) -> None:
    """One of each problem the import reports, each on a known line."""
    contacts, opportunities = export.contacts, export.opportunities
    contacts[3]["IsDeleted"] = "true"
    contacts[5]["AccountId"] = "001XXXXXXXXXXXX"
    contacts[7]["ReportsToId"] = "003NOTINTHEFILE"
    a, b = contacts[40], contacts[80]  # same account (40 and 80 apart at 40 accounts)
    a["ReportsToId"], b["ReportsToId"] = b["Id"], a["Id"]
    opportunities[2]["Amount"] = "TBD"
    opportunities[4]["StageName"] = "Haggling"
    opportunities[6]["Amount"] = ""
    export.lines.update({
        "deleted": _line(export, "Contact.csv", 3), "missing account": _line(export, "Contact.csv", 5),
        "missing manager": _line(export, "Contact.csv", 7), "cycle": _line(export, "Contact.csv", 80),
        "not a number": _line(export, "Opportunity.csv", 2), "unknown stage": _line(export, "Opportunity.csv", 4),
    })  # fmt: skip


def _line(export: Export, name: str, index: int) -> str:
    """Where row `index` starts: line 2 for the first, plus the extra lines of
    descriptions with line breaks (only accounts have those)."""
    return f"{name}:{index + 2}"


def write(export: Export, encoding: str = "utf-8") -> Path:
    folder = export.folder
    folder.mkdir(parents=True, exist_ok=True)
    tables = {"Account.csv": export.accounts, "Contact.csv": export.contacts, "Opportunity.csv": export.opportunities,
              "User.csv": export.users}  # type: ignore[attr-defined]  # fmt: skip
    for name, rows in tables.items():
        with (folder / name).open("w", encoding=encoding, newline="") as out:
            writer = csv.DictWriter(out, fieldnames=HEADERS[name], lineterminator="\r\n", quoting=csv.QUOTE_ALL)
            writer.writeheader()
            writer.writerows(rows)
    return folder


def write_salesforce(folder: Path, accounts: int = 40, contacts: int = 300, opportunities: int = 90,
                     problems: bool = True, seed: int = 7) -> Export:  # fmt: skip
    export = build(folder, accounts, contacts, opportunities, seed)
    if problems:
        inject_problems(export)
    write(export)
    return export
