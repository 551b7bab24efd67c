"""The fields of two records about to be merged, one row each: the field, the kept
record's value and the other's, and which of the two the merge keeps. Only a field whose
values differ offers a choice; it starts at the kept record's value unless that is empty."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from funneldesk.i18n import _
from funneldesk.services.customers.records import FieldChoice
from funneldesk.ui.customers.labels import field_label

Choice = Literal["kept", "merged"]
Index = QModelIndex | QPersistentModelIndex
FIELD, KEPT, MERGED = range(3)
ChoiceRole = Qt.ItemDataRole.UserRole + 1  # "kept" or "merged" on every cell of a row
_SAME = QColor("#757575")


def _empty(value: object) -> bool:
    return value is None or value == ""


@dataclass
class MergeRow:
    field: FieldChoice
    kept_text: str
    merged_text: str
    choice: Choice

    @property
    def differs(self) -> bool:
        return self.field.differs


class MergeFieldsModel(QAbstractTableModel):
    """``text_of(field, value)`` shows a value as the user reads it (a name for an id,
    a label for a code)."""

    def __init__(self, fields: Sequence[FieldChoice], text_of: Callable[[str, Any], str],
                 headers: tuple[str, str], entity: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self.headers, self.entity = headers, entity
        self.rows = [MergeRow(f, text_of(f.field, f.kept), text_of(f.field, f.merged),
                              "merged" if f.differs and _empty(f.kept) else "kept")
                     for f in fields if not (_empty(f.kept) and _empty(f.merged))]
        # the fields to decide first
        self.rows.sort(key=lambda r: not r.differs)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_("Field"), *self.headers)[section] if 0 <= section < 3 else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (field_label(row.field.field, self.entity), row.kept_text, row.merged_text)[column]
        if role == Qt.ItemDataRole.CheckStateRole and column != FIELD and row.differs:
            mine = "kept" if column == KEPT else "merged"
            return Qt.CheckState.Checked if row.choice == mine else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and not row.differs:
            return _SAME
        if role == Qt.ItemDataRole.ToolTipRole and column != FIELD and row.differs:
            return _("Keep this value")
        if role == ChoiceRole:
            return row.choice
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() != FIELD and self.rows[index.row()].differs:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.CheckStateRole or not index.isValid()
                or index.column() == FIELD or not self.rows[index.row()].differs):
            return False
        # a radio pair: checking one value picks it; unchecking the picked one picks the other
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        picked: Choice = "kept" if (index.column() == KEPT) == checked else "merged"
        return self.choose(index.row(), picked)

    def choose(self, row: int, choice: Choice) -> bool:
        if not self.rows[row].differs or self.rows[row].choice == choice:
            return False
        self.rows[row].choice = choice
        self.dataChanged.emit(self.index(row, KEPT), self.index(row, MERGED),
                              [Qt.ItemDataRole.CheckStateRole, ChoiceRole])
        return True

    def choices(self) -> dict[str, Choice]:
        """What MergeService.merge takes: the fields whose other value was chosen."""
        return {r.field.field: r.choice for r in self.rows if r.choice == "merged"}
