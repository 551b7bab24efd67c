"""A list's item model that holds as many rows as the query's SQL ``COUNT`` and reads them
in pages around what the view asks for, off the GUI thread (as the deals list does:
ui/deals/model.py). A row whose page has not arrived shows "…". Subclasses say how a
query's first page and count, and a later page, are read, and what each cell shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from funneldesk.errors import FunnelDeskError
from funneldesk.ui.common.background import run_in_background

PAGE = 200
MAX_PAGES = 40
LOADING = "…"
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's record (None until read)

Index = QModelIndex | QPersistentModelIndex
# runs work off the GUI thread, then done(result) or failed(error) on it
Runner = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[Exception], None]], None]
R = TypeVar("R")  # a row's record


class SortedQuery(Protocol):
    """A list's query: a dataclass that says its sort column and direction."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def sort(self) -> Any: ...

    @property
    def descending(self) -> bool: ...


Q = TypeVar("Q", bound=SortedQuery)


class PagedTableModel(QAbstractTableModel, Generic[R, Q]):
    loaded = Signal()  # the count and first rows of a query arrived
    pageLoaded = Signal(int)
    aboutToSort = Signal()  # before a sort reads the list again (the selection goes with it)

    def __init__(self, query: Q, failed: Callable[[FunnelDeskError], None],
                 run: Runner = run_in_background) -> None:
        super().__init__()
        self._failed, self._run = failed, run
        self.query = query  # asked for last
        self.shown_query = query  # what the rows held were read with
        self._count = 0
        self._pages: dict[int, tuple[R, ...]] = {}
        self._asked: set[int] = set()
        self._generation = 0  # a read for an older query is dropped
        self.pending = False  # a new query's rows have not arrived yet

    # --- what a subclass says ---------------------------------------------------------------

    def read_first(self, query: Q) -> tuple[int, tuple[R, ...]]:
        """The query's count and first page (called off the GUI thread)."""
        raise NotImplementedError

    def read_page(self, query: Q, offset: int, limit: int) -> tuple[R, ...]:
        raise NotImplementedError

    def columns_shown(self) -> Sequence[Any]:
        """The list's columns, as its query's ``sort`` names them."""
        raise NotImplementedError

    def header_text(self, column: Any) -> str:
        raise NotImplementedError

    def column_count(self) -> int:
        return len(self.columns_shown())

    def row_data(self, record: R, column: int, role: int) -> Any:
        """What a read row's cell gives for ``role`` (ROW_ROLE is answered here)."""
        raise NotImplementedError

    def showing(self, query: Q) -> None:
        """Called as the rows of a new query replace the old (between the model's
        reset signals): a subclass whose columns depend on the query sets them here."""

    # --- reading -------------------------------------------------------------------------

    def set_query(self, query: Q) -> None:
        """Shows ``query``'s records once its count and first page are read (the view keeps
        the old rows until then; a refused read keeps them, and the query they show)."""
        self.query = query
        self.pending = True
        self._generation += 1
        generation = self._generation

        def done(result: tuple[int, tuple[R, ...]]) -> None:
            if generation != self._generation:
                return
            self.pending = False
            self._generation += 1  # pages asked for meanwhile were read for the old list
            self.beginResetModel()
            self._count, first = result
            self.shown_query = query
            self.showing(query)
            self._pages, self._asked = ({0: first} if first else {}), set()
            self.endResetModel()
            self.loaded.emit()

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self.query = self.shown_query
                self.pending = False
            self._fail(error)

        self._run(lambda: self.read_first(query), done, failed)

    def reload(self) -> None:
        """Reads the list again (after a change made anywhere)."""
        self.set_query(self.query)

    def _want(self, page: int) -> None:
        if page in self._asked:
            return
        self._asked.add(page)
        generation, query = self._generation, self.shown_query

        def done(rows: tuple[R, ...]) -> None:
            if generation != self._generation:
                return
            self._asked.discard(page)
            self._pages[page] = rows
            while len(self._pages) > MAX_PAGES:
                del self._pages[max(self._pages, key=lambda p: abs(p - page))]
            last = min(self._count, (page + 1) * PAGE) - 1
            if last >= page * PAGE:
                self.dataChanged.emit(self.index(page * PAGE, 0),
                                      self.index(last, self.column_count() - 1))
            self.pageLoaded.emit(page)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self._asked.discard(page)
            self._fail(error)

        self._run(lambda: self.read_page(query, page * PAGE, PAGE), done, failed)

    def _fail(self, error: Exception) -> None:
        if not isinstance(error, FunnelDeskError):
            raise error  # a bug: the application's handler reports it
        self._failed(error)

    # --- what the view asks --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.column_count()

    def row_at(self, row: int) -> R | None:
        """The row's record, or None while its page has not been read."""
        rows = self._pages.get(row // PAGE)
        offset = row % PAGE
        return rows[offset] if rows is not None and offset < len(rows) else None

    def rows_held(self) -> Sequence[tuple[int, R]]:
        """(row, record) of every row read."""
        return [(page * PAGE + n, record) for page, rows in sorted(self._pages.items())
                for n, record in enumerate(rows)]

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
        if role == ROW_ROLE:
            return record
        return self.row_data(record, index.column(), role)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        columns = self.columns_shown()
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.header_text(columns[section])
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is done in SQL: the list is read again in the new order."""
        columns = self.columns_shown()
        if not 0 <= column < len(columns):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (columns[column], descending) != (self.query.sort, self.query.descending):
            self.aboutToSort.emit()
            self.set_query(replace(self.query, sort=columns[column], descending=descending))

    @property
    def reading(self) -> bool:
        return bool(self._asked)
