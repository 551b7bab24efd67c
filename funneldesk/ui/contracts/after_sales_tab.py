"""A contract's After-sales tab: the service commitments (what support covers, the
response time, the warranty, the named service contact), the delivery day that plans the
return visits (回访), and each visit with what the customer said."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.enums import ContractState
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services.contracts.records import Commitments, ContractView, VisitView
from funneldesk.ui.common.error_label import ErrorLabel, cleared_when_edited, show_refusal
from funneldesk.ui.common.fields import DateField

VISIT_ROLE = Qt.ItemDataRole.UserRole + 1
LOW = QColor("#c62828")


def _none_if_zero(box: QSpinBox) -> int | None:
    return box.value() or None


class AfterSalesTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scope = QLineEdit()
        self.scope.setAccessibleName(_("Support scope"))
        self.scope.setPlaceholderText(_("For example: 7×24 hotline, remote support, "
                                        "on-site for major incidents"))
        self.hours = QSpinBox()
        self.hours.setRange(0, 720)
        self.hours.setSpecialValueText(_("not promised"))
        self.hours.setSuffix(_(" h"))
        self.hours.setAccessibleName(_("Response time"))
        self.months = QSpinBox()
        self.months.setRange(0, 120)
        self.months.setSuffix(_(" months"))
        self.months.setAccessibleName(_("Warranty period"))
        self.contact = QLineEdit()
        self.contact.setAccessibleName(_("Service contact"))
        self.contact.setPlaceholderText(_("A name and a phone number"))
        self.save_commitments = QPushButton(_("Save commitments"))
        self.errors = {name: ErrorLabel() for name in ("response_hours", "warranty_months",
                                                        "service_contact", "delivered_on")}
        promised = QGroupBox(_("Service commitments (printed in the contract)"))
        form = QFormLayout(promised)
        form.addRow(_("Support scope:"), self.scope)
        form.addRow(_("Response time:"), self.hours)
        form.addRow("", self.errors["response_hours"])
        form.addRow(_("Warranty:"), self.months)
        form.addRow("", self.errors["warranty_months"])
        form.addRow(_("Service contact:"), self.contact)
        form.addRow("", self.errors["service_contact"])
        form.addRow("", self.save_commitments)
        self.delivered = DateField("delivered_on", dt.date.today(), latest=dt.date.today())
        self.delivered.setAccessibleName(_("Delivered on"))
        # a refusal under a field goes as the field is put right
        cleared_when_edited(self.errors, {"service_contact": self.contact,
                                          "delivered_on": self.delivered})
        for box, name in ((self.hours, "response_hours"), (self.months, "warranty_months")):
            box.valueChanged.connect(lambda _v, label=self.errors[name]: label.show_message(""))
        self.deliver_button = QPushButton(_("Record delivery"))
        self.delivery_state = QLabel()
        delivery = QHBoxLayout()
        delivery.addWidget(QLabel(_("Delivered on:")))
        delivery.addWidget(self.delivered)
        delivery.addWidget(self.deliver_button)
        delivery.addWidget(self.delivery_state, 1)
        self.visits = QStandardItemModel(0, 6, self)
        self.visits_view = QTableView()
        self.visits_view.setAccessibleName(_("Return visits"))
        self.visits_view.setModel(self.visits)
        self.visits_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.visits_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.visits_view.horizontalHeader().setStretchLastSection(True)
        self.visits_view.verticalHeader().hide()
        chars = self.fontMetrics().averageCharWidth()
        for column, width in enumerate((14, 20, 12, 12, 14)):
            self.visits_view.setColumnWidth(column, width * chars)
        self.result_button = QPushButton(_("Record what the customer said…"))
        layout = QVBoxLayout(self)
        layout.addWidget(promised)
        layout.addLayout(delivery)
        layout.addWidget(self.errors["delivered_on"])
        layout.addWidget(QLabel(_("Return visits, planned as activities of the deal's owner:")))
        layout.addWidget(self.visits_view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.result_button)
        layout.addLayout(row)

    def set_view(self, view: ContractView, may_change: bool, signed: bool) -> None:
        for label in self.errors.values():  # the contract as saved: nothing refused in it
            label.show_message("")
        c = view.content.commitments
        self.scope.setText(c.support_scope)
        self.hours.setValue(c.response_hours or 0)
        self.months.setValue(c.warranty_months or 0)
        self.contact.setText(c.service_contact)
        # they print in the contract: changed while it is a draft, as its terms are
        draft = view.state is ContractState.DRAFT
        for widget in (self.scope, self.hours, self.months, self.contact,
                       self.save_commitments):
            widget.setEnabled(may_change and draft)
        self.save_commitments.setToolTip("" if draft else _(
            "The commitments print in the contract: they change only while it is a draft."))
        if view.delivered_on is not None:
            self.delivered.set_value(view.delivered_on)
        signed_on = view.summary.signed_on
        if signed_on is not None:  # nothing is delivered under a contract before it
            self.delivered.limit(signed_on, None)
        self.delivered.setEnabled(signed and may_change)
        self.deliver_button.setEnabled(signed and may_change)
        self.deliver_button.setText(_("Change delivery day") if view.delivered_on
                                    else _("Record delivery"))
        self.delivery_state.setText(
            _("Delivered on {date}.").format(date=formatting.date(view.delivered_on))
            if view.delivered_on else
            _("Once delivered, the return visits are planned.") if signed else
            _("Delivery is recorded once the customer has signed."))
        self.visits.setRowCount(0)
        self.visits.setHorizontalHeaderLabels([_("After delivery"), _("Due"), _("State"),
                                               _("Satisfaction"), _("Follow-up"),
                                               _("Problems raised")])
        for visit in view.visits:
            cells = [QStandardItem(text) for text in (
                ngettext("{n} day", "{n} days", visit.after_days).format(n=visit.after_days),
                formatting.date(visit.due_on) if visit.due_on else "—",
                _("Done") if visit.done else _("Cancelled") if visit.cancelled
                else _("Planned"),
                f"{visit.satisfaction}/5" if visit.satisfaction is not None else "—",
                _("Needed") if visit.follow_up_needed else "",
                visit.problems)]
            cells[0].setData(visit.id, VISIT_ROLE)
            cells[0].setToolTip(visit.questionnaire)
            if visit.satisfaction is not None and visit.satisfaction <= 2:
                cells[3].setForeground(LOW)
            if visit.follow_up_needed:
                cells[4].setForeground(LOW)
            self.visits.appendRow(cells)
        self.result_button.setEnabled(bool(view.visits) and may_change)

    def commitments(self) -> Commitments:
        return Commitments(self.scope.text(), _none_if_zero(self.hours),
                           self.months.value() if self.months.value() else None,
                           self.contact.text())

    def show_refusal(self, error: FunnelDeskError, fallback: ErrorLabel) -> None:
        for label in self.errors.values():
            label.show_message("")
        show_refusal(error, self.errors, {"response_hours": self.hours,
                                          "warranty_months": self.months,
                                          "service_contact": self.contact,
                                          "delivered_on": self.delivered}, fallback)

    def delivered_on(self) -> dt.date:
        """The delivery day typed or picked; InvalidInput when it is no date."""
        return self.delivered.day()

    def chosen_visit(self, view: ContractView) -> VisitView | None:
        index = self.visits_view.currentIndex()
        row = index.row() if index.isValid() else -1
        if row < 0:  # the first visit without a result
            return next((v for v in view.visits if v.satisfaction is None), None)
        ident = self.visits.item(row, 0).data(VISIT_ROLE)
        return next((v for v in view.visits if v.id == ident), None)


class VisitDialog(QDialog):
    """What the customer said on a return visit: a satisfaction score, the problems
    raised, whether a follow-up is needed; the questionnaire is shown to go through."""

    def __init__(self, visit: VisitView, save: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(ngettext("Return visit, {n} day after delivery",
                                     "Return visit, {n} days after delivery",
                                     visit.after_days).format(n=visit.after_days))
        questions = QLabel(visit.questionnaire)
        questions.setWordWrap(True)
        questions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.score = QSpinBox()
        self.score.setRange(0, 5)
        self.score.setSpecialValueText(_("not asked"))
        self.score.setValue(visit.satisfaction or 0)
        self.score.setAccessibleName(_("Satisfaction"))
        self.problems = QPlainTextEdit(visit.problems)
        self.problems.setAccessibleName(_("Problems raised"))
        self.follow_up = QCheckBox(_("Follow-up needed"))
        self.follow_up.setChecked(visit.follow_up_needed)
        self.errors = {"satisfaction": ErrorLabel()}
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow(_("Questions:"), questions)
        form.addRow(_("Satisfaction (1-5):"), self.score)
        form.addRow("", self.errors["satisfaction"])
        form.addRow(_("Problems raised:"), self.problems)
        form.addRow("", self.follow_up)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        assert callable(self._save)
        try:
            self._save(self.score.value() or None, self.problems.toPlainText(),
                       self.follow_up.isChecked())
        except FunnelDeskError as error:
            show_refusal(error, self.errors, {"satisfaction": self.score}, self.error)
            return
        super().accept()
