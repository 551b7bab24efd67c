"""FunnelDesk started when the user logs in, in the tray, so that reminders fire on a
laptop that was shut down: an XDG autostart entry on Linux, a LaunchAgent on macOS, a
script in the Startup folder on Windows. Each starts this Python with ``-m funneldesk
--db DATABASE --in-tray``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_NAME = "funneldesk"


def entry_path(platform: str = sys.platform) -> Path:
    """Where the entry that starts FunnelDesk at login lives."""
    home = Path.home()
    if platform == "win32":
        startup = Path(os.environ.get("APPDATA", home / "AppData" / "Roaming"))
        return (startup / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup"
                / "FunnelDesk.cmd")
    if platform == "darwin":
        return home / "Library" / "LaunchAgents" / "app.funneldesk.plist"
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    return config / "autostart" / f"{_NAME}.desktop"


def command(database: str) -> list[str]:
    """What the entry runs: this interpreter (a windowless one on Windows) on FunnelDesk,
    opening ``database`` in the tray."""
    python = Path(sys.executable)
    if sys.platform == "win32" and (python.parent / "pythonw.exe").exists():
        python = python.parent / "pythonw.exe"
    return [str(python), "-m", _NAME, "--db", database, "--in-tray"]


def is_enabled(platform: str = sys.platform) -> bool:
    return entry_path(platform).exists()


def enable(database: str, platform: str = sys.platform) -> Path:
    """Writes the entry (over an earlier one: the database may have changed); its path.
    Raises OSError when it cannot be written."""
    path = entry_path(platform)
    path.parent.mkdir(parents=True, exist_ok=True)
    argv = command(database)
    if platform == "win32":
        text = "@echo off\r\nstart \"\" " + " ".join(f'"{a}"' for a in argv) + "\r\n"
        path.write_text(text, encoding="utf-8")
    elif platform == "darwin":
        import plistlib  # only here: it is not needed to start the window

        path.write_bytes(plistlib.dumps({"Label": "app.funneldesk", "ProgramArguments": argv,
                                         "RunAtLoad": True}))
    else:
        path.write_text("[Desktop Entry]\nType=Application\nName=FunnelDesk\n"
                        f"Exec={' '.join(map(_desktop_quoted, argv))}\n"
                        "X-GNOME-Autostart-enabled=true\n"
                        "NoDisplay=false\nTerminal=false\n", encoding="utf-8")
    return path


def _desktop_quoted(arg: str) -> str:
    """An argument of a desktop entry's Exec key: in double quotes when it has a character
    the spec reserves (with ", `, $ and \\ escaped), % doubled, and backslashes escaped
    again as the key's string value requires."""
    if any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
    return arg.replace("\\", "\\\\").replace("%", "%%")


def disable(platform: str = sys.platform) -> None:
    entry_path(platform).unlink(missing_ok=True)
