"""The customers list's item model: as many rows as the query's SQL ``COUNT``, read in
pages around what the view asks for, off the GUI thread (as the deals list does:
ui/deals/model.py). A row whose page has not arrived shows "…"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from funneldesk.errors import FunnelDeskError
from funneldesk.services import Services
from funneldesk.services.dto import CustomerColumn, CustomerQuery, CustomerRow, columns_of
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.customers.columns import NUMERIC, cell, header

PAGE = 200
MAX_PAGES = 40
LOADING = "…"
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's CompanyRow or ContactRow (None until read)

Index = QModelIndex | QPersistentModelIndex
# runs work off the GUI thread, then done(result) or failed(error) on it
Runner = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[Exception], None]], None]


class CustomersTableModel(QAbstractTableModel):
    loaded = Signal()  # the count and first rows of a query arrived
    aboutToSort = Signal()  # before a sort reads the list again (the selection goes with it)
    pageLoaded = Signal(int)

    def __init__(self, services: Services, failed: Callable[[FunnelDeskError], None],
                 run: Runner = run_in_background) -> None:
        super().__init__()
        self._list, self._failed, self._run = services.customer_list, failed, run
        self.query = CustomerQuery()  # asked for last
        self.shown_query = self.query  # what the rows held were read with
        self.columns: tuple[CustomerColumn, ...] = columns_of(self.query.entity)
        self._count = 0
        self._pages: dict[int, tuple[CustomerRow, ...]] = {}
        self._asked: set[int] = set()
        self._generation = 0  # a read for an older query is dropped
        self.pending = False  # a new query's rows have not arrived yet

    def set_query(self, query: CustomerQuery) -> None:
        """Shows ``query``'s records once its count and first page are read (the view keeps
        the old rows until then; a refused read keeps them, and the query they show)."""
        self.query = query
        self.pending = True
        self._generation += 1
        generation = self._generation

        def done(result: tuple[int, tuple[CustomerRow, ...]]) -> None:
            if generation != self._generation:
                return
            self.pending = False
            self._generation += 1  # pages asked for meanwhile were read for the old list
            self.beginResetModel()
            self._count, first = result
            self.shown_query = query
            self.columns = columns_of(query.entity)
            self._pages, self._asked = ({0: first} if first else {}), set()
            self.endResetModel()
            self.loaded.emit()

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self.query = self.shown_query
                self.pending = False
            self._fail(error)

        self._run(lambda: self._list.count_and_page(query, 0, PAGE), done, failed)

    def reload(self) -> None:
        """Reads the list again (after a change made anywhere)."""
        self.set_query(self.query)

    def _want(self, page: int) -> None:
        if page in self._asked:
            return
        self._asked.add(page)
        generation, query = self._generation, self.shown_query

        def done(rows: tuple[CustomerRow, ...]) -> None:
            if generation != self._generation:
                return
            self._asked.discard(page)
            self._pages[page] = rows
            while len(self._pages) > MAX_PAGES:
                del self._pages[max(self._pages, key=lambda p: abs(p - page))]
            last = min(self._count, (page + 1) * PAGE) - 1
            if last >= page * PAGE:
                self.dataChanged.emit(self.index(page * PAGE, 0),
                                      self.index(last, len(self.columns) - 1))
            self.pageLoaded.emit(page)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self._asked.discard(page)
            self._fail(error)

        self._run(lambda: self._list.page(query, page * PAGE, PAGE), done, failed)

    def _fail(self, error: Exception) -> None:
        if not isinstance(error, FunnelDeskError):
            raise error  # a bug: the application's handler reports it
        self._failed(error)

    # --- what the view asks --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def row_at(self, row: int) -> CustomerRow | None:
        """The row's record, or None while its page has not been read."""
        rows = self._pages.get(row // PAGE)
        offset = row % PAGE
        return rows[offset] if rows is not None and offset < len(rows) else None

    def ensure(self, row: int) -> None:
        """Asks for the page of ``row`` if it has not been read."""
        if self.row_at(row) is None and 0 <= row < self._count:
            self._want(row // PAGE)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.row_at(index.row())
        if record is None:
            if role in (Qt.ItemDataRole.DisplayRole, ROW_ROLE):
                self._want(index.row() // PAGE)
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return LOADING
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(record, column)
        if role == ROW_ROLE:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column in (CustomerColumn.NAME,
                                                               CustomerColumn.TAGS):
            return cell(record, column) or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return header(self.columns[section], self.shown_query.entity)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is done in SQL: the list is read again in the new order."""
        if not 0 <= column < len(self.columns):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (self.columns[column], descending) != (self.query.sort, self.query.descending):
            self.aboutToSort.emit()
            self.set_query(replace(self.query, sort=self.columns[column],
                                   descending=descending))

    @property
    def reading(self) -> bool:
        return bool(self._asked)
