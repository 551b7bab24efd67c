"""The Contracts page: every contract one may read, by where it stands on its signing
path and whom it waits on (us, the reviewers, the customer), found by number, customer or
deal; and the receivables, per customer or per rep. Each contract opens in its window."""

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
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.enums import ContractState
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services.contracts.records import ContractSummary, Receivable
from funneldesk.services.dto import ChangeSet
from funneldesk.ui.common import record_table
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Page, Workspace
from funneldesk.ui.contracts import actions
from funneldesk.ui.contracts.list_model import ROW_ROLE, ContractsModel
from funneldesk.ui.contracts.receivables import ReceivablesView

S = ContractState
# filter -> the states it shows
GROUPS: dict[str, tuple[ContractState, ...]] = {
    "drafts": (S.DRAFT,),
    "review": (S.IN_REVIEW,), "customer": (S.SENT,),
    "signed": (S.SIGNED, S.SEALED, S.RETURNED, S.ARCHIVED), "archived": (S.ARCHIVED,),
    "cancelled": (S.CANCELLED,),
}


def _groups() -> tuple[tuple[str, str], ...]:
    return (("", _("All contracts")), ("mine", _("My deals' contracts")),
            ("us", _("Waiting on us")), ("drafts", _("Drafts")), ("review", _("In review")),
            ("customer", _("Waiting on the customer")), ("signed", _("Signed")),
            ("archived", _("Archived")), ("cancelled", _("Cancelled")))


def shown(row: ContractSummary, group: str, words: str, me: int) -> bool:
    if (group == "mine" and row.owner_id != me) or (group == "us" and not row.waits_on_us):
        return False
    if group in GROUPS and row.state not in GROUPS[group]:
        return False
    return record_table.holds_words(words, row.number, row.title, row.customer,
                                    row.deal_title, row.owner)


class ContractsPage(Page):
    key = "contracts"

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self._reading = 0
        self._all: list[ContractSummary] | None = None
        self.model = ContractsModel()
        self.table = record_table.set_up(QTableView())
        self.table.setAccessibleName(_("Contracts"))
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.activated.connect(lambda _i: self.open_contract())
        self.table.customContextMenuRequested.connect(self._menu)
        self.empty = record_table.empty_notice(self.table)
        self.group = QComboBox()
        self.group.setAccessibleName(_("Show"))
        for code, label in _groups():
            self.group.addItem(label, code)
        self.group.currentIndexChanged.connect(lambda _i: self._filter())
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Number, customer or deal"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Find contracts"))
        self.search.textChanged.connect(lambda _t: self._filter())
        self.receivables = ReceivablesView()
        self.receivables.contractChosen.connect(self._open_id)
        self.search.textChanged.connect(self.receivables.set_words)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, _("Contracts"))
        self.tabs.addTab(self.receivables, _("Receivables"))
        self.tabs.currentChanged.connect(self._tab_shown)
        self._actions = [self.make_action(actions.OPEN_CONTRACT, self.open_contract),
                         self.make_action(actions.NEW_CONTRACT, self.new_contract),
                         self.make_action(actions.PREVIEW_CONTRACT, self.preview),
                         self.make_action(actions.OPEN_CONTRACT_DEAL, self.open_deal),
                         self.make_action(actions.RELOAD_CONTRACTS, self.reload)]
        self._tools = QToolBar(_("Contracts"))
        self._tools.setObjectName("contracts-tools")
        show = _("Show:")
        self._tools.addWidget(QLabel(f" {show} "))
        self._tools.addWidget(self.group)
        self._tools.addWidget(QLabel("  "))
        self._tools.addWidget(self.search)
        self._tools.addSeparator()
        for action in self._actions[:3]:
            self._tools.addAction(action)
        hint = record_table.page_hint(_(
            "A contract is made from a quote the customer accepted. Double-click a contract "
            "to review it, record its signature and seal, and the money received."))
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.tabs, 1)
        self.reload()

    def _tab_shown(self, index: int) -> None:
        # the receivables are all signed contracts, grouped their own way: the search
        # box finds among them, the Show box has nothing to choose there
        contracts = index == 0
        self.group.setEnabled(contracts)
        self.group.setToolTip("" if contracts else _(
            "The receivables list what signed contracts still owe; group them below."))
        self.search.setPlaceholderText(_("Number, customer or deal") if contracts
                                       else _("Number, customer, rep or payment"))

    # --- the page's frame -----------------------------------------------------------
    def page_actions(self) -> list[QAction]:
        return self._actions

    def tool_bar(self) -> QToolBar:
        return self._tools

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        if changes.everything or changes.contract_ids or changes.deal_ids \
                or changes.customers or changes.quote_ids:
            self.reload_when_shown()

    # --- reading --------------------------------------------------------------------
    def reload(self) -> None:
        self._reading += 1
        reading, contracts, viewer = (self._reading, self.workspace.services.contracts,
                                      self.workspace.actor)

        def read() -> tuple[list[ContractSummary], list[Receivable]]:
            return contracts.all(viewer=viewer), contracts.receivables(viewer=viewer)

        run_in_background(read, lambda rows: self._show(reading, *rows), self._failed,
                          owner=self)

    def _show(self, reading: int, rows: list[ContractSummary],
              owed: list[Receivable]) -> None:
        if reading != self._reading:
            return
        self._all = rows
        self.receivables.set_rows(owed)
        late = sum(1 for r in owed if r.overdue_days)
        self.tabs.setTabText(1, ngettext("Receivables ({n} overdue)",
                                         "Receivables ({n} overdue)", late).format(n=late)
                             if late else _("Receivables"))
        self._filter()
        self.firstPainted.emit()

    def _filter(self) -> None:
        if self._all is None:
            return
        chosen = self.current()
        group, words = str(self.group.currentData() or ""), self.search.text()
        rows = [row for row in self._all
                if shown(row, group, words, self.workspace.actor.id)]
        self.model.set_rows(rows)
        record_table.fit_columns(self.table, narrow={1: 26, 2: 22})  # customer, deal
        self.empty.setText(_("No contracts yet. Open a quote the customer accepted and "
                             "choose Make contract…") if not self._all
                           else _("No contract matches."))
        self.empty.setVisible(not rows)
        for number, row in enumerate(rows):
            if chosen is not None and row.id == chosen.id:
                self.table.selectRow(number)
                break
        self.set_status_text(ngettext("{n} contract", "{n} contracts", len(rows)).format(
            n=formatting.number(len(rows))))

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, FunnelDeskError):
            raise error
        show_error(self, error)

    # --- acting ---------------------------------------------------------------------
    def current(self) -> ContractSummary | None:
        row = self.model.data(self.table.currentIndex(), ROW_ROLE)
        return row if isinstance(row, ContractSummary) else None

    def _chosen(self) -> ContractSummary | None:
        row = self.current()
        if row is None:
            self.workspace.show_message(_("Choose a contract first."))
        return row

    def open_contract(self) -> None:
        row = self._chosen()
        if row is not None:
            self._open_id(row.id)

    def _open_id(self, contract_id: int) -> None:
        from funneldesk.ui.contracts.contract_window import open_contract

        open_contract(self.workspace, contract_id, self)

    def new_contract(self) -> None:
        from funneldesk.ui.contracts.new_contract import choose_and_make

        choose_and_make(self.workspace, self)

    def preview(self) -> None:
        from funneldesk.ui.contracts.pdf import preview_contract

        row = self._chosen()
        if row is not None:
            preview_contract(self.workspace, row.id, row.number, self)

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
        for action in (self._actions[0], *self._actions[2:4]):
            menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(pos))
