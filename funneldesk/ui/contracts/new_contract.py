"""A new contract, made from a quote the customer accepted: from the quote itself, or
chosen among the accepted quotes that have none yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services.contracts.records import Candidate, ContractResult
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Workspace


def make_contract(workspace: Workspace, quote_id: int, parent: QWidget | None = None) -> None:
    """Makes the contract (undone by deleting the draft) and opens it."""
    contracts, actor, runner = workspace.services.contracts, workspace.actor, workspace.runner

    def undo(result: ContractResult) -> ContractResult:
        return contracts.delete_draft(result.contract.id, expected_version=runner.own_version(
            ("contract", result.contract.id), result.contract.version), by=actor)

    made = runner.run(_("Make contract"), lambda: contracts.create(quote_id, by=actor),
                      undo=undo, redo=lambda _undone: contracts.create(quote_id, by=actor),
                      versions=lambda r: [(("contract", r.contract.id), r.contract.version)],
                      parent=parent)
    if made is not None:
        from funneldesk.ui.contracts.contract_window import open_contract

        open_contract(workspace, made.contract.id, parent, made.schedule_note)


class ChooseQuote(QDialog):
    def __init__(self, candidates: list[Candidate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New contract"))
        self.resize(560, 380)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Accepted quotes"))
        for c in candidates:
            item = QListWidgetItem(
                f"{c.quote_number} · {c.customer or c.deal_title} · {c.option} · "
                f"{formatting.money(c.total, c.currency)}")
            item.setData(Qt.ItemDataRole.UserRole, c.quote_id)
            self.list.addItem(item)
        if candidates:
            self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _i: self.accept())
        intro = QLabel(_("Choose the quote the customer accepted: the contract takes its "
                         "chosen option, its customer and its terms.") if candidates else
                       _("No accepted quote is waiting for a contract. Record the "
                         "customer's choice on a quote first (Quotes page ▸ Open quote ▸ "
                         "Accepted…)."))
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        make = buttons.addButton(_("Make contract"), QDialogButtonBox.ButtonRole.AcceptRole)
        make.setEnabled(bool(candidates))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def quote_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None


def choose_and_make(workspace: Workspace, parent: QWidget | None = None) -> None:
    try:
        candidates = workspace.services.contracts.candidates(viewer=workspace.actor)
    except FunnelDeskError as error:
        show_error(parent or workspace.window, error)
        return
    dialog = ChooseQuote(candidates, parent or workspace.window)
    if dialog.exec() and dialog.quote_id() is not None:
        make_contract(workspace, int(dialog.quote_id() or 0), parent)
