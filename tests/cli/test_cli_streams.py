"""The CLI's streams and exit codes: cut pipes, non-UTF-8 arguments and locales, crashes."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from planner.cli import EXIT_ARGUMENTS, EXIT_BUG, EXIT_FLAGS, main
from planner.store.store import Store


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """The demo portfolio: red flags, stale accounts and Chinese names."""
    db = tmp_path_factory.mktemp("streams") / "demo.db"
    assert main(["demo", "--no-open", "--db", str(db)]) == 0
    return db


def _env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _planner(*args: str) -> list[str]:
    return [sys.executable, "-m", "planner", *args]


def test_check_into_a_reader_that_went_away_keeps_exit_1_and_says_nothing(demo_db):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line
    try:
        result = subprocess.run(
            _planner("check", "--db", str(demo_db)), stdout=write_end, stderr=subprocess.PIPE, timeout=60
        )
    finally:
        os.close(write_end)
    assert result.returncode == EXIT_FLAGS
    assert result.stderr == b""


def test_check_piped_into_a_shell_pipeline_keeps_its_own_exit_code(demo_db):
    script = f'"$@" check --db {str(demo_db)!r} | true; echo "planner=${{PIPESTATUS[0]}}" >&2'
    result = subprocess.run(["bash", "-c", script, "bash", *_planner()], capture_output=True, text=True, timeout=60)
    assert result.stderr.strip() == f"planner={EXIT_FLAGS}", result.stderr
    head = subprocess.run(
        ["bash", "-c", f'set -o pipefail; "$@" check --db {str(demo_db)!r} | head -1', "bash", *_planner()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert head.returncode == EXIT_FLAGS
    assert head.stdout.startswith("Red flags") and head.stdout.count("\n") == 1
    assert "BrokenPipeError" not in head.stderr and "Exception ignored" not in head.stderr


@pytest.mark.parametrize(
    "locale",
    [{"LC_ALL": "C"}, {"LC_ALL": "C", "PYTHONUTF8": "0"}, {"LANG": "C", "LC_ALL": None, "PYTHONUTF8": "0"}],
    ids=["LC_ALL=C", "LC_ALL=C-without-utf8-mode", "LANG=C-without-utf8-mode"],
)
def test_names_print_as_utf8_under_a_locale_that_is_not(demo_db, locale):
    result = subprocess.run(
        _planner("check", "--db", str(demo_db)),
        capture_output=True,
        timeout=60,
        env=_env(PYTHONIOENCODING=None, LC_CTYPE=None, **locale),
    )
    assert result.returncode == EXIT_FLAGS, result.stderr
    text = result.stdout.decode("utf-8")  # strict: every byte is UTF-8
    assert "大学" in text and "\ufffd" not in text


def _read_until(leader: int, wanted: bytes, seconds: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        if select.select([leader], [], [], 0.2)[0]:
            try:
                seen += os.read(leader, 65536)
            except OSError:  # the app ended and closed the terminal
                break
    return seen


@pytest.mark.slow
def test_the_tui_draws_utf8_under_a_locale_that_is_not(demo_db):
    """Textual draws on stderr, which an ASCII locale would turn into `\\u6c5f` escapes."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = _env(PYTHONIOENCODING=None, LC_CTYPE=None, LANG=None, LC_ALL="C", PYTHONUTF8="0", TERM="xterm-256color")
    app = subprocess.Popen(_planner("--db", str(demo_db)), stdin=follower, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    try:
        screen = _read_until(leader, "江南科技大学".encode(), 30)
        os.write(leader, b"\x11")  # ctrl+q
        screen += _read_until(leader, b"never", 3)
        assert app.wait(timeout=20) == 0
    finally:
        app.kill()
        os.close(leader)
    assert "江南科技大学".encode() in screen and "▔".encode() in screen
    assert b"\\u" not in screen


def test_an_argument_that_is_not_utf8_is_one_line(demo_db):
    name = os.fsdecode(b"Acme\xff")
    result = subprocess.run(_planner("history", name, "--db", str(demo_db)), capture_output=True, timeout=60)
    assert result.returncode == EXIT_ARGUMENTS
    err = result.stderr.decode("utf-8")
    assert (
        err == "planner: the argument 'Acme\\xff' is not valid UTF-8; type it again with your terminal set to UTF-8.\n"
    )


def test_a_crash_in_a_command_exits_70_not_1_and_writes_a_report(demo_db, monkeypatch, capsys, tmp_path):
    def broken(self, today):
        raise ZeroDivisionError("a bug in the red flags")

    monkeypatch.setattr(Store, "red_flags", broken)
    monkeypatch.setattr(sys, "argv", ["planner", "check", os.fsdecode(b"--odd-\xff")])
    assert main(["check", "--db", str(demo_db)]) == EXIT_BUG
    err = capsys.readouterr().err
    assert "a bug, not something you did" in err and "Traceback" not in err
    (report,) = (tmp_path / "xdg-data" / "planner" / "crash-reports").iterdir()
    text = report.read_text(encoding="utf-8")
    assert "ZeroDivisionError: a bug in the red flags" in text
    assert "--odd-\\udcff" in text  # an argument that is not UTF-8 does not cost the report


def test_a_crash_in_a_subprocess_exits_70(demo_db, tmp_path):
    code = (
        "import sys\n"
        "from planner.store.store import Store\n"
        "def broken(self, *a, **k):\n    raise KeyError('bug')\n"
        "Store.find_account = broken\n"
        "from planner.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "export", "Acme", "--db", str(demo_db)],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(XDG_DATA_HOME=str(tmp_path / "data")),
    )
    assert result.returncode == EXIT_BUG
    assert "Traceback" not in result.stderr
    assert len(list((tmp_path / "data" / "planner" / "crash-reports").iterdir())) == 1
