"""A table of things each mapped to one choice from a list, for the import wizard's deals
step: the file's stage values to the pipeline's stages, and the pipeline's stages to the
file's "date entered" columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

Index = QModelIndex | QPersistentModelIndex
KEY, DETAIL, CHOICE = range(3)
_QUIET = QColor("#757575")


class ChoiceModel(QAbstractTableModel):
    """One row per key: its text, a detail (a count, a sample), and the choice made for it
    (None: ``none_label``). The choices are (value, label) pairs."""

    choicesChanged = Signal()

    def __init__(self, headers: tuple[str, str, str], none_label: str,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.headers, self.none_label = headers, none_label
        self.keys: list[tuple[str, str]] = []  # text, detail
        self.choices: list[tuple[str, str]] = []
        self.chosen: list[str | None] = []

    def load(self, keys: Sequence[tuple[str, str]], choices: Sequence[tuple[str, str]],
             chosen: Sequence[str | None]) -> None:
        self.beginResetModel()
        self.keys, self.choices, self.chosen = list(keys), list(choices), list(chosen)
        self.endResetModel()
        self.choicesChanged.emit()

    def mapping(self) -> dict[str, str]:
        """key -> the value chosen for it, for the keys with a choice."""
        return {key: value for (key, _d), value in zip(self.keys, self.chosen, strict=True)
                if value is not None}

    def fill_in(self, suggested: dict[str, str]) -> None:
        """Chooses for each key with no choice yet the value ``suggested`` for it."""
        values = {v for v, _l in self.choices}
        rows = [row for row, (key, _d) in enumerate(self.keys)
                if self.chosen[row] is None and suggested.get(key) in values]
        for row in rows:
            self.chosen[row] = suggested[self.keys[row][0]]
            self.dataChanged.emit(self.index(row, CHOICE), self.index(row, CHOICE))
        if rows:
            self.choicesChanged.emit()

    def unchosen(self) -> list[str]:
        return [key for (key, _d), value in zip(self.keys, self.chosen, strict=True)
                if value is None]

    def _label(self, value: str | None) -> str:
        return next((label for v, label in self.choices if v == value), self.none_label)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.EditRole and column == CHOICE:
            return self.chosen[row] or ""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == CHOICE:
                return self._label(self.chosen[row])
            return self.keys[row][column]
        if role == Qt.ItemDataRole.ForegroundRole and column == CHOICE and \
                self.chosen[row] is None:
            return _QUIET
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == CHOICE else flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != CHOICE:
            return False
        chosen = str(value) if value else None
        if chosen is not None and chosen not in {v for v, _l in self.choices}:
            return False
        self.chosen[index.row()] = chosen
        self.dataChanged.emit(index, index)
        self.choicesChanged.emit()
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """Picks a row's choice from a list: the "none" entry, then the model's choices."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        combo = QComboBox(parent)
        model = index.model()
        assert isinstance(model, ChoiceModel)
        combo.addItem(model.none_label, "")
        for value, label in model.choices:
            combo.addItem(label, value)
        combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
