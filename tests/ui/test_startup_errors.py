"""An error while the window starts reaches the person: a box in the window, one line on
stderr, and the log."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from funneldesk.app import run_window
from funneldesk.errors import DatabaseBusy
from funneldesk.logs import setup_logging


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch, qapp: Any) -> list[str]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_window installs its own
    shown: list[str] = []

    def record(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> None:
        shown.append(text)

    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.critical", record)
    return shown


def test_a_busy_database_at_start_up_is_shown_in_a_box_and_logged(
        db_path: Path, boxes: list[str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    log = setup_logging()

    def busy(_cls: Any, _db: Any) -> None:
        raise DatabaseBusy(str(db_path))

    monkeypatch.setattr("funneldesk.app.Services.for_database", classmethod(busy))
    assert run_window(str(db_path), "en") == 1
    assert len(boxes) == 1
    assert "Another program is writing" in boxes[0]
    assert capsys.readouterr().err.count("\n") == 1
    assert "Another program is writing" in log.read_text(encoding="utf-8")


def test_a_bug_at_start_up_is_shown_in_a_box_that_names_the_log(
        db_path: Path, boxes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    log = setup_logging()

    def broken(*_a: Any, **_k: Any) -> None:
        raise KeyError("owner")

    monkeypatch.setattr("funneldesk.ui.shell.main_window.MainWindow.__init__", broken)
    assert run_window(str(db_path), "en") == 1
    assert len(boxes) == 1
    assert str(log) in boxes[0]
    assert "KeyError: 'owner'" in log.read_text(encoding="utf-8")
