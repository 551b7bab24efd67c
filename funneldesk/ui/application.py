"""The QApplication: Qt's own translations, style and the fatal-error box."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from funneldesk.i18n import _
from funneldesk.paths import RESOURCES, data_dir


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


def install_crash_report() -> None:
    """An unexpected error (a bug) is written to crash.log and reported in one box, instead
    of a traceback on a terminal the user never sees. Saved data is not affected: every
    change is its own transaction."""
    previous = sys.excepthook

    def report(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log = data_dir() / "crash.log"
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as fh:
                fh.write("".join(traceback.format_exception(kind, error, tb)) + "\n")
        except OSError:
            previous(kind, error, tb)
        QMessageBox.critical(None, _("FunnelDesk"), _(
            "Something went wrong inside FunnelDesk: {error}. Everything saved before stays "
            "saved. The details are in {path}.").format(error=error, path=log))

    sys.excepthook = report


def show_fatal(message: str) -> None:
    QMessageBox.critical(None, _("FunnelDesk"), message)
