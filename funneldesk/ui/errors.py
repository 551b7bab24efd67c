"""Shows a service error as a sentence at the place the user acted."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _


def show_error(parent: QWidget | None, error: FunnelDeskError, title: str | None = None) -> None:
    QMessageBox.warning(parent, title or _("FunnelDesk"), error.message())
