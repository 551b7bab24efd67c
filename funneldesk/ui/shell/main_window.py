"""The main window: the board with its tool bar, menus and status bar.

Dialogs are imported when first opened, here and in the modules the window uses: the
start-up paints the board before any of them is needed.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QVBoxLayout, QWidget

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services import Services
from funneldesk.services.common.permissions import may_change_deal
from funneldesk.services.dto import Actor, Board, Card, ChangeSet
from funneldesk.settings import Settings
from funneldesk.ui.admin.sample_data_actions import SampleDataActions
from funneldesk.ui.board.board_reader import BoardReader, BoardRequest
from funneldesk.ui.board.board_widget import BoardWidget
from funneldesk.ui.board.card_model import SORT_KEYS
from funneldesk.ui.board.controller import BoardController
from funneldesk.ui.board.deal_editing import DealEditor
from funneldesk.ui.board.filter_notice import FilterNotice
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.save_state import note_saved
from funneldesk.ui.shell.status_bar import StatusPanel
from funneldesk.ui.shell.window_actions import WindowActions

WARM_UP_FALLBACK_MS = 1000


class MainWindow(QMainWindow):
    boardLoaded = Signal()

    def __init__(self, services: Services, actor: Actor, settings: Settings) -> None:
        super().__init__()
        self.services, self.actor, self.settings = services, actor, settings
        # several windows may be open, one per database file: the title says which
        self.setWindowTitle(_("{file} — FunnelDesk").format(
            file=Path(services.location()).name))
        self.resize(1400, 860)
        self.undo_stack = QUndoStack(self)
        self.board = BoardWidget(self)
        self.filter_notice = FilterNotice(self)
        self.status = StatusPanel(self, services.location(), actor.display_name)
        self.counts = self.status.counts
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filter_notice)
        layout.addWidget(self.board, 1)
        self.setCentralWidget(central)
        self.controller = BoardController(services, actor, self.board, self.undo_stack, self)
        self.editor = DealEditor(services, actor, self.controller, self.undo_stack, self)
        self.samples = SampleDataActions(self)
        self.actions_ = WindowActions(self)
        self.controller.changed.connect(self._changed)
        self.board.cardActivated.connect(self.editor.open)
        self.board.contextMenuRequested.connect(self._card_menu)
        self.board.newDealRequested.connect(self.new_deal)
        self.board.cardHidden.connect(self._hidden_by_filter)
        self.board.boardWhole.connect(self._update_status)
        self.board.reorderInSortedColumn.connect(self.offer_board_order)
        self.board.sortChanged.connect(self._remember_sort)
        self.filter_notice.clearRequested.connect(self.clear_filter)
        self.reader = BoardReader(services, self.board, self)
        self.reader.ready.connect(self._show_board)
        self._reselect: int | None = None  # the card chosen before a reload
        self._hidden_id: int | None = None  # the saved deal the filter notice speaks of
        self._restore()
        self.load_now()

    # --- board --------------------------------------------------------------------
    def pipeline_id(self) -> int:
        return int(self.actions_.pipeline.currentData())

    def load_now(self) -> None:
        """Reads the board on the GUI thread: at start-up, before the window shows."""
        self.reader.read_now(self._request())

    def reload(self) -> None:
        """Reads the board again off the GUI thread (pipeline switch, stage edits, Won/Lost
        toggle); the board is disabled meanwhile so that nothing moves on a board about to
        be replaced. Emits boardLoaded when shown."""
        current = self.board.current_card()
        self._reselect = current.id if current is not None else None
        self.board.setEnabled(False)
        self.statusBar().showMessage(_("Loading the board…"))
        self.reader.read(self._request(), self._load_failed)

    def _request(self) -> BoardRequest:
        pipeline_id = self.pipeline_id()
        return BoardRequest(pipeline_id, self.actions_.show_closed.isChecked(),
                            self.actions_.owner_filter(), self.actions_.search.text(),
                            self._saved_sorts(pipeline_id))

    def _load_failed(self, error: Exception) -> None:
        self.board.setEnabled(True)
        self.statusBar().clearMessage()
        if not isinstance(error, FunnelDeskError):
            raise error
        show_error(self, error)

    def _saved_sorts(self, pipeline_id: int) -> dict[int, str]:
        saved = self.settings.get("board.sort").get(str(pipeline_id), {})
        return {int(k): str(v) for k, v in saved.items()}

    def _show_board(self, board: Board) -> None:
        self.statusBar().clearMessage()
        self.board.set_sorts(self._saved_sorts(board.pipeline.id))
        self.board.show_board(board, self.actions_.show_closed.isChecked())
        self.board.setEnabled(True)
        self.actions_.fill_owners(board.owners)
        self.apply_filter()
        if self._reselect is not None:  # the card chosen before a reload, scrolled to
            self.board.select(self._reselect, take_focus=True)
            self._reselect = None
        self.boardLoaded.emit()

    def apply_filter(self) -> None:
        self.filter_notice.forget()
        self.board.set_filter(self.actions_.owner_filter(), self.actions_.search.text())
        self._update_status()

    def clear_filter(self) -> None:
        """Clears the filter and shows the deal the notice spoke of, if there was one."""
        hidden = self._hidden_id
        self.actions_.clear_filter()
        if hidden is not None:
            self.board.select(hidden, take_focus=True)

    def _hidden_by_filter(self, card: Card) -> None:
        self._hidden_id = card.id
        self.filter_notice.hides(card.title)
        self._update_status()

    def _changed(self, changes: ChangeSet) -> None:
        note_saved()
        self.reader.recount(changes.stage_ids)
        self._update_status()

    def _update_status(self) -> None:
        shown, total = self.board.counts()
        if self.board.is_whole():
            text = ngettext("{n} deal shown", "{n} deals shown", shown)
        else:  # a search or sort chosen now applies once every card is read
            text = ngettext("{n} deal shown · reading the other cards…",
                            "{n} deals shown · reading the other cards…", shown)
        # a label, not a status message: opening a menu would erase a message for good
        self.counts.setText(text.format(n=formatting.number(shown)))
        self.filter_notice.show_counts(self.board.filtering(), shown, total)
        if self.filter_notice.isHidden():
            self._hidden_id = None

    # --- sorted columns ---------------------------------------------------------------
    def _remember_sort(self, stage_id: int, key: str) -> None:
        sorts = dict(self.settings.get("board.sort"))
        sorts[str(self.pipeline_id())] = {str(k): v for k, v in self.board.sorts().items()}
        self.settings.set("board.sort", sorts)

    def offer_board_order(self, stage_id: int) -> bool:
        """Says that cards can be placed by hand only in board order, and offers to switch
        the column to it. True if the column now shows board order."""
        column = self.board.columns.get(stage_id)
        if column is None:
            return False
        box = QMessageBox(QMessageBox.Icon.Information, _("Sorted column"), _(
            "“{stage}” is sorted by “{sort}”, so a card cannot be placed between others. "
            "Switch the column to “Board order” to arrange its cards by hand.").format(
            stage=column.stage.name, sort=_(SORT_KEYS[column.model.sort_key()])), parent=self)
        switch = box.addButton(_("Use board order"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not switch:
            return False
        self.board.use_board_order(stage_id)
        return True

    # --- card commands --------------------------------------------------------------
    def new_deal(self, stage_id: int | None = None) -> None:
        """A new deal in ``stage_id``, else in the selected card's stage while it is open,
        else in the first stage (a deal never starts won or lost)."""
        board = self.board.board
        if board is None:
            return
        if stage_id is None:
            current = self.board.current_card()
            opens = [s.id for s in board.pipeline.stages if s.is_open]
            stage_id = current.stage_id if current and current.stage_id in opens else opens[0]
        if self.editor.new_deal(board.pipeline.id, stage_id) is not None:
            self._update_status()

    def move_current(self, step: int) -> None:
        card = self.board.current_card()
        if card is None:
            return
        target = self.controller.neighbour_stage(card.stage_id, step)
        if target is not None:
            self.controller.move(card.id, card.version, target, None)

    def reorder_current(self, step: int) -> None:
        card = self.board.current_card()
        column = self.board.columns.get(card.stage_id) if card else None
        if card is None or column is None:
            return
        if column.model.row_order() != "position":
            if column.model.sort_key() != "position":
                self.offer_board_order(card.stage_id)
            return  # else the rows follow board order once every card is read
        model = column.model
        row, count = model.row_of(card.id), model.card_count()
        if step < 0 and row > 0:
            before: int | None = model.card_at(row - 1).id
        elif step > 0 and row + 1 < count:
            before = model.card_at(row + 2).id if row + 2 < count else model.id_below_shown()
        else:
            return
        self.controller.move(card.id, card.version, card.stage_id, before)

    def close_current(self, won: bool) -> None:
        card, board = self.board.current_card(), self.board.board
        if card is None or board is None:
            return
        kind = "won" if won else "lost"
        target = next(s for s in board.pipeline.stages if s.kind.value == kind)
        self.controller.move(card.id, card.version, target.id, None)

    def archive_current(self) -> None:
        card = self.board.current_card()
        if card is not None:
            self.editor.archive(card.id, True, self.controller.seen_version(card))

    def delete_current(self) -> None:
        card = self.board.current_card()
        if card is not None:
            self.editor.delete(card.id)

    def show_archived(self) -> None:
        board = self.board.board
        if board is None:
            return
        from funneldesk.ui.board.archived import ArchivedDealsDialog

        dialog = ArchivedDealsDialog(self.services.board.archived(board.pipeline.id),
                                     lambda deal: self.editor.archive(deal.id, False, deal.version),
                                     self)
        dialog.exec()

    def open_current(self) -> None:
        card = self.board.current_card()
        if card is not None:
            self.editor.open(card.id)

    def _card_menu(self, deal_id: int, stage_id: int, pos: QPoint) -> None:
        menu = self.card_menu(deal_id, stage_id)
        if menu is not None:
            menu.popup(pos)

    def card_menu(self, deal_id: int, stage_id: int) -> QMenu | None:
        """The right-click menu of a card: open, move to any stage, archive, delete."""
        card, board = self.board.find_card(deal_id), self.board.board
        if card is None or board is None:
            return None
        menu = QMenu(self)
        menu.addAction(_("Open…"), lambda: self.editor.open(deal_id))
        move_to = menu.addMenu(_("Move to"))
        for stage in board.pipeline.stages:
            action = move_to.addAction(stage.name)
            action.setEnabled(stage.id != stage_id)
            action.triggered.connect(lambda _c=False, s=stage.id: self.controller.move(
                deal_id, card.version, s, None))
        menu.addSeparator()
        mine = may_change_deal(self.actor, card.owner_id)
        menu.addAction(_("Archive"), lambda: self.editor.archive(
            deal_id, True, self.controller.seen_version(card))).setEnabled(mine)
        menu.addAction(_("Delete"), lambda: self.editor.delete(deal_id)).setEnabled(mine)
        return menu

    def manage_pipelines(self) -> None:
        from funneldesk.ui.admin.pipeline_editor import PipelineEditor

        editor = PipelineEditor(self.services, self.actor, self.pipeline_id(), self)
        editor.exec()
        if editor.changed:
            self.actions_.fill_pipelines(self.pipeline_id())
            self.reload()

    def edit_rates(self) -> None:
        """The exchange rates (read-only for a rep); the totals follow a saved change."""
        from funneldesk.ui.admin.rates import RatesDialog

        dialog = RatesDialog(self.services, self.actor, self)
        dialog.exec()
        if dialog.saved:
            self.reload()

    def warm_up(self) -> None:
        """Loads the ORM and the change services off the GUI thread once the paint of the
        board's first cards is over, so that the first move does not wait for them, then
        purges the deals that have been in the Trash longer than the team keeps them. An
        import beside that paint would slow it down by a third: every call from Qt into a
        delegate waits for the interpreter. A board with no card to paint starts it after
        WARM_UP_FALLBACK_MS."""
        started = False

        def work() -> int:
            self.services.warm_up()
            return self.services.trash.purge_expired()

        def start() -> None:
            nonlocal started
            if not started:
                started = True
                run_in_background(work, lambda _r: None,
                                  lambda error: self.statusBar().showMessage(str(error)))

        self.board.cardsPainted.connect(lambda: QTimer.singleShot(0, self, start))
        QTimer.singleShot(WARM_UP_FALLBACK_MS, self, start)

    # --- sample data and the Trash -----------------------------------------------------
    def offer_sample_data_if_empty(self) -> None:
        self.samples.offer_if_empty()

    def show_trash(self) -> None:
        from funneldesk.ui.board.trash import TrashDialog

        TrashDialog(self.services, self.actor,
                    lambda deal: self.editor.restore(deal.id, deal.version) is not None,
                    self).exec()

    # --- settings -------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.get("window.geometry")
        if geometry:
            self.restoreGeometry(QByteArray.fromHex(geometry.encode()))
        self.actions_.restore(self.settings, self.services.location())

    def save_settings(self) -> None:
        self.settings.set("window.geometry", bytes(self.saveGeometry().toHex().data()).decode())
        self.actions_.store(self.settings, self.services.location())
        with contextlib.suppress(OSError):  # settings are a convenience: never block closing
            self.settings.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        super().closeEvent(event)
