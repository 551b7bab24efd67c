"""The numbers under a chart, as a table managers copy from, as tab-separated text that a
spreadsheet pastes into cells: "Copy table" (its context menu) copies the whole table with
its headers; Ctrl+C the selected cells, with the headers of their columns when whole rows
are selected, or the whole table when nothing is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QColor, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableView, QWidget

from funneldesk.i18n import _
from funneldesk.ui.common.rows_model import Index, RowsModel

# the text, (text, tooltip), or (text, tooltip, colour): a target's green, amber or red
Cell = str | tuple[str, str] | tuple[str, str, str]
WIDEST = 260  # pixels: a page table's widest column; its text wraps within


class FigureModel(RowsModel):
    def __init__(self) -> None:
        super().__init__()
        self._headers: tuple[str, ...] = ()
        self._numeric: tuple[bool, ...] = ()

    def headers(self) -> tuple[str, ...]:
        return self._headers

    def show(self, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
             numeric: Sequence[bool] = ()) -> None:
        self.beginResetModel()
        self._headers = tuple(headers)
        self._numeric = tuple(numeric) or tuple(i > 0 for i in range(len(headers)))
        self.rows = [list(r) for r in rows]
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self.rows[index.row()][index.column()]
        text, tip, colour = (cell, "", "") if isinstance(cell, str) else (*cell, "")[:3]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip or None
        if role == Qt.ItemDataRole.ForegroundRole and colour:
            return QColor(colour)
        if role == Qt.ItemDataRole.FontRole and colour:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() < len(self._numeric) \
                and self._numeric[index.column()]:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def text(self, row: int, column: int) -> str:
        cell = self.rows[row][column]
        return cell if isinstance(cell, str) else cell[0]


class FigureTable(QTableView):
    """``narrow``: the first column takes what room there is and the others their
    contents (a pane); otherwise the table is as wide as its columns, no wider (a page)."""

    def __init__(self, narrow: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.narrow = narrow
        self.figures = FigureModel()
        self.setModel(self.figures)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        if narrow:  # a pane's: it gives way to the dock's width, its names cut short
            self.setMinimumWidth(0)
            self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            self.setTextElideMode(Qt.TextElideMode.ElideRight)
        copy = QAction(_("Copy"), self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy)
        self.addAction(copy)
        # the right click selects the cell under it: the whole table is an action apart
        whole = QAction(_("Copy table"), self)
        whole.triggered.connect(self.copy_table)
        self.addAction(whole)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def show_rows(self, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
                  numeric: Sequence[bool] = ()) -> None:
        self.figures.show(headers, rows, numeric)
        header = self.horizontalHeader()
        if self.narrow and headers:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        elif not self.narrow:
            # a long text (advice, topics) wraps in a column of its own width, at most
            # WIDEST, so that the table reads on the page without scrolling sideways
            self.setWordWrap(True)
            self.resizeColumnsToContents()
            for column in range(len(headers)):
                self.setColumnWidth(column, min(self.columnWidth(column), WIDEST))
            self.resizeRowsToContents()
            self.setMaximumWidth(self.frameWidth() * 2 + sum(
                self.columnWidth(c) for c in range(len(headers))) + 2)
        # as tall as its rows: the page scrolls, not each table
        height = self.horizontalHeader().sizeHint().height() + 4 + sum(
            self.rowHeight(r) for r in range(len(rows)))
        self.setFixedHeight(height + self.frameWidth() * 2)

    def as_text(self, whole: bool = False) -> str:
        """The selected cells (all of them when ``whole`` or when none is selected) as
        tab-separated lines, under their columns' headers unless only parts of rows are."""
        model = self.figures
        every = range(model.columnCount())
        chosen = [] if whole else self.selectionModel().selectedIndexes()
        if not chosen:
            lines = ["\t".join(model.headers())]
            lines += ["\t".join(model.text(r, c) for c in every)
                      for r in range(model.rowCount())]
            return "\n".join(lines)
        rows = sorted({i.row() for i in chosen})
        columns = sorted({i.column() for i in chosen})
        picked = {(i.row(), i.column()) for i in chosen}
        lines = ["\t".join(model.text(r, c) if (r, c) in picked else "" for c in columns)
                 for r in rows]
        if len(picked) == len(rows) * len(every):  # whole rows: a spreadsheet wants headers
            lines.insert(0, "\t".join(model.headers()))
        return "\n".join(lines)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.as_text())

    def copy_table(self) -> None:
        QGuiApplication.clipboard().setText(self.as_text(whole=True))

    def rowCount(self) -> int:
        return self.figures.rowCount(QModelIndex())
