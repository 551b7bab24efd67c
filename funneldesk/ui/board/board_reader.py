"""Reads the board for the window in two steps: each column's first cards with the counts
and totals of all its cards (painted at once), then every card off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMainWindow

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.dto import Board
from funneldesk.ui.board.board_widget import BoardWidget
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_error

# every card is read once the first ones are painted (a read beside that paint slows it
# down), or after this long if nothing is painted (a filter that shows no card, a window
# still hidden)
WHOLE_READ_FALLBACK_MS = 500
WHOLE_READ_RETRY_MS = 5000


@dataclass(frozen=True)
class BoardRequest:
    """Which board to read, and how its columns are shown (their first cards follow)."""

    pipeline_id: int
    include_closed: bool
    owner_id: int
    search: str
    sorts: dict[int, str]


class BoardReader(QObject):
    """Emits ``ready`` with each board to show; a newer request supersedes older ones,
    whose results are dropped."""

    ready = Signal(object)  # Board

    def __init__(self, services: Services, board: BoardWidget, window: QMainWindow) -> None:
        super().__init__(window)
        self.services, self.board, self.window = services, board, window
        self._requests = 0
        self._whole_read = 0  # the last request whose every card is being or was read

    def read_now(self, request: BoardRequest) -> None:
        """Reads on the GUI thread: at start-up, before the window shows."""
        self._requests += 1
        try:
            board = self._first_read(request)()
        except FunnelDeskError as error:
            show_error(self.window, error)
            return
        self._shown(board, request)

    def read(self, request: BoardRequest, failed: Callable[[Exception], None]) -> None:
        """Reads off the GUI thread; ``failed`` hears of an error."""
        self._requests += 1
        ticket = self._requests

        def done(board: Board) -> None:
            if ticket == self._requests:
                self._shown(board, request)

        run_in_background(self._first_read(request), done, failed)

    def _first_read(self, request: BoardRequest) -> Callable[[], Board]:
        """Each column's first cards, or every card while a search is on (a search looks
        at every card)."""
        board = self.services.board
        if request.search.strip():
            return lambda: board.load(request.pipeline_id, include_closed=request.include_closed)
        return lambda: board.start(request.pipeline_id, include_closed=request.include_closed,
                                   owner_id=request.owner_id, sorts=request.sorts)

    def _shown(self, board: Board, request: BoardRequest) -> None:
        self.ready.emit(board)
        if board.whole:
            return
        ticket = self._requests
        self.board.cardsPainted.connect(lambda: self._read_whole(ticket, request),
                                        Qt.ConnectionType.SingleShotConnection)
        QTimer.singleShot(WHOLE_READ_FALLBACK_MS, self,
                          lambda: self._read_whole(ticket, request))

    def _read_whole(self, ticket: int, request: BoardRequest, again: bool = False) -> None:
        """Reads every card off the GUI thread and hands them to the columns shown with
        their first cards; a change shown meanwhile may be missing from that read, which
        is then made again, and a failed read is tried again."""
        if ticket != self._requests or (ticket == self._whole_read and not again):
            return  # superseded by a newer board, or already under way
        self._whole_read = ticket
        changes = self.board.changes

        def done(board: Board) -> None:
            if ticket != self._requests:
                return
            if changes != self.board.changes:
                self._read_whole(ticket, request, again=True)
            elif not self.board.complete(board):  # another pipeline or stages meanwhile
                self.ready.emit(board)

        def failed(error: Exception) -> None:
            if not isinstance(error, FunnelDeskError):
                raise error
            if ticket != self._requests:
                return
            # the first cards stay usable; a search or sort waits for the next attempt
            self._whole_read = 0
            self.window.statusBar().showMessage(_(
                "Reading the other cards failed: {error} FunnelDesk tries again in a few "
                "seconds.").format(error=error.message()), WHOLE_READ_RETRY_MS)
            QTimer.singleShot(WHOLE_READ_RETRY_MS, self,
                              lambda: self._read_whole(ticket, request))

        run_in_background(
            lambda: self.services.board.load(request.pipeline_id,
                                             include_closed=request.include_closed),
            done, failed)

    def recount(self, stage_ids: frozenset[int]) -> None:
        """Reads again the counts and totals of the changed columns that hold only their
        first cards: a change may have taken a card from below them, which they cannot
        count themselves."""
        board = self.board.board
        partial = {i: c for i, c in self.board.columns.items()
                   if i in stage_ids and not c.model.is_whole()}
        if board is None or not partial:
            return
        stages = [s for s in board.pipeline.stages if s.id in partial]
        owner = next(iter(partial.values())).model.start_owner()
        try:
            sums = self.services.board.column_sums(stages, owner_id=owner)
        except FunnelDeskError:
            return  # the counts catch up when every card is read
        for stage_id, column in partial.items():
            column.model.restart(sums[stage_id])
