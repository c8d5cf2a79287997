"""The installed wheel, not just the checkout, must carry the data and migrations."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_wheel_opens_a_demo_database_without_the_checkout(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("planner-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "planner/data/demo.json" in names
    assert "planner/data/industries.json" in names
    assert any(name.startswith("planner/store/migrations/versions/0001") for name in names)
    assert "planner/planner.tcss" in names
    assert "planner/locale/zh/LC_MESSAGES/planner.mo" in names, "the build compiles the Chinese catalog"

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "planner", "demo", "--no-open", "--db", str(tmp_path / "demo.db")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Demo database created" in result.stdout
    probe = subprocess.run(
        [sys.executable, "-c", "import planner; print(planner.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.startswith(str(site))
    chinese = subprocess.run(
        [sys.executable, "-m", "planner", "--help"],
        cwd=tmp_path,
        env={**env, "LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert re.search("[\u4e00-\u9fff]", chinese.stdout), chinese.stdout
