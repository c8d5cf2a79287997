"""What a rep using the Chinese interface found: the account lookup's messages in
English and deaf to pinyin, raw codes and English industry names in the history,
English industry names in the export, list, brief and profile, and lists of names
joined with ", " instead of "、". English stays as it was."""

from __future__ import annotations

from datetime import UTC, date
from pathlib import Path

import pytest
from records import make_account
from rich.console import Console

from planner.cli import main
from planner.core import history
from planner.core import models as m
from planner.core.errors import NotFound
from planner.core.formatting import industry_label, names_list
from planner.widgets.account_profile import profile_renderable
from planner.widgets.account_records import visit_cells

UNIVERSITY = "江南科技大学"
TODAY = date(2026, 12, 3)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("chinese-fixes") / "demo.db"
    assert main(["demo", "--no-open", "--db", str(db)]) == 0
    return db


# --- finding an account -----------------------------------------------------------------


def test_pinyin_initials_and_full_pinyin_find_an_account(demo_db, capsys, chinese):
    assert main(["brief", "jnkj", "--db", str(demo_db)]) == 0
    assert UNIVERSITY in capsys.readouterr().out
    assert main(["brief", "jiangnan keji", "--db", str(demo_db)]) == 0
    assert UNIVERSITY in capsys.readouterr().out


def test_pinyin_works_in_english_too(demo_db, capsys):
    assert main(["brief", "JNKJ", "--db", str(demo_db)]) == 0
    assert UNIVERSITY in capsys.readouterr().out


def test_lookup_messages_are_chinese_and_names_joined_with_dunhao(demo_db, capsys, chinese):
    main(["brief", "zzzzq", "--db", str(demo_db)])
    assert "没有与“zzzzq”相符的客户。" in capsys.readouterr().err
    main(["brief", "江", "--db", str(demo_db)])
    err = capsys.readouterr().err
    assert "有 5 个客户与“江”相符（东江省邮政分公司、南江市税务局信息中心、江南科技大学" in err
    assert "…" not in err  # all five shown: nothing left out
    assert "No account" not in err and "give more" not in err


def test_lookup_messages_in_english(demo_db, capsys):
    main(["brief", "zzzzq", "--db", str(demo_db)])
    assert "No account matches 'zzzzq'." in capsys.readouterr().err
    main(["brief", "江", "--db", str(demo_db)])
    err = capsys.readouterr().err
    assert "5 accounts match '江' (东江省邮政分公司, 南江市税务局信息中心, 江南科技大学" in err
    assert "…" not in err


def test_the_ellipsis_shows_only_when_names_are_left_out(store, chinese):
    for n in range(6):
        make_account(store, name=f"Acme {n}")
    with pytest.raises(NotFound) as error:
        store.find_account("acme")
    assert str(error.value).endswith("Acme 4…），请输入更完整的名称。")
    assert "Acme 5" not in str(error.value)


def test_an_exact_name_or_an_id_comes_before_a_pinyin_or_fragment_match(store):
    exact = make_account(store, name="jnkj")
    make_account(store, name=UNIVERSITY)
    assert store.find_account("jnkj").id == exact.id
    short = make_account(store, name="江南")
    assert store.find_account("江南").id == short.id
    assert store.find_account(short.id).id == short.id


def test_accounts_of_one_name_are_told_apart_in_chinese(store, chinese):
    make_account(store, name="Acme", owner="amy")
    make_account(store, name="Acme", owner="bob", region="East")
    with pytest.raises(NotFound) as error:
        store.find_account("Acme")
    text = str(error.value)
    assert text.startswith("有 2 个客户名为“Acme”：")
    assert "（负责人 amy，无地区）；" in text and "（负责人 bob，East）" in text and text.endswith("请改用 id。")


# --- history ------------------------------------------------------------------------------


@pytest.fixture
def changed(store):
    industry = store.create(m.Industry, name_en="Tobacco", name_zh="烟草", tier="major")
    account = make_account(store, name="Acme", industry_id=industry.id)
    person = store.create(m.Person, account_id=account.id, name="张伟", layer="decision")
    store.update(m.Person, person.id, person.version, stance="supporter")
    project = store.create(m.Project, account_id=account.id, name="Storage", stage="incubating")
    store.update(m.Project, project.id, project.version, stage="potential")
    store.create(m.Visit, account_id=account.id, visited_on=date(2026, 11, 2), channel="introduction")
    action = store.create(m.Action, account_id=account.id, title="Call", position=5)
    store.update(m.Action, action.id, action.version, position=7)
    return account


def _history(store, account) -> str:
    return "\n".join(history.format_line(entry, UTC) for entry in store.account_history(account.id))


def test_history_shows_choices_by_label_and_the_industry_by_its_chinese_name(store, changed, chinese):
    text = _history(store, changed)
    assert "态度：未知 → 支持者" in text
    assert "阶段：孵化 → 潜在" in text
    assert "接触方式：他人介绍" in text
    assert "行业：烟草" in text
    assert "列中位置" not in text  # a card's place on the board is noise here
    assert "unknown" not in text and "incubating" not in text and "Tobacco" not in text


def test_history_in_english_is_unchanged(store, changed):
    text = _history(store, changed)
    assert "Stance: unknown → supporter" in text
    assert "Stage: incubating → potential" in text
    assert "Industry: Tobacco" in text
    assert "Position in column" not in text


# --- industry names and lists of names ----------------------------------------------------


def test_industry_label_and_names_list(chinese):
    assert industry_label("Finance", "金融") == "金融"
    assert industry_label("Finance", "") == "Finance"
    assert names_list(["周丽", "孙明"]) == "周丽、孙明"


def test_industry_label_and_names_list_in_english():
    assert industry_label("Finance", "金融") == "Finance 金融"
    assert industry_label("Finance", "") == "Finance"
    assert names_list(["Zhou", "Sun"]) == "Zhou, Sun"


def test_export_list_and_brief_name_the_industry_in_chinese(demo_db, capsys, chinese):
    assert main(["export", UNIVERSITY, "--db", str(demo_db)]) == 0
    plan = capsys.readouterr().out
    assert "- 行业：教育（主要）" in plan and "## 教育的采购规律" in plan
    assert "Education" not in plan
    assert "- 见到：徐斌、赵磊" in plan
    main(["list", "--db", str(demo_db)])
    listed = capsys.readouterr().out
    assert "  教育  " in listed and "Education" not in listed and "Finance" not in listed
    assert main(["brief", UNIVERSITY, "--db", str(demo_db)]) == 0
    assert " · 教育 · " in capsys.readouterr().out


def test_export_keeps_both_names_in_english(demo_db, capsys):
    assert main(["export", UNIVERSITY, "--db", str(demo_db)]) == 0
    plan = capsys.readouterr().out
    assert "- Industry: Education 教育 (major)" in plan and "## How Education buys" in plan
    assert "- Met: 徐斌, 赵磊" in plan


def _profile(store, account_id: str) -> str:
    console = Console(width=120, record=True)
    console.print(profile_renderable(store.overview(account_id, TODAY)))
    return console.export_text()


def test_the_profile_shows_the_industry_in_the_interfaces_language(store, chinese):
    industry = store.create(m.Industry, name_en="Education", name_zh="教育", tier="major")
    account = make_account(store, name="Acme", industry_id=industry.id)
    assert "教育 · 主要" in _profile(store, account.id)
    assert "Education" not in _profile(store, account.id)


def test_the_profile_keeps_both_names_in_english(store):
    industry = store.create(m.Industry, name_en="Education", name_zh="教育", tier="major")
    account = make_account(store, name="Acme", industry_id=industry.id)
    assert "Education 教育 · tier major" in _profile(store, account.id)


def test_red_flags_and_the_visits_met_column_join_names_with_dunhao(store, chinese):
    account = make_account(store, name="Acme", account_class="A")
    for name in ("周丽", "孙明"):
        store.create(m.Person, account_id=account.id, name=name, layer="decision")
    flags = [flag.message for flag in store.red_flags(TODAY).get(account.id, [])]
    assert any("周丽、孙明" in message or "孙明、周丽" in message for message in flags), flags
    visit = store.create(m.Visit, account_id=account.id, visited_on=date(2026, 11, 2))
    cells = visit_cells(visit, [("1", "周丽"), ("2", "孙明")], [])
    assert str(cells[-1]) == "周丽、孙明"
