"""The Deals list's table view: keys that act on whole rows, as in a list of records."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTableView

_ROW_KEYS = {Qt.Key.Key_Home, Qt.Key.Key_End}
_PLAIN = {Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier}


class DealsTable(QTableView):
    """Rows are the records: Home and End (with or without Ctrl) go to the first and last
    row and select it; Shift+Home and Shift+End select up to there. Tab leaves the table
    (to the filters and tool bar) instead of walking its cells."""

    def __init__(self) -> None:
        super().__init__()
        self.setTabKeyNavigation(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.model()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in _ROW_KEYS and model is not None and model.rowCount() \
                and (modifiers in _PLAIN or modifiers == Qt.KeyboardModifier.ShiftModifier):
            row = 0 if event.key() == Qt.Key.Key_Home else model.rowCount() - 1
            column = max(0, self.currentIndex().column())
            target = model.index(row, column)
            flags = QItemSelectionModel.SelectionFlag.Rows
            if modifiers == Qt.KeyboardModifier.ShiftModifier and self.currentIndex().isValid():
                anchor = self.currentIndex().row()
                self.selectionModel().select(
                    self._rows(min(anchor, row), max(anchor, row)),
                    QItemSelectionModel.SelectionFlag.Select | flags)
                self.selectionModel().setCurrentIndex(
                    target, QItemSelectionModel.SelectionFlag.NoUpdate)
            else:
                self.selectionModel().setCurrentIndex(
                    target, QItemSelectionModel.SelectionFlag.ClearAndSelect | flags)
            self.scrollTo(target)
            event.accept()
            return
        super().keyPressEvent(event)

    def _rows(self, first: int, last: int) -> QItemSelection:
        model = self.model()
        return QItemSelection(model.index(first, 0), model.index(last, model.columnCount() - 1))
