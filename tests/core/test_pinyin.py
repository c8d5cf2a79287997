"""Pinyin search keys: full pinyin and initials, as a rep types them."""

from __future__ import annotations

import pytest

from planner.core.pinyin import search_key, typed_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("江南科技大学", "jiangnankejidaxue jnkjdx"),
        ("张伟", "zhangwei zw"),
        ("重庆大学", "chongqingdaxue cqdx"),  # the phrase decides: 重庆 is chong, not zhong
        ("银行", "yinhang yh"),  # 行 as in bank, not xing
        ("吕布", "lvbu lb"),  # ü typed as v
        ("Benchmark Group 基准集团", "benchmarkgroupjizhunjituan bgjzjt"),
        ("IBM中国", "ibmzhongguo izg"),
        ("华为 Huawei Cloud", "huaweihuaweicloud hwhc"),
    ],
)
def test_a_chinese_name_folds_to_its_full_pinyin_and_initials(name, key):
    assert search_key(name) == key


@pytest.mark.parametrize("name", ["Mary Chen", "Acme Co.", "", "3M"])
def test_a_name_without_chinese_has_no_key(name):
    assert search_key(name) == ""


def test_typed_text_is_compared_lower_case_without_spaces():
    assert typed_key("  Zhang Wei ") == "zhangwei"
    assert typed_key("JNKJ") == "jnkj"


@pytest.mark.parametrize("text", ["张伟", "zz-no-such-person", "a.b", ""])
def test_text_no_key_can_hold_is_not_compared_with_keys(text):
    assert typed_key(text) is None
