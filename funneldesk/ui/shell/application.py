"""The QApplication: Qt's own translations, style and the fatal-error box."""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.logs import log
from funneldesk.paths import RESOURCES
from funneldesk.ui.common.collector import collect_on_gui_thread
from funneldesk.ui.common.errors import show_bug


def create_application(lang: str) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    app.setApplicationName("FunnelDesk")
    app.setOrganizationName("FunnelDesk")
    app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "funneldesk.svg")))
    install_qt_translations(app, lang)
    collect_on_gui_thread(app)
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
    """A bug in a slot is logged and reported in one box, instead of a traceback on a
    terminal the user never sees."""

    def report(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        show_bug(None, error.with_traceback(tb))

    sys.excepthook = report


def show_fatal(error: FunnelDeskError) -> None:
    """An error that stops start-up: logged, on stderr and in a box."""
    log.warning("%s", error.message())
    print(f"funneldesk: {error.message()}", file=sys.stderr)
    QMessageBox.critical(None, _("FunnelDesk"), error.message())
