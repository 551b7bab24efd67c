"""A month of the forecast board: its header (the month, its count and totals) over a list
of its deals' cards, which can be dragged to another month."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.i18n import _
from funneldesk.services.activities.forecast_records import (
    PAST,
    UNDATED,
    ForecastCard,
    ForecastColumn,
)
from funneldesk.ui.board.column import total_lines
from funneldesk.ui.board.column_view import SLIM_SCROLL_BAR
from funneldesk.ui.common.rich_text import escaped

Index = QModelIndex | QPersistentModelIndex
MIME_TYPE = "application/x-funneldesk-forecast-card"
CardRole = Qt.ItemDataRole.UserRole + 1
CARD_HEIGHT = 78
TEXT, MUTED, LATE = QColor("#1f2933"), QColor("#6b7785"), QColor("#c62828")


def encode(card: ForecastCard, key: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(MIME_TYPE, json.dumps({"deal_id": card.deal_id, "version": card.version,
                                        "key": key}).encode())
    return mime


def decode(mime: QMimeData) -> dict[str, Any] | None:
    if not mime.hasFormat(MIME_TYPE):
        return None
    try:
        data = json.loads(bytes(mime.data(MIME_TYPE).data()).decode())
        return {"deal_id": int(data["deal_id"]), "version": int(data["version"]),
                "key": str(data["key"])}
    except (ValueError, KeyError, TypeError):
        return None


def column_title(column: ForecastColumn, first_month: dt.date | None = None) -> str:
    """The month's name; for the deals expected before the first month shown, "past
    due" while that month is this one, else "before" it."""
    if column.key == PAST:
        if first_month is not None and first_month > dt.date.today():
            return _("Before {month}").format(month=formatting.month(first_month))
        return _("Earlier (past due)")
    if column.key == UNDATED:
        return _("No close date")
    assert column.month is not None
    return formatting.month(column.month)


class ForecastCardModel(QAbstractListModel):
    def __init__(self, column: ForecastColumn) -> None:
        super().__init__()
        self.column = column

    def set_column(self, column: ForecastColumn) -> None:
        self.beginResetModel()
        self.column = column
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self.column.cards)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        card = self.column.cards[index.row()]
        if role == CardRole:
            return card
        if role == Qt.ItemDataRole.DisplayRole:
            return card.title
        if role == Qt.ItemDataRole.ToolTipRole:
            when = (formatting.date(card.expected_close) if card.expected_close
                    else _("no close date"))
            return _("{title}\n{company}\n{value} · {stage} ({probability}%)\n"
                     "{owner} · expected to close {when}").format(
                title=card.title, company=card.company or "—",
                value=formatting.money(card.value, card.currency), stage=card.stage,
                probability=card.probability, owner=card.owner, when=when)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        return encode(self.column.cards[indexes[0].row()], self.column.key)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction


class ForecastCardDelegate(QStyledItemDelegate):
    """A card: the deal's title, its company, its value with the stage and its
    probability, and its owner with the day it is expected to close (in red once that
    day has gone by)."""


    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), CARD_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card = index.data(CardRole)
        if not isinstance(card, ForecastCard):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(4, 3, -4, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(QPen(QColor("#3b5b8c") if selected else QColor("#d5dbe3"),
                            2 if selected else 1))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(rect, 5, 5)
        inner = rect.adjusted(8, 5, -8, -5)
        line = QFontMetrics(option.font).height()
        bold = QFont(option.font)
        bold.setBold(True)
        when = formatting.date_short(card.expected_close) if card.expected_close else ""
        late = card.expected_close is not None and card.expected_close < dt.date.today()
        rows = ((card.title, TEXT, bold),
                (card.company or "—", MUTED, option.font),
                (_("{value} · {probability}% · {stage}").format(
                    value=formatting.money_short(card.value, card.currency), stage=card.stage,
                    probability=card.probability), TEXT, option.font),
                (" · ".join(t for t in (card.owner, when) if t), LATE if late else MUTED,
                 option.font))
        for number, (text, colour, font) in enumerate(rows):
            painter.setFont(font)
            painter.setPen(colour)
            box = QRect(inner.left(), inner.top() + number * (line + 1), inner.width(), line)
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight,
                                                           inner.width()))
        painter.restore()


class ForecastView(QListView):
    # deal id, its version when dragged, the column it came from
    cardDropped = Signal(int, int, str)

    def __init__(self, model: ForecastCardModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(ForecastCardDelegate(self))
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setDropIndicatorShown(False)  # a month has no order to drop into
        # drops on: the column's month turns them off where it takes none (show_column)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalScrollBar().setStyleSheet(SLIM_SCROLL_BAR)
        self.setFrameShape(QFrame.Shape.NoFrame)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor("#eef1f5"))
        self.setPalette(palette)
        self.setModel(model)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.acceptDrops() or decode(event.mimeData()) is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self.acceptDrops() or decode(event.mimeData()) is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        payload = decode(event.mimeData())
        self.setState(QAbstractItemView.State.NoState)
        if payload is None or not self.acceptDrops():
            event.ignore()
            return
        # accepted as a move that removes nothing: the page reads the board again once
        # the service has saved the new date
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.cardDropped.emit(payload["deal_id"], payload["version"], payload["key"])


class ForecastColumnWidget(QWidget):
    """A column kept for the life of the page: a read of the board gives it its month
    again (``show_column``) rather than replacing it, since a drag or a modal form may be
    running inside its view."""

    def __init__(self, column: ForecastColumn, base_currency: str, first_month: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ForecastCardModel(column)
        self.view = ForecastView(self.model)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.setMinimumWidth(200)
        self.setMaximumWidth(280)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        self.show_column(column, base_currency, first_month)

    @property
    def column(self) -> ForecastColumn:
        return self.model.column

    def show_column(self, column: ForecastColumn, base_currency: str,
                    first_month: dt.date) -> None:
        self.model.set_column(column)
        this_month = dt.date.today().replace(day=1)
        # no drops on the deals before the months shown, nor on a month gone by
        self.view.setAcceptDrops(column.key != PAST and (column.month is None
                                                         or column.month >= this_month))
        title = column_title(column, first_month)
        self.view.setAccessibleName(title)
        self.header.setText(self._header_html(title, column, base_currency))
        self.header.setToolTip(self._header_tip(column))
        # the column of deals before the months shown, only while it holds any
        self.setVisible(column.key != PAST or bool(column.cards))

    @staticmethod
    def _header_html(title: str, column: ForecastColumn, base: str) -> str:
        amounts, weighted = total_lines(len(column.cards), column.total, base)
        missing = column.total.missing_deals
        colour = "#c62828" if missing else "#6b7785"
        return (f"<b>{escaped(title)}</b><br>"
                f"<span style='color:{colour}'>{escaped(amounts)}<br>{escaped(weighted)}"
                "</span>")

    @staticmethod
    def _header_tip(column: ForecastColumn) -> str:
        tips = [_("Weighted value = value × stage probability.")]
        if column.key == PAST:
            tips.append(_("Open deals expected before the first month shown. Drag one to "
                          "the month it is now expected in."))
        elif column.key == UNDATED:
            tips.append(_("Open deals with no expected close date. Drag one to a month to "
                          "date it on that month's last day."))
        else:
            tips.append(_("Drag a deal here to expect it this month, on the same day of the "
                          "month."))
        return "\n".join(tips)
