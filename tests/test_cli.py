"""The funneldesk command contract."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from funneldesk.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "funneldesk", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_demo_creates_deals_with_db_before_or_after_the_subcommand(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "a.db"), "demo", "--deals", "30", "--seed", "2"]) == 0
    assert "30" in capsys.readouterr().out
    assert main(["demo", "--deals", "5", "--db", str(tmp_path / "b.db"), "--lang", "zh_CN"]) == 0
    assert "创建" in capsys.readouterr().out


def test_demo_refuses_a_database_with_deals_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "a.db")
    assert main(["--db", db, "demo", "--deals", "3"]) == 0
    assert main(["--db", db, "demo", "--deals", "3"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--append" in err
    assert main(["--db", db, "demo", "--deals", "3", "--append"]) == 0


def test_help_speaks_the_language_asked_for() -> None:
    result = run("--lang", "zh_CN", "--help")
    assert result.returncode == 0
    assert "FunnelDesk：团队的销售漏斗。" in result.stdout


def test_appended_sample_data_does_not_repeat_what_is_there(tmp_path: Path) -> None:
    import sqlite3

    db = str(tmp_path / "a.db")
    assert main(["--db", db, "demo", "--deals", "40"]) == 0
    assert main(["--db", db, "demo", "--deals", "40", "--append"]) == 0
    conn = sqlite3.connect(db)
    companies = conn.execute("SELECT count(*), count(DISTINCT name) FROM companies").fetchone()
    deals = conn.execute("SELECT count(*), count(DISTINCT title || '|' || value || '|' || "
                         "stage_entered_at) FROM deals").fetchone()
    conn.close()
    assert companies[0] == companies[1]
    assert deals == (80, 80)


def test_funneldesk_db_environment_variable_chooses_the_database(tmp_path: Path) -> None:
    result = run("demo", "--deals", "2", env={"FUNNELDESK_DB": str(tmp_path / "env.db")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env.db").exists()


def test_user_errors_exit_1_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello " * 100)
    for args in (("--db", str(notes), "demo"), ("--db", "postgresql://x/y", "demo"),
                 ("--db", str(tmp_path), "demo")):  # a folder, not a file
        result = run(*args)
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr
    assert notes.read_text() == "hello " * 100


def test_malformed_command_lines_exit_2() -> None:
    assert run("demo", "--deals", "many").returncode == 2
    assert run("--lang", "fr").returncode == 2


def test_window_without_a_display_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "funneldesk", "--db", str(tmp_path / "w.db")],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "display" in result.stderr


def test_a_bug_prints_one_line_naming_the_log_and_exits_1(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FUNNELDESK_LOG_DIR", str(tmp_path / "logs"))

    def broken(_args: object) -> int:
        raise ZeroDivisionError("a bug in FunnelDesk")

    monkeypatch.setattr("funneldesk.cli.demo.run_demo", broken)
    assert main(["--db", str(tmp_path / "a.db"), "demo"]) == 1
    err = capsys.readouterr().err
    log = tmp_path / "logs" / "funneldesk.log"
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert str(log) in err
    assert "ZeroDivisionError: a bug in FunnelDesk" in log.read_text(encoding="utf-8")
    assert "Traceback" in log.read_text(encoding="utf-8")


def test_argparse_s_own_words_speak_the_language_asked_for(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "zh_CN", "import", "--help"])
    help_text = capsys.readouterr().out
    assert help_text.startswith("用法：funneldesk import")
    assert "选项" in help_text
    assert "显示此帮助信息并退出" in help_text
    assert "usage:" not in help_text
    assert "show this help" not in help_text
    with pytest.raises(SystemExit):
        main(["--lang", "zh_CN", "import", "bogus", "x.csv"])
    assert "错误：参数 kind：无效的选择：'bogus'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--lang", "en", "import", "--help"])
    assert capsys.readouterr().out.startswith("usage: funneldesk import")


def test_every_word_translated_for_argparse_is_one_argparse_writes() -> None:
    """A Python whose argparse words its messages otherwise would leave ours unused:
    this says so."""
    import argparse
    import inspect

    from funneldesk.cli._argparse_words import WORDS

    source = inspect.getsource(argparse)
    assert [w for w in WORDS if repr(w) not in source and f'"{w}"' not in source] == []


def test_a_reader_that_goes_away_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`funneldesk contract list | head`: the pipe closes, and nothing is said wrong."""
    import builtins

    db = str(tmp_path / "pipe.db")
    assert main(["--db", db, "demo", "--deals", "3"]) == 0
    capsys.readouterr()

    def closed(*_args: object, **_kwargs: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(builtins, "print", closed)
    assert main(["--db", db, "contract", "list"]) == 141
    assert capsys.readouterr().err == ""
