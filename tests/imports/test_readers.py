"""Reading CRM exports and the template as reps have them: every file read back into
records, every problem at its file and line, no database involved."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from crm_exports import write_salesforce
from openpyxl import Workbook

from planner.core.imports import guess, hubspot, salesforce, sheet
from planner.core.imports.files import ImportFileError


def _problems(batch) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in batch.problems:
        found.setdefault(problem.where, []).append(problem.message)
    return found


def test_a_salesforce_export_reads_with_each_problem_at_its_line(tmp_path):
    export = write_salesforce(tmp_path / "sf")
    batch = salesforce.read(tmp_path / "sf")
    assert (len(batch.accounts), len(batch.people), len(batch.projects)) == (40, 298, 90)
    problems = _problems(batch)
    lines = export.lines
    assert any("is not in Account.csv" in text for text in problems[lines["missing account"]])
    assert any("003NOTINTHEFILE is not in Contact.csv" in text for text in problems[lines["missing manager"]])
    assert any("reports-to circle" in text for text in problems[lines["cycle"]])
    assert any("Amount 'TBD' is not a number" in text for text in problems[lines["not a number"]])
    assert any("unknown stage 'Haggling'" in text for text in problems[lines["unknown stage"]])
    skipped = {s.where: s.message for s in batch.skipped}
    assert skipped[lines["deleted"]] == "deleted in Salesforce"
    # the circle is cut at one person, the other keeps their line
    a, b = export.contacts[40]["Id"][:15], export.contacts[80]["Id"][:15]
    people = {p.source_id: p for p in batch.people}
    assert people[b].reports_to is None and people[a].reports_to == b


def test_fifteen_and_eighteen_character_ids_name_one_record(tmp_path):
    export = write_salesforce(tmp_path / "sf", problems=False)
    batch = salesforce.read(tmp_path / "sf")
    by_id = {p.source_id: p for p in batch.people}
    long_refs = [c for c in export.contacts if len(c["ReportsToId"]) == 18]
    short_refs = [c for c in export.contacts if len(c["ReportsToId"]) == 15]
    assert long_refs and short_refs
    for contact in long_refs + short_refs:
        assert by_id[contact["Id"][:15]].reports_to == contact["ReportsToId"][:15]
    assert {p.account for p in batch.people} <= {a.source_id for a in batch.accounts}
    assert not batch.problems


def test_quoted_line_breaks_crlf_bom_and_gb18030_read_alike(tmp_path):
    write_salesforce(tmp_path / "utf8", problems=False)
    (tmp_path / "gbk").mkdir()
    (tmp_path / "bom").mkdir()
    for path in (tmp_path / "utf8").iterdir():
        text = path.read_text(encoding="utf-8")
        (tmp_path / "gbk" / path.name).write_bytes(text.encode("gb18030"))
        (tmp_path / "bom" / path.name).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    batches = [salesforce.read(tmp_path / name) for name in ("utf8", "gbk", "bom")]
    views = [[(a.source_id, a.where, a.values) for a in b.accounts + b.people + b.projects] for b in batches]
    assert views[0] == views[1] == views[2]
    notes = [a.values.get("notes", "") for a in batches[0].accounts]
    assert 'Key site, "tier 0"\nsecond line' in notes
    assert any("杭州" in a.values.get("region", "") for a in batches[1].accounts)
    # rows after a quoted line break keep their own line numbers
    wheres = [a.where for a in batches[0].accounts]
    assert wheres[:3] == ["Account.csv:2", "Account.csv:4", "Account.csv:5"]


def test_empty_numbers_are_not_known_rather_than_zero(tmp_path):
    export = write_salesforce(tmp_path / "sf", problems=False)
    batch = salesforce.read(tmp_path / "sf")
    empty = [a for a in export.accounts if not a["AnnualRevenue"]]
    assert empty
    by_id = {a.source_id: a for a in batch.accounts}
    assert all("revenue" not in by_id[a["Id"][:15]].values for a in empty)
    assert not batch.problems


def test_text_that_is_no_known_encoding_is_refused_with_a_sentence(tmp_path):
    folder = tmp_path / "sf"
    folder.mkdir()
    (folder / "Account.csv").write_bytes(b"Id,Name\n001,\x81\x20\xff\xfe\n")
    with pytest.raises(ImportFileError, match="neither UTF-8 nor GB18030"):
        salesforce.read(folder)
    with pytest.raises(ImportFileError, match=r"No Account\.csv"):
        salesforce.read(tmp_path)


@pytest.mark.parametrize(
    ("title", "layer"),
    [("President", "image"), ("校长", "image"), ("Director of IT", "decision"), ("处长", "decision"),
     ("Vice President", "decision"), ("副校长", "decision"), ("IT Manager", "implementation"),
     ("科长", "implementation"), ("Clerk", "usage"), ("", "usage"), ("MVP Analyst", "usage")],
)  # fmt: skip
def test_a_layer_is_guessed_from_the_title(title, layer):
    assert guess.layer(title) == layer


@pytest.mark.parametrize(
    ("industry", "tier"),
    [("Banking", "major"), ("Higher Education", "major"), ("Telecommunications", "minor"), ("保险", "minor"),
     ("Utilities", "tracked"), ("Hospital & Health Care", "tracked"), ("Retail", "other"), ("", "other")],
)  # fmt: skip
def test_a_tier_is_guessed_from_the_industry_name(industry, tier):
    assert guess.tier(industry) == tier


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def hubspot_files(folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    companies = _write_csv(folder / "companies.csv", [
        {"Record ID": "101", "Company name": "Harbor Bank", "Industry": "BANKING", "Annual Revenue": "2500000",
         "City": "Ningbo", "Company owner": "Sarah Chen"},
        {"Record ID": "102", "Company name": "江南电力", "Industry": "Utilities", "Annual Revenue": "",
         "City": "南京", "Company owner": "Li Wei"},
    ])  # fmt: skip
    contacts = _write_csv(folder / "contacts.csv", [
        {"Record ID": "201", "First Name": "Grace", "Last Name": "Lee", "Job Title": "CIO", "Email": "g@hb.com",
         "Phone Number": "123", "Associated Company IDs": "101", "Company Name": ""},
        {"Record ID": "202", "First Name": "伟", "Last Name": "王", "Job Title": "科长", "Email": "",
         "Phone Number": "", "Associated Company IDs": "", "Company Name": "江南电力"},
        {"Record ID": "203", "First Name": "Nobody", "Last Name": "Known", "Job Title": "", "Email": "",
         "Phone Number": "", "Associated Company IDs": "", "Company Name": "Unknown Co"},
    ])  # fmt: skip
    deals = _write_csv(folder / "deals.csv", [
        {"Record ID": "301", "Deal Name": "Core banking refresh", "Deal Stage": "Contract Sent", "Amount": "480000",
         "Close Date": "2027-03-31 00:00", "Associated Company IDs": "101;102"},
        {"Record ID": "302", "Deal Name": "Grid monitoring", "Deal Stage": "qualifiedtobuy", "Amount": "1,200",
         "Close Date": "04/30/2027", "Associated Company IDs": "102"},
    ])  # fmt: skip
    return [deals, companies, contacts]


def test_hubspot_files_link_by_company_id_or_name_in_any_order(tmp_path):
    batch = hubspot.read(hubspot_files(tmp_path / "hs"))
    assert [a.values["name"] for a in batch.accounts] == ["Harbor Bank", "江南电力"]
    assert batch.accounts[0].industry == "Banking"
    people = {p.values["name"]: p for p in batch.people}
    assert people["Grace Lee"].account == "101" and people["王伟"].account == "102"
    assert "Nobody Known" not in people
    assert any("Unknown Co" in p.message for p in batch.problems)
    deals = {d.values["name"]: d for d in batch.projects}
    assert deals["Core banking refresh"].values["stage"] == "producing"
    assert deals["Core banking refresh"].account == "101"
    assert deals["Grid monitoring"].values["stage"] == "potential"
    assert deals["Grid monitoring"].values["amount"] == 1200.0
    assert str(deals["Grid monitoring"].values["expected_date"]) == "2027-04-30"


def test_a_file_that_is_not_a_hubspot_export_is_named(tmp_path):
    odd = _write_csv(tmp_path / "odd.csv", [{"Colour": "red"}])
    with pytest.raises(ImportFileError, match=r"odd\.csv: not a HubSpot export"):
        hubspot.read([odd])


def template_rows() -> dict[str, list[list[str]]]:
    return {
        "Accounts": [["name", "industry", "region", "class", "owner", "revenue", "notes"],
                     ["Harbor Bank", "Finance", "East", "a", "Sarah Chen", "2.5m", "Pays late"],
                     ["江南科技大学", "教育", "华东", "B", "王芳", "120万", ""]],
        "People": [["account", "name", "title", "department", "reports_to", "layer", "email"],
                   ["Harbor Bank", "Grace Lee", "CIO", "IT", "", "", "g@hb.com"],
                   ["Harbor Bank", "Tom Ward", "Engineer", "IT", "Grace Lee", "usage", ""],
                   ["江南科技大学", "张伟", "处长", "信息中心", "", "决策层", ""],
                   ["Nowhere Ltd", "Ghost", "", "", "", "", ""]],
        "Projects": [["account", "name", "stage", "amount", "expected_date", "probability"],
                     ["Harbor Bank", "Storage", "孵化", "300000", "2027-06-30", "40%"]],
    }  # fmt: skip


def test_the_template_reads_the_same_from_csv_files_and_from_a_workbook(tmp_path):
    rows = template_rows()
    paths = []
    for name, table in rows.items():
        path = tmp_path / f"{name.lower()}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out).writerows(table)
        paths.append(path)
    book = Workbook()
    book.remove(book.active)
    for name, table in rows.items():
        sheet_ = book.create_sheet(name)
        for line in table:
            sheet_.append(line)
    book.save(tmp_path / "plan.xlsx")
    from_csv = sheet.read(paths)
    from_book = sheet.read([tmp_path / "plan.xlsx"])
    for batch in (from_csv, from_book):
        accounts = {a.values["name"]: a for a in batch.accounts}
        assert accounts["Harbor Bank"].values["account_class"] == "A"
        assert accounts["Harbor Bank"].values["revenue"] == 2_500_000
        assert accounts["江南科技大学"].values["revenue"] == 1_200_000
        people = {p.values["name"]: p for p in batch.people}
        assert people["Tom Ward"].reports_to == people["Grace Lee"].source_id
        assert people["张伟"].values["layer"] == "decision"
        assert "layer" not in people["Grace Lee"].values
        assert "Ghost" not in people
        assert batch.projects[0].values["stage"] == "incubating" and batch.projects[0].values["probability"] == 40
    assert any(p.where == "people.csv:5" and "Nowhere Ltd" in p.message for p in from_csv.problems)
    assert any(p.where == "plan.xlsx[People]:5" and "Nowhere Ltd" in p.message for p in from_book.problems)


def test_huge_text_control_characters_and_emoji_come_in_fitted_and_said_so(tmp_path):
    path = tmp_path / "accounts.csv"
    long_name = "長" * 300
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([
            ["name", "region", "notes", "revenue"],
            [long_name, "East\x07China", "🚀 launch\nsecond line", "1e400"],
            ["Café 🍵 Ltd", "", "x" * 6000, "-5"],
        ])  # fmt: skip
    batch = sheet.read([path])
    first, second = (a.values for a in batch.accounts)
    assert first["name"] == "長" * 200 and first["region"] == "East China"
    assert first["notes"] == "🚀 launch\nsecond line" and "revenue" not in first
    assert second["name"] == "Café 🍵 Ltd" and len(second["notes"]) == 5000 and "revenue" not in second
    problems = {(p.where, p.message.split(" ")[0]) for p in batch.problems}
    assert ("accounts.csv:2", "name") in problems and ("accounts.csv:2", "region:") in problems
    assert ("accounts.csv:2", "revenue") in problems  # not a number
    # the quoted line break above puts the next row on line 4
    assert ("accounts.csv:4", "notes") in problems and ("accounts.csv:4", "revenue:") in problems  # negative
