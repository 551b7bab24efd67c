"""The customers list's item model: as many rows as the query's SQL ``COUNT``, read in
pages around what the view asks for, off the GUI thread (ui/common/paged_model.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

from funneldesk.errors import FunnelDeskError
from funneldesk.services import Services
from funneldesk.services.dto import CustomerColumn, CustomerQuery, CustomerRow, columns_of
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.paged_model import PAGE, ROW_ROLE, PagedTableModel, Runner
from funneldesk.ui.customers.columns import NUMERIC, cell, header

__all__ = ["ROW_ROLE", "CustomersTableModel"]


class CustomersTableModel(PagedTableModel[CustomerRow, CustomerQuery]):
    def __init__(self, services: Services, failed: Callable[[FunnelDeskError], None],
                 run: Runner = run_in_background) -> None:
        super().__init__(CustomerQuery(), failed, run)
        self._list = services.customer_list
        self.columns: tuple[CustomerColumn, ...] = columns_of(self.query.entity)

    def showing(self, query: CustomerQuery) -> None:
        self.columns = columns_of(query.entity)

    def read_first(self, query: CustomerQuery) -> tuple[int, tuple[CustomerRow, ...]]:
        return self._list.count_and_page(query, 0, PAGE)

    def read_page(self, query: CustomerQuery, offset: int, limit: int
                  ) -> tuple[CustomerRow, ...]:
        return self._list.page(query, offset, limit)

    def columns_shown(self) -> tuple[CustomerColumn, ...]:
        return self.columns

    def header_text(self, column: CustomerColumn) -> str:
        return header(column, self.shown_query.entity)

    def row_data(self, record: CustomerRow, column: int, role: int) -> Any:
        shown = self.columns[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(record, shown)
        if role == Qt.ItemDataRole.TextAlignmentRole and shown in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and shown in (CustomerColumn.NAME,
                                                              CustomerColumn.TAGS):
            return cell(record, shown) or None
        return None
