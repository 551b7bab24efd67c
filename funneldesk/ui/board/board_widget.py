"""The board: one column per stage, side by side in a horizontally scrolling area."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QModelIndex, QPoint, QTimer, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QScrollArea, QWidget

from funneldesk.services.activities.assessment_records import DealRating
from funneldesk.services.dto import Board, Card, StageInfo
from funneldesk.ui.board.card_model import CardFilter, CardListModel
from funneldesk.ui.board.column import StageColumn
from funneldesk.ui.board.column_view import ColumnView
from funneldesk.ui.board.day_clock import DayClock

EDGE = 60  # pixels from the board's edge where a drag starts scrolling it
STEP = 24


class BoardWidget(QScrollArea):
    # deal id, version, from stage, to stage, card above which it was dropped
    cardDropped = Signal(int, int, int, int, object)
    cardActivated = Signal(int)
    contextMenuRequested = Signal(int, int, QPoint)  # deal id, stage id, global position
    newDealRequested = Signal(int)  # stage id
    # a card dropped between others of its own column, which is sorted by something other
    # than board order (stage id): the drop has no place in the board order to go to
    reorderInSortedColumn = Signal(int)
    sortChanged = Signal(int, str)  # stage id, sort key
    cardHidden = Signal(object)  # a Card just saved that the filter does not show
    cardsPainted = Signal()  # once per shown board, when its first cards are on screen
    boardWhole = Signal()  # every column holds all its cards (see ``complete``)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.columns: dict[int, StageColumn] = {}
        self.board: Board | None = None
        self._filter = CardFilter()
        self._sorts: dict[int, str] = {}
        # each open deal's value score and win probability, read after the cards; the
        # column models share this one dict
        self.ratings: dict[int, DealRating] = {}
        self._scroll_by = 0
        self._cards_painted = False
        self.changes = 0  # cards placed, removed or renumbered since the board was built
        # a card to select once every card is read: it went below a column's first cards
        self._select_when_whole: tuple[int, bool] | None = None
        self._edge_timer = QTimer(self)
        self._edge_timer.setInterval(30)
        self._edge_timer.timeout.connect(self._scroll_step)
        self.clock = DayClock(self)
        self.clock.dayChanged.connect(self._new_day)

    # --- building -----------------------------------------------------------------
    def show_board(self, board: Board, show_closed: bool) -> None:
        self.board = board
        self._cards_painted = False
        self._select_when_whole = None
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(6, 6, 6, 6)
        row.setSpacing(8)
        by_stage = _by_stage(board.cards)
        self.columns = {}
        for stage in board.pipeline.stages:
            if not stage.is_open and not show_closed:
                continue
            column = self._column(stage, by_stage.get(stage.id, []))
            row.addWidget(column, 1)  # columns share the width down to their minimum
        self.setWidget(holder)

    def cards_painted(self) -> bool:
        """Whether the board shown has painted its first cards."""
        return self._cards_painted

    def is_whole(self) -> bool:
        return all(column.model.is_whole() for column in self.columns.values())

    def complete(self, board: Board) -> bool:
        """Gives every column all its cards (``board`` is whole and read after the last
        change shown here), keeping what is on screen; False if ``board`` is of another
        pipeline or stages, which calls for ``show_board`` instead."""
        if self.board is None or board.pipeline != self.board.pipeline:
            return False
        by_stage = _by_stage(board.cards)
        self.board = board
        for stage_id, column in self.columns.items():
            column.view.take_whole_column(by_stage.get(stage_id, []))
        if self._select_when_whole is not None:
            deal_id, take_focus = self._select_when_whole
            self.select(deal_id, take_focus)
        self.boardWhole.emit()
        return True

    def _column(self, stage: StageInfo, cards: list[Card]) -> StageColumn:
        assert self.board is not None
        model = CardListModel(stage, cards, card_filter=self._filter,
                              sort=self._sorts.get(stage.id, "position"),
                              rates=self.board.currency_rates, today=self.clock.today(),
                              start=self.board.starts.get(stage.id), ratings=self.ratings)
        column = StageColumn(stage, model, self.board.base_currency)
        column.sort.currentIndexChanged.connect(
            lambda _i, s=stage.id, c=column: self._sort_chosen(s, c.model.sort_key()))
        column.add_button.clicked.connect(lambda _c=False, s=stage.id: self.newDealRequested.emit(s))
        view = column.view
        view.cardDropped.connect(
            lambda deal, version, source, before, target=stage.id:
            self._dropped(deal, version, source, target, before))
        view.selectionModel().currentChanged.connect(
            lambda current, _previous, s=stage.id: self._single_current(s, current))
        view.dragHovered.connect(self._drag_hover)
        view.sideStep.connect(lambda step, y, s=stage.id: self._side_step(s, step, y))
        view.delegate.firstPainted.connect(self._first_paint)
        # activated: a double-click, or Enter on the current card
        view.activated.connect(lambda index, m=model: self.cardActivated.emit(
            m.card_at(index.row()).id))
        view.customContextMenuRequested.connect(
            lambda pos, v=view, s=stage.id: self._context_menu(v, s, pos))
        self.columns[stage.id] = column
        return column

    def _dropped(self, deal_id: int, version: int, source: int, target: int,
                 before: int | None) -> None:
        column = self.columns.get(target)
        if source == target and column is not None and column.model.row_order() != "position":
            if column.model.sort_key() != "position":
                self.reorderInSortedColumn.emit(target)
            # else board order is chosen, but the rows follow it only once every card is
            # read: a place among them means nothing yet, so the card stays
            return
        self.cardDropped.emit(deal_id, version, source, target, before)

    def _side_step(self, stage_id: int, step: int, y: int) -> None:
        """Left and Right: the card at the same height in the next column that has cards
        (a column with none is passed over)."""
        order = list(self.columns)
        at = order.index(stage_id)
        for other_id in (order[at + 1:] if step > 0 else order[:at][::-1]):
            column = self.columns[other_id]
            view = column.view
            if not column.model.rowCount():
                continue
            # the card left may be scrolled out of sight: its height, kept on the screen
            height = min(max(y, 0), view.viewport().height() - 1)
            index = view.indexAt(QPoint(view.viewport().width() // 2, height))
            if not index.isValid():  # below its last card shown: its last one
                index = column.model.index(column.model.rowCount() - 1)
            view.setCurrentIndex(index)  # clears the column left (_single_current)
            view.scrollTo(index)
            self.ensureWidgetVisible(column, 0, 0)
            view.setFocus()
            return

    def _sort_chosen(self, stage_id: int, key: str) -> None:
        self._sorts[stage_id] = key
        self.sortChanged.emit(stage_id, key)

    def use_board_order(self, stage_id: int) -> None:
        column = self.columns.get(stage_id)
        if column is not None:
            column.sort.setCurrentIndex(column.sort.findData("position"))

    def _single_current(self, stage_id: int, current: QModelIndex) -> None:
        """One current card on the whole board: choosing one in a column clears the rest."""
        if not current.isValid():
            return
        self._select_when_whole = None  # a card chosen since: the user's choice wins
        for other_id, column in self.columns.items():
            selection = column.view.selectionModel()
            # only a column that shows a selection: clearing repaints the whole column
            if other_id != stage_id and (selection.hasSelection()
                                         or selection.currentIndex().isValid()):
                selection.clear()

    def _new_day(self, today: dt.date) -> None:
        for column in self.columns.values():
            column.model.set_today(today)

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

    # --- changes ------------------------------------------------------------------
    def place(self, card: Card, show: bool = True) -> None:
        """Shows ``card`` where the database now has it (and nowhere else); with ``show``,
        selects it, or says that the filter hides it."""
        self.changes += 1
        for stage_id, column in self.columns.items():
            if stage_id != card.stage_id:
                column.model.discard(card.id)
        target = self.columns.get(card.stage_id)
        if target is None:
            return
        target.model.put(card)
        self._lay_out_now()
        if not show:
            return
        if not target.model.accepts(card):
            self.cardHidden.emit(card)
            return
        self.select(card.id)

    def _lay_out_now(self) -> None:
        """Lays out the columns whose rows changed at once: left to Qt's zero timer, the
        column a card left is painted one pass after the column it went to."""
        for column in self.columns.values():
            column.view.executeDelayedItemsLayout()

    def reposition(self, stage_id: int, positions: Mapping[int, float]) -> None:
        """Takes a column's new card positions after the service renumbered it."""
        self.changes += 1
        column = self.columns.get(stage_id)
        if column is not None:
            column.model.reposition(positions)

    def remove(self, deal_id: int) -> None:
        self.changes += 1
        if self._select_when_whole is not None and self._select_when_whole[0] == deal_id:
            self._select_when_whole = None
        for column in self.columns.values():
            column.model.discard(deal_id)

    def select(self, deal_id: int, take_focus: bool = False) -> None:
        """Makes ``deal_id`` the one current card on the board and scrolls to it. The
        keyboard follows it when it was on the board (a moved card stays in hand)."""
        focus = QApplication.focusWidget()
        take_focus = take_focus or (focus is not None and self.isAncestorOf(focus))
        self._select_when_whole = None
        rows = {column: row for column in self.columns.values()
                if (row := column.model.row_of(deal_id)) >= 0}
        if not rows and not self.is_whole():
            # below a column's first cards: selected once every card is read; until then
            # no card looks chosen, so that no key acts on the wrong deal
            self._select_when_whole = (deal_id, take_focus)
            for column in self.columns.values():
                column.view.selectionModel().clear()
        for column, row in rows.items():
            column.model.show_row(row)
            index = column.model.index(row)
            column.view.setCurrentIndex(index)  # clears every other column (_single_current)
            column.view.scrollTo(index)
            self.ensureWidgetVisible(column, 0, 0)
            if take_focus:
                column.view.setFocus()

    def set_filter(self, owner_id: int, text: str) -> None:
        self._filter = CardFilter.of(owner_id, text)
        for column in self.columns.values():
            column.model.set_filter(self._filter)

    def filtering(self) -> bool:
        return self._filter != CardFilter()

    def counts(self) -> tuple[int, int]:
        """Cards shown, and cards on the board with no filter."""
        return (sum(c.model.matching_count() for c in self.columns.values()),
                sum(c.model.total_count() for c in self.columns.values()))

    def set_ratings(self, ratings: dict[int, DealRating]) -> None:
        self.ratings.clear()
        self.ratings.update(ratings)
        for column in self.columns.values():
            column.model.ratings_changed()

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
        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() + self._scroll_by)
        if not QApplication.mouseButtons() or bar.value() in (bar.minimum(), bar.maximum()):
            self._edge_timer.stop()


def _by_stage(cards: Iterable[Card]) -> dict[int, list[Card]]:
    by_stage: dict[int, list[Card]] = {}
    for card in cards:
        by_stage.setdefault(card.stage_id, []).append(card)
    return by_stage
