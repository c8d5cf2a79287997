"""What a CRM does not know and the method lets us guess, marked as guessed.

A person's layer from the title, by the course's ladder: the head of an institution
(president, 校长) is the image layer, directors (处长) decide, managers (科长)
implement, and everyone else uses. An industry's tier from its name, by the
industries the course names in each tier.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Checked in this order: "deputy director" is still a director, "project manager" a manager.
_LAYER_WORDS = (
    ("image", (
        "president", "chairman", "chairwoman", "chief executive", "ceo", "general manager", "managing director",
        "owner", "founder", "principal", "mayor", "secretary general", "party secretary", "dean",
        "校长", "院长", "董事长", "总经理", "总裁", "行长", "局长", "书记", "厅长", "市长", "县长", "总监理",
    )),
    ("decision", (
        "director", "vice president", "vp", "head of", "chief", "cio", "cto", "cfo", "coo", "deputy general",
        "处长", "主任", "总监", "副总", "部长", "经理室",
    )),
    ("implementation", (
        "manager", "lead", "leader", "supervisor", "architect", "engineer", "coordinator", "administrator",
        "科长", "经理", "组长", "主管", "工程师", "队长",
    )),
)  # fmt: skip

_TIER_WORDS = (
    ("major", (
        "bank", "financ", "fiscal", "tax", "treasury", "educat", "school", "universit", "college", "academ",
        "securit", "brokerage", "postal", "post office",
        "金融", "银行", "财政", "财税", "税务", "教育", "学校", "大学", "学院", "证券", "邮政",
    )),
    ("minor", (
        "telecom", "communications", "police", "public security", "transport", "railway", "rail", "aviation",
        "airline", "shipping", "military", "defen", "army", "insurance",
        "电信", "通信", "移动", "联通", "公安", "交通", "铁路", "航空", "军", "保险",
    )),
    ("tracked", (
        "power", "electric", "utilit", "water", "tobacco", "health", "hospital", "medical", "pharma",
        "manufactur", "machinery", "industrial",
        "电力", "电网", "水利", "水务", "烟草", "卫生", "医院", "医疗", "制造",
    )),
)  # fmt: skip


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One search for a list of words: English ones from a word's start ("vp" is not in
    "mvp", "cio" is not in "associate"), Chinese ones anywhere."""
    parts = [rf"(?<![a-z]){re.escape(w)}" if w.isascii() else re.escape(w) for w in words]
    return re.compile("|".join(parts))


_LAYERS = tuple((name, _pattern(words)) for name, words in _LAYER_WORDS)
_TIERS = tuple((name, _pattern(words)) for name, words in _TIER_WORDS)
_DEPUTY = re.compile(r"(?<![a-z])(vice|deputy|assistant)|副")


@lru_cache(maxsize=4096)  # an export repeats a few hundred titles across 100k people
def layer(title: str) -> str:
    """The layer a title suggests; "usage" when it suggests nothing higher. A deputy
    of the head (vice president, 副校长) decides rather than stands for the institution."""
    text = title.casefold()
    for name, pattern in _LAYERS:
        if pattern.search(text):
            return "decision" if name == "image" and _DEPUTY.search(text) else name
    return "usage"


def tier(industry: str) -> str:
    """The tier an industry's name suggests; "other" when the course does not name it."""
    text = industry.casefold()
    return next((name for name, pattern in _TIERS if pattern.search(text)), "other")
