"""The board: one column per stage, side by side in a horizontally scrolling area."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QPoint, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QWidget

from funneldesk.services.dto import Board, Card, StageInfo
from funneldesk.ui.board.card_model import CardFilter, CardListModel
from funneldesk.ui.board.column import StageColumn
from funneldesk.ui.board.column_view import ColumnView

EDGE = 60  # pixels from the board's edge where a drag starts scrolling it
STEP = 24


class BoardWidget(QScrollArea):
    # deal id, version, from stage, to stage, card above which it was dropped
    cardDropped = Signal(int, int, int, int, object)
    cardActivated = Signal(int)
    contextMenuRequested = Signal(int, int, QPoint)  # deal id, stage id, global position
    newDealRequested = Signal(int)  # stage id
    cardsPainted = Signal()  # once per shown board, when its first cards are on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.columns: dict[int, StageColumn] = {}
        self.board: Board | None = None
        self._filter = CardFilter()
        self._sorts: dict[int, str] = {}
        self._scroll_by = 0
        self._cards_painted = False
        self._edge_timer = QTimer(self)
        self._edge_timer.setInterval(30)
        self._edge_timer.timeout.connect(self._scroll_step)

    # --- building -----------------------------------------------------------------
    def show_board(self, board: Board, show_closed: bool) -> None:
        self.board = board
        self._cards_painted = False
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(6, 6, 6, 6)
        row.setSpacing(8)
        by_stage: dict[int, list[Card]] = {}
        for card in board.cards:
            by_stage.setdefault(card.stage_id, []).append(card)
        self.columns = {}
        for stage in board.pipeline.stages:
            if not stage.is_open and not show_closed:
                continue
            column = self._column(stage, by_stage.get(stage.id, []))
            row.addWidget(column)
        row.addStretch(1)
        self.setWidget(holder)

    def _column(self, stage: StageInfo, cards: list[Card]) -> StageColumn:
        assert self.board is not None
        model = CardListModel(stage, cards, card_filter=self._filter,
                              sort=self._sorts.get(stage.id, "position"), to_base=self.to_base)
        column = StageColumn(stage, model, self.board.base_currency)
        column.sort.currentIndexChanged.connect(
            lambda _i, s=stage.id, c=column: self._sorts.__setitem__(s, c.model.sort_key()))
        column.add_button.clicked.connect(lambda _c=False, s=stage.id: self.newDealRequested.emit(s))
        view = column.view
        view.cardDropped.connect(
            lambda deal, version, source, before, target=stage.id:
            self.cardDropped.emit(deal, version, source, target, before))
        view.dragHovered.connect(self._drag_hover)
        view.delegate.firstPainted.connect(self._first_paint)
        # activated: a double-click, or Enter on the current card
        view.activated.connect(lambda index, m=model: self.cardActivated.emit(
            m.card_at(index.row()).id))
        view.customContextMenuRequested.connect(
            lambda pos, v=view, s=stage.id: self._context_menu(v, s, pos))
        self.columns[stage.id] = column
        return column

    def _context_menu(self, view: ColumnView, stage_id: int, pos: QPoint) -> None:
        index = view.indexAt(pos)
        if index.isValid():
            view.setCurrentIndex(index)
            deal = view.card_model().card_at(index.row()).id
            self.contextMenuRequested.emit(deal, stage_id, view.viewport().mapToGlobal(pos))

    def _first_paint(self) -> None:
        if not self._cards_painted:
            self._cards_painted = True
            self.cardsPainted.emit()

    def to_base(self, amount: Decimal, currency: str) -> Decimal:
        assert self.board is not None
        if currency == self.board.base_currency:
            return amount
        return amount * self.board.rates.get(currency, Decimal(1))

    # --- changes ------------------------------------------------------------------
    def place(self, card: Card) -> None:
        """Shows ``card`` where the database now has it (and nowhere else)."""
        for stage_id, column in self.columns.items():
            if stage_id != card.stage_id:
                column.model.discard(card.id)
        target = self.columns.get(card.stage_id)
        if target is not None:
            target.model.put(card)
            self.select(card.id)

    def remove(self, deal_id: int) -> None:
        for column in self.columns.values():
            column.model.discard(deal_id)

    def select(self, deal_id: int) -> None:
        """Makes ``deal_id`` the one selected card on the board."""
        for column in self.columns.values():
            row = column.model.row_of(deal_id)
            if row < 0:
                column.view.clearSelection()
                continue
            column.model.show_row(row)
            index = column.model.index(row)
            column.view.setCurrentIndex(index)
            column.view.scrollTo(index)

    def set_filter(self, owner_id: int, text: str) -> None:
        self._filter = CardFilter.of(owner_id, text)
        for column in self.columns.values():
            column.model.set_filter(self._filter)

    def sorts(self) -> dict[int, str]:
        return dict(self._sorts)

    def set_sorts(self, sorts: dict[int, str]) -> None:
        self._sorts = dict(sorts)

    def current_card(self) -> Card | None:
        for column in self.columns.values():
            if column.view.hasFocus() or column.isAncestorOf(self.focusWidget() or self):
                index = column.view.currentIndex()
                if index.isValid():
                    return column.model.card_at(index.row())
        return None

    def find_card(self, deal_id: int) -> Card | None:
        for column in self.columns.values():
            row = column.model.row_of(deal_id)
            if row >= 0:
                return column.model.card_at(row)
        return None

    # --- scrolling while a card is dragged near an edge ------------------------------
    def _drag_hover(self, global_pos: QPoint) -> None:
        x = self.viewport().mapFromGlobal(global_pos).x()
        width = self.viewport().width()
        self._scroll_by = -STEP if x < EDGE else STEP if x > width - EDGE else 0
        if self._scroll_by:
            self._edge_timer.start()
        else:
            self._edge_timer.stop()

    def _scroll_step(self) -> None:
        from PySide6.QtWidgets import QApplication

        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() + self._scroll_by)
        if not QApplication.mouseButtons() or bar.value() in (bar.minimum(), bar.maximum()):
            self._edge_timer.stop()
