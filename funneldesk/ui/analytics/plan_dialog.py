"""A training plan, a manager's dialog: for which rep, at which stage, on what, when it is
planned and when it was done, and what came of it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services.analytics.records import PlanEffect, TrainingNeed
from funneldesk.services.analytics.training import PlanFields
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.fields import long_year_format
from funneldesk.ui.common.page import Workspace


class PlanDialog(QDialog):
    def __init__(self, workspace: Workspace, stages: list[tuple[int, str]],
                 need: TrainingNeed | None = None, plan: PlanEffect | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent or workspace.window)
        self.setWindowTitle(_("Training plan"))
        self.workspace, self.plan = workspace, plan
        self.rep = QComboBox()
        for user in workspace.services.users.list():
            self.rep.addItem(user.display_name, user.id)
        self.stage = QComboBox()
        self.stage.addItem(_("(no stage)"), None)
        for ident, name in stages:
            self.stage.addItem(name, ident)
        self.kpi = QComboBox()
        self.kpi.addItem(_("Conversion to next"), "conversion")
        self.kpi.addItem(_("Days in stage"), "days")
        self.kpi.addItem(_("None followed"), "")
        self.topic = QLineEdit()
        self.planned = QDateEdit(QDate.currentDate())
        self.done_on = QDateEdit(QDate.currentDate())
        for edit in (self.planned, self.done_on):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(long_year_format())
        self.is_done = QCheckBox(_("Done on"))
        self.is_done.toggled.connect(self.done_on.setEnabled)
        self.done_on.setEnabled(False)
        self.outcome = QPlainTextEdit()
        self.outcome.setPlaceholderText(_("What came of it"))
        self.outcome.setFixedHeight(70)
        self.error = ErrorLabel()
        form = QFormLayout(self)
        form.addRow(_("Rep:"), self.rep)
        form.addRow(_("Stage:"), self.stage)
        form.addRow(_("Figure to move:"), self.kpi)
        form.addRow(_("Topic:"), self.topic)
        form.addRow(_("Planned for:"), self.planned)
        form.addRow(self.is_done, self.done_on)
        form.addRow(_("Outcome:"), self.outcome)
        form.addRow("", self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        if need is not None:
            self._choose(need.owner_id, need.stage_id, need.kpi)
            self.topic.setText(need.topics[0] if need.topics else "")
        if plan is not None:
            self._choose(plan.rep_id, plan.stage_id, plan.kpi)
            self.topic.setText(plan.topic)
            self.planned.setDate(_qdate(plan.planned_on))
            self.is_done.setChecked(plan.done_on is not None)
            if plan.done_on is not None:
                self.done_on.setDate(_qdate(plan.done_on))
            self.outcome.setPlainText(plan.outcome)
        self.topic.textEdited.connect(lambda _t: self.error.show_message(""))
        self.resize(460, 0)

    def _choose(self, rep: int, stage: int | None, kpi: str) -> None:
        self.rep.setCurrentIndex(max(self.rep.findData(rep), 0))
        self.stage.setCurrentIndex(max(self.stage.findData(stage), 0))
        self.kpi.setCurrentIndex(max(self.kpi.findData(kpi), 0))

    def fields(self) -> PlanFields:
        return PlanFields(self.rep.currentData(), self.stage.currentData(),
                          self.kpi.currentData(), self.topic.text(),
                          _day(self.planned.date()),
                          _day(self.done_on.date()) if self.is_done.isChecked() else None,
                          self.outcome.toPlainText())

    def save(self) -> None:
        try:
            changes = self.workspace.services.analytics.save_training_plan(
                self.fields(), by=self.workspace.actor,
                plan_id=self.plan.plan_id if self.plan else None,
                expected_version=self.plan.version if self.plan else None)
        except FunnelDeskError as error:
            self.error.show_error(error)
            return
        self.workspace.runner.relay(changes, self)
        self.accept()


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())
