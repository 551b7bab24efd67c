"""Ctrl+K opens search-everything from a text box too.

On Linux a line edit takes Ctrl+K (delete to the end of the line) before any shortcut
sees it, so a rep typing in the board's filter or the customers' search got a
shortened text instead of the search. The text box with the focus is told to leave that
key to the window. Only that one box is watched: a filter on the whole application would
run Python for every event the board paints or drags with.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_TEXT_BOXES = (QLineEdit, QAbstractSpinBox, QPlainTextEdit, QTextEdit)


class WindowKeyWins(QObject):
    """Leaves ``key`` to ``window``'s action whichever of its text boxes has the focus."""

    def __init__(self, window: QWidget, key: QKeySequence) -> None:
        super().__init__(window)
        self.window, self.key = window, key
        self.watched: QWidget | None = None
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_moved)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self.watched is not None and shiboken6.isValid(self.watched):
            self.watched.removeEventFilter(self)
        self.watched = None
        if isinstance(new, _TEXT_BOXES) and new.window() is self.window:
            new.installEventFilter(self)
            self.watched = new

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # True: the box never hears of the key, so the window's shortcut takes it
        return event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
            and QKeySequence(event.keyCombination()) == self.key
