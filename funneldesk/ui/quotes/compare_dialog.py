"""Two revisions of a quote side by side: every price, discount, quantity, item and term
that changed, each option's total before and after, and what the negotiation cost."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from funneldesk.i18n import N_, _
from funneldesk.services.quotes.records import Comparison, QuoteView
from funneldesk.ui.common import record_table
from funneldesk.ui.common.page import Workspace

KINDS = {"price": N_("Unit price"), "discount": N_("Discount"), "quantity": N_("Quantity"),
         "line_added": N_("Line added"), "line_removed": N_("Line removed"),
         "option_added": N_("Option added"), "option_removed": N_("Option removed"),
         "total": N_("Option total"), "valid_until": N_("Valid until"),
         "payment_terms": N_("Payment terms"), "delivery_terms": N_("Delivery"),
         "notes": N_("Notes")}


class CompareDialog(QDialog):
    def __init__(self, workspace: Workspace, quote: QuoteView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quotes, self.quote = workspace.services.quotes, quote
        self.setWindowTitle(_("Compare revisions of {number}").format(number=quote.number))
        self.resize(900, 520)
        self.older, self.newer = QComboBox(), QComboBox()
        self.older.setAccessibleName(_("Older revision"))
        self.newer.setAccessibleName(_("Newer revision"))
        for number in quote.revisions:
            self.older.addItem(str(number), number)
            self.newer.addItem(str(number), number)
        self.older.setCurrentIndex(max(len(quote.revisions) - 2, 0))
        self.newer.setCurrentIndex(len(quote.revisions) - 1)
        self.model = QStandardItemModel()
        self.table = record_table.set_up(QTableView())
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        choose = QHBoxLayout()
        choose.addWidget(QLabel(_("Revision")))
        choose.addWidget(self.older)
        choose.addWidget(QLabel("→"))
        choose.addWidget(self.newer)
        choose.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        for combo in (self.older, self.newer):
            combo.currentIndexChanged.connect(lambda _i: self.show_comparison())
        self.show_comparison()

    def show_comparison(self) -> None:
        older, newer = int(self.older.currentData()), int(self.newer.currentData())
        self.model.clear()
        self.model.setHorizontalHeaderLabels([_("What"), _("Option"), _("Item"), _("Before"),
                                              _("After")])
        if older == newer:
            self.summary.setText(_("Choose two different revisions."))
            return
        comparison = self.quotes.compare(self.quote.id, min(older, newer), max(older, newer))
        for difference in comparison.differences:
            self.model.appendRow([QStandardItem(text) for text in (
                _(KINDS.get(difference.kind, difference.kind)), difference.option,
                difference.item, difference.before, difference.after)])
        chars = self.fontMetrics().averageCharWidth()
        for column, width in enumerate((16, 14, 24, 22)):
            self.table.setColumnWidth(column, width * chars)
        self.summary.setText(self._summary(comparison))

    def _summary(self, comparison: Comparison) -> str:
        if not comparison.differences:
            return _("Nothing changed between these revisions.")
        cost = comparison.concessions
        if cost > 0:
            return _("From revision {older} to {newer}, the options the two share came down "
                     "by {amount} {currency} in all.").format(
                older=comparison.older, newer=comparison.newer, amount=f"{cost:,.2f}",
                currency=comparison.currency)
        if cost < 0:
            return _("From revision {older} to {newer}, the options the two share went up "
                     "by {amount} {currency} in all.").format(
                older=comparison.older, newer=comparison.newer, amount=f"{-cost:,.2f}",
                currency=comparison.currency)
        return _("The totals of the options the two share did not change.")
