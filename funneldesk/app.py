"""Composition root: paths -> settings -> database -> services -> Qt."""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

from funneldesk.db import Database, open_database
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, language
from funneldesk.services import Services
from funneldesk.settings import Settings
from funneldesk.system_libraries import missing as missing_libraries

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from funneldesk.ui.shell.main_window import MainWindow

PAINTED_AT = "painted-at"  # FUNNELDESK_EXIT_AFTER_PAINT's output: this word, then Unix time
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc")


def display_problem() -> str | None:
    """Why no window can open here, in one line; None when one can."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(HEADLESS_PLATFORMS) or sys.platform != "linux":
        return None
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return _("FunnelDesk needs a graphical display, and none was found (DISPLAY is not set).")
    absent = missing_libraries(wayland=bool(os.environ.get("WAYLAND_DISPLAY")))
    if absent:
        return _("FunnelDesk cannot open a window: the system libraries {libraries} are missing. "
                 "Install them with: sudo apt-get install {packages}").format(
            libraries=", ".join(soname for soname, _p in absent),
            packages=" ".join(dict.fromkeys(package for _s, package in absent)))
    return None


def exit_after_first_paint(app: QApplication, window: MainWindow) -> None:
    """Prints the wall-clock time once the board's first cards are on screen, then quits
    (the paint pass that drew them ends first; background work ends before the exit)."""
    from PySide6.QtCore import QThreadPool, QTimer

    def finish() -> None:  # work that the paint started (the warm-up) must not outlive Qt
        QThreadPool.globalInstance().waitForDone()
        app.exit(0)

    def painted() -> None:
        print(f"{PAINTED_AT} {time.time():.6f}", flush=True)
        QTimer.singleShot(0, finish)

    window.firstPainted.connect(lambda: QTimer.singleShot(0, painted))


def run_window(location: str, lang: str | None, *, in_tray: bool = False) -> int:
    """The main window on ``location``; ``in_tray``: hidden in the system tray (where
    there is one) until asked for, its reminders firing, as FunnelDesk starts at login."""
    problem = display_problem()
    if problem:
        print(f"funneldesk: {problem}", file=sys.stderr)
        return 1
    from funneldesk.ui.common.errors import show_bug
    from funneldesk.ui.shell.application import create_application, install_crash_report, show_fatal
    from funneldesk.ui.shell.integrity import check_after_first_paint
    from funneldesk.ui.shell.main_window import MainWindow

    app = create_application(language())
    install_crash_report()
    db: Database | None = None
    try:
        db = open_database(location)
        services = Services.for_database(db)
        window = MainWindow(services, services.users.current(), Settings())
        from PySide6.QtWidgets import QSystemTrayIcon

        if in_tray and QSystemTrayIcon.isSystemTrayAvailable():
            app.setQuitOnLastWindowClosed(False)  # the window is hidden from the start
        else:
            window.show()
        if os.environ.get("FUNNELDESK_EXIT_AFTER_PAINT"):  # benchmarks/run.py: time to a painted board
            exit_after_first_paint(app, window)
        window.offer_sample_data_if_empty()
        window.warm_up()
        window.start_reminders()
        check_after_first_paint(window, services)
        return app.exec()
    except FunnelDeskError as error:
        show_fatal(error)
        return 1
    except Exception as error:  # a bug before the window could run: a box that names the log
        print(f"funneldesk: {show_bug(None, error)}", file=sys.stderr)
        return 1
    finally:
        from funneldesk.ui.common.background import finish_background_work

        finish_background_work()
        if db is not None:
            db.close()
