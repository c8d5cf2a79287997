"""The core's words in Chinese: validation messages name the field by its Chinese label,
codes show as the course's terms, red flags, the brief and counts read in Chinese, and
the same process switches back to English (every message is made when it is needed)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from test_brief import document

from planner.core import fields
from planner.core import models as m
from planner.core.agenda import Section
from planner.core.analysis import AccountFacts, DecisionPerson, Threat, forecast, red_flags
from planner.core.brief import brief_markdown, build_brief
from planner.core.config import ConfigError, load
from planner.core.formatting import count, layer_label, one_line, stance_text, tier_text
from planner.core.funnel_moves import quarter_of, year_of
from planner.core.sync import Report

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
TODAY = date(2026, 11, 27)
REVENUE = fields.spec(m.Account, "revenue")


def english_words(text: str) -> list[str]:
    return ENGLISH_WORD.findall(text)


def test_a_money_field_refuses_letters_naming_its_chinese_label(chinese):
    with pytest.raises(ValueError) as refused:
        fields.parse(REVENUE, "abc")
    message = str(refused.value)
    assert message.startswith("本年收入")
    assert "12万" in message
    assert english_words(message) == []


def test_the_checks_speak_the_language_of_the_moment(chinese):
    person = fields.spec(m.Person, "influence")
    assert fields.check(person, 9) == "影响力（1-5）必须在 1 到 5 之间。"
    name = fields.spec(m.Person, "name").label
    assert not english_words(name)
    assert fields.validate(m.Person, {"name": " "}, creating=False) == {"name": f"{name}不能只有空格。"}
    assert fields.validate(m.Visit, {}, creating=True)["visited_on"] == "日期为必填项。"
    with pytest.raises(ValueError, match=r"^日期必须是有效日期"):
        fields.parse(fields.spec(m.Visit, "visited_on"), "2026-02-30")


def test_switching_back_to_english_gives_the_english_messages_again(chinese):
    from planner.core import i18n

    assert REVENUE.label == "本年收入"
    i18n.set_language("en")
    assert REVENUE.label == "Revenue this year"
    with pytest.raises(ValueError, match=r"^Revenue this year must be a number, like 120000, 120k or 12万\.$"):
        fields.parse(REVENUE, "abc")


def test_stances_layers_and_what_each_layer_values_show_as_the_courses_terms(chinese):
    assert stance_text("supporter") == "✓ 支持者"
    assert stance_text("opponent") == "✗ 反对者"
    assert layer_label("decision") == "决策层"
    assert [m.layer_values(layer) for layer in m.LAYERS] == ["地位", "领导认可", "把事做好", "方便好用"]
    # A person's values start as the English default (stored as it is) and show translated.
    assert m.values_text(m.LAYER_VALUES["usage"]) == "方便好用"
    assert m.values_text("喜欢打羽毛球") == "喜欢打羽毛球"
    assert stance_text("someday") == "? someday"  # an unknown code, as it is


def test_stances_and_tiers_in_english_are_the_codes():
    assert stance_text("supporter") == "✓ supporter"
    assert layer_label("decision") == "decision"
    assert tier_text(m.Industry(name_en="Finance", tier="major", tier_guessed=True)) == "major, guessed"


def test_a_guessed_tier_in_chinese(chinese):
    assert tier_text(m.Industry(name_en="Finance", tier="major", tier_guessed=True)) == "主要，猜测"
    assert tier_text(m.Industry(name_en="Finance", tier="tracked")) == "跟踪"


def test_counts_in_both_languages(chinese):
    from planner.core import i18n

    assert count(1, "day") == "1 天"
    assert count(3, "person", "people") == "3 人"
    assert count(2, "account") == "2 个客户"
    i18n.set_language("en")
    assert count(1, "day") == "1 day"
    assert count(3, "day") == "3 days"
    assert count(1, "person", "people") == "1 person"
    assert count(0, "person", "people") == "0 people"
    assert count(2, "widget") == "2 widgets"  # a noun the catalog does not know stays English


def test_red_flags_in_chinese(chinese):
    facts = AccountFacts(
        decision_people=(DecisionPerson("张伟", "neutral", None),),
        last_visit=(date(2026, 11, 1), ""),
        threats=(Threat("Huawei", 5, False),),
    )
    messages = [flag.message for flag in red_flags(facts, 30, TODAY)]
    assert messages == [
        "决策层没有支持者",
        "决策层 30 天内未见面：张伟",
        "上次拜访（2026-11-01）没有获得承诺",
        "Huawei 威胁高（5/5），尚无应对行动",
    ]


def test_the_agenda_heading_and_a_forecast_method_in_chinese(chinese):
    assert Section("A", "Overdue", ()).heading == "A类 · 产出 — 已逾期（0）"
    assert forecast([(date(2025, 3, 1), 100.0)], 2026).method == "同2025年（仅一年历史）"


def test_quarters_are_named_in_the_language_of_the_moment(chinese):
    assert quarter_of(date(2026, 11, 3)).label == "2026年第4季度"
    assert year_of(date(2026, 11, 3)).label == "2026年"


def test_the_brief_is_headed_in_chinese(chinese):
    text = brief_markdown(build_brief(document()))
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# 拜访简报：Acme | Bank — 2026-11-27",
        "## 要见的关键人（⚑ 有影响力但不亲近：争取他们）",
        "## 上次拜访与未完成事项",
        "## 警示，以及威胁达到 4/5 及以上的竞争对手",
        "## 采购预测",
        "## 本次拜访的五件宝",
    ]
    assert "- 没有警示。" in text
    assert "A类 · 负责人 rep-a · Shanghai · 上次联系 2026-11-20，已过 7 天（周期 14 天）" in text


def test_config_and_sync_messages_in_chinese(chinese, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("high_threat = 9\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="high_threat 必须是 1 到 5 的整数"):
        load(path)
    lines = Report(sent=2, received=1, merged=1, conflicts=1).lines()
    assert lines[0] == "已同步：发送 2，接收 1，合并 1，冲突 1"
    assert lines[1].startswith("打开冲突界面")


def test_one_line_cuts_by_cells_so_chinese_columns_stay_aligned():
    from rich.cells import cell_len

    cut = one_line("江南科技大学信息中心", 9)
    assert cut == "江南科技…" and cell_len(cut) == 9
    assert one_line("江南科技", 8) == "江南科技"
    assert one_line("Acme   Bank", 20) == "Acme Bank"
    assert one_line("Acme Bank of Shanghai", 10) == "Acme Bank…"
