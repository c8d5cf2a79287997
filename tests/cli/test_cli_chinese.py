"""The `planner` command in Chinese: `--help` (argparse's own words too), a bad
argument's one line, `check`, `list` and `export`, chosen by the locale or by
config.toml's `language`, run as a rep runs them (a separate process)."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from planner.cli import main
from planner.core import locations
from planner.core.errors import EXIT_ARGUMENTS, EXIT_FLAGS

UNIVERSITY = "江南科技大学"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("chinese-cli") / "demo.db"
    assert main(["demo", "--no-open", "--db", str(db)]) == 0
    return db


def _planner(*args: str, lang: str = "zh_CN.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": lang, "COLUMNS": "80"}
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, env=env, timeout=120
    )


def _configure(language: str) -> None:
    """config.toml in this test's own config folder (tests/conftest.py sets it)."""
    path = locations.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'language = "{language}"\n', encoding="utf-8")


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _absent(text: str, *english: str) -> None:
    for sentence in english:
        assert sentence not in text, f"English left: {sentence!r}\n{text}"


def test_help_is_chinese_under_a_chinese_locale():
    result = _planner("--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("用法：planner")
    for chinese in (
        "面向 B2B 销售的重点客户规划工具。",
        "位置参数",
        "选项",
        "显示此帮助信息并退出",
        "显示程序版本号并退出",
        "打开规划器（默认）",
        "输出带二八数据的客户列表，或写成 CSV 或 Excel",
    ):
        assert chinese in out, out
    _absent(out, "usage:", "A key-account planner", "positional arguments", "options:", "show this help message",
            "show program's version", "open the planner", "print red flags", "database file or URL")  # fmt: skip


def test_a_subcommands_help_is_chinese_and_fits_80_columns():
    result = _planner("list", "--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("用法：planner list")
    for chinese in ("按二八法则排序的客户列表", "只看重点客户", "写入 FILE，而不是标准输出", "只看你自己的客户"):
        assert chinese in out, out
    _absent(out, "The customer list in 80/20 order", "key accounts only", "write to FILE instead",
            "your own accounts only", "this class only", "aligned text")  # fmt: skip
    assert all(_cells(line) <= 80 for line in out.splitlines()), out
    usage = out.split("\n\n")[0].splitlines()
    # the usage's later lines start under the first line's options, as in English
    assert usage[1].index("[") == _cells(usage[0][: usage[0].index("[")])


@pytest.mark.parametrize(
    ("args", "chinese", "english"),
    [
        (["list", "--format", "foo"], "参数 --format：无效的选择：'foo'", "invalid choice"),
        (["list", "--bogus"], "无法识别的参数：--bogus", "unrecognized arguments"),
        (["restore"], "缺少以下必需参数：BACKUP", "the following arguments are required"),
        (["check", "--today", "2026-13-01"], "'2026-13-01' 不是有效日期；请写成 YYYY-MM-DD", "is not a real date"),
        (["list", "--owner", "x", "--mine"], "不能与参数 --owner 一起使用", "not allowed with argument"),
    ],
)
def test_a_bad_argument_is_one_chinese_line(args, chinese, english):
    result = _planner(*args)
    assert result.returncode == EXIT_ARGUMENTS
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert chinese in result.stderr and "（参见 planner" in result.stderr, result.stderr
    _absent(result.stderr, english, "(see planner", "argument ")


def test_config_language_zh_gives_chinese_under_an_english_locale():
    _configure("zh")
    result = _planner("--help", lang="C.UTF-8")
    assert result.stdout.startswith("用法：planner") and "显示此帮助信息并退出" in result.stdout
    _absent(result.stdout, "usage:", "show this help message")


def test_config_language_en_gives_english_under_a_chinese_locale(demo_db):
    _configure("en")
    result = _planner("--help")
    assert result.stdout.startswith("usage: planner") and "show this help message and exit" in result.stdout
    assert "A key-account planner for B2B sales reps." in result.stdout
    _absent(result.stdout, "用法", "显示此帮助信息")
    check = _planner("check", "--db", str(demo_db))
    assert check.stdout.startswith("Red flags (") and "警示" not in check.stdout


def test_check_reports_in_chinese(demo_db):
    result = _planner("check", "--db", str(demo_db))
    assert result.returncode == EXIT_FLAGS, result.stderr
    out = result.stdout
    assert out.startswith("警示（") and "个客户）：" in out.splitlines()[0]
    assert "久未联系的客户（" in out
    assert "天未联系（联系周期" in out or "从未联系（联系周期" in out
    _absent(out, "Red flags (", "Stale accounts (", "no contact for", "never contacted", "(cadence", "All clear")


def test_list_heads_and_words_are_chinese_and_the_columns_line_up(demo_db, tmp_path):
    result = _planner("list", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    header, *lines = result.stdout.splitlines()
    heads = header.split()
    assert heads[0] == "排名" and heads[2:4] == ["占比", "累计占比"], header
    for chinese in ("重点", "类别", "象限", "负责人", "行业", "地区", "收入", "最近联系", "警示", "久未联系"):
        assert chinese in header, header
    _absent(result.stdout, "Rank", "Share", "Cumulative", "Quadrant", "Last contact", "Red flags", "Focus in:",
            "Maintain:", "Review:")  # fmt: skip
    assert any(line.endswith("久未联系") for line in lines)
    share_end = _cells(header[: header.index("占比") + len("占比")])
    for line in lines:
        assert _cells(line[: line.index("%") + 1]) == share_end, line
    out = tmp_path / "list.csv"
    written = _planner("list", "--db", str(demo_db), "--format", "csv", "-o", str(out))
    assert written.stdout.startswith(f"已写入 {out} （") and "个客户）" in written.stdout, written.stdout
    assert out.read_text(encoding="utf-8-sig").startswith("排名,")


def test_export_headings_are_chinese(demo_db):
    result = _planner("export", UNIVERSITY, "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if line.startswith("#")]
    assert headings[0].startswith("# ") and UNIVERSITY in headings[0], headings
    _absent("\n".join(headings), "# Account plan", "## Profile", "## Projects", "## Competitors", "## SWOT\n",
            "## Actions", "## Visits", "Key people by layer")  # fmt: skip
    page = _planner("export", UNIVERSITY, "--db", str(demo_db), "--format", "html")
    assert f"<title>客户计划：{UNIVERSITY}</title>" in page.stdout
    _absent(page.stdout, "<title>Account plan")


def test_a_missing_account_and_an_unusable_database_are_told_in_chinese(demo_db, tmp_path):
    missing = _planner("restore", str(tmp_path / "nothing.db"), "--db", str(tmp_path / "x.db"))
    assert missing.returncode == 3
    assert missing.stderr == f"planner: {tmp_path / 'nothing.db'} 处没有备份。\n"
    folder = _planner("check", "--db", str(tmp_path))
    assert folder.stderr == f"planner: {tmp_path} 是文件夹，不是数据库文件。\n"
