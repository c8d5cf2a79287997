"""The Chinese catalog holds every string the planner shows, and nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from planner.core import i18n
from planner.core.config import ConfigError, configured_language, load

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import catalog


def test_every_string_has_its_chinese_and_no_entry_is_stale():
    report = catalog.problems()
    assert report == [], "\n".join([*report[:40], "run: python tools/catalog.py update, then add the Chinese"])


def test_a_missing_or_stale_entry_or_a_changed_field_is_reported():
    real = catalog.read()
    some = next(message for message in real if message.id and isinstance(message.id, str))
    broken = catalog.read()
    broken.delete(some.id)
    broken.add("A string no source file has", "没有来源")
    assert any(line.startswith("missing:") and repr(some.id) in line for line in catalog.problems(broken))
    assert any(line.startswith("stale:") for line in catalog.problems(broken))
    with_field = next((message for message in real if message.id and "{" in str(message.id)), None)
    if with_field is not None:
        tampered = catalog.read()
        tampered[with_field.id].string = "没有占位符"
        assert any(line.startswith("fields differ:") for line in catalog.problems(tampered))


@pytest.mark.parametrize(
    ("environ", "configured", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, None, "zh"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, None, "zh"),
        ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, None, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "en", "en"),
        ({"LANG": "de_DE.UTF-8"}, "zh", "zh"),
        ({}, None, "en"),
    ],
)
def test_the_language_follows_the_locale_and_the_setting_overrides_it(environ, configured, expected):
    assert i18n.language_from(environ, configured) == expected


def test_config_toml_sets_the_language_and_refuses_others(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('language = "zh"\n', encoding="utf-8")
    assert load(path).language == "zh" and configured_language(path) == "zh"
    path.write_text('language = "fr"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match='"en" or "zh"'):
        load(path)
    assert configured_language(path) is None


def test_switching_language_switches_every_later_lookup(chinese):
    some = next(message for message in catalog.read() if message.id and isinstance(message.id, str) and message.string)
    assert i18n._(some.id) == some.string
    i18n.set_language("en")
    assert i18n._(some.id) == some.id
