"""The entry that starts FunnelDesk at login, in the tray, on each desktop: written where
that desktop looks, running this Python on the database chosen, and taken away again."""

from __future__ import annotations

import plistlib
import shlex
import sys
from pathlib import Path

import pytest

from funneldesk import autostart


def test_a_linux_desktop_gets_an_xdg_autostart_entry(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert not autostart.is_enabled("linux")
    path = autostart.enable("/home/li na/sales 2026.db", "linux")
    assert path == tmp_path / "config" / "autostart" / "funneldesk.desktop"
    entry = dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines()
                 if "=" in line)
    assert entry["Type"] == "Application"
    # the key's own quoting: double quotes around what has a space
    assert shlex.split(entry["Exec"]) == [sys.executable, "-m", "funneldesk", "--db",
                                          "/home/li na/sales 2026.db", "--in-tray"]
    assert autostart.is_enabled("linux")
    autostart.disable("linux")
    assert not path.exists()
    autostart.disable("linux")  # already gone: nothing to do


def test_macos_gets_a_launch_agent_and_windows_a_startup_script(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    agent = autostart.enable("/Users/li/sales.db", "darwin")
    assert agent == tmp_path / "Library" / "LaunchAgents" / "app.funneldesk.plist"
    loaded = plistlib.loads(agent.read_bytes())
    assert loaded["RunAtLoad"] is True
    assert loaded["ProgramArguments"][-3:] == ["--db", "/Users/li/sales.db", "--in-tray"]
    script = autostart.enable(r"C:\Users\li\sales.db", "win32")
    assert script.parent == (tmp_path / "Roaming" / "Microsoft" / "Windows" / "Start Menu"
                             / "Programs" / "Startup")
    text = script.read_text(encoding="utf-8")
    assert '"--db" "C:\\Users\\li\\sales.db" "--in-tray"' in text


def test_the_command_line_takes_in_tray() -> None:
    from funneldesk.cli import build_parser

    assert build_parser().parse_args(["--in-tray"]).in_tray
    assert not build_parser().parse_args([]).in_tray
