"""Shows an error as a sentence at the place the user acted, and logs it."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.logs import log, report_bug
from funneldesk.ui.common.save_state import note_refused


def show_error(parent: QWidget | None, error: FunnelDeskError, title: str | None = None) -> None:
    log.warning("%s", error.message())
    note_refused(error)
    QMessageBox.warning(parent, title or _("FunnelDesk"), error.message())


def show_bug(parent: QWidget | None, error: BaseException) -> str:
    """An unexpected error (a bug): its traceback goes to the log, the user gets one box
    that names the log. Returns the line that names it."""
    line = report_bug(error)
    # every change is its own transaction, so a bug cannot undo what was saved
    QMessageBox.critical(parent, _("FunnelDesk"), line + " " + _("Everything saved before stays saved."))
    return line
