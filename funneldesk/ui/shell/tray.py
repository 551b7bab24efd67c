"""FunnelDesk's icon in the system tray, where the desktop has one: reminders are said
there too, and it brings the window back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSystemTrayIcon

from funneldesk.i18n import _


def make_tray(window: QMainWindow, quit_all: Callable[[], object]) -> QSystemTrayIcon | None:
    """The tray icon, shown; None where the desktop has no tray (reminders then show in
    their window only). Its Quit calls ``quit_all``: the window may be only hidden."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = QSystemTrayIcon(QApplication.windowIcon(), window)
    tray.setToolTip(_("FunnelDesk"))

    def bring_back() -> None:
        window.showNormal()
        window.raise_()
        window.activateWindow()

    menu = QMenu(window)
    menu.addAction(_("Show FunnelDesk"), bring_back)
    menu.addSeparator()
    menu.addAction(_("Quit"), quit_all)
    tray.setContextMenu(menu)
    tray.activated.connect(
        lambda reason: bring_back() if reason == QSystemTrayIcon.ActivationReason.Trigger
        else None)
    tray.show()
    return tray
