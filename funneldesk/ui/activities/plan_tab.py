"""A deal's follow-up plan, as a tab of the deal form: a cadence (a visit every 14 days),
what to talk about, the goal, and the people and budget it needs. It saves with the
form; a value that cannot be saved is said under its field."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.enums import ActivityKind
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _, ngettext
from funneldesk.services.activities.plan_records import MAX_DAYS, FollowUpPlan, PlanFields
from funneldesk.services.activities.records import kind_label
from funneldesk.services.common.money import parse_money
from funneldesk.ui.activities.fields import days_spin
from funneldesk.ui.common.error_label import ErrorLabel, add_rows, show_at_field

DEFAULT_EVERY_DAYS = 14  # offered when a cadence is first chosen


class PlanTab(QWidget):
    def __init__(self, plan: FollowUpPlan, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.every_kind = QComboBox()
        self.every_kind.addItem(_("No cadence"), None)
        for kind in ActivityKind:
            self.every_kind.addItem(kind_label(kind), kind.value)
        self.every_days = QSpinBox()
        self.every_days.setRange(1, MAX_DAYS)
        # "a visit every [14] days", read as one phrase in either language
        days_spin(self.every_days, _("every "), lambda n: ngettext(" day", " days", n))
        self.every_days.setValue(DEFAULT_EVERY_DAYS)
        self.agenda = QPlainTextEdit()
        self.agenda.setPlaceholderText(_("What to talk about, show or bring at each "
                                         "contact"))
        self.agenda.setTabChangesFocus(True)
        self.goal = QLineEdit()
        self.goal.setPlaceholderText(_("e.g. A letter of intent by the end of the month"))
        self.people = QLineEdit()
        self.people.setPlaceholderText(_("e.g. A demo engineer; the finance manager for "
                                         "the terms"))
        self.budget = QLineEdit()
        self.budget.setPlaceholderText(_("e.g. 3,000 for travel and samples"))
        self.cadence = QLabel()
        self.cadence.setWordWrap(True)
        self.cadence.setObjectName("plan-cadence")
        self.errors = {name: ErrorLabel() for name in
                       ("every_kind", "every_days", "agenda", "goal", "people", "budget")}
        every = QWidget()
        row = QHBoxLayout(every)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.every_kind, 1)
        row.addWidget(self.every_days)
        budget = QWidget()
        money = QHBoxLayout(budget)
        money.setContentsMargins(0, 0, 0, 0)
        money.addWidget(self.budget, 1)
        money.addWidget(QLabel(plan.currency))
        form = QFormLayout()
        add_rows(form, [
            (_("Cadence:"), every, self.errors["every_kind"]),
            ("", self.cadence, self.errors["every_days"]),
            (_("Agenda:"), self.agenda, self.errors["agenda"]),
            (_("Goal:"), self.goal, self.errors["goal"]),
            (_("People needed:"), self.people, self.errors["people"]),
            (_("Budget:"), budget, self.errors["budget"])])
        layout = QVBoxLayout(self)
        hint = QLabel(_("How this deal is followed up. Marking an activity of the "
                        "cadence's kind done offers the next one on its day."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(form)
        if plan.version is not None and plan.updated_at is not None:
            saved = QLabel(_("Last changed by {who}, {when}").format(
                who=plan.updated_by, when=formatting.datetime(plan.updated_at)))
            saved.setObjectName("plan-saved")
            layout.addWidget(saved)
        self._fill(plan.fields)
        self._today = today or dt.date.today()
        self.every_kind.currentIndexChanged.connect(lambda _i: self._cadence_chosen())
        self._cadence_chosen()
        self._initial = self.state()

    def _fill(self, fields: PlanFields) -> None:
        if fields.every_kind is not None:
            self.every_kind.setCurrentIndex(self.every_kind.findData(fields.every_kind.value))
        if fields.every_days is not None:
            self.every_days.setValue(fields.every_days)
        self.agenda.setPlainText(fields.agenda)
        self.goal.setText(fields.goal)
        self.people.setText(fields.people)
        self.budget.setText("" if fields.budget is None else formatting.number(fields.budget))

    def _cadence_chosen(self) -> None:
        chosen = self.every_kind.currentData() is not None
        self.every_days.setEnabled(chosen)
        cadence = self.plan.cadence
        if not chosen:
            self.cadence.setText("")
        elif cadence is not None and self.every_kind.currentData() == cadence.kind.value:
            self.cadence.setText(cadence.text(self._today))
        else:
            self.cadence.setText(_("Counted from the last one done, once saved."))

    def state(self) -> tuple[object, ...]:
        """What the fields hold as typed."""
        return (self.every_kind.currentData(), self.every_days.value(),
                self.agenda.toPlainText(), self.goal.text(), self.people.text(),
                self.budget.text())

    def edited(self) -> bool:
        return self.state() != self._initial

    def fields(self) -> PlanFields:
        """The plan typed; raises InvalidInput for a budget that is not an amount."""
        kind = self.every_kind.currentData()
        budget_text = self.budget.text().strip()
        return PlanFields(
            ActivityKind(kind) if kind is not None else None,
            self.every_days.value() if kind is not None else None,
            self.agenda.toPlainText(), self.goal.text(), self.people.text(),
            parse_money(budget_text, "budget") if budget_text else None)

    def show_problem(self, error: InvalidInput) -> bool:
        """Says the refusal under its field; False if it is none of this tab's."""
        return show_at_field(error, self.errors, {
            "every_kind": self.every_kind, "every_days": self.every_days,
            "agenda": self.agenda, "goal": self.goal, "people": self.people,
            "budget": self.budget})
