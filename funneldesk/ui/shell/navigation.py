"""The navigation rail: one button per page, down the window's left edge, with Ctrl+1…9
going to the pages in order."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget

from funneldesk.i18n import _
from funneldesk.ui.common.page import PageSpec


class NavigationRail(QToolBar):
    pageChosen = Signal(str)  # the key of the page

    def __init__(self, pages: Sequence[PageSpec], parent: QWidget | None = None) -> None:
        super().__init__(_("Pages"), parent)
        self.setObjectName("navigation-rail")
        self.setMovable(False)
        self.setFloatable(False)
        self.setOrientation(Qt.Orientation.Vertical)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.setIconSize(QSize(28, 28))
        self._group = QActionGroup(self)
        self._group.setExclusive(True)
        self.go: dict[str, QAction] = {}
        for number, spec in enumerate(pages, start=1):
            action = QAction(spec.icon(), spec.title(), self)
            action.setCheckable(True)
            action.setData(spec.key)
            if number <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.setToolTip(_("{page} ({shortcut})").format(
                page=spec.title(),
                shortcut=action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)))
            action.triggered.connect(lambda _c=False, key=spec.key: self.pageChosen.emit(key))
            self._group.addAction(action)
            self.addAction(action)
            self.go[spec.key] = action

    def mark(self, key: str) -> None:
        """Shows ``key`` as the current page."""
        action = self.go.get(key)
        if action is not None:
            action.setChecked(True)
