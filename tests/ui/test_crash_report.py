"""A bug in a slot is reported in a box and logged, not lost on a terminal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from funneldesk.logs import setup_logging
from funneldesk.ui.shell.application import install_crash_report


def test_an_unexpected_error_is_logged_and_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: Any) -> None:
    monkeypatch.setenv("FUNNELDESK_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    shown: list[str] = []
    monkeypatch.setattr("funneldesk.ui.shell.application.QMessageBox.critical",
                        lambda _p, _t, text: shown.append(text))
    setup_logging()
    install_crash_report()
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    log = tmp_path / "logs" / "funneldesk.log"
    assert "RuntimeError: boom" in log.read_text(encoding="utf-8")
    assert not list(tmp_path.rglob("crash.log"))
    assert len(shown) == 1
    assert "boom" in shown[0]
    assert str(log) in shown[0]
