"""How a cell of the deals list looks: amounts right-aligned with their currency (a won
deal's final value in green, the estimate otherwise), an open deal's expected close in
bold red once it is past and in orange within a week, outcomes in their colour."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from funneldesk.services.dto import DealRow, ListColumn, Outcome
from funneldesk.ui.deals.columns import COLUMNS
from funneldesk.ui.deals.model import DEAL_ROLE

OVERDUE = QColor("#c62828")
SOON = QColor("#e65100")
WON = QColor("#2e7d32")
QUIET = QColor("#6b6b6b")
SOON_DAYS = 7


def close_state(deal: DealRow, today: dt.date) -> str:
    """"overdue", "soon" or "" for an open deal's expected close (closed deals: "")."""
    if deal.outcome is not Outcome.OPEN or deal.expected_close is None:
        return ""
    if deal.expected_close < today:
        return "overdue"
    return "soon" if (deal.expected_close - today).days <= SOON_DAYS else ""


class DealsDelegate(QStyledItemDelegate):
    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        deal = index.data(DEAL_ROLE)
        if not isinstance(deal, DealRow):
            return
        column = COLUMNS[index.column()]
        today = dt.date.today()
        color: QColor | None = None
        bold = False
        if column is ListColumn.VALUE:
            option.displayAlignment = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            color = WON if deal.won_value is not None else None
        elif column is ListColumn.EXPECTED_CLOSE:
            state = close_state(deal, today)
            color = {"overdue": OVERDUE, "soon": SOON}.get(state)
            bold = state == "overdue"
        elif column is ListColumn.OUTCOME:
            color = {Outcome.WON: WON, Outcome.LOST: QUIET, Outcome.ARCHIVED: QUIET}.get(
                deal.outcome)
        if color is not None:
            option.palette.setColor(QPalette.ColorRole.Text, color)
            option.palette.setColor(QPalette.ColorRole.HighlightedText, color.lighter(160)
                                    if color is not QUIET else color)
        if bold:
            font = QFont(option.font)
            font.setBold(True)
            option.font = font
