"""An action of a menu or tool bar, made the one way every page and the window make it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


def new_action(parent: QObject, text: str, shortcut: str | None,
               slot: Callable[[], object]) -> QAction:
    """``text`` running ``slot`` (which takes no argument: Qt's ``checked`` is dropped)."""
    action = QAction(text, parent)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    return action
