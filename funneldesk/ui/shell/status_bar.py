"""The window's status bar: where the database is, who is working, whether the last change
was saved, and how many deals are shown."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QMainWindow

from funneldesk import formatting
from funneldesk.errors import DatabaseError, FunnelDeskError
from funneldesk.i18n import _

NOT_SAVED_COLOUR = "#b45309"


class StatusPanel:
    """Permanent widgets, so that a passing message (loading, an error) hides none of them."""

    def __init__(self, window: QMainWindow, location: str, user: str) -> None:
        bar = window.statusBar()
        self.folder = Path(location).parent
        self.location = QLabel(f"<a href='folder'>{html.escape(location)}</a>")
        self.location.setToolTip(_("Open the folder that holds the database"))
        self.location.linkActivated.connect(lambda _link: self.open_folder())
        self.user = QLabel(_("Signed in as {name}").format(name=user))
        self.save_state = QLabel()
        self.counts = QLabel()
        for label in (self.location, self.user, self.save_state, self.counts):
            bar.addPermanentWidget(label)

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def saved(self, at: dt.datetime | None = None) -> None:
        when = formatting.time_short(at or dt.datetime.now(dt.UTC))
        self.save_state.setText(_("All changes saved · {time}").format(time=when))
        self.save_state.setToolTip("")

    def refused(self, error: FunnelDeskError) -> None:
        """A change the database could not take (busy, read-only, damaged) was not saved;
        a change the rules refused was never meant to be, and leaves the state as it is."""
        if isinstance(error, DatabaseError):
            text = html.escape(_("Last change not saved"))
            self.save_state.setText(f"<span style='color:{NOT_SAVED_COLOUR}'>{text}</span>")
            self.save_state.setToolTip(error.message())
