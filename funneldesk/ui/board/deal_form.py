"""The deal form: fields, the stage's criteria checklist and the stage history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError, InvalidInput
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.activities.assessment_records import ScoreFields
from funneldesk.services.activities.plan_records import PlanFields
from funneldesk.services.common.conversion import offered_currencies
from funneldesk.services.common.money import parse_money
from funneldesk.services.dto import Actor, CurrencyRates, DealDetail, DealFields, Named
from funneldesk.ui.activities.assessment_tab import AssessmentTab
from funneldesk.ui.activities.plan_tab import PlanTab
from funneldesk.ui.activities.timeline_view import DealTimeline
from funneldesk.ui.analytics.shown import forecast_categories
from funneldesk.ui.board.company_picker import CompanyPicker
from funneldesk.ui.board.contact_picker import ContactPicker
from funneldesk.ui.board.quick_create import QuickCreateDialog
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.fields import OptionalDateEdit
from funneldesk.ui.common.unsaved import ask_about_unsaved

CriterionRole = Qt.ItemDataRole.UserRole + 1


class DealForm(QDialog):
    """Edits ``detail`` or, when it is None, a new deal that goes into ``destination``
    (stage name, pipeline name); ``fields()`` and ``ticks()`` read the result."""

    def __init__(self, services: Services, actor: Actor, detail: DealDetail | None,
                 base_currency: str, parent: QWidget | None = None,
                 destination: tuple[str, str] | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.detail = services, actor, detail
        self.setWindowTitle(_("New deal") if detail is None else detail.fields.title)
        self.resize(640, 560)
        self.error = ErrorLabel()
        self.plan_tab: PlanTab | None = None
        self.assessment_tab: AssessmentTab | None = None
        self.tabs = tabs = QTabWidget()
        tabs.addTab(self._details_tab(base_currency), _("Details"))
        if detail is not None:
            self.assessment_tab = AssessmentTab(services.assessments.assessment(detail.id),
                                                services.assessments.weights())
            tabs.addTab(self.assessment_tab, _("Assessment"))
            tabs.addTab(self._checklist_tab(detail), _("Criteria"))
            self.plan_tab = PlanTab(services.follow_ups.plan(detail.id))
            tabs.addTab(self.plan_tab, _("Follow-up plan"))
            self.timeline = DealTimeline(services, detail.id)
            tabs.addTab(self.timeline, _("Timeline"))
            tabs.addTab(self._history_tab(detail), _("Stage history"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.archive_button = self.delete_button = None
        if detail is not None:
            self.archive_button = self.buttons.addButton(
                _("Unarchive") if detail.archived else _("Archive"),
                QDialogButtonBox.ButtonRole.ActionRole)
            self.delete_button = self.buttons.addButton(_("Delete…"),
                                                        QDialogButtonBox.ButtonRole.ActionRole)
        self.destination: QLabel | None = None
        layout = QVBoxLayout(self)
        if detail is not None:
            layout.addWidget(QLabel(_("Stage: {stage}").format(stage=detail.stage_name)
                                    + (f" · {detail.lost_reason}" if detail.lost_reason else "")))
        elif destination is not None:
            self.destination = QLabel(_("The deal goes into the stage “{stage}” of the "
                                        "pipeline “{pipeline}”.").format(
                stage=destination[0], pipeline=destination[1]))
            self.destination.setWordWrap(True)
            layout.addWidget(self.destination)
        layout.addWidget(tabs)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if detail is not None:
            self._fill(detail.fields)
        self._initial = self._state()

    def insert_tab(self, widget: QWidget, label: str, *, before: QWidget) -> None:
        """Adds a tab another part of the window builds (the deal's team)."""
        self.tabs.insertTab(self.tabs.indexOf(before), widget, label)

    def showEvent(self, event: QShowEvent) -> None:
        # every tab's title in sight (English ones need more room than 640 px), as far as
        # the screen allows: a tab behind the scroll arrows is a tab nobody finds
        bar = self.tabs.tabBar()
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QMargins()
        need = (sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
                + margins.left() + margins.right() + 12)  # the tab frame's edges
        screen = self.screen().availableGeometry().width() if self.screen() else need
        if self.width() < need:
            self.resize(min(need, screen), self.height())
        super().showEvent(event)

    # --- building -----------------------------------------------------------------
    def _details_tab(self, base_currency: str) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.title = QLineEdit()
        self.company = CompanyPicker(
            lambda text, limit: self.services.customers.search_companies(text, limit))
        self.contact = ContactPicker(
            lambda text, company, limit: self.services.customers.search_contacts(
                text, company, limit))
        self.contact.picked.connect(self._contact_picked)
        self.value = QLineEdit("0")
        self.currency = QComboBox()
        # only currencies the totals can convert, and the deal's own even if its rate is gone
        rates = CurrencyRates(base_currency, self.services.rates.currency_rates().rates)
        current = self.detail.fields.currency if self.detail is not None else None
        for code in offered_currencies(rates, current):
            self.currency.addItem(code, code)
        self.expected_close = OptionalDateEdit("expected_close")
        self.forecast_category = QComboBox()
        for code, label in forecast_categories():
            self.forecast_category.addItem(label, code)
        self.forecast_category.setToolTip(_(
            "Your call for the forecast: pipeline (may close), best case (could close "
            "this month with luck), commit (you are confident it closes)."))
        self.owner = QComboBox()
        for user in self.services.users.list():
            self.owner.addItem(user.display_name, user.id)
        self.owner.setCurrentIndex(max(self.owner.findData(self.actor.id), 0))
        self.next_step = QLineEdit()
        self.next_step.setPlaceholderText(_("e.g. Call about the quote"))
        self.next_step_date = OptionalDateEdit("next_step_date")
        self.notes = QPlainTextEdit()
        self.product = self._choices(
            [(p.id, p.name, p.active) for p in self.services.products.all(inactive=True)],
            self.detail.fields.product_id if self.detail is not None else None, _("(none)"))
        self.lead_source = self._choices(
            [(s.id, s.label, s.active) for s in self.services.lead_sources.all(inactive=True)],
            self.detail.fields.lead_source_id if self.detail is not None else None,
            _("Not known"))  # as the customer forms say it
        self.campaign = QLineEdit()
        self.campaign.setPlaceholderText(_("e.g. Spring trade fair 2026"))
        self._load_contacts(None)
        self.company.companyChanged.connect(lambda: self._load_contacts(None))
        new_company = QPushButton(_("New company…"))
        new_company.clicked.connect(lambda: self._quick_create(contact=False))
        new_contact = QPushButton(_("New contact…"))
        new_contact.clicked.connect(lambda: self._quick_create(contact=True))
        form.addRow(_("Title:"), self.title)
        form.addRow(_("Company:"), _row(self.company, new_company))
        form.addRow(_("Contact:"), _row(self.contact, new_contact))
        form.addRow(_("Value:"), _row(self.value, self.currency))
        form.addRow(_("Expected close:"), _row(self.expected_close, QLabel(_("Forecast:")),
                                                self.forecast_category))
        form.addRow(_("Owner:"), self.owner)
        form.addRow(_("Product:"), self.product)
        form.addRow(_("Lead source:"), _row(self.lead_source, QLabel(_("Campaign:")),
                                            self.campaign))
        form.addRow(_("Next step:"), _row(self.next_step, self.next_step_date))
        form.addRow(_("Notes:"), self.notes)
        return page

    @staticmethod
    def _choices(choices: list[tuple[int, str, bool]], current: int | None,
                 empty: str) -> QComboBox:
        """A list with an empty choice first (``empty``): the active ones, and
        ``current`` even if it is no longer offered."""
        combo = QComboBox()
        combo.addItem(empty, None)
        for ident, name, active in choices:
            if active or ident == current:
                combo.addItem(name, ident)
        return combo

    def _checklist_tab(self, detail: DealDetail) -> QWidget:
        self.checklist = QStandardItemModel(self)
        for item in detail.checklist:
            row = QStandardItem(self._check_text(item.criterion.label, item.stage_name,
                                                 item.checked_by, item.checked_at))
            row.setCheckable(True)
            row.setEditable(False)
            row.setCheckState(Qt.CheckState.Checked if item.checked else Qt.CheckState.Unchecked)
            row.setData(item.criterion.id, CriterionRole)
            if item.criterion.rule:  # met by a signed contract, never by a tick
                row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
                row.setToolTip(_("Ticked by itself when a contract of this deal is signed "
                                 "by the customer."))
            self.checklist.appendRow(row)
        self.saved_ticks = {item.criterion.id: item.checked for item in detail.checklist}
        view = QListView()
        view.setModel(self.checklist)
        page = QWidget()
        layout = QVBoxLayout(page)
        hint = _("Tick what is done. A deal moves forward only when its stage's exit "
                 "criteria and the next stage's entry criteria are ticked.")
        if not detail.checklist:
            hint = _("This stage has no criteria.")
        if detail.guidance:
            hint = _("Guidance: {text}").format(text=detail.guidance) + "\n\n" + hint
        label = QLabel(hint)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(view)
        return page

    def _history_tab(self, detail: DealDetail) -> QWidget:
        model = QStandardItemModel(0, 5, self)
        model.setHorizontalHeaderLabels([_("When"), _("From"), _("To"), _("Days there"), _("By")])
        history = detail.history
        now = dt.datetime.now(dt.UTC)
        for i, entry in enumerate(history):
            to = (_("{stage} (undo)").format(stage=entry.to_stage) if entry.is_revert
                  else entry.to_stage)
            left = history[i + 1].at if i + 1 < len(history) else now
            model.appendRow([QStandardItem(text) for text in (
                formatting.datetime(entry.at), entry.from_stage or _("(created)"), to,
                formatting.number(calendar_days(entry.at, left)), entry.by)])
        view = QTableView()
        view.verticalHeader().hide()
        view.setModel(model)
        view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        view.horizontalHeader().setStretchLastSection(True)
        view.resizeColumnsToContents()
        self.history_model = model
        return view

    @staticmethod
    def _check_text(label: str, stage: str, by: str, at: object) -> str:
        if by and isinstance(at, dt.datetime):
            return _("{item} ({stage}) — ticked by {who}, {when}").format(
                item=label, stage=stage, who=by, when=formatting.datetime(at))
        return _("{item} ({stage})").format(item=label, stage=stage)

    # --- behaviour ----------------------------------------------------------------
    # saves the fields and the ticks changed in the form (criterion id -> checked) at once
    save: Callable[[DealFields, dict[int, bool]], None] | None = None
    # save the follow-up plan and the scorecard, after the deal
    save_plan: Callable[[PlanFields], None] | None = None
    save_scores: Callable[[ScoreFields], None] | None = None

    def _state(self) -> tuple[object, ...]:
        """What the fields hold as typed (an amount not yet a number included)."""
        return (self.title.text(), self.company.text(), self.contact.currentText(),
                self.value.text(), self.currency.currentData(), self.expected_close.edit.text(),
                self.owner.currentData(), self.next_step.text(), self.next_step_date.edit.text(),
                self.notes.toPlainText(), self.product.currentData(),
                self.lead_source.currentData(), self.campaign.text())

    def value_set_elsewhere(self, value: Decimal) -> None:
        """The deal's value as a quote accepted from the form's Quotes tab set it: shown
        here, so that saving the form keeps it (a value typed here meanwhile stays)."""
        value_typed = self.value.text() != self._initial[3]
        if value_typed:
            return
        self.value.setText(str(value))
        self._initial = (*self._initial[:3], self.value.text(), *self._initial[4:])

    def plan_version(self) -> int | None:
        """The version of the follow-up plan the form shows (None: it had none)."""
        return self.plan_tab.plan.version if self.plan_tab is not None else None

    def scores_version(self) -> int | None:
        """The version of the scorecard the form shows (None: never rated)."""
        tab = self.assessment_tab
        return tab.assessment.version if tab is not None else None

    def edited(self) -> bool:
        """Whether a field or a tick differs from what the form opened with."""
        return (self._state() != self._initial or bool(self.ticks())
                or (self.plan_tab is not None and self.plan_tab.edited())
                or (self.assessment_tab is not None and self.assessment_tab.edited()))

    def reject(self) -> None:
        """Cancel, Esc or the window's close button: edits not saved are dropped only once
        the user says so (or saved, if they choose that)."""
        if self.edited():
            answer = self.ask_about_changes()
            if answer == QMessageBox.StandardButton.Save:
                self.accept()
                return
            if answer != QMessageBox.StandardButton.Discard:
                return  # "Keep editing", or the box closed
        super().reject()

    def ask_about_changes(self) -> QMessageBox.StandardButton:
        return ask_about_unsaved(self)

    def accept(self) -> None:
        """Saves through ``save``; a refused save keeps the form open with the reason."""
        try:
            fields = self.fields()
            # refused before the deal is saved: a bad plan or rating saves nothing
            plan = scores = None
            deal_id = self.detail.id if self.detail is not None else 0
            if self.plan_tab is not None and self.plan_tab.edited():
                plan = self.services.follow_ups.check(
                    deal_id, self.plan_tab.fields(), expected_version=self.plan_version(),
                    by=self.actor)
            if self.assessment_tab is not None and self.assessment_tab.edited():
                scores = self.services.assessments.check(
                    deal_id, self.assessment_tab.fields(),
                    expected_version=self.scores_version(), by=self.actor)
            if self.save is not None:
                self.save(fields, self.ticks())
        except FunnelDeskError as error:
            self.show_problem(error)
            return
        try:
            if plan is not None and self.save_plan is not None:
                self.save_plan(plan)
            if scores is not None and self.save_scores is not None:
                self.save_scores(scores)
        except FunnelDeskError as error:  # changed meanwhile, since the check above
            self.show_problem(error)
            self.error.show_message(_("The deal is saved; this part is not: {reason}")
                                    .format(reason=error.message()))
            return
        super().accept()

    def _load_contacts(self, select_id: int | None) -> None:
        """The contacts of the chosen company (a few per company, so a plain list; typing
        searches them, or everyone's when no company is chosen)."""
        company_id = self.company.chosen.id if self.company.chosen else None
        contacts = self.services.customers.contacts(company_id) if company_id else []
        self.contact.set_contacts(company_id, contacts, select_id)

    def _contact_picked(self, contact: Named) -> None:
        """A contact found by typing brings its company along."""
        if contact.company_id is not None:
            self.company.set_company(self.services.customers.company(contact.company_id))
            self._load_contacts(contact.id)

    def _quick_create(self, contact: bool) -> None:
        company = self.company.chosen
        dialog = QuickCreateDialog(self.services, self.actor, company.id if company else None,
                                   contact, self)
        if dialog.exec() and dialog.created is not None:
            if contact:
                self._load_contacts(dialog.created.id)
            else:
                self.company.set_company(dialog.created)

    def ticks(self) -> dict[int, bool]:
        """The criteria ticked or unticked in the form, not saved yet: id -> checked."""
        if self.detail is None:
            return {}
        changed = {}
        for row in range(self.checklist.rowCount()):
            item = self.checklist.item(row)
            ident, checked = int(item.data(CriterionRole)), item.checkState() == Qt.CheckState.Checked
            if self.saved_ticks.get(ident) != checked:
                changed[ident] = checked
        return changed

    def _fill(self, fields: DealFields) -> None:
        self.title.setText(fields.title)
        company = None
        if fields.company_id is not None:
            company = self.services.customers.company(fields.company_id)
        self.company.set_company(company)
        self._load_contacts(fields.contact_id)
        self.value.setText(str(fields.value))
        self.currency.setCurrentIndex(max(self.currency.findData(fields.currency), 0))
        self.expected_close.set_value(fields.expected_close)
        self.forecast_category.setCurrentIndex(
            max(self.forecast_category.findData(fields.forecast_category), 0))
        self.owner.setCurrentIndex(max(self.owner.findData(fields.owner_id), 0))
        self.next_step.setText(fields.next_step)
        self.next_step_date.set_value(fields.next_step_date)
        self.notes.setPlainText(fields.notes)
        self.product.setCurrentIndex(max(self.product.findData(fields.product_id), 0))
        self.lead_source.setCurrentIndex(max(self.lead_source.findData(fields.lead_source_id),
                                             0))
        self.campaign.setText(fields.campaign)

    def fields(self) -> DealFields:
        """The form's values; raises InvalidInput for a value that is not an amount."""
        return DealFields(
            title=self.title.text(), company_id=self.company.company_id(),
            contact_id=self.contact.contact_id(), value=parse_money(self.value.text()),
            currency=str(self.currency.currentData()), expected_close=self.expected_close.value(),
            owner_id=int(self.owner.currentData()), next_step=self.next_step.text().strip(),
            next_step_date=self.next_step_date.value(), notes=self.notes.toPlainText(),
            product_id=self.product.currentData(), lead_source_id=self.lead_source.currentData(),
            campaign=self.campaign.text().strip(),
            forecast_category=str(self.forecast_category.currentData()))

    def show_problem(self, error: FunnelDeskError) -> None:
        if isinstance(error, InvalidInput):
            for tab in (self.plan_tab, self.assessment_tab):
                if tab is not None and tab.show_problem(error):
                    self.tabs.setCurrentWidget(tab)
                    self.error.show_message("")  # said under its field, once
                    return
        self.error.show_error(error)
        if isinstance(error, InvalidInput):
            widget = {"title": self.title, "value": self.value, "currency": self.currency,
                      "owner": self.owner, "contact": self.contact,
                      "company": self.company, "expected_close": self.expected_close,
                      "next_step": self.next_step, "next_step_date": self.next_step_date,
                      "product": self.product,
                      "lead_source": self.lead_source,
                      "campaign": self.campaign}.get(error.field)
            if widget is not None:
                widget.setFocus()


def calendar_days(start: dt.datetime, end: dt.datetime) -> int:
    """Calendar days between two moments, in local time (docs/ARCHITECTURE.md: time in stage)."""
    return (end.astimezone().date() - start.astimezone().date()).days


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for i, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if i == 0 else 0)
    return holder
