"""The window's status bar: which database is open, who is working, whether the last change
was saved, and how many deals are shown."""

from __future__ import annotations

import contextlib
import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QMainWindow

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.ui.common.save_state import save_events

NOT_SAVED_COLOUR = "#b45309"
LINK_COLOUR = "#1a5fb4"


class StatusPanel:
    """Permanent widgets, so that a passing message (loading, an error) hides none of them."""

    def __init__(self, window: QMainWindow, location: str, user: str) -> None:
        bar = self.bar = window.statusBar()
        path = Path(location)
        self.folder = path.parent
        # the file's name (its folder can be long); the whole path in the tooltip
        self.location = QLabel(f"<a href='folder' style='color:{LINK_COLOUR}; "
                               f"text-decoration:none'>{html.escape(path.name)}</a>")
        self.location.setToolTip(_("{path}\nClick to open the folder that holds it.").format(
            path=location))
        self.location.linkActivated.connect(lambda _link: self.open_folder())
        self.user = QLabel(_("Signed in as {name}").format(name=user))
        self.user.setTextFormat(Qt.TextFormat.PlainText)  # a name is text, never markup
        self.save_state = QLabel()
        self.counts = QLabel()
        for label in (self.location, self.user, self.save_state, self.counts):
            bar.addPermanentWidget(label)
        events = save_events()
        events.saved.connect(self.saved)
        events.notSaved.connect(self.refused)
        # the hub outlives this window: stop listening when the bar goes
        bar.destroyed.connect(lambda _obj: self._stop_listening())

    def _stop_listening(self) -> None:
        events = save_events()
        with contextlib.suppress(RuntimeError, TypeError):  # the hub may be gone at exit
            events.saved.disconnect(self.saved)
            events.notSaved.disconnect(self.refused)

    def open_folder(self) -> bool:
        """Opens the database's folder in the file manager; where none is installed, says
        where the folder is instead."""
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))
        if not opened:
            self.bar.showMessage(_("No file manager could open the folder. The database "
                                   "is in {folder}").format(folder=self.folder), 15000)
        return opened

    def saved(self) -> None:
        when = formatting.time_short(dt.datetime.now(dt.UTC))
        self.save_state.setText(_("All changes saved · {time}").format(time=when))
        self.save_state.setToolTip("")

    def refused(self, error: FunnelDeskError) -> None:
        """The database could not take the last change (see save_state.note_refused)."""
        text = html.escape(_("Last change not saved"))
        self.save_state.setText(f"<span style='color:{NOT_SAVED_COLOUR}'>{text}</span>")
        self.save_state.setToolTip(error.message())
