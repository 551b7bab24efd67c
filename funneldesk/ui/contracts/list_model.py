"""The Contracts page's table: one row per contract, its state, whom it waits on, its
amount and what was received of it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from funneldesk import formatting
from funneldesk.enums import Confidentiality, ContractState
from funneldesk.i18n import _
from funneldesk.services.contracts.records import ContractSummary, state_label
from funneldesk.ui.common.rows_model import Index, RowsModel

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the ContractSummary
WARNING = QColor("#c62828")
QUIET = QColor("#8a94a1")
CUSTOMER = QColor("#1f4e79")


class ContractsModel(RowsModel):
    rows: list[ContractSummary]

    def headers(self) -> tuple[str, ...]:
        return (_("Number"), _("Customer"), _("Deal"), _("State"), _("Waiting on"),
                _("Amount"), _("Received"), _("Signed on"), _("Owner"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (5, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 0 and row.confidentiality is Confidentiality.CONFIDENTIAL:
                return WARNING
            if row.state in (ContractState.CANCELLED, ContractState.ARCHIVED):
                return QUIET
            if column == 4 and row.state is ContractState.SENT:
                return CUSTOMER
        if role == Qt.ItemDataRole.ToolTipRole and column == 0 \
                and row.confidentiality is Confidentiality.CONFIDENTIAL:
            return _("Confidential: only the deal's owner, its team and the managers see "
                     "it; its PDF is written encrypted.")
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 2, 4):  # may be elided
            return self._text(row, column)
        return None

    def _text(self, row: ContractSummary, column: int) -> str:
        if column == 0:
            lock = _("Confidential") if row.confidentiality is Confidentiality.CONFIDENTIAL \
                else ""
            return f"{row.number}  ·  {lock}" if lock else row.number
        if column == 3:
            return state_label(row.state)
        if column == 4:
            return row.waiting or "—"
        if column == 5:
            return formatting.money(row.amount, row.currency)
        if column == 6:
            return formatting.money(row.received, row.currency) if row.received else "—"
        if column == 7:
            return formatting.date(row.signed_on) if row.signed_on else "—"
        return (row.number, row.customer or "—", row.deal_title, "", "", "", "", "",
                row.owner)[column]
