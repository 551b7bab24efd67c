"""Per-user settings, declared once with type, default and meaning; kept as JSON."""

from __future__ import annotations

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
    "board.pipeline": Option(0, int, "pipeline shown on the board (0: the first)"),
    "board.filters": Option({}, dict, "per database file (resolved path): the owner filter "
                            "(a user id of that database, 0: everyone) and the search text"),
    "board.show_closed": Option(False, bool, "show the Won and Lost columns"),
    "board.sort": Option({}, dict, "sort key per stage id"),
}


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "settings.json"
        self._values: dict[str, Any] = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self._values = loaded
        except (OSError, ValueError):
            self._values = {}  # missing or damaged settings fall back to the defaults

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
        """Writes atomically, so that a crash never leaves half a settings file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self._values, fh, ensure_ascii=False, indent=1)
        os.replace(tmp, self.path)
