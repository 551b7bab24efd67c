"""Per-user settings, declared once with type, default and meaning; kept as JSON."""

from __future__ import annotations

import copy
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from funneldesk.paths import config_dir


@dataclass(frozen=True)
class Option:
    default: Any
    kind: type
    doc: str


OPTIONS: dict[str, Option] = {
    "window.geometry": Option("", str, "main window geometry (Qt's saveGeometry, hex)"),
    "window.state": Option("", str, "tool bar and dock layout (Qt's saveState, hex)"),
    "window.page": Option("board", str, "the page the window shows (reopens on it)"),
    "board.pipeline": Option(0, int, "pipeline shown on the board (0: the first)"),
    "board.filters": Option({}, dict, "per database file (resolved path): the owner filter "
                            "(a user id of that database, 0: everyone) and the search text"),
    "board.show_closed": Option(False, bool, "show the Won and Lost columns"),
    "board.sort": Option({}, dict, "sort key per stage id"),
    "deals.header": Option("", str, "the deals list's columns: order, widths and which are "
                           "hidden (Qt's QHeaderView.saveState, hex)"),
    "deals.filters": Option({}, dict, "per database file (resolved path): the deals list's "
                            "filters and sort as last used (a view, as in deals.views)"),
    "deals.views": Option({}, dict, "per database file (resolved path): the deals list's "
                          "saved views, name -> filters and sort"),
    "review.untouched_days": Option(14, int, "the review view lists open deals nobody "
                                    "touched for this many days or more"),
    "reminders.alarm_minutes": Option(15, int, "how many minutes before an activity the "
                                      "alarms of an exported calendar (.ics) fire"),
    "reminders.keep_in_tray": Option(True, bool, "closing the window leaves FunnelDesk in "
                                     "the system tray (where there is one), its reminders "
                                     "firing; Quit ends it"),
    "mail.server": Option({}, dict, "the SMTP server quotes are emailed through: host, "
                          "port, security (starttls, ssl, none), user and sender address; "
                          "the password is in the system keyring, never here"),
}


class Settings:
    """One window's view of the settings file. Several windows (one per database) may run
    at once: each writes back only what it changed, so the last to close does not undo
    what another saved meanwhile (for a dict option: only the entries it changed)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "settings.json"
        self._values = self._read()
        self._loaded = copy.deepcopy(self._values)

    def _read(self) -> dict[str, Any]:
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # missing or damaged settings fall back to the defaults
        return loaded if isinstance(loaded, dict) else {}

    def get(self, key: str) -> Any:
        option = OPTIONS[key]
        value = self._values.get(key, option.default)
        return value if isinstance(value, option.kind) else option.default

    def set(self, key: str, value: Any) -> None:
        option = OPTIONS[key]
        if not isinstance(value, option.kind):
            raise TypeError(f"{key} takes {option.kind.__name__}")
        self._values[key] = value

    def save(self) -> None:
        """Merges this window's changes into the file as it is now, and writes atomically,
        so that a crash never leaves half a settings file."""
        merged = self._read()
        for key, value in self._values.items():
            before = self._loaded.get(key)
            if value == before:
                continue
            if isinstance(value, dict) and isinstance(before, dict):
                entries = merged.get(key)
                entries = dict(entries) if isinstance(entries, dict) else {}
                for name in value.keys() | before.keys():
                    if value.get(name) != before.get(name):
                        if name in value:
                            entries[name] = value[name]
                        else:
                            entries.pop(name, None)
                merged[key] = entries
            else:
                merged[key] = value
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(merged, fh, ensure_ascii=False, indent=1)
        os.replace(tmp, self.path)
        self._values, self._loaded = merged, copy.deepcopy(merged)
