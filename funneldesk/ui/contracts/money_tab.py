"""A contract's Payments tab: the schedule (each payment a share of the amount or a fixed
sum, with its due day; edited while a draft), what was received against each milestone
(回款) and what is still outstanding, and the payments recorded, with who recorded them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.enums import ContractState
from funneldesk.errors import FunnelDeskError, InvalidInput
from funneldesk.i18n import _
from funneldesk.money import round_cents
from funneldesk.services.contracts.records import ContractView, MilestoneDraft, MilestoneView
from funneldesk.services.contracts.schedule import schedule_amounts
from funneldesk.ui.common.error_label import ErrorLabel, cleared_when_edited, show_refusal
from funneldesk.ui.common.fields import DateField, day_of, long_year_format

OVERDUE = QColor("#c62828")
PAYMENT_ROLE = Qt.ItemDataRole.UserRole + 1


_TOO_BIG = Decimal(10) ** 15  # beyond any contract: the arithmetic stays exact


class DueDelegate(QStyledItemDelegate):
    """A due date read as every date of the app is ("Sep 17, 2026", "2026年9月17日"),
    and edited with its year in four digits beside a calendar."""

    def displayText(self, value: object, locale: QLocale | QLocale.Language) -> str:
        if isinstance(value, QDate) and value.isValid():
            return formatting.date(day_of(value))
        return super().displayText(value, locale)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = QDateEdit(parent)
        editor.setDisplayFormat(long_year_format())
        editor.setCalendarPopup(True)
        return editor


def _decimal(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", "").replace("%", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise InvalidInput("milestones", _("“{text}” is not a number.").format(text=text))
    if abs(value) >= _TOO_BIG:  # 1e30: no contract's sum
        raise InvalidInput("milestones", _("“{text}” is too large for a payment.").format(
            text=text))
    return value


class MoneyTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: ContractView | None = None
        self.schedule = QStandardItemModel(0, 6, self)
        self.table = QTableView()
        self.table.setAccessibleName(_("Payment schedule"))
        self.table.setModel(self.schedule)
        self.table.setItemDelegateForColumn(1, DueDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.payments = QStandardItemModel(0, 6, self)
        self.paid = QTableView()
        self.paid.setAccessibleName(_("Payments received"))
        self.paid.setModel(self.payments)
        self.paid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.paid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for view in (self.table, self.paid):
            view.verticalHeader().hide()
            # the payment's name takes the room left: it is the longest text
            view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(_("Add payment"))
        self.add_button.clicked.connect(lambda: self._add_row(None))
        self.remove_button = QPushButton(_("Remove payment"))
        self.remove_button.clicked.connect(self._remove_row)
        self.receive_button = QPushButton(_("Record money received…"))
        self.take_back_button = QPushButton(_("Take back payment"))
        self.error = ErrorLabel()
        self.totals = QLabel()
        self._recounting = False
        self.schedule.itemChanged.connect(self._recount)
        edit = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            edit.addWidget(button)
        edit.addStretch(1)
        edit.addWidget(self.receive_button)
        edit.addWidget(self.take_back_button)
        self.notice = QLabel()  # how a new contract's schedule was read, once
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: palette(alternate-base); padding: 6px")
        self.notice.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(QLabel(_("Payment schedule (a share in percent, or a fixed "
                                  "amount; the shares take the rounding):")))
        layout.addWidget(self.table, 2)
        layout.addWidget(self.error)
        layout.addLayout(edit)
        layout.addWidget(self.totals)
        layout.addWidget(QLabel(_("Payments received:")))
        layout.addWidget(self.paid, 1)

    def set_view(self, view: ContractView, editable: bool, may_receive: bool) -> None:
        self.view = view
        self.error.show_message("")
        self.schedule.setRowCount(0)
        self.schedule.setHorizontalHeaderLabels([
            _("Payment"), _("Due"), _("Share %"), _("Amount"), _("Received"),
            _("Outstanding")])
        for milestone in view.milestones:
            self._add_row(milestone)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers if editable
                                   else QAbstractItemView.EditTrigger.NoEditTriggers)
        self.add_button.setVisible(editable)
        self.remove_button.setVisible(editable)
        self._widths()
        self.receive_button.setVisible(may_receive)
        self.take_back_button.setVisible(may_receive)
        currency = view.summary.currency
        self.payments.setRowCount(0)
        self.payments.setHorizontalHeaderLabels([
            _("Payment"), _("Received on"), _("Amount"), _("Method"), _("Reference"),
            _("Recorded by")])
        for milestone in view.milestones:
            for p in milestone.payments:
                cells = [QStandardItem(text) for text in (
                    milestone.label, formatting.date(p.received_on),
                    formatting.money(p.amount, currency), p.method, p.reference,
                    p.recorded_by)]
                cells[0].setData(p.id, PAYMENT_ROLE)
                self.payments.appendRow(cells)
        self._widths()
        received = view.summary.received
        self.totals.setText(_("Contract {amount} · received {received} · outstanding "
                              "{outstanding}").format(
            amount=formatting.money(view.summary.amount, currency),
            received=formatting.money(received, currency),
            outstanding=formatting.money(view.summary.amount - received, currency)))

    def _widths(self) -> None:
        """Wide enough for a Chinese date (2026年12月29日) and a sum in the millions; set
        after each fill, since a model's reset forgets them."""
        chars = self.fontMetrics().averageCharWidth()
        for view, widths in ((self.table, (28, 18, 10, 18, 18, 18)),
                             (self.paid, (28, 20, 18, 18, 24, 12))):
            for column, width in enumerate(widths):
                view.setColumnWidth(column, width * chars)

    def _add_row(self, milestone: MilestoneView | None) -> None:
        currency = self.view.summary.currency if self.view is not None else ""
        today = dt.date.today()
        label = QStandardItem(milestone.label if milestone else _("Payment"))
        due = QStandardItem()
        when = milestone.due_on if milestone else today + dt.timedelta(days=30)
        if when is not None:
            due.setData(QDate(when.year, when.month, when.day), Qt.ItemDataRole.EditRole)
        share = QStandardItem(f"{milestone.percent.normalize():f}" if milestone
                              and milestone.percent is not None else "")
        amount = QStandardItem(f"{milestone.amount:,.2f}" if milestone
                               and milestone.percent is None else "")
        if milestone is not None and milestone.percent is not None:
            amount.setText(f"{milestone.amount:,.2f}")
            self._mark_amount(amount, of_share=True)
        received = QStandardItem(formatting.money(milestone.received, currency)
                                 if milestone else "")
        outstanding = QStandardItem(formatting.money(milestone.outstanding, currency)
                                    if milestone else "")
        for cell in (received, outstanding):
            cell.setEditable(False)
        if milestone is not None and milestone.overdue(today):
            outstanding.setForeground(OVERDUE)
            outstanding.setToolTip(_("Overdue"))
        self.schedule.appendRow([label, due, share, amount, received, outstanding])

    def _remove_row(self) -> None:
        row = self.table.currentIndex().row()
        if row >= 0:
            self.schedule.removeRow(row)
            self._recount(None)

    def _recount(self, item: QStandardItem | None) -> None:
        """As a share is typed its amount follows; an amount typed over a share fixes
        that amount instead; and what the schedule comes to is said at once, by the rule
        the save keeps (the refusal goes when the sums are right)."""
        if self._recounting or self.view is None:
            return
        self._recounting = True
        try:
            if item is not None and item.column() == 3:
                self._fixed_amount(item.row())
            amount = self.schedule.item(item.row(), 3) if item is not None else None
            if item is not None and item.column() == 2 and not item.text().strip() \
                    and amount is not None:  # the share's amount stays, as a fixed one
                self._mark_amount(amount, of_share=False)
            self._say_sum(self.view.summary.amount)
        finally:
            self._recounting = False

    def _fixed_amount(self, row: int) -> None:
        share, amount = self.schedule.item(row, 2), self.schedule.item(row, 3)
        if share is None or amount is None or not share.text().strip():
            return
        share.setText("")
        self._mark_amount(amount, of_share=False)

    def _mark_amount(self, amount: QStandardItem, *, of_share: bool) -> None:
        if of_share:  # the share's amount, grey: typing over it fixes an amount instead
            amount.setForeground(QColor("#8a94a1"))
            amount.setToolTip(_("The share's amount. Type an amount over it to fix that "
                                "amount instead."))
        else:
            amount.setForeground(self.palette().text())
            amount.setToolTip("")

    def _say_sum(self, total: Decimal) -> None:
        try:
            drafts = self.milestones()
        except InvalidInput as error:
            self.error.show_message(error.reason)
            return
        # each share's amount as it will be saved (the last share taking the cent that
        # rounding leaves); while the shares do not add up, each rounded as the save does
        try:
            shown = [value if draft.percent is not None else None
                     for draft, value in schedule_amounts(drafts, total)]
            self.error.show_message("")
        except InvalidInput as error:
            self.error.show_message(error.reason)
            shown = [round_cents(total * d.percent / 100)
                     if d.percent is not None and 0 <= d.percent <= 100 else None
                     for d in drafts]
        currency = self.view.summary.currency if self.view is not None else ""
        for row, (draft, value) in enumerate(zip(drafts, shown, strict=True)):
            cell, owed = self.schedule.item(row, 3), self.schedule.item(row, 5)
            amount = value if value is not None else draft.amount
            if cell is not None and value is not None:
                cell.setText(f"{value:,.2f}")
                self._mark_amount(cell, of_share=True)
            elif cell is not None and amount is not None:
                cell.setText(f"{amount:,.2f}")  # typed "7000" reads as the others do
            if owed is not None and amount is not None and self.view is not None \
                    and self.view.state is ContractState.DRAFT:  # nothing received yet
                owed.setText(formatting.money(amount, currency))

    def milestones(self) -> tuple[MilestoneDraft, ...]:
        """The schedule as typed; raises InvalidInput on a share or amount that is no
        number."""
        drafts = []
        for row in range(self.schedule.rowCount()):
            def cell(column: int, row: int = row) -> QStandardItem:
                item = self.schedule.item(row, column)
                return item if item is not None else QStandardItem("")

            date = cell(1).data(Qt.ItemDataRole.EditRole)
            due = day_of(date) if isinstance(date, QDate) and date.isValid() else None
            share = _decimal(cell(2).text())
            amount = None if share is not None else _decimal(cell(3).text())
            if share is None and amount is None:
                raise InvalidInput("milestones", _(
                    "Give “{label}” a share in percent or an amount.").format(
                    label=cell(0).text()))
            drafts.append(MilestoneDraft(cell(0).text(), due, share, amount))
        return tuple(drafts)

    def chosen_payment(self) -> int | None:
        index = self.paid.currentIndex()
        if not index.isValid():
            return None
        value = self.payments.item(index.row(), 0).data(PAYMENT_ROLE)
        return int(value) if value is not None else None


class PaymentDialog(QDialog):
    """Money received against a milestone: how much, when, how, and the bank's reference;
    ``save`` raises a refusal, said under its field."""

    def __init__(self, view: ContractView, save: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(_("Money received"))
        self.milestone = QComboBox()
        self.milestone.setAccessibleName(_("Payment"))
        currency = view.summary.currency
        for m in view.milestones:
            if m.outstanding > 0:
                self.milestone.addItem(_("{label} (outstanding {amount})").format(
                    label=m.label, amount=formatting.money(m.outstanding, currency)),
                    (m.id, str(m.outstanding)))
        self.amount = QLineEdit()
        self.amount.setAccessibleName(_("Amount"))
        self.milestone.currentIndexChanged.connect(self._suggest)
        self.on = DateField("received_on", dt.date.today(), latest=dt.date.today())
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.setAccessibleName(_("Method"))
        self.method.addItems([_("Bank transfer"), _("Bank acceptance bill"), _("Cheque"),
                              _("Cash")])
        self.reference = QLineEdit()
        self.reference.setAccessibleName(_("Reference"))
        self.reference.setPlaceholderText(_("The bank's transaction reference"))
        self.errors = {name: ErrorLabel() for name in ("amount", "received_on", "reference")}
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow(_("Against:"), self.milestone)
        form.addRow(_("Amount ({currency}):").format(currency=currency), self.amount)
        form.addRow("", self.errors["amount"])
        form.addRow(_("Received on:"), self.on)
        form.addRow("", self.errors["received_on"])
        form.addRow(_("Method:"), self.method)
        form.addRow(_("Reference:"), self.reference)
        form.addRow("", self.errors["reference"])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        cleared_when_edited(self.errors, {"amount": self.amount, "received_on": self.on,
                                          "reference": self.reference})
        self._suggest()

    def _suggest(self) -> None:
        data = self.milestone.currentData()
        if data is not None:
            self.amount.setText(f"{Decimal(data[1]):.2f}")

    def accept(self) -> None:
        data = self.milestone.currentData()
        for label in (*self.errors.values(), self.error):
            label.show_message("")
        if data is None:
            self.error.show_message(_("Every payment of the schedule is received in full."))
            return
        try:
            amount = _decimal(self.amount.text()) or Decimal(0)
        except InvalidInput:
            self.errors["amount"].show_message(_("Enter the amount received, more than "
                                                 "zero."))
            self.amount.setFocus()
            return
        assert callable(self._save)
        try:
            self._save(int(data[0]), amount, self.on.day(),
                       self.method.currentText(), self.reference.text())
        except FunnelDeskError as error:
            show_refusal(error, self.errors, {"amount": self.amount, "received_on": self.on,
                                              "reference": self.reference}, self.error)
            return
        super().accept()
