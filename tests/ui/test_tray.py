"""Closing the window with a tray icon there leaves FunnelDesk running in the tray (its
reminders firing), once the tray has said so; Quit ends it; with the setting off, closing
ends it as before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from funneldesk.settings import Settings
from funneldesk.ui.shell.main_window import MainWindow


@pytest.fixture
def in_tray(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The window with a tray icon (offscreen Qt has no tray to show it in); what the tray
    said, and each application quit, are recorded."""
    said: list[str] = []
    tray = QSystemTrayIcon(window)
    monkeypatch.setattr(tray, "showMessage", lambda title, *_a: said.append(title))
    window.reminders.tray = tray
    monkeypatch.setattr(QApplication, "quit", lambda: said.append("quit"))
    yield said
    QApplication.setQuitOnLastWindowClosed(True)


def test_closing_leaves_it_in_the_tray_and_quit_ends_it(qtbot: QtBot, window: MainWindow,
                                                        in_tray: list[str]) -> None:
    assert window.staying.keep_action.isChecked()  # on by default
    window.close()
    assert window.isHidden()
    assert not QApplication.quitOnLastWindowClosed()  # the reminders window may close
    assert in_tray == ["FunnelDesk is still running"]
    window.show()
    window.close()
    assert in_tray == ["FunnelDesk is still running"]  # said once
    window.actions_.quit.trigger()
    assert window.isHidden()
    assert in_tray[-1] == "quit"


def test_with_the_setting_off_closing_ends_it(qtbot: QtBot, window: MainWindow,
                                              in_tray: list[str]) -> None:
    window.staying.keep_action.setChecked(False)
    window.save_settings()
    assert Settings().get("reminders.keep_in_tray") is False  # kept for the next start
    window.close()
    assert window.isHidden()
    assert "FunnelDesk is still running" not in in_tray
    assert QApplication.quitOnLastWindowClosed()
