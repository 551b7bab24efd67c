"""Keeps a jump in the deals list from painting the whole screen twice.

A jump (the scroll bar dragged or clicked far, Ctrl+End, a scroll to a row) lands on rows
whose page has not been read: the table paints "…" in every row, then, when the page
comes, every cell again. That first paint costs about as much as reading a page near
either end of the list, and the two want the interpreter at the same time, each slowing
the other. So for at most HOLD_MS after such a jump, the rows it left stay on screen
while the page is read: one that comes by then is painted once, with its rows; a slower
one (the middle of a long list, an order no index serves) shows "…" as before.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QTableView

from funneldesk.ui.deals.model import DealsTableModel

# the rows a jump left stay at most this long (a page near either end comes in about
# 10 ms; the middle of the list, or its end in an order no index serves, takes 0.1-1 s)
HOLD_MS = 50


class JumpHold(QObject):
    def __init__(self, view: QTableView, model: DealsTableModel) -> None:
        super().__init__(view)
        self._view, self._model = view, model
        self._holding = False
        self._first = view.rowAt(0)  # the first row shown before the last scroll
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(HOLD_MS)
        self._timer.timeout.connect(self._release)
        view.viewport().installEventFilter(self)
        # connected after the view's own slots: the view has scrolled when this runs
        view.verticalScrollBar().valueChanged.connect(self._scrolled)
        model.pageLoaded.connect(self._page_came)
        model.modelReset.connect(self._release)

    def _shown(self) -> tuple[int, int]:
        """The first and last rows on screen (the first -1 when none)."""
        first = self._view.rowAt(0)
        last = self._view.rowAt(self._view.viewport().height() - 1)
        return first, (last if last >= 0 else self._model.rowCount() - 1)

    def _unread(self, first: int, last: int) -> bool:
        # the rows between lie in the pages of these two (a screen is shorter than a page)
        return self._model.deal_at(first) is None and self._model.deal_at(last) is None

    def _scrolled(self, _value: int) -> None:
        before = self._first
        first, last = self._shown()
        self._first = first
        # a shorter scroll keeps some rows on screen and moves their pixels: the strip it
        # uncovers must be painted at once
        jumped = before < 0 or abs(first - before) > last - first
        if self._holding:
            if not jumped:
                self._release()
            return  # a jump while held (the scroll bar dragged on) waits for the same end
        if (not jumped or first < 0 or not self._view.viewport().isVisible()
                or not self._unread(first, last)):
            return
        self._model.row_texts(first)  # asks for the pages now rather than at the paint
        self._model.row_texts(last)
        viewport = self._view.viewport()
        # no background is filled under a paint that is skipped: the old rows stay
        viewport.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._holding = True
        self._timer.start()

    def _page_came(self, _page: int) -> None:
        if self._holding:
            first, last = self._shown()
            if self._model.deal_at(first) is not None and self._model.deal_at(last) is not None:
                self._release()

    def _release(self) -> None:
        if not self._holding:
            return
        self._holding = False
        self._timer.stop()
        viewport = self._view.viewport()
        viewport.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        viewport.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._holding and watched is self._view.viewport():
            if event.type() == QEvent.Type.Paint:
                return True  # skipped: painted in full once released
            if event.type() == QEvent.Type.Resize:  # no old rows to show where it grew
                self._release()
        return False
