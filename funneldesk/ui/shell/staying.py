"""Closing the window can leave FunnelDesk running in the system tray, so that reminders
keep firing (a setting, on by default where there is a tray), and FunnelDesk can start at
login, in the tray (funneldesk/autostart.py). Quit, in the File menu or the tray's, ends
it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from funneldesk import autostart
from funneldesk.i18n import _
from funneldesk.ui.common.errors import show_error

if TYPE_CHECKING:
    from funneldesk.ui.shell.main_window import MainWindow


class Staying:
    """What closing the window does, and the Settings menu's two choices about it."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.quitting = False
        self.told = False  # the tray said once where FunnelDesk went
        self.keep_action = QAction(_("Keep running in the tray when closed"), window)
        self.keep_action.setCheckable(True)
        self.keep_action.setChecked(bool(window.settings.get("reminders.keep_in_tray")))
        self.keep_action.setEnabled(QSystemTrayIcon.isSystemTrayAvailable())
        if not self.keep_action.isEnabled():
            self.keep_action.setToolTip(_("This desktop has no system tray."))
        self.keep_action.toggled.connect(self._keep)
        self.login_action = QAction(_("Start FunnelDesk when I log in"), window)
        self.login_action.setCheckable(True)
        self.login_action.setChecked(autostart.is_enabled())
        self.login_action.toggled.connect(self._at_login)

    def quit(self) -> None:
        """Ends FunnelDesk, tray and all."""
        self.quitting = True
        self.window.close()
        QApplication.quit()

    def to_tray(self) -> bool:
        """Hides the window instead of closing it, when it should stay in the tray: the
        tray icon is there, the setting is on, and Quit did not ask for the end."""
        tray = self.window.reminders.tray
        if self.quitting or tray is None or not self.keep_action.isChecked():
            return False
        # the reminders window may be the last one shown: closing it must not end it all
        QApplication.setQuitOnLastWindowClosed(False)
        self.window.hide()
        if not self.told:
            self.told = True
            tray.showMessage(_("FunnelDesk is still running"), _(
                "Your reminders keep coming here. To end FunnelDesk, choose Quit in this "
                "icon's menu or in the File menu."), QSystemTrayIcon.MessageIcon.Information)
        return True

    def closed(self) -> None:
        """After the window really closed: with the tray kept before, nothing else ends
        the application."""
        if not QApplication.quitOnLastWindowClosed():
            QApplication.quit()

    def _keep(self, on: bool) -> None:
        settings = self.window.settings
        settings.set("reminders.keep_in_tray", on)

    def _at_login(self, on: bool) -> None:
        try:
            if on:
                autostart.enable(self.window.services.location())
                self.window.workspace.show_message(_("FunnelDesk will start in the tray when you log "
                                           "in, with this database."))
            else:
                autostart.disable()
        except OSError as error:
            from funneldesk.errors import InvalidInput

            self.login_action.blockSignals(True)
            self.login_action.setChecked(autostart.is_enabled())
            self.login_action.blockSignals(False)
            show_error(self.window, InvalidInput("autostart", _(
                "FunnelDesk could not change what starts at login: {reason}").format(
                reason=error.strerror or error)))
