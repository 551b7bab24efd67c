"""Marking an activity done: what came of it, and the next activity, planned in the same
step (checked by default on a deal, so that an open deal keeps a next step)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from funneldesk.enums import ActivityKind
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.services.activities.plan_records import every_text
from funneldesk.services.activities.records import Activity, ActivityFields
from funneldesk.ui.activities.fields import kind_box, parse_time, time_edit, title_edit
from funneldesk.ui.common.error_label import ErrorLabel, add_rows
from funneldesk.ui.common.fields import OptionalDateEdit

FOLLOW_UP_DAYS = 7  # the next activity's day offered by default: a week on


class CompleteDialog(QDialog):
    def __init__(self, activity: Activity, parent: QWidget | None = None,
                 today: dt.date | None = None,
                 by_plan: tuple[ActivityKind, dt.date, str] | None = None) -> None:
        """``by_plan``: what the deal's follow-up plan asks for next (its kind, day and
        agenda), offered instead of the same kind a week on."""
        super().__init__(parent)
        self.activity = activity
        self.setWindowTitle(_("Mark done: {title}").format(title=activity.summary))
        self.outcome = QPlainTextEdit()
        self.outcome.setPlaceholderText(_("What came of it: what the customer said, what "
                                          "was agreed"))
        self.outcome.setTabChangesFocus(True)
        self.next_box = QGroupBox(_("Plan the next activity"))
        self.next_box.setCheckable(True)
        # an open deal must keep a next step; a customer's call may end the thread
        self.next_box.setChecked(activity.deal_id is not None)
        today = today or dt.date.today()
        self.by_plan = by_plan
        self.kind = kind_box(activity.kind if by_plan is None else by_plan[0])
        self.title = title_edit()
        if by_plan is not None:  # the next of the cadence: a visit after a visit
            self.title.setText(activity.title)
        self.day = OptionalDateEdit("next_day")
        self.day.set_value(today + dt.timedelta(days=FOLLOW_UP_DAYS) if by_plan is None
                           else by_plan[1])
        self.time = time_edit()
        self.errors = {name: ErrorLabel() for name in ("title", "next_day", "time")}
        # a message goes as soon as its field is edited: it spoke of the text before
        self.title.textEdited.connect(lambda _t: self.errors["title"].show_message(""))
        self.time.textEdited.connect(lambda _t: self.errors["time"].show_message(""))
        self.day.changed.connect(lambda: self.errors["next_day"].show_message(""))
        rows = QFormLayout(self.next_box)
        if by_plan is not None:
            plan = QLabel(_("As the follow-up plan says: {every}.").format(
                every=every_text(by_plan[0], (by_plan[1] - today).days)))
            plan.setObjectName("by-plan")
            plan.setWordWrap(True)
            rows.addRow(plan)
        add_rows(rows, [
            (_("Kind:"), self.kind, None), (_("Title:"), self.title, self.errors["title"]),
            (_("Day:"), self.day, self.errors["next_day"]),
            (_("Time:"), self.time, self.errors["time"])])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Mark done"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Outcome:")))
        layout.addWidget(self.outcome)
        layout.addWidget(self.next_box)
        layout.addWidget(buttons)
        self.chosen: tuple[str, ActivityFields | None] | None = None
        self.outcome.setFocus()

    def accept(self) -> None:
        """Closes only with a next activity that can be planned; else says why beside
        the field, and nothing is saved."""
        for label in self.errors.values():
            label.show_message("")
        next_one = None
        if self.next_box.isChecked():
            try:
                next_one = self._next()
            except InvalidInput as error:
                if error.field not in self.errors:
                    raise
                self.errors[error.field].show_error(error)
                {"title": self.title, "time": self.time}.get(
                    error.field, self.day.edit).setFocus()
                return
        self.chosen = (self.outcome.toPlainText().strip(), next_one)
        super().accept()

    def _next(self) -> ActivityFields:
        day = self.day.value()
        if day is None:
            raise InvalidInput("next_day", _("Give the day of the next activity."))
        kind = ActivityKind(self.kind.currentData())  # Qt hands the enum back as its str
        a = self.activity
        # the plan's agenda goes with an activity of the kind its cadence repeats
        agenda = self.by_plan[2] if self.by_plan and self.by_plan[0] is kind else ""
        return ActivityFields(kind, self.title.text().strip(), agenda, due_on=day,
                              due_time=parse_time(self.time.text()),
                              assignee_id=a.assignee_id, deal_id=a.deal_id,
                              company_id=a.company_id, contact_id=a.contact_id)
