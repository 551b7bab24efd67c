"""A stage column's list view: takes card drops and reports them as one signal."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QPalette,
)
from PySide6.QtWidgets import QAbstractItemView, QFrame, QListView, QWidget

from funneldesk.services.dto import Card
from funneldesk.ui.board.card_delegate import CardDelegate
from funneldesk.ui.board.card_model import CardListModel, decode_mime

# a slim scroll bar drawn flat: Fusion's full-height gradient groove was about a sixth of
# what a move costs to repaint (its large fills wait on Qt's raster thread pool)
SLIM_SCROLL_BAR = (
    "QScrollBar:vertical { width: 10px; background: transparent; margin: 0; }"
    "QScrollBar::handle:vertical { background: #c3c9d1; border-radius: 4px;"
    " min-height: 28px; margin: 1px; }"
    "QScrollBar::handle:vertical:hover { background: #a3abb6; }"
    "QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical { height: 0; }"
    "QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical { background: none; }"
)


class ColumnView(QListView):
    # deal id, its version when dragged, the stage it came from, the card it lands above
    # (None: the end of the column)
    cardDropped = Signal(int, int, int, object)
    # the cursor position (global) while a card is dragged over the board
    dragHovered = Signal(QPoint)
    # Left or Right: the keyboard goes to the card beside (-1 or 1), at the same height
    sideStep = Signal(int, int)  # step, the current row's y in the viewport

    def __init__(self, model: CardListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.delegate = CardDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(True)  # every card is as tall: layout stays O(1) per row
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalScrollBar().setStyleSheet(SLIM_SCROLL_BAR)
        self.setAutoScroll(True)
        self.setAutoScrollMargin(40)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setFrameShape(QFrame.Shape.NoFrame)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor("#eef1f5"))
        self.setPalette(palette)
        self.setModel(model)  # last: every setting above would otherwise re-lay out the rows

    def card_model(self) -> CardListModel:
        model = self.model()
        assert isinstance(model, CardListModel)
        return model

    def take_whole_column(self, cards: list[Card]) -> None:
        """Hands the model every card of the column (it held the first ones); a view
        scrolled to the end of those fetches the next page as if scrolled again."""
        self.card_model().complete(cards)
        self.updateGeometries()  # Qt checks whether to fetch more after a relayout

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}
        if event.key() in steps and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            current = self.currentIndex()
            y = self.visualRect(current).center().y() if current.isValid() else 0
            self.sideStep.emit(steps[Qt.Key(event.key())], y)
            event.accept()
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if decode_mime(event.mimeData()) is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if decode_mime(event.mimeData()) is None:
            event.ignore()
            return
        super().dragMoveEvent(event)  # drop indicator and vertical auto-scroll
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.dragHovered.emit(self.viewport().mapToGlobal(event.position().toPoint()))

    def dropEvent(self, event: QDropEvent) -> None:
        payload = decode_mime(event.mimeData())
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        if payload is None:
            event.ignore()
            return
        # accepted as a move; our model's removeRows is a no-op, so the source view removes
        # nothing: the board moves the card once the service has saved the move
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        before = self.card_before(event.position().toPoint())
        self.cardDropped.emit(payload["deal_id"], payload["version"], payload["stage_id"], before)

    def card_before(self, pos: QPoint) -> int | None:
        """The id of the card a drop at ``pos`` lands above; None for the column's end.

        A column sorted by anything but board order has no place to drop into.
        """
        model = self.card_model()
        if model.row_order() != "position":
            return None
        index = self.indexAt(pos)
        row = index.row() if index.isValid() else model.card_count()
        if index.isValid() and pos.y() > self.visualRect(index).center().y():
            row += 1
        # below the last card held: the column's end, or while its other cards are still
        # being read, the first of those
        return model.card_at(row).id if row < model.card_count() else model.id_below_shown()
