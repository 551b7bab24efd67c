"""UI fixtures: the real main window on a fresh database, and helpers that drive drops
and modal dialogs the way a user would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.settings import Settings
from funneldesk.ui.board.board_page import board_page
from funneldesk.ui.board.column_view import ColumnView
from funneldesk.ui.shell.main_window import MainWindow

# the Deals page's fixtures, shared by the tests of the Deals list
from tests.ui.deals_list_helpers import list_page, list_workspace  # noqa: F401


@pytest.fixture(autouse=True)
def forms_closed_discard_their_edits(monkeypatch: pytest.MonkeyPatch) -> None:
    """A customer form closed with edits asks whether to save them; a test that leaves
    one open would wait on that question when its widgets are closed. Here the answer
    is Discard; test_customer_forms.py answers the real question."""
    from PySide6.QtWidgets import QMessageBox

    from funneldesk.ui.board.deal_form import DealForm
    from funneldesk.ui.customers.record_form import RecordForm

    for form in (RecordForm, DealForm):
        monkeypatch.setattr(form, "ask_about_changes",
                            lambda _form: QMessageBox.StandardButton.Discard)


@pytest.fixture(autouse=True, scope="session")
def garbage_collected_on_the_gui_thread(qapp: QApplication) -> None:
    """As the application does (ui/common/collector.py): a worker thread must never free
    the widgets of an earlier test."""
    from funneldesk.ui.common.collector import collect_on_gui_thread

    collect_on_gui_thread(qapp)


@pytest.fixture(autouse=True)
def no_window_left_active(qapp: QApplication) -> Iterator[None]:
    """After a test, no hidden window stays the active one: the offscreen platform keeps
    a closed dialog active, and the next test's window then never becomes active."""
    yield
    active = qapp.activeWindow()
    if active is not None and not active.isVisible():
        active.destroy()  # its native window: the platform's focus goes with it


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the window showed in a warning box (answered with OK)."""
    shown: list[str] = []

    def record(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
        shown.append(text)
        from PySide6.QtWidgets import QMessageBox

        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr("funneldesk.ui.common.errors.QMessageBox.warning", record)
    return shown


@pytest.fixture
def window(qtbot: QtBot, services: Services, manager: Actor) -> Iterator[MainWindow]:
    win = MainWindow(services, manager, Settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def reload(qtbot: QtBot, window: MainWindow) -> None:
    """Reloads the board and waits until it shows (the read runs off the GUI thread)."""
    page = board_page(window)
    with qtbot.waitSignal(page.boardLoaded, timeout=10000):
        page.reload()


def drop(view: ColumnView, mime: QMimeData, pos: QPoint) -> None:
    """Delivers enter, move and drop to the view's viewport, as Qt does for a real drag."""
    target = view.viewport()
    point = QPointF(pos)
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    action = Qt.DropAction.MoveAction
    # enter and move take a QPoint, as in Qt's C++ API (PySide6 6.11 has no QPointF overload)
    for event in (QDragEnterEvent(pos, action, mime, buttons, mods),
                  QDragMoveEvent(pos, action, mime, buttons, mods),
                  QDropEvent(point, action, mime, buttons, mods)):
        QApplication.sendEvent(target, event)


def answer_next_dialog(handler: Callable[[QWidget], None], tries: int = 200) -> None:
    """Runs ``handler`` on the next modal dialog once it is open (gives up after ~2 s,
    so that a dialog that never came cannot be answered in a later test)."""
    before = QApplication.activeModalWidget()

    def attempt(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog is before:
            if left:
                QTimer.singleShot(10, lambda: attempt(left - 1))
            return
        handler(dialog)

    QTimer.singleShot(0, lambda: attempt(tries))
