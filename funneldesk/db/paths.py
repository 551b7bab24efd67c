"""Which file a --db value names."""

from __future__ import annotations

from pathlib import Path

from funneldesk.errors import UnsupportedDatabase


def sqlite_path(location: str) -> Path:
    """The file behind a path or a sqlite URL; other URLs are not supported yet."""
    if "://" not in location:
        return Path(location).expanduser()
    if location.startswith("sqlite:///"):
        return Path(location.removeprefix("sqlite:///")).expanduser()
    raise UnsupportedDatabase(location)
