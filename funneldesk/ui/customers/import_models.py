"""The import wizard's tables: the file's columns and the fields they map to, the first
rows as they would be read, and the rows' errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem, QWidget

from funneldesk.i18n import _
from funneldesk.services.common.tabular import cells
from funneldesk.services.common.tabular.engine import Field, RowError, reason_label
from funneldesk.services.common.tabular.files import Table
from funneldesk.ui.customers.import_choices import ChoiceDelegate

Index = QModelIndex | QPersistentModelIndex
HEADER, SAMPLE, FIELD = range(3)
SAMPLES = 3  # values shown beside each column's header
ERROR_TEXT = QColor("#c62828")
DATE_KINDS = ("date", "moment")


def samples(table: Table, column: int, count: int = SAMPLES) -> str:
    """The first non-blank values of a column, one line."""
    found: list[str] = []
    for record in table.records:
        text = record.cells[column].strip() if column < len(record.cells) else ""
        if text:
            found.append(" ".join(text.split()))
            if len(found) == count:
                break
    return " · ".join(found)


class MappingModel(QAbstractTableModel):
    """One row per column of the file: its header, a few values, and the field it fills
    (None: not imported). A field fills one column at most."""

    mappingChanged = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table: Table | None = None
        self.fields: tuple[Field, ...] = ()
        self.chosen: list[str | None] = []
        self._samples: list[str] = []

    def load(self, table: Table, fields: Sequence[Field], suggested: dict[str, str]) -> None:
        """The file's columns, each mapped to the field suggested for its header."""
        self.beginResetModel()
        self.table, self.fields = table, tuple(fields)
        by_header = {header: name for name, header in suggested.items()}
        self.chosen = [by_header.get(h) for h in table.headers]
        self._samples = [samples(table, i) for i in range(len(table.headers))]
        self.endResetModel()
        self.mappingChanged.emit()

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    # --- Qt model interface -------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() or self.table is None else len(self.table.headers)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_("Column in the file"), _("First values"), _("Imported as"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.table is None:
            return None
        row, column = index.row(), index.column()
        name = self.chosen[row]
        if role == Qt.ItemDataRole.EditRole and column == FIELD:
            return name or ""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == HEADER:
                return self.table.headers[row]
            if column == SAMPLE:
                return self._samples[row]
            return _(self.field(name).label) if name else _("Don’t import")
        if role == Qt.ItemDataRole.ForegroundRole and column == FIELD and name is None:
            return QColor("#757575")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == FIELD:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != FIELD:
            return False
        name = str(value) if value else None
        if name is not None and name not in {f.name for f in self.fields}:
            return False
        for row, held in enumerate(self.chosen):  # the field leaves the column it filled
            if name is not None and held == name and row != index.row():
                self.chosen[row] = None
                self._changed(row)
        self.chosen[index.row()] = name
        self._changed(index.row())
        self.mappingChanged.emit()
        return True

    def _changed(self, row: int) -> None:
        at = self.index(row, FIELD)
        self.dataChanged.emit(at, at)

    # --- FunnelDesk ---------------------------------------------------------------
    def columns(self) -> dict[str, str]:
        """field -> header, as ImportOptions.columns takes it."""
        if self.table is None:
            return {}
        return {name: header for header, name in zip(self.table.headers, self.chosen,
                                                     strict=True) if name is not None}

    def missing(self) -> list[Field]:
        """The required fields no column fills."""
        mapped = set(self.chosen)
        return [f for f in self.fields if f.required and f.name not in mapped]


class FieldDelegate(ChoiceDelegate):
    """Chooses a column's field from a list: "Don't import", then every field."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        combo = QComboBox(parent)
        model = index.model()
        assert isinstance(model, MappingModel)
        combo.addItem(_("Don’t import"), "")
        for spec in model.fields:
            label = _(spec.label)
            combo.addItem(_("{field} (required)").format(field=label) if spec.required
                          else label, spec.name)
        combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo


class PreviewModel(QAbstractTableModel):
    """The first rows as the import would read them: one column per mapped field. A date
    shows as read (year first); a cell that would be refused shows in red, with why."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[list[tuple[str, str | None]]] = []  # (shown, problem) per cell
        self.labels: list[str] = []

    def load(self, table: Table, fields: Sequence[tuple[Field, int]], date_format: str | None,
             orders: dict[str, str | None], count: int,
             problems: Mapping[tuple[int, str], str] | None = None) -> None:
        """``problems``: why the import would refuse a cell, by (record number, header),
        for the cells that are not dates (the preview reads dates itself, in the order
        the user chose)."""
        self.beginResetModel()
        self.labels = [_(spec.label) for spec, _i in fields]
        found = problems or {}
        self.rows = [[_read(spec, r.cells[i] if i < len(r.cells) else "", date_format,
                            orders.get(spec.name),
                            found.get((r.number, table.headers[i])))
                      for spec, i in fields]
                     for r in table.records[:count]]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.labels)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.labels[section] if section < len(self.labels) else None
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        shown, problem = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem or shown
        if role == Qt.ItemDataRole.ForegroundRole and problem:
            return ERROR_TEXT
        return None


def _read(spec: Field, text: str, date_format: str | None, order: str | None,
          problem: str | None) -> tuple[str, str | None]:
    """A cell as the preview shows it, and why it would be refused (None if it would not)."""
    text = " ".join(text.split())
    if not text or spec.kind not in DATE_KINDS:
        return text, problem
    try:
        when = cells.moment(text, date_format, order)
    except cells.CellProblem as problem:
        return text, reason_label(problem.reason)
    if spec.kind == "date" or when.time() == when.min.time():
        return when.date().isoformat(), None
    return when.isoformat(sep=" ", timespec="minutes"), None


RECORD, LINE, COLUMN, VALUE, REASON = range(5)


class ErrorsModel(QAbstractTableModel):
    """An import's errors: one row per refused cell."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.errors: list[RowError] = []

    def load(self, errors: Sequence[RowError]) -> None:
        self.beginResetModel()
        self.errors = list(errors)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.errors)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_("Record"), _("Line"), _("Column"), _("Cell value"), _("Problem"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        error = self.errors[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (str(error.record), str(error.line), error.column,
                    " ".join(error.value.split()), reason_label(error.reason))[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (RECORD, LINE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
