"""A manager's own forecast for an expected-close month, typed beside the computed one."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services.analytics.records import ForecastMonth
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.page import Workspace


class AdjustDialog(QDialog):
    def __init__(self, workspace: Workspace, pipeline_id: int, user_id: int | None,
                 months: list[ForecastMonth], parent: QWidget | None = None) -> None:
        super().__init__(parent or workspace.window)
        self.setWindowTitle(_("Your forecast"))
        self.workspace, self.pipeline_id, self.user_id = workspace, pipeline_id, user_id
        self.months = [m for m in months if m.start is not None]
        self.month = QComboBox()
        for m in self.months:
            self.month.addItem(formatting.month(m.start), m.start)  # type: ignore[arg-type]
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(_("Leave empty to remove your forecast"))
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("Why, e.g. a renewal the deals do not show yet"))
        self.error = ErrorLabel()
        form = QFormLayout(self)
        form.addRow(_("Month:"), self.month)
        form.addRow(_("Your forecast:"), self.amount)
        form.addRow(_("Note:"), self.note)
        form.addRow("", self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.month.currentIndexChanged.connect(lambda _i: self._fill())
        self.amount.textEdited.connect(lambda _t: self.error.show_message(""))
        self._fill()
        self.setMinimumWidth(460)

    def _fill(self) -> None:
        index = self.month.currentIndex()
        chosen = self.months[index].adjusted if 0 <= index < len(self.months) else None
        self.amount.setText("" if chosen is None else f"{chosen.amount:.2f}")
        self.note.setText("" if chosen is None else chosen.note)

    def save(self) -> None:
        from funneldesk.services.common.money import parse_money

        month: dt.date = self.month.currentData()
        try:
            text = self.amount.text().strip()
            amount = parse_money(text, "amount") if text else None
            shown = self.months[self.month.currentIndex()].adjusted
            changes = self.workspace.services.analytics.adjust_forecast(
                pipeline_id=self.pipeline_id, month=month, user_id=self.user_id,
                amount=amount, note=self.note.text(), by=self.workspace.actor,
                expected_version=shown.version if shown is not None else None)
        except FunnelDeskError as error:
            self.error.show_error(error)
            return
        self.workspace.runner.relay(changes, self)
        self.accept()
