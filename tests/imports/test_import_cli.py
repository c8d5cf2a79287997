"""`planner import` as a rep types it: a dry run first, --apply, the same files again,
HubSpot files and the template, and files that cannot be read."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from crm_exports import write_salesforce
from test_readers import hubspot_files

from planner.cli import main
from planner.core import models as m
from planner.core.errors import EXIT_UNUSABLE
from planner.store.startup import open_store

DATA = Path(__file__).parents[2] / "data"


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_dry_run_reports_by_file_and_line_and_apply_then_again_changes_nothing(tmp_path, capsys):
    export = write_salesforce(tmp_path / "sf")
    db = str(tmp_path / "team.db")
    open_store(db).db.close()
    before = hashlib.sha256(Path(db).read_bytes()).hexdigest()
    code, out, _ = _run(capsys, "--db", db, "import", "salesforce", str(export.folder))
    assert code == 0
    assert "Would import from the Salesforce files:" in out and "accounts: 40 created" in out
    assert f"  {export.lines['deleted']}: deleted in Salesforce" in out
    assert f"  {export.lines['unknown stage']}: unknown stage 'Haggling'" in out
    assert "Dry run: nothing was written." in out
    assert hashlib.sha256(Path(db).read_bytes()).hexdigest() == before
    code, out, _ = _run(capsys, "--db", db, "import", "salesforce", str(export.folder), "--apply")
    assert code == 0 and out.startswith("Imported from the Salesforce files:")
    code, out, _ = _run(capsys, "--db", db, "import", "salesforce", str(export.folder), "--apply")
    assert "accounts: 40 unchanged" in out and "Nothing changed" in out


def test_hubspot_files_come_in_and_again_change_nothing(tmp_path, capsys):
    db = str(tmp_path / "team.db")
    files = [str(p) for p in hubspot_files(tmp_path / "hs")]
    code, out, _ = _run(capsys, "--db", db, "import", "hubspot", *files, "--apply")
    assert code == 0 and "accounts: 2 created" in out and "people: 2 created" in out and "projects: 2 created" in out
    assert "contacts.csv:4: company 'Unknown Co': no company of that name" in out
    store = open_store(db)
    try:
        bank = store.find_account("Harbor Bank")
        assert bank.owner == "Sarah Chen" and bank.revenue == 2_500_000 and bank.region == "Ningbo"
        grace = next(p for p in store.list(m.Person, account_id=bank.id) if p.name == "Grace Lee")
        assert (grace.title, grace.layer, grace.layer_guessed) == ("CIO", "decision", True)
    finally:
        store.db.close()
    _, out, _ = _run(capsys, "--db", db, "import", "hubspot", *files, "--apply")
    assert "Nothing changed" in out


def test_the_bundled_template_comes_in_from_csv_and_from_the_workbook_alike(tmp_path, capsys):
    csv_db, book_db = str(tmp_path / "csv.db"), str(tmp_path / "book.db")
    csv_files = sorted(str(p) for p in (DATA / "import-template").glob("*.csv"))
    code, out, _ = _run(capsys, "--db", csv_db, "import", "csv", *csv_files, "--apply")
    assert code == 0 and "Problems" not in out and "Skipped" not in out
    code, out, _ = _run(capsys, "--db", book_db, "import", "xlsx", str(DATA / "import-template.xlsx"), "--apply")
    assert code == 0 and "Problems" not in out and "Skipped" not in out
    _, out, _ = _run(capsys, "--db", csv_db, "import", "csv", *csv_files, "--apply")
    assert "Nothing changed" in out

    def picture(db: str) -> list[tuple]:
        store = open_store(db)
        try:
            people = store.list(m.Person)
            names = {p.id: p.name for p in people}
            units = {u.id: u.name for u in store.list(m.OrgUnit)}
            lines = [
                (
                    p.name,
                    p.title,
                    p.layer,
                    p.layer_guessed,
                    names.get(p.reports_to_id or ""),
                    units.get(p.unit_id or ""),
                )
                for p in people
            ]
            return sorted(lines) + sorted((a.name, a.revenue, a.account_class) for a in store.list(m.Account))
        finally:
            store.db.close()

    assert picture(csv_db) == picture(book_db)
    rows = {row[0]: row for row in picture(csv_db)}
    assert rows["张伟"][2:6] == ("decision", True, "李明", "资产与设备处")
    assert rows["刘洋"][2:4] == ("usage", False)
    assert rows["江南科技大学"][1] == 1_200_000


def test_files_that_cannot_be_read_end_with_one_sentence_and_write_nothing(tmp_path, capsys):
    db = str(tmp_path / "team.db")
    code, _, err = _run(capsys, "--db", db, "import", "salesforce", str(tmp_path / "nowhere"))
    assert code == EXIT_UNUSABLE and "is not a folder" in err and "Traceback" not in err
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "Account.csv").write_bytes(b"Id,Name\r\n001,\xff\xfe\x81\x20\r\n")
    code, _, err = _run(capsys, "--db", db, "import", "salesforce", str(bad), "--apply")
    assert code == EXIT_UNUSABLE and "neither UTF-8 nor GB18030" in err
    shutil.copy(DATA / "import-template" / "accounts.csv", tmp_path / "accounts.xlsx")
    code, _, err = _run(capsys, "--db", db, "import", "xlsx", str(tmp_path / "accounts.xlsx"))
    assert code == EXIT_UNUSABLE and "is not an .xlsx workbook" in err
    assert not Path(db).exists()  # refused before the database was even opened
