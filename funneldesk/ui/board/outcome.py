"""What the board asks when a deal is dropped on Lost or Won."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.services.common.money import parse_money
from funneldesk.ui.common.error_label import ErrorLabel


class _FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.form.addRow(self.error)
        self.form.addRow(self.buttons)

    def show_problem(self, text: str) -> None:
        self.error.show_message(text)


class LostDialog(_FormDialog):
    """Asks why a deal was lost: a reason from the managed list and/or free text."""

    def __init__(self, deal_title: str, reasons: list[tuple[int, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Deal lost"), parent)
        self.form.addRow(QLabel(_("Why was “{title}” lost?").format(title=deal_title)))
        self.reason = QComboBox()
        self.reason.addItem(_("Choose a reason…"), None)
        for ident, label in reasons:
            self.reason.addItem(label, ident)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(_("What happened, in your own words (optional)"))
        self.note.setFixedHeight(80)
        self.form.addRow(_("Reason:"), self.reason)
        self.form.addRow(_("Details:"), self.note)
        self.finish_layout()
        # the error goes as soon as what was asked for is there
        self.reason.currentIndexChanged.connect(self._clear_when_valid)
        self.note.textChanged.connect(self._clear_when_valid)

    def _valid(self) -> bool:
        return self.reason_id() is not None or bool(self.note.toPlainText().strip())

    def _clear_when_valid(self) -> None:
        if self._valid():
            self.show_problem("")

    def accept(self) -> None:
        if not self._valid():
            self.show_problem(_("Choose or type a reason why the deal was lost."))
            self.reason.setFocus()
            return
        super().accept()

    def reason_id(self) -> int | None:
        data = self.reason.currentData()
        return int(data) if data is not None else None

    def reason_text(self) -> str:
        return self.note.toPlainText().strip()


class WonDialog(_FormDialog):
    """Asks for the close date and the final value of a won deal."""

    def __init__(self, deal_title: str, value: Decimal, currency: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Deal won"), parent)
        self.currency = currency
        self.form.addRow(QLabel(_("Congratulations! Confirm how “{title}” closed.").format(
            title=deal_title)))
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setMaximumDate(QDate.currentDate())
        self.value = QLineEdit(str(value))
        self.value.setToolTip(_("Final value in {currency}").format(currency=currency))
        self.form.addRow(_("Won on:"), self.date)
        self.form.addRow(_("Final value ({currency}):").format(currency=currency), self.value)
        self.finish_layout()

    def accept(self) -> None:
        try:
            self.final_value()
        except InvalidInput as error:
            self.show_problem(error.message())
            self.value.setFocus()
            return
        super().accept()

    def won_on(self) -> dt.date:
        value = self.date.date().toPython()
        assert isinstance(value, dt.date)
        return value

    def final_value(self) -> Decimal:
        """The amount typed, checked by the services' one money validator."""
        return parse_money(self.value.text(), "final_value")
