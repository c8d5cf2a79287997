"""The account plan as Markdown: a golden file, byte-stable output, the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planner.cli import EXIT_FLAGS, main
from planner.core import export
from planner.core import models as m
from planner.core.errors import NotFound
from planner.store import seed
from planner.store.startup import open_store

DAY = date(2026, 11, 27)
GOLDEN = Path(__file__).parent / "golden" / "university_plan.md"


def _demo(path: Path):
    store = open_store(str(path), user="rep-a")
    seed.demo(store, DAY)
    return store


def _university(store) -> m.Account:
    return store.find_account("江南科技大学")


def _markdown(store, account_id: str) -> str:
    return export.account_plan_markdown(store.plan_document(account_id, DAY))


def test_the_university_plan_matches_the_golden_file(tmp_path):
    store = _demo(tmp_path / "a.db")
    text = _markdown(store, _university(store).id)
    store.db.close()
    assert text == GOLDEN.read_text(encoding="utf-8"), "regenerate the golden file only for an intended change"


def test_same_data_gives_the_same_bytes_whatever_the_ids_and_insert_order(tmp_path):
    first, second = _demo(tmp_path / "a.db"), _demo(tmp_path / "b.db")
    try:
        one = _markdown(first, _university(first).id)
        two = _markdown(second, _university(second).id)
        assert one == two
        account = _university(first)
        first.update(m.Account, account.id, account.version, notes="line one\nline | two")
        changed = _markdown(first, account.id)
        assert "line one<br>line \\| two" in changed
    finally:
        first.db.close()
        second.db.close()


def test_write_plan_writes_a_file_named_after_the_account(tmp_path):
    store = _demo(tmp_path / "a.db")
    path = export.write_plan(store.plan_document(_university(store).id, DAY))
    store.db.close()
    assert path == tmp_path / "exports" / "江南科技大学.md"
    assert path.read_text(encoding="utf-8").startswith("# Account plan: 江南科技大学")


def test_find_account_by_fragment_and_ambiguity(tmp_path):
    store = _demo(tmp_path / "a.db")
    try:
        assert _university(store).name == "江南科技大学"
        with pytest.raises(NotFound, match="accounts match"):
            store.find_account("a")
        with pytest.raises(NotFound, match="No account"):
            store.find_account("no such customer")
    finally:
        store.db.close()


def test_cli_export_to_stdout_and_to_a_file(tmp_path, capsys):
    db = tmp_path / "a.db"
    _demo(db).db.close()
    assert main(["export", "江南科技", "--db", str(db), "--format", "md"]) == 0
    assert capsys.readouterr().out == GOLDEN.read_text(encoding="utf-8")
    out = tmp_path / "plan.md"
    assert main(["export", "江南科技", "--db", str(db), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")
    assert main(["export", "nobody", "--db", str(db)]) == EXIT_FLAGS
    assert "No account" in capsys.readouterr().err


def test_two_accounts_of_one_name_are_listed_and_export_exits_non_zero(tmp_path, capsys):
    db = tmp_path / "a.db"
    store = _demo(db)
    try:
        first = store.create(m.Account, name="Acme Bank", owner="li.wei", region="Shanghai")
        second = store.create(m.Account, name="ＡＣＭＥ  bank", owner="zhao.min", region="Beijing")
        with pytest.raises(NotFound, match="2 accounts are named") as listed:
            store.find_account("acme bank")
        assert first.id in str(listed.value) and second.id in str(listed.value) and "Beijing" in str(listed.value)
        assert store.find_account(second.id).id == second.id
    finally:
        store.db.close()
    assert main(["export", "Acme Bank", "--db", str(db)]) != 0
    said = capsys.readouterr()
    assert "2 accounts are named" in said.err and said.out == ""
