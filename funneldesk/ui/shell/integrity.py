"""The database's integrity check, started once the window has painted and run off the
GUI thread: it reads every page, so it grows with the file and must not delay the board."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from funneldesk.errors import DatabaseDamaged, FunnelDeskError
from funneldesk.logs import log
from funneldesk.services import Services
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_bug, show_error


class _FirstPaint(QObject):
    """Calls ``then`` once, after the first paint of ``window`` or of anything inside it."""

    def __init__(self, window: QWidget, then: QTimer) -> None:
        super().__init__(window)
        self.window, self.then = window, then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                and (watched is self.window or self.window.isAncestorOf(watched))):
            _application().removeEventFilter(self)
            self.then.start()  # a zero timer: runs once this paint has finished
        return False


class IntegrityCheck(QObject):
    """The check of one window; ``finished`` comes on the GUI thread once its outcome
    (nothing, or the damage found) has been shown."""

    finished = Signal()


def check_after_first_paint(window: QWidget, services: Services) -> IntegrityCheck:
    check = IntegrityCheck(window)

    def failed(error: Exception) -> None:
        try:
            if isinstance(error, DatabaseDamaged):
                show_error(window, error)
            elif isinstance(error, FunnelDeskError):  # busy, say: it can wait for next time
                log.warning("integrity check skipped: %s", error.message())
            else:
                show_bug(window, error)
        finally:
            check.finished.emit()

    def start() -> None:
        run_in_background(services.check_integrity, lambda _r: check.finished.emit(), failed)

    timer = QTimer(window)
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(start)
    _application().installEventFilter(_FirstPaint(window, timer))
    return check


def _application() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app
