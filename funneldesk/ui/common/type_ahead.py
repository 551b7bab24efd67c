"""Search as you type without holding the keyboard: the search runs off the GUI thread
once typing pauses, and only the answer for the text the field still holds is shown (a
LIKE over 100,000 contacts takes ~100 ms a keystroke: run on the GUI thread, typing
lagged seconds behind the keys)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from funneldesk.ui.common.background import run_in_background

PAUSE_MS = 120  # shorter than a list filter's: a picker's list should follow the keys


class TypeAhead(QObject):
    found = Signal(str, object)  # the text, and what the search found for it

    def __init__(self, search: Callable[[str], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.search = search
        self._text = ""
        self.answers = 0  # searches that came back, shown or not
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PAUSE_MS)
        self._timer.timeout.connect(self._run)

    def typed(self, text: str) -> None:
        self._text = text
        self._timer.start()

    def cancel(self) -> None:
        """What is on its way is no longer wanted (the field was emptied or chosen)."""
        self._timer.stop()
        self._text = ""

    def _run(self) -> None:
        text, search = self._text, self.search
        if text:
            run_in_background(lambda: search(text), lambda found: self._done(text, found),
                              self._failed, owner=self)

    def _done(self, text: str, found: Any) -> None:
        self.answers += 1
        if text == self._text:  # else a later keystroke asked again
            self.found.emit(text, found)

    def _failed(self, error: Exception) -> None:
        raise error  # a bug: the application's hook reports it
