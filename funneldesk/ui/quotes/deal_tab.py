"""The deal form's Quotes tab: the deal's quotes (state, revision, options' totals), each
opened in the quote editor, and a new one made from here."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from funneldesk.i18n import _
from funneldesk.services.quotes.records import QuoteSummary
from funneldesk.ui.common import record_table
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.quotes.list_model import ROW_ROLE, QuotesModel


class DealQuotesTab(QWidget):
    # a quote's acceptance (or its reopening) set the deal's value: the new value
    dealValueChanged = Signal(object)

    def __init__(self, workspace: Workspace, deal_id: int, may_quote: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.deal_id = workspace, deal_id
        self.model = QuotesModel()
        self.table = record_table.set_up(QTableView())
        self.table.setAccessibleName(_("The deal's quotes"))
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.activated.connect(lambda _i: self.open_quote())
        for column in (1, 2, 7):  # the customer, the deal and the owner are this deal's
            self.table.setColumnHidden(column, True)
        chars = self.fontMetrics().averageCharWidth()
        for column, width in ((0, 16), (3, 26), (4, 6), (5, 34)):
            self.table.setColumnWidth(column, width * chars)
        self.empty = record_table.empty_notice(self.table)
        self.empty.setText(_("No quote yet."))
        self.new_button = QPushButton(_("New quote…"))
        self.new_button.setEnabled(may_quote)
        self.new_button.clicked.connect(self.new_quote)
        open_button = QPushButton(_("Open quote…"))
        open_button.clicked.connect(self.open_quote)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.reload()

    def reload(self) -> None:
        rows = self.workspace.services.quotes.for_deal(self.deal_id)
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)

    def _after_editor(self) -> None:
        before = [(row.id, row.state) for row in self.model.rows]
        self.reload()
        if before != [(row.id, row.state) for row in self.model.rows]:
            detail = self.workspace.services.deals.detail(self.deal_id)
            self.dealValueChanged.emit(detail.fields.value)

    def new_quote(self) -> None:
        from funneldesk.ui.quotes.editor import new_quote

        new_quote(self.workspace, self.deal_id, self)
        self._after_editor()

    def open_quote(self) -> None:
        from funneldesk.ui.quotes.editor import open_quote

        row = self.model.data(self.table.currentIndex(), ROW_ROLE)
        if isinstance(row, QuoteSummary):
            open_quote(self.workspace, row.id, self)
            self._after_editor()
