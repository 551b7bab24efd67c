"""The Ctrl+K palette: one box that finds records of every area as the user types, and,
after '>', every action of every page by name with its shortcut.

Everything works from the keyboard: the focus stays in the box while Up, Down, Page Up
and Page Down move through the list; Enter opens the record (``recordChosen``) or runs
the action; Esc closes. The search runs on the GUI thread as the user types: the index
answers in a few milliseconds (benchmarks/search_figures.py measures it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QDialog, QLineEdit, QListView, QVBoxLayout, QWidget

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.common.search_index import normalise
from funneldesk.services.dto import Actor
from funneldesk.ui.shell.search_model import (
    PaletteDelegate,
    PaletteModel,
    PaletteRow,
    action_text,
)

ACTIONS_PREFIX = ">"
log = logging.getLogger(__name__)
_MOVES = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}
_PAGES = {Qt.Key.Key_PageUp: -1, Qt.Key.Key_PageDown: 1}


class SearchPalette(QDialog):
    recordChosen = Signal(str, int)  # kind, record id
    resultsShown = Signal()  # the list holds the rows of the text typed last

    def __init__(self, services: Services, actor: Actor, actions: Callable[[], list[QAction]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.offered = services, actor, actions
        self.setWindowTitle(_("Search"))
        # a box over the window, not a window of its own: no minimise or maximise
        self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint
                            | Qt.WindowType.WindowTitleHint | Qt.WindowType.WindowCloseButtonHint)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(_("Search deals, companies and contacts, or type > for actions"))
        self.edit.setClearButtonEnabled(True)
        self.model = PaletteModel()
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(PaletteDelegate(self.view))
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the box keeps the keyboard
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.edit)
        layout.addWidget(self.view)
        self.resize(QSize(620, 420))
        self.edit.textChanged.connect(self.refresh)
        self.edit.installEventFilter(self)
        self.view.clicked.connect(lambda index: self.choose(index.row()))
        self.refresh()

    def start(self, text: str = "") -> None:
        """Shows the palette with ``text`` in the box (the recent records when empty)."""
        if self.edit.text() == text:
            self.refresh()
        self.edit.setText(text)
        parent = self.parentWidget()
        if parent is not None:  # always in one place: centred near the window's top
            frame = parent.frameGeometry()
            self.move(frame.x() + (frame.width() - self.width()) // 2, frame.y() + 80)
        self.show()
        self.activateWindow()
        self.edit.setFocus()
        self.edit.deselect()  # typing goes on after a ">" already there
        self.edit.end(False)

    def refresh(self) -> None:
        text = self.edit.text()
        if text.startswith(ACTIONS_PREFIX):
            rows = self._action_rows(text[len(ACTIONS_PREFIX):])
        else:
            rows = self._record_rows(text)
        self.model.set_rows(rows)
        self._select(self._next_choosable(-1, 1))
        self.resultsShown.emit()

    def current_row(self) -> int:
        return self.view.currentIndex().row()

    def choose(self, row: int) -> None:
        """Opens the record or runs the action of ``row`` (Enter, or a click)."""
        chosen = self.model.row_at(row)
        if chosen is None or not chosen.choosable:
            return
        if chosen.hit is not None:
            self.accept()  # the opener notes the opening (search order), as from any page
            self.recordChosen.emit(chosen.hit.kind, chosen.hit.record_id)
        elif chosen.action is not None:
            self.accept()  # closed first: the action may open a dialog of its own
            chosen.action.trigger()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        if key in _MOVES:
            self._select(self._next_choosable(self.current_row(), _MOVES[key]))
            return True
        if key in _PAGES:
            self._page(_PAGES[key])
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.choose(self.current_row())
            return True
        return False

    def _record_rows(self, text: str) -> list[PaletteRow]:
        try:
            if not text.strip():
                hits = self.services.search.recent(by=self.actor)
                return [PaletteRow(hit=h) for h in hits] or [PaletteRow(message=_(
                    "Type to find deals, companies and contacts; type > to run an "
                    "action."))]
            hits = self.services.search.search(text, by=self.actor)
        except FunnelDeskError as error:  # the database is busy or gone: say so in the list
            return [PaletteRow(message=error.message())]
        return [PaletteRow(hit=h) for h in hits] or [PaletteRow(message=_(
            "Nothing found for “{text}”.").format(text=text.strip()))]

    def _action_rows(self, text: str) -> list[PaletteRow]:
        needle = normalise(text)
        found = []
        for action in self.offered():
            name = action_text(action)
            if action.isSeparator() or not action.isVisible() or not name:
                continue
            folded = normalise(name)
            if needle in folded:
                later = (not action.isEnabled(), not folded.startswith(needle))
                found.append((later, PaletteRow(action=action)))
        # what can run now first, names that start with the text first, else in order
        found.sort(key=lambda pair: pair[0])
        return [row for _later, row in found] or [PaletteRow(message=_(
            "No action is called “{text}”.").format(text=text.strip()))]

    def _next_choosable(self, row: int, step: int) -> int:
        """The first choosable row after ``row`` in the direction ``step``; ``row`` itself
        (or -1) when there is none."""
        candidate = row + step
        while 0 <= candidate < self.model.rowCount():
            found = self.model.row_at(candidate)
            if found is not None and found.choosable:
                return candidate
            candidate += step
        return row if row >= 0 and self.model.row_at(row) else -1

    def _page(self, step: int) -> None:
        rows = self.model.rowCount()
        height = max(1, self.view.sizeHintForRow(0))
        page = max(1, self.view.viewport().height() // height)
        target = min(max(self.current_row() + step * page, 0), rows - 1)
        choosable = self._next_choosable(target - step, step)
        if choosable < 0 or not (self.model.row_at(choosable) or PaletteRow()).choosable:
            choosable = self._next_choosable(target + step, -step)
        self._select(choosable)

    def _select(self, row: int) -> None:
        if row < 0:
            self.view.setCurrentIndex(self.model.index(-1, 0))
            return
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
