"""The deals list's item model: as many rows as the query's SQL ``COUNT``, read in pages
around what the view asks for.

Qt's ``fetchMore`` only appends, so a jump to the end would read everything before it;
here ``rowCount`` is the whole list from the start, and ``data`` for a row whose page has
not been read yet asks for that page alone (off the GUI thread: a page in the middle of
a list sorted by a column without an index takes SQLite a few hundred milliseconds) and
shows "…" until it arrives. At most MAX_PAGES pages are kept; the farthest go first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import language
from funneldesk.services import Services
from funneldesk.services.dto import DealQuery, DealRow, ListColumn
from funneldesk.services.pipeline.list_text import cells
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.deals.columns import COLUMNS, NUMERIC, header

PAGE = 200
MAX_PAGES = 40
LOADING = "…"
DEAL_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's DealRow (None until read)

Index = QModelIndex | QPersistentModelIndex
# runs work off the GUI thread, then done(result) or failed(error) on it
Runner = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[Exception], None]], None]


@dataclass
class _Shown:
    """The texts of a page's rows (None: not formatted yet), for the language and day
    they were formatted in."""

    rows: tuple[DealRow, ...]
    lang: str
    today: dt.date
    texts: list[tuple[str, ...] | None]


class DealsTableModel(QAbstractTableModel):
    loaded = Signal()  # the count (and first rows) of a new query arrived
    refreshed = Signal()  # the count and the pages shown were read again
    pageLoaded = Signal(int)  # a page arrived (its number)

    def __init__(self, services: Services, failed: Callable[[FunnelDeskError], None],
                 run: Runner = run_in_background) -> None:
        super().__init__()
        self._list, self._failed, self._run = services.deal_list, failed, run
        self.query = DealQuery()  # the query asked for last (its rows may not be here yet)
        self.shown_query = self.query  # the query the rows held were read with
        self._count = 0
        self._pages: dict[int, tuple[DealRow, ...]] = {}
        self._asked: set[int] = set()
        self._generation = 0  # a read for an older query or refresh is dropped
        self.today = dt.date.today()
        # the held pages' rows as their cells show them, each row formatted the first time
        # it is shown, so that a paint does not format every cell again (formatting a whole
        # page as it arrives would take longer than reading it)
        self._shown: dict[int, _Shown] = {}

    # --- reading -----------------------------------------------------------------------

    def set_query(self, query: DealQuery) -> None:
        """Shows ``query``'s deals: its count and first page are read, then the rows
        reset (the view keeps the old rows until then; a refused read keeps them, and
        the query they show)."""
        self.query = query
        self._generation += 1
        generation = self._generation

        def work() -> tuple[int, tuple[DealRow, ...]]:
            total = self._list.count(query)
            return total, self._list.page(query, 0, PAGE, total)

        def done(result: tuple[int, tuple[DealRow, ...]]) -> None:
            if generation != self._generation:
                return
            self._generation += 1  # pages asked for meanwhile were read with the old count
            self.beginResetModel()
            self._count, first = result
            self.shown_query = query
            self._pages, self._asked = ({0: first} if first else {}), set()
            self.today = dt.date.today()
            self.endResetModel()
            self.loaded.emit()

        def failed(error: Exception) -> None:
            if generation == self._generation:  # pages read meanwhile used shown_query too
                self.query = self.shown_query
            self._fail(error)

        self._run(work, done, failed)

    def refresh(self, pages: Iterable[int]) -> None:
        """Reads the count and ``pages`` again (after a change anywhere: those the view
        shows), keeping the rows where they are: rows past a new end go, new rows come at
        the end. The other pages held are dropped, read again when asked for."""
        self._generation += 1
        generation, query = self._generation, self.shown_query
        wanted = sorted(p for p in set(pages) if p * PAGE < max(self._count, 1))

        def done(result: tuple[int, dict[int, tuple[DealRow, ...]]]) -> None:
            if generation != self._generation:
                return
            self._generation += 1  # pages asked for meanwhile were read with the old count
            total, fresh = result
            self._resize(total)
            self._pages, self._asked = {p: rows for p, rows in fresh.items() if rows}, set()
            self.today = dt.date.today()
            if total:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(total - 1, len(COLUMNS) - 1))
            self.refreshed.emit()

        self._run(lambda: self._list.count_and_pages(query, wanted, PAGE), done, self._fail)

    def _resize(self, total: int) -> None:
        if total > self._count:
            self.beginInsertRows(QModelIndex(), self._count, total - 1)
            self._count = total
            self.endInsertRows()
        elif total < self._count:
            self.beginRemoveRows(QModelIndex(), total, self._count - 1)
            self._count = total
            self.endRemoveRows()

    def _want(self, page: int) -> None:
        if page in self._asked:
            return
        self._asked.add(page)
        generation, query, total = self._generation, self.shown_query, self._count

        def done(rows: tuple[DealRow, ...]) -> None:
            if generation != self._generation:
                return  # a new query's or refresh's rows came since (and a new _asked)
            self._asked.discard(page)
            self._keep(page, rows)
            last = min(self._count, (page + 1) * PAGE) - 1
            if last >= page * PAGE:
                self.dataChanged.emit(self.index(page * PAGE, 0),
                                      self.index(last, len(COLUMNS) - 1))
            self.pageLoaded.emit(page)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self._asked.discard(page)  # asked again when next shown
            self._fail(error)

        self._run(lambda: self._list.page(query, page * PAGE, PAGE, total), done, failed)

    def _keep(self, page: int, rows: tuple[DealRow, ...]) -> None:
        self._pages[page] = rows
        while len(self._pages) > MAX_PAGES:
            del self._pages[max(self._pages, key=lambda p: abs(p - page))]

    def _fail(self, error: Exception) -> None:
        if not isinstance(error, FunnelDeskError):
            raise error  # a bug: the application's handler reports it
        self._failed(error)

    @staticmethod
    def page_of(row: int) -> int:
        return row // PAGE

    def loaded_deals(self, ranges: Sequence[tuple[int, int]]) -> list[DealRow] | None:
        """The deals of the row ranges (first and last row, both included), in order, if
        every one of them has been read; else None (nothing is read here)."""
        deals: list[DealRow] = []
        for first, last in ranges:
            for page in range(first // PAGE, last // PAGE + 1):
                held = self._pages.get(page)
                start, stop = max(first, page * PAGE), min(last, (page + 1) * PAGE - 1)
                if held is None or stop - page * PAGE >= len(held):
                    return None
                deals += held[start - page * PAGE:stop - page * PAGE + 1]
        return deals

    def _held_in(self, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, DealRow]]:
        """(row, deal) of the rows read in the row ranges, in row order."""
        return [(row, deal) for page in sorted(self._pages)
                for row, deal in enumerate(self._pages[page], start=page * PAGE)
                if any(first <= row <= last for first, last in ranges)]

    def seen_keys(self, ranges: Sequence[tuple[int, int]]) -> dict[int, tuple[int, int]]:
        """The id and version, by row, of the deals read in the row ranges."""
        return {row: (deal.id, deal.version) for row, deal in self._held_in(ranges)}

    def deals_in(self, ranges: Sequence[tuple[int, int]]) -> list[DealRow]:
        """The deals of the row ranges among the rows read, in order."""
        return [deal for _row, deal in self._held_in(ranges)]

    # --- what the view asks --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def deal_at(self, row: int) -> DealRow | None:
        """The row's deal, or None while its page has not been read."""
        rows = self._pages.get(row // PAGE)
        offset = row % PAGE
        return rows[offset] if rows is not None and offset < len(rows) else None

    def rows_of(self, deal_ids: Iterable[int]) -> list[int]:
        """The rows, among those read, that show the deals ``deal_ids``."""
        wanted = set(deal_ids)
        return [page * PAGE + i for page, rows in self._pages.items()
                for i, deal in enumerate(rows) if deal.id in wanted]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        deal = self.deal_at(index.row())
        if deal is None:
            if role in (Qt.ItemDataRole.DisplayRole, DEAL_ROLE):
                self._want(index.row() // PAGE)
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return LOADING
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts(index.row(), deal)[index.column()]
        if role == DEAL_ROLE:
            return deal
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column in (ListColumn.TITLE,
                                                               ListColumn.NEXT_STEP):
            return self._texts(index.row(), deal)[index.column()] or None
        return None

    def row_texts(self, row: int) -> tuple[str, ...] | None:
        """What the row's cells show, in the order of COLUMNS; None while its page has not
        been read, which is then asked for (as ``data`` does)."""
        deal = self.deal_at(row)
        if deal is None:
            self._want(row // PAGE)
            return None
        return self._texts(row, deal)

    def _texts(self, row: int, deal: DealRow) -> tuple[str, ...]:
        page, offset = divmod(row, PAGE)
        rows, lang = self._pages[page], language()
        shown = self._shown.get(page)
        # a page read again is a new tuple; a new language or day formats every row anew
        if shown is None or shown.rows is not rows or (shown.lang, shown.today) != (
                lang, self.today):
            self._shown = {p: s for p, s in self._shown.items() if p in self._pages}
            shown = self._shown[page] = _Shown(rows, lang, self.today, [None] * len(rows))
        texts = shown.texts[offset]
        if texts is None:
            texts = shown.texts[offset] = self._format(deal)
        return texts

    def text(self, deal: DealRow, column: ListColumn) -> str:
        """What a cell shows."""
        return self._format(deal)[COLUMNS.index(column)]

    def _format(self, deal: DealRow) -> tuple[str, ...]:
        return cells(deal, self.today)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return header(COLUMNS[section])
        # every title on the left (the header's default), numbers included: the sort arrow
        # sits on the right and would cover a title aligned there
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is done in SQL: the list is read again in the new order."""
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (COLUMNS[column], descending) != (self.query.sort, self.query.descending):
            self.set_query(replace(self.query, sort=COLUMNS[column], descending=descending))

    @property
    def reading(self) -> bool:
        """Whether a page asked for has not arrived yet."""
        return bool(self._asked)

    def loaded_pages(self) -> Sequence[int]:
        return sorted(self._pages)
