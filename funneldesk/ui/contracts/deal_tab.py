"""The deal form's Contracts tab: the deal's contracts (state, whom each waits on, amount
and money received), each opened in its window, a new one made from the deal's accepted
quote, and below them the money, service commitments and return visits."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from funneldesk.i18n import _
from funneldesk.services.contracts.records import ContractSummary
from funneldesk.ui.common import record_table
from funneldesk.ui.common.page import Workspace
from funneldesk.ui.contracts.after_sales_html import after_sales_html
from funneldesk.ui.contracts.list_model import ROW_ROLE, ContractsModel


class DealContractsTab(QWidget):
    def __init__(self, workspace: Workspace, deal_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.deal_id = workspace, deal_id
        self.model = ContractsModel()
        self.table = record_table.set_up(QTableView())
        self.table.setAccessibleName(_("The deal's contracts"))
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.activated.connect(lambda _i: self.open_contract())
        for column in (1, 2, 8):  # the customer, the deal and the owner are this deal's
            self.table.setColumnHidden(column, True)
        self.empty = record_table.empty_notice(self.table)
        self.empty.setText(_("No contract yet: one is made from the quote the customer "
                             "accepted."))
        self.new_button = QPushButton(_("Make contract…"))
        self.new_button.clicked.connect(self.new_contract)
        open_button = QPushButton(_("Open contract…"))
        open_button.clicked.connect(self.open_contract)
        self.after = QTextBrowser()
        self.after.setAccessibleName(_("Contracts and after-sales"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.after, 1)
        self.reload()

    def reload(self) -> None:
        services, actor = self.workspace.services, self.workspace.actor
        rows = services.contracts.for_deal(self.deal_id, viewer=actor)
        self.model.set_rows(rows)
        record_table.fit_columns(self.table)
        self.empty.setVisible(not rows)
        self.candidates = [c for c in services.contracts.candidates(viewer=actor)
                           if c.deal_id == self.deal_id]
        self.new_button.setEnabled(bool(self.candidates))
        self.new_button.setToolTip("" if self.candidates else _(
            "A contract is made from a quote of this deal that the customer accepted."))
        self.after.setHtml(after_sales_html(services.after_sales.for_deal(
            self.deal_id, viewer=actor)) or "")

    def new_contract(self) -> None:
        from funneldesk.ui.contracts.new_contract import make_contract

        if self.candidates:
            make_contract(self.workspace, self.candidates[0].quote_id, self)
            self.reload()

    def open_contract(self) -> None:
        from funneldesk.ui.contracts.contract_window import open_contract

        row = self.model.data(self.table.currentIndex(), ROW_ROLE)
        if isinstance(row, ContractSummary):
            open_contract(self.workspace, row.id, self)
            self.reload()
