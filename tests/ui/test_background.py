"""Work off the GUI thread reports back only to a page that is still there."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from funneldesk.ui.common.background import run_in_background


def test_a_result_reaches_nobody_once_its_owner_is_gone(qtbot: QtBot) -> None:
    owner, release = QObject(), threading.Event()
    reported: list[object] = []

    def work(result: str) -> str:
        release.wait(5)
        return result

    def done(result: object) -> None:
        reported.append(result)

    run_in_background(lambda: work("gone"), done, reported.append, owner=owner)
    kept = QObject()
    run_in_background(lambda: work("kept"), done, reported.append, owner=kept)
    owner.deleteLater()
    QApplication.sendPostedEvents(None, 0)  # the owner goes (deferred deletes included)
    release.set()
    qtbot.waitUntil(lambda: reported == ["kept"], timeout=5000)
    qtbot.wait(100)  # the first job's report, had it gone anywhere, would be here by now
    assert reported == ["kept"]
