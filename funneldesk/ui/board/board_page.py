"""The Board page: a pipeline's stages as columns of cards, its filter, and the commands
on the selected card."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QMessageBox, QToolBar, QVBoxLayout, QWidget

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import N_, _, ngettext
from funneldesk.paths import RESOURCES
from funneldesk.services.activities.assessment_records import DealRating
from funneldesk.services.common.permissions import may_change_deal
from funneldesk.services.dto import Board, Card, ChangeSet
from funneldesk.ui.activities.activity_dialog import Target, open_dialog, target_label
from funneldesk.ui.activities.proposal_bar import ProposalBar
from funneldesk.ui.board.board_reader import BoardReader, BoardRequest
from funneldesk.ui.board.board_tools import ACTIONS, BoardTools
from funneldesk.ui.board.board_widget import BoardWidget
from funneldesk.ui.board.card_model import RATED_SORTS, SORT_KEYS
from funneldesk.ui.board.controller import BoardController
from funneldesk.ui.board.deal_editing import DealEditor
from funneldesk.ui.board.filter_notice import FilterNotice
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Page, PageSpec, Workspace

RATINGS_DELAY_MS = 400  # after a change, before the board's ratings are read again
# a change to more deals than this reads the board again instead of card by card
MANY_DEALS = 100
# shown while the board is read, and cleared only while it is still what the bar says
_LOADING = N_("Loading the board…")


class BoardPage(Page):
    key = "board"
    boardLoaded = Signal()
    ratingsRead = Signal()  # the cards show their value scores and win probabilities

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.services, self.actor, self.settings = (workspace.services, workspace.actor,
                                                    workspace.settings)
        self.board = BoardWidget(self)
        self.filter_notice = FilterNotice(self)
        self.proposals = ProposalBar(workspace, self)
        self.proposals.shown.connect(self._proposals_shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filter_notice)
        layout.addWidget(self.proposals)
        layout.addWidget(self.board, 1)
        self.controller = BoardController(workspace, self.board)
        self.controller.dealEntered.connect(self.offer_proposals)
        self.editor = DealEditor(workspace)
        self.actions_ = BoardTools(self)
        self.board.cardActivated.connect(self.open_deal)
        self.board.contextMenuRequested.connect(self._card_menu)
        self.board.newDealRequested.connect(self.new_deal)
        self.board.cardHidden.connect(self._hidden_by_filter)
        self.board.boardWhole.connect(self._update_status)
        self.board.boardWhole.connect(self.read_ratings)
        # ratings are read again a moment after changes, once for a burst of them
        self._ratings_timer = QTimer(self)
        self._ratings_timer.setSingleShot(True)
        self._ratings_timer.setInterval(RATINGS_DELAY_MS)
        self._ratings_timer.timeout.connect(lambda: self.read_ratings(changed=True))
        self._ratings_changed: set[int] = set()  # deals changed since their ratings were read
        self._ratings_wait = False  # a read waits for the first cards' paint
        self._ratings_running = self._ratings_again = self._ratings_again_all = False
        # the pipeline whose ratings the board holds, read since the last change that
        # could alter them all: a reload of that board (a filter, a search, F5) keeps them
        # rather than reading 10,000 again beside the user's next moves
        self._rated_pipeline: int | None = None
        self.board.reorderInSortedColumn.connect(self.offer_board_order)
        self.board.sortChanged.connect(self._remember_sort)
        self.board.cardsPainted.connect(self.firstPainted)
        self.filter_notice.clearRequested.connect(self.clear_filter)
        self.reader = BoardReader(self.services, self.board, workspace.window)
        self.reader.ready.connect(self._show_board)
        self._reselect: int | None = None  # the card chosen before a reload
        self._hidden_id: int | None = None  # the saved deal the filter notice speaks of
        self.actions_.restore(self.settings, self.services.location())
        self.load_now()

    # --- what the workspace asks of a page -------------------------------------------
    def page_actions(self) -> list[QAction]:
        return self.actions_.actions

    def page_menus(self) -> list[QMenu]:
        return self.actions_.menus

    def tool_bar(self) -> QToolBar | None:
        return self.actions_.tool_bar

    def import_kind(self) -> str | None:
        return "deals"

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        """Shows a change made anywhere: a move made here is on the board already; other
        changes are read card by card, or as a whole board when many deals changed."""
        self.proposals.recheck(changes)
        if changes.everything:  # weights, stages, another program's changes ...
            self._rated_pipeline = None
        if changes.everything or (origin is not self.controller
                                  and len(changes.deal_ids) > MANY_DEALS):
            self.actions_.fill_pipelines(self.pipeline_id())
            self.reload()
            return
        if origin is not self.controller:
            one = len(changes.deal_ids) == 1  # a deal saved in its form is shown, selected
            for deal_id in changes.deal_ids:
                self.controller.refresh_card(deal_id, show=one and self.isVisible())
        self.reader.recount(changes.stage_ids)
        self._update_status()
        if changes.deal_ids:  # their ratings, read a moment later
            self._ratings_changed |= changes.deal_ids
            self._ratings_timer.start()

    def store_settings(self) -> None:
        self.actions_.store(self.settings, self.services.location())

    def new_deal_place(self) -> tuple[int, int] | None:
        """Where a new deal goes: the selected card's stage while it is open, else the
        first stage of the pipeline shown (a deal never starts won or lost)."""
        board = self.board.board
        if board is None:
            return None
        current = self.board.current_card()
        opens = [s.id for s in board.pipeline.stages if s.is_open]
        stage_id = current.stage_id if current and current.stage_id in opens else opens[0]
        return board.pipeline.id, stage_id

    # --- reading the board -------------------------------------------------------------
    def pipeline_id(self) -> int:
        return int(self.actions_.pipeline.currentData() or 0)

    def load_now(self) -> None:
        """Reads the board on the GUI thread: when the page is first built, so that it
        paints with its first cards."""
        self.reader.read_now(self._request())

    def reload(self) -> None:
        """Reads the board again off the GUI thread (pipeline switch, stage edits, Won/Lost
        toggle); the board is disabled meanwhile so that nothing moves on a board about to
        be replaced. Emits boardLoaded when shown."""
        current = self.board.current_card()
        self._reselect = current.id if current is not None else None
        self.board.setEnabled(False)
        self.workspace.show_message(_(_LOADING))
        self.reader.read(self._request(), self._load_failed)

    def _loaded(self) -> None:
        """Clears "Loading the board…", and only that: a reload that follows an undo
        must not wipe the "Undone: …" it put there."""
        if self.workspace.window.statusBar().currentMessage() == _(_LOADING):
            self.workspace.show_message("")

    def _request(self) -> BoardRequest:
        pipeline_id = self.pipeline_id()
        # the first cards of a column in a rated order are read in board order
        sorts = {k: v for k, v in self._saved_sorts(pipeline_id).items()
                 if v not in RATED_SORTS}
        return BoardRequest(pipeline_id, self.actions_.show_closed.isChecked(),
                            self.actions_.owner_filter(), self.actions_.search.text(), sorts)

    def _load_failed(self, error: Exception) -> None:
        self.board.setEnabled(True)
        self._loaded()
        if not isinstance(error, FunnelDeskError):
            raise error
        show_error(self, error)

    def _saved_sorts(self, pipeline_id: int) -> dict[int, str]:
        saved = self.settings.get("board.sort").get(str(pipeline_id), {})
        return {int(k): str(v) for k, v in saved.items()}

    def _show_board(self, board: Board) -> None:
        self._loaded()
        self.board.set_sorts(self._saved_sorts(board.pipeline.id))
        self.board.show_board(board, self.actions_.show_closed.isChecked())
        if board.whole:  # else once every card is read (boardWhole)
            self.read_ratings()
        self.board.setEnabled(True)
        self.actions_.fill_owners(board.owners)
        self.apply_filter()
        if self._reselect is not None:  # the card chosen before a reload, scrolled to
            self.board.select(self._reselect, take_focus=True)
            self._reselect = None
        self.boardLoaded.emit()

    def read_ratings(self, changed: bool = False) -> None:
        """Reads each open deal's value score and win probability off the GUI thread
        (learning them reads every closed deal of the pipeline), once the board's first
        cards are painted: loading the ORM beside that paint would slow it."""
        if not self.board.cards_painted():
            if not self._ratings_wait:
                self._ratings_wait = True
                self.board.cardsPainted.connect(self._painted_then_rate,
                                                Qt.ConnectionType.SingleShotConnection)
            return
        if self._ratings_running:  # one read at a time; the latest changes read after
            self._ratings_again = True
            self._ratings_again_all |= not changed
            return
        pipeline_id, assessments = self.pipeline_id(), self.services.assessments
        if not changed and self._rated_pipeline == pipeline_id:
            self.board.set_ratings(dict(self.board.ratings))  # a rated sort sorts again
            self.ratingsRead.emit()
            return
        self._ratings_running, self._ratings_again = True, False
        # after changes, only the deals changed (the model is learned again only when
        # the closed history changed); the whole board after a read of the board
        deal_ids = frozenset(self._ratings_changed) if changed else None
        self._ratings_changed = set()

        def finished() -> None:
            self._ratings_running = False
            if self._ratings_again:
                everything, self._ratings_again_all = self._ratings_again_all, False
                self.read_ratings(changed=not everything)

        def shown(ratings: dict[int, DealRating]) -> None:
            if self.pipeline_id() == pipeline_id:
                if deal_ids is None:
                    self.board.set_ratings(ratings)
                    self._rated_pipeline = pipeline_id
                else:  # a deal moved away or closed has none any more
                    self.board.set_ratings({**{i: r for i, r in self.board.ratings.items()
                                               if i not in deal_ids}, **ratings})
                self.ratingsRead.emit()
            finished()

        def failed(error: Exception) -> None:
            finished()
            if not isinstance(error, FunnelDeskError):  # a fault, not the file: said
                raise error
            # the database busy or gone: the cards keep the ratings they show

        # the shared pool, which closing the window (and every test) waits for: a read
        # left running would use a database being closed
        run_in_background(lambda: assessments.ratings(pipeline_id, deal_ids), shown, failed,
                          owner=self)

    def _painted_then_rate(self) -> None:
        self._ratings_wait = False
        QTimer.singleShot(0, self, self.read_ratings)

    # --- the filter ---------------------------------------------------------------------
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

    def _update_status(self) -> None:
        shown, total = self.board.counts()
        if self.board.is_whole():
            text = ngettext("{n} deal shown", "{n} deals shown", shown)
        else:  # a search or sort chosen now applies once every card is read
            text = ngettext("{n} deal shown · reading the other cards…",
                            "{n} deals shown · reading the other cards…", shown)
        self.set_status_text(text.format(n=formatting.number(shown)))
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
        """A new deal in ``stage_id``, else where ``new_deal_place`` says."""
        board, place = self.board.board, self.new_deal_place()
        if board is None or place is None:
            return
        stage_id = place[1] if stage_id is None else stage_id
        stage = next((s for s in board.pipeline.stages if s.id == stage_id), None)
        destination = (stage.name, board.pipeline.name) if stage else None
        created = self.editor.new_deal(board.pipeline.id, stage_id, destination)
        if created is not None:
            self.offer_proposals(created)

    def deal_created(self, deal_id: int) -> None:
        # once the new-deal form has gone: the bar then takes its room from the board
        QTimer.singleShot(0, self, lambda: self.offer_proposals(deal_id))

    def offer_proposals(self, deal_id: int) -> None:
        """Offers what the deal's new stage proposes (read off the GUI thread: the move
        is painted first)."""
        self.proposals.offer(deal_id)

    def _proposals_shown(self, deal_id: int) -> None:
        """The bar took room from the board: the deal's card is scrolled to again."""
        layout = self.layout()
        assert layout is not None
        layout.activate()  # the board's new height, before it scrolls
        if self.board.find_card(deal_id) is not None:
            self.board.select(deal_id)

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
            self.editor.archive(card.id, True, card.version)

    def delete_current(self) -> None:
        card = self.board.current_card()
        if card is not None:
            self.editor.delete(card.id, card.version)

    def show_archived(self) -> None:
        board = self.board.board
        if board is None:
            return
        from funneldesk.ui.board.archived import ArchivedDealsDialog

        dialog = ArchivedDealsDialog(self.services.board.archived(board.pipeline.id),
                                     lambda deal: self.editor.archive(deal.id, False, deal.version),
                                     self)
        dialog.exec()

    def show_trash(self) -> None:
        from funneldesk.ui.board.trash import TrashDialog

        TrashDialog(self.services, self.actor,
                    lambda deal: self.editor.restore(deal.id, deal.version), self).exec()

    def open_current(self) -> None:
        card = self.board.current_card()
        if card is not None:
            self.open_deal(card.id)

    def activity_current(self, mode: str) -> None:
        card = self.board.current_card()
        if card is None:
            return
        if not may_change_deal(self.actor, card.owner_id):  # said now, not after the form
            self.workspace.show_message(
                _("Only the deal's owner or a manager can plan activities on it."))
            return
        self.activity_on(card.id, card.title, mode)

    def activity_on(self, deal_id: int, title: str, mode: str) -> None:
        """Plans (``mode`` "plan") or logs ("log") an activity on the deal."""
        open_dialog(self.workspace, mode,
                    target=Target(target_label("deal", title), deal_id=deal_id))

    def open_deal(self, deal_id: int) -> None:
        """The deal's form; then its card as saved now (the form read the deal afresh,
        and someone else may have changed it since the board did)."""
        self.editor.open(deal_id)
        self.controller.refresh_card(deal_id)

    def new_quote(self, deal_id: int) -> None:
        from funneldesk.ui.quotes.editor import new_quote

        new_quote(self.workspace, deal_id, self)

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
        menu.addAction(_("Open…"), lambda: self.open_deal(deal_id))
        mine = may_change_deal(self.actor, card.owner_id)
        # a colleague on the deal's team plans and logs on it too (one small read, on
        # the click that opens the menu)
        works_on = mine or self.services.deal_teams.is_on(deal_id, self.actor.id)
        menu.addAction(_("Plan activity…"), lambda: self.activity_on(
            deal_id, card.title, "plan")).setEnabled(works_on)
        menu.addAction(_("Log activity…"), lambda: self.activity_on(
            deal_id, card.title, "log")).setEnabled(works_on)
        menu.addAction(_("New quote…"), lambda: self.new_quote(deal_id)).setEnabled(works_on)
        move_to = menu.addMenu(_("Move to"))
        for stage in board.pipeline.stages:
            action = move_to.addAction(stage.name)
            action.setEnabled(stage.id != stage_id)
            action.triggered.connect(lambda _c=False, s=stage.id: self.controller.move(
                deal_id, card.version, s, None))
        menu.addSeparator()
        menu.addAction(_("Archive"), lambda: self.editor.archive(
            deal_id, True, card.version)).setEnabled(mine)
        menu.addAction(_("Delete"), lambda: self.editor.delete(
            deal_id, card.version)).setEnabled(mine)
        return menu


def _icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "board.svg"))


PAGE = PageSpec("board", lambda: _("Board"), _icon, BoardPage, ACTIONS)


class _Pages(Protocol):
    def page(self, key: str) -> Page: ...


def board_page(window: _Pages) -> BoardPage:
    """The board page of ``window``, built if it was never shown."""
    page = window.page(BoardPage.key)
    assert isinstance(page, BoardPage)
    return page
