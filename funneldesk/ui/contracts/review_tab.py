"""A contract's Review tab: the checklist (legal, finance, a manager ...), each item with
who may tick it and who ticked it when. The contract goes out for signature only when
every item is ticked by someone allowed to."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout, QWidget

from funneldesk import formatting
from funneldesk.enums import ContractState
from funneldesk.i18n import _
from funneldesk.services.contracts.records import ContractView, reviewer_label

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1


class ReviewTab(QWidget):
    ticked = Signal(int, bool)  # review item id, checked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(self)
        self.list = QListView()
        self.list.setAccessibleName(_("Review checklist"))
        self.list.setModel(self.model)
        self.state = QLabel()
        self.state.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.list, 1)
        self._filling = False
        self.model.itemChanged.connect(self._changed)

    def set_view(self, view: ContractView) -> None:
        self._filling = True
        self.model.clear()
        for item in view.reviews:
            who = reviewer_label(item.who)
            text = _("{label} — by {who}").format(label=item.label, who=who)
            if item.ticked and item.ticked_at is not None:
                text += "\n" + _("Ticked by {name}, {when}").format(
                    name=item.ticked_by, when=formatting.datetime(item.ticked_at))
                if item.note:
                    text += f" · {item.note}"
            row = QStandardItem(text)
            row.setEditable(False)
            row.setCheckable(True)
            row.setCheckState(Qt.CheckState.Checked if item.ticked else Qt.CheckState.Unchecked)
            if not (item.may_tick and view.state is ContractState.IN_REVIEW):
                row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
                if view.state is ContractState.IN_REVIEW:
                    row.setToolTip(_("Only a manager or the deal team's {role} may tick "
                                     "this item.").format(role=who))
            row.setData(item.id, ITEM_ROLE)
            self.model.appendRow(row)
        self._filling = False
        if view.state is ContractState.DRAFT:
            self.state.setText(_("The review starts when the draft is sent to review: its "
                                 "checklist comes from the team's contract settings."))
        elif view.state is ContractState.IN_REVIEW:
            left = sum(1 for r in view.reviews if not r.ticked)
            self.state.setText(_("Every item is ticked: the contract can be approved for "
                                 "signature.") if not left else
                               _("Tick the items you are allowed to: the contract goes out "
                                 "for signature once every one is ticked."))
        else:
            self.state.setText(_("The review as it was completed."))

    def _changed(self, item: QStandardItem) -> None:
        if not self._filling:
            self.ticked.emit(int(item.data(ITEM_ROLE)),
                             item.checkState() == Qt.CheckState.Checked)
