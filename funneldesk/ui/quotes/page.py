"""The Quotes page: every quote, by state (drafts, those waiting for a manager's approval,
sent, accepted, rejected, expired), found by number, customer or deal; each opens in the
quote editor."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.enums import ApprovalState
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services.dto import ChangeSet
from funneldesk.services.quotes.records import QuoteSummary
from funneldesk.ui.common import record_table
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Page, Workspace
from funneldesk.ui.quotes import actions
from funneldesk.ui.quotes.list_model import ROW_ROLE, QuotesModel


def _states() -> tuple[tuple[str, str], ...]:
    return (("", _("All quotes")), ("approval", _("Waiting for approval")),
            ("draft", _("Drafts")), ("sent", _("Sent")), ("accepted", _("Accepted")),
            ("rejected", _("Rejected")), ("expired", _("Expired")))


def shown(row: QuoteSummary, state: str, words: str) -> bool:
    """Whether the row passes the page's filters."""
    if state == "approval":
        if not (row.needs_approval and not row.revision_sent
                and row.approval is ApprovalState.REQUESTED):
            return False
    elif state and row.state_code != state:
        return False
    return record_table.holds_words(words, row.number, row.title, row.company,
                                    row.deal_title, row.owner)


class QuotesPage(Page):
    key = "quotes"

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self._reading = 0
        self._all: list[QuoteSummary] | None = None  # None: not read yet
        self.model = QuotesModel()
        self.table = record_table.set_up(QTableView())
        self.table.setAccessibleName(_("Quotes"))
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.activated.connect(lambda _i: self.open_quote())
        self.table.customContextMenuRequested.connect(self._menu)
        # wide enough for a Chinese date (2026年12月29日) and "已发送；第 2 版起草中"
        for column, chars in enumerate((16, 26, 20, 26, 6, 34, 18, 10)):
            self.table.setColumnWidth(column, chars * self.fontMetrics().averageCharWidth())
        self.empty = record_table.empty_notice(self.table)
        self.state = QComboBox()
        self.state.setAccessibleName(_("State"))
        for code, label in _states():
            self.state.addItem(label, code)
        if workspace.actor.is_manager:  # what a manager looks at first
            self.state.setCurrentIndex(1)
        self.state.currentIndexChanged.connect(lambda _i: self._filter())
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Number, customer or deal"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Find quotes"))
        self.search.textChanged.connect(lambda _t: self._filter())
        self._actions = [self.make_action(actions.OPEN_QUOTE, self.open_quote),
                         self.make_action(actions.PREVIEW_QUOTE, self.preview),
                         self.make_action(actions.OPEN_QUOTE_DEAL, self.open_deal),
                         self.make_action(actions.RELOAD_QUOTES, self.reload)]
        self._tools = QToolBar(_("Quotes"))
        self._tools.setObjectName("quotes-tools")
        shown = _("Show:")
        self._tools.addWidget(QLabel(f" {shown} "))
        self._tools.addWidget(self.state)
        self._tools.addWidget(QLabel("  "))
        self._tools.addWidget(self.search)
        self._tools.addSeparator()
        for action in self._actions[:3]:
            self._tools.addAction(action)
        hint = record_table.page_hint(_(
            "A deal's quotes are made from its card (right-click ▸ New quote…). Double-click "
            "a quote to open it."))
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        self.reload()

    # --- the page's frame -----------------------------------------------------------
    def page_actions(self) -> list[QAction]:
        return self._actions

    def tool_bar(self) -> QToolBar:
        return self._tools

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        if changes.everything or changes.quote_ids or changes.deal_ids or changes.customers:
            self.reload_when_shown()

    # --- reading --------------------------------------------------------------------
    def reload(self) -> None:
        self._reading += 1
        reading, quotes = self._reading, self.workspace.services.quotes
        run_in_background(quotes.all, lambda rows: self._show(reading, rows), self._failed,
                          owner=self)

    def _show(self, reading: int, rows: list[QuoteSummary]) -> None:
        if reading != self._reading:
            return
        self._all = rows
        self._filter()
        self.firstPainted.emit()

    def _filter(self) -> None:
        if self._all is None:
            return  # the first read is under way: it filters when it comes
        chosen = self.current()
        state, words = str(self.state.currentData() or ""), self.search.text()
        rows = [row for row in self._all if shown(row, state, words)]
        self.model.set_rows(rows)
        if not self._all:
            self.empty.setText(_("No quotes yet. Right-click a deal's card on the board and "
                                 "choose New quote…"))
        else:
            self.empty.setText(_("No quote matches."))
        self.empty.setVisible(not rows)
        for number, row in enumerate(rows):
            if chosen is not None and row.id == chosen.id:
                self.table.selectRow(number)
                break
        self.set_status_text(ngettext("{n} quote", "{n} quotes", len(rows)).format(
            n=formatting.number(len(rows))))

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, FunnelDeskError):
            raise error
        show_error(self, error)

    # --- acting ---------------------------------------------------------------------
    def current(self) -> QuoteSummary | None:
        row = self.model.data(self.table.currentIndex(), ROW_ROLE)
        return row if isinstance(row, QuoteSummary) else None

    def _chosen(self) -> QuoteSummary | None:
        row = self.current()
        if row is None:
            self.workspace.show_message(_("Choose a quote first."))
        return row

    def open_quote(self) -> None:
        from funneldesk.ui.quotes.editor import open_quote

        row = self._chosen()
        if row is not None:
            open_quote(self.workspace, row.id, self)

    def preview(self) -> None:
        from funneldesk.ui.quotes.preview import preview_quote

        row = self._chosen()
        if row is not None:
            preview_quote(self.workspace, row.id, None, row.number, self)

    def open_deal(self) -> None:
        row = self._chosen()
        if row is not None:
            self.workspace.open_record("deal", row.deal_id)

    def _menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        menu = QMenu(self)
        for action in self._actions[:3]:
            menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(pos))
