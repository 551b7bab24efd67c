"""Receivables (应收): what signed contracts still owe, milestone by milestone, grouped per
customer or per rep, the overdue ones in red with their days late and each group's
outstanding and overdue sums."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.i18n import _, ngettext
from funneldesk.services.contracts.records import Receivable
from funneldesk.ui.common import record_table

CONTRACT_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE = QColor("#c62828")


def _sums(rows: list[Receivable], overdue: bool) -> str:
    by_currency: dict[str, Decimal] = {}
    for row in rows:
        if not overdue or row.overdue_days:
            by_currency[row.currency] = by_currency.get(row.currency, Decimal(0)) \
                + row.outstanding
    return "  ".join(formatting.money(v, k) for k, v in sorted(by_currency.items())) or "—"


class ReceivablesView(QWidget):
    contractChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Receivable] = []
        self.words = ""
        self.group = QComboBox()
        self.group.setAccessibleName(_("Group by"))
        self.group.addItem(_("Per customer"), "customer")
        self.group.addItem(_("Per rep"), "owner")
        self.group.currentIndexChanged.connect(lambda _i: self._fill())
        self.summary = QLabel()
        self.model = QStandardItemModel(self)
        self.tree = QTreeView()
        self.tree.setAccessibleName(_("Receivables"))
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        self.tree.activated.connect(self._activated)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Group:")))
        top.addWidget(self.group)
        top.addSpacing(12)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)

    def set_rows(self, rows: list[Receivable]) -> None:
        self.rows = rows
        self._fill()

    def set_words(self, words: str) -> None:
        """Shows only what is owed on contracts whose number, customer, rep or payment
        holds every word (the page's search box)."""
        self.words = words
        self._fill()

    def _shown(self) -> list[Receivable]:
        return [r for r in self.rows if record_table.holds_words(
            self.words, r.contract_number, r.customer, r.owner, r.label)]

    def _fill(self) -> None:
        self.model.removeRows(0, self.model.rowCount())  # not clear(): widths stay
        shown = self._shown()
        by = str(self.group.currentData() or "customer")
        self.model.setHorizontalHeaderLabels([
            _("Customer / contract") if by == "customer" else _("Rep / contract"),
            _("Payment"), _("Due"), _("Outstanding"), _("Overdue")])
        groups: dict[str, list[Receivable]] = {}
        for row in shown:
            key = (row.customer or _("(no customer)")) if by == "customer" else row.owner
            groups.setdefault(key, []).append(row)
        bold = QFont()
        bold.setBold(True)
        for name, rows in sorted(groups.items(), key=lambda g: -sum(
                r.overdue_days > 0 for r in g[1])):
            late = sum(1 for r in rows if r.overdue_days)
            head = [QStandardItem(name), QStandardItem(""), QStandardItem(""),
                    QStandardItem(_sums(rows, False)), QStandardItem(
                        _sums(rows, True) if late else "")]
            for item in head:
                item.setFont(bold)
            head[4].setForeground(OVERDUE)
            for row in rows:
                cells = [QStandardItem(row.contract_number if by == "customer"
                                       else f"{row.contract_number} · {row.customer}"),
                         QStandardItem(row.label),
                         QStandardItem(formatting.date(row.due_on) if row.due_on else "—"),
                         QStandardItem(formatting.money(row.outstanding, row.currency)),
                         QStandardItem(ngettext("{n} day late", "{n} days late",
                                                row.overdue_days).format(n=row.overdue_days)
                                       if row.overdue_days else "")]
                for cell in cells:
                    cell.setData(row.contract_id, CONTRACT_ROLE)
                if row.overdue_days:
                    for cell in cells[2:]:
                        cell.setForeground(OVERDUE)
                head[0].appendRow(cells)
            self.model.appendRow(head)
        self.tree.expandAll()
        record_table.fit_columns(self.tree, most=48)
        overdue = [r for r in shown if r.overdue_days]
        self.summary.setText(_("Outstanding: {all}   ·   of which overdue: {late}").format(
            all=_sums(shown, False), late=_sums(overdue, True)) if shown
            else _("Nothing owed matches the search.") if self.rows
            else _("Nothing is owed: every signed contract is paid."))

    def _activated(self, index: QModelIndex) -> None:
        contract = self.model.data(index, CONTRACT_ROLE)
        if isinstance(contract, int):
            self.contractChosen.emit(contract)
