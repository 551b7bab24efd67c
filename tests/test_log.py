"""The log: in the user log folder (or FUNNELDESK_LOG_DIR), rotating, never growing without bound."""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs
import pytest

from funneldesk.logs import setup_logging
from funneldesk.paths import log_file


def test_the_log_lives_in_the_user_log_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FUNNELDESK_LOG_DIR", raising=False)
    expected = Path(platformdirs.user_log_dir("FunnelDesk", appauthor=False)) / "funneldesk.log"
    assert log_file() == expected


def test_the_log_rotates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FUNNELDESK_LOG_DIR", str(tmp_path))
    path = setup_logging(max_bytes=2000, backups=2)
    assert path == tmp_path / "funneldesk.log"
    log = logging.getLogger("funneldesk.test")
    for n in range(200):
        log.warning("line %d of a long day of selling", n)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["funneldesk.log", "funneldesk.log.1", "funneldesk.log.2"]
    assert all(p.stat().st_size <= 2000 for p in tmp_path.iterdir())
    assert "line 199" in path.read_text(encoding="utf-8")
