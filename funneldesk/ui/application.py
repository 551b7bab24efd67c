"""The QApplication: Qt's own translations, style and the fatal-error box."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from funneldesk.i18n import _
from funneldesk.paths import RESOURCES


def create_application(lang: str) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    app.setApplicationName("FunnelDesk")
    app.setOrganizationName("FunnelDesk")
    app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "funneldesk.svg")))
    install_qt_translations(app, lang)
    return app


def install_qt_translations(app: QApplication, lang: str) -> None:
    """Standard buttons and dialogs speak the user's language (qtbase catalogs from PySide6)."""
    QLocale.setDefault(QLocale("zh_CN" if lang == "zh_CN" else "en_US"))
    for old in app.findChildren(QTranslator):
        app.removeTranslator(old)
    if lang == "zh_CN":
        translator = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load("qtbase_zh_CN", path):
            app.installTranslator(translator)


def show_fatal(message: str) -> None:
    QMessageBox.critical(None, _("FunnelDesk"), message)
