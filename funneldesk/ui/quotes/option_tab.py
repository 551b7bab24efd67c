"""One option of the quote editor: its lines' table, the buttons that add and remove
lines, its live totals (with the amount in capital numerals for CNY) and margin, and the
mark of what is below the floor or the minimum margin."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from funneldesk.capitals import capitals
from funneldesk.i18n import _, ngettext
from funneldesk.services.quotes.records import CatalogueItem
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.quotes.lines_model import (
    DESCRIPTION,
    DISCOUNT,
    PRICE,
    PRODUCT,
    QUANTITY,
    EditLine,
    LinesModel,
    ProductDelegate,
    cents,
)


class OptionTab(QWidget):
    priced = Signal()

    def __init__(self, name: str, catalogue: dict[int, CatalogueItem], include_tax: bool,
                 min_margin: Decimal | None, lines: list[EditLine], editable: bool,
                 currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name, self.currency = name, currency
        self.model = LinesModel(catalogue, include_tax, min_margin, lines, editable)
        self.table = QTableView()
        self.table.setAccessibleName(_("Lines of {option}").format(option=name))
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(PRODUCT, ProductDelegate(self.model, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        chars = self.fontMetrics().averageCharWidth()
        for column, width in enumerate((34, 24, 7, 8, 14, 12, 15, 14)):
            self.table.setColumnWidth(column, width * chars)
        self.table.horizontalHeader().setSectionResizeMode(DESCRIPTION,
                                                           QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.problem = ErrorLabel()
        self.model.refused.connect(self.problem.show_message)
        self.model.priced.connect(self._priced)
        self.add_button = QPushButton(_("Add line"))
        self.remove_button = QPushButton(_("Remove line"))
        self.add_button.clicked.connect(self.add_line)
        self.remove_button.clicked.connect(self.remove_line)
        for button in (self.add_button, self.remove_button):
            button.setEnabled(editable)
            button.setAutoDefault(False)  # Enter in the table adds or removes nothing
        self.totals = QLabel()
        self.totals.setAccessibleName(_("Totals"))
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #c62828")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.totals)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        layout.addWidget(self.words)
        layout.addWidget(self.warning)
        self._priced()

    def add_line(self) -> None:
        row = self.model.add_line()
        self.table.setCurrentIndex(self.model.index(row, PRODUCT))
        self.table.edit(self.model.index(row, PRODUCT))

    def remove_line(self) -> None:
        self.model.remove_line(self.table.currentIndex().row())

    def show_problem(self, row: int, column_name: str, text: str) -> None:
        """A problem the service found in a cell: that cell chosen, the text under it."""
        column = {"product": PRODUCT, "quantity": QUANTITY, "unit_price": PRICE,
                  "discount": DISCOUNT, "description": DESCRIPTION}.get(column_name, PRODUCT)
        self.table.setCurrentIndex(self.model.index(row, column))
        self.problem.show_message(text)

    def _priced(self) -> None:
        self.problem.show_message("")
        amounts = self.model.amounts()
        parts = []
        if not self.model.include_tax:
            parts.append(_("Subtotal {amount}").format(amount=cents(amounts.subtotal)))
        parts.append((_("of which tax {amount}") if self.model.include_tax
                      else _("Tax {amount}")).format(amount=cents(amounts.tax)))
        parts.append(_("Total {currency} {amount}").format(currency=self.currency,
                                                          amount=cents(amounts.total)))
        if amounts.margin is not None:
            parts.append(_("Margin {percent}").format(
                percent=f"{amounts.margin * 100:.1f}%"))
        self.totals.setText("   ".join(parts))
        self.words.setText(_("In words: {amount}").format(amount=capitals(amounts.total))
                           if self.currency == "CNY" and amounts.lines else "")
        warnings = []
        if amounts.below_floor:
            warnings.append(ngettext("{n} line is below its floor price.",
                                     "{n} lines are below their floor price.",
                                     amounts.below_floor).format(n=amounts.below_floor))
        if amounts.below_margin and amounts.margin is not None:
            warnings.append(_("The margin ({percent}) is below the minimum of {minimum}.")
                            .format(percent=f"{amounts.margin * 100:.1f}%",
                                    minimum=f"{self.model.min_margin}%"))
        self.warning.setText(" ".join(warnings))
        self.warning.setVisible(bool(warnings))
        self.priced.emit()
