"""How a cell of the deals list looks: amounts right-aligned with their currency (a won
deal's final value in green, the estimate otherwise), an open deal's expected close in
bold red once it is past and in orange within a week, outcomes in their colour."""

from __future__ import annotations

import datetime as dt
from typing import cast

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableView

from funneldesk.services.dto import DealRow, ListColumn, Outcome
from funneldesk.ui.deals.columns import COLUMNS, NUMERIC
from funneldesk.ui.deals.jump_hold import JumpHold
from funneldesk.ui.deals.model import LOADING, DealsTableModel

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


# what Qt's delegates show for a line break in a cell's text
LINE_SEPARATOR = "\u2028"
HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class DealsDelegate(QStyledItemDelegate):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # in the table of the deals list (its model set first), a jump paints its rows once
        model = parent.model() if isinstance(parent, QTableView) else None
        if isinstance(parent, QTableView) and isinstance(model, DealsTableModel):
            self._jump_hold = JumpHold(parent, model)

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        model = index.model()
        if not isinstance(model, DealsTableModel):
            super().initStyleOption(option, index)
            return
        # Fills the option as QStyledItemDelegate.initStyleOption would, without its seven
        # calls into the Python model a cell (font, alignment, colour, check state, icon,
        # text, background), which were most of what painting a screenful of rows cost.
        # The model answers none but the text and the alignment of its numbers; the text
        # comes from the row's texts, formatted once per row.
        option.index = cast(QModelIndex, index)  # Qt passes a QModelIndex
        # as Qt's: no style animations inside item views (the stubs forbid Qt's nullptr)
        option.styleObject = None  # type: ignore[assignment]
        row, section = index.row(), index.column()
        texts = model.row_texts(row)  # asks for the row's page when not read
        if texts is None:
            if section == 0:
                option.features |= HAS_DISPLAY
                option.text = LOADING
            return
        option.features |= HAS_DISPLAY
        option.text = texts[section].replace("\n", LINE_SEPARATOR)
        column = COLUMNS[section]
        if column in NUMERIC:
            option.displayAlignment = RIGHT
        if column not in (ListColumn.VALUE, ListColumn.EXPECTED_CLOSE, ListColumn.OUTCOME):
            return
        deal = model.deal_at(row)
        assert deal is not None  # its texts are there
        color: QColor | None = None
        bold = False
        if column is ListColumn.VALUE:
            color = WON if deal.won_value is not None else None
        elif column is ListColumn.EXPECTED_CLOSE:
            state = close_state(deal, dt.date.today())
            color = {"overdue": OVERDUE, "soon": SOON}.get(state)
            bold = state == "overdue"
        else:
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
