"""The Deals list's table view: keys that act on whole rows, as in a list of records."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTableView

_ENDS = {Qt.Key.Key_Home, Qt.Key.Key_End}


class DealsTable(QTableView):
    """Rows are the records: Home and End, with or without Ctrl, go to the first and last
    row and select it; with Shift they select from the anchor (the row clicked or gone
    to last) up to there, as Shift and the arrows do. Tab leaves the table (for the
    filters and tool bar) instead of walking its cells."""

    def __init__(self) -> None:
        super().__init__()
        self.setTabKeyNavigation(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        model = self.model()
        ends = {QAbstractItemView.CursorAction.MoveHome: 0,
                QAbstractItemView.CursorAction.MoveEnd: -1}
        if action in ends and model is not None and model.rowCount():
            row = ends[action] % model.rowCount()
            return model.index(row, max(0, self.currentIndex().column()))
        return super().moveCursor(action, modifiers)

    def selectionCommand(self, index: QModelIndex | QPersistentModelIndex,
                         event: QEvent | None = None) -> QItemSelectionModel.SelectionFlag:
        # Ctrl+Home and Ctrl+End would only move the focus frame (Ctrl keeps the
        # selection in Qt's lists), leaving the highlighted row and Enter's row apart
        if isinstance(event, QKeyEvent) and event.key() in _ENDS \
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier:
            return (QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
        return super().selectionCommand(index, event)
