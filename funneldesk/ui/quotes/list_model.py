"""The Quotes page's table: one row per quote, its state, revision and options' totals."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from funneldesk import formatting
from funneldesk.enums import ApprovalState
from funneldesk.i18n import _
from funneldesk.services.quotes.records import QuoteSummary, state_label
from funneldesk.ui.common.rows_model import Index, RowsModel

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the QuoteSummary
WARNING = QColor("#c62828")
QUIET = QColor("#8a94a1")


def state_text(row: QuoteSummary) -> str:
    """The state as a rep reads it: the approval it waits for comes first."""
    if row.state_code in ("draft", "sent") and not row.revision_sent and row.needs_approval:
        if row.approval is ApprovalState.REQUESTED:
            return _("Awaiting approval")
        if row.approval is ApprovalState.APPROVED:
            return _("Approved below floor")
        if row.approval is ApprovalState.DECLINED:
            return _("Approval declined")
        return _("Below floor")
    if row.state_code == "sent" and not row.revision_sent:
        return _("Sent; revision {number} in draft").format(number=row.revision)
    return state_label(row.state_code)


class QuotesModel(RowsModel):
    rows: list[QuoteSummary]

    def headers(self) -> tuple[str, ...]:
        return (_("Number"), _("Customer"), _("Deal"), _("State"), _("Revision"),
                _("Options"), _("Valid until"), _("Owner"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3:
            if row.needs_approval and row.approval is not ApprovalState.APPROVED \
                    and not row.revision_sent:
                return WARNING
            if row.state_code in ("rejected", "expired"):
                return QUIET
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return "\n".join(f"{o.name}: {formatting.money(o.total, row.currency)}"
                             for o in row.options)
        return None

    def _text(self, row: QuoteSummary, column: int) -> str:
        if column == 3:
            return state_text(row)
        if column == 4:
            return str(row.revision)
        if column == 5:
            return " / ".join(formatting.money_short(o.total, row.currency)
                              for o in row.options)
        if column == 6:
            return formatting.date(row.valid_until) if row.valid_until else "—"
        return (row.number, row.company or "—", row.deal_title, "", "", "", "",
                row.owner)[column]
