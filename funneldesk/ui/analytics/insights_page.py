"""The Insights page: every KPI with its chart and the numbers under it, for a period,
pipeline, owner, source and product; the funnel doctor's findings, anomalies,
correlations and training needs. Read off the GUI thread, again after every change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.enums import Role
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _
from funneldesk.services.analytics import tables
from funneldesk.services.analytics.charting import charts_of
from funneldesk.services.analytics.definitions import definition
from funneldesk.services.analytics.records import Insights, KpiRequest
from funneldesk.services.dto import ChangeSet
from funneldesk.ui.analytics import actions
from funneldesk.ui.analytics.chart_view import ChartView
from funneldesk.ui.analytics.figure_table import FigureTable
from funneldesk.ui.analytics.periods import PERIODS, period_dates
from funneldesk.ui.analytics.shown import STATUS_COLOURS, wrapped
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.errors import show_bug, show_error
from funneldesk.ui.common.fields import long_year_format
from funneldesk.ui.common.page import Page, Workspace


class Section(QWidget):
    """A titled part of the page: an optional chart, its table, and Save as PNG."""

    def __init__(self, title: str, tip: str = "", chart: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(title)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setToolTip(wrapped(tip))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()
        self.chart = ChartView(260) if chart else None
        self.table = FigureTable()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        self.head = head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addStretch(1)
        if self.chart is not None:
            self.chart.setToolTip(wrapped(tip))
            save = QPushButton(_("Save chart as PNG…"))
            save.clicked.connect(self.chart.save_png)
            head.addWidget(save)
        layout.addLayout(head)
        layout.addWidget(self.note)
        if self.chart is not None:
            layout.addWidget(self.chart)
        layout.addWidget(self.table)

    def add_button(self, button: QPushButton) -> None:
        """A button beside the heading (before Save chart as PNG…)."""
        self.head.insertWidget(2, button)

    def say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def show_table(self, table: tables.Table) -> None:
        """The section's numbers; what it says instead when there are none."""
        lines = list(table.notes) + ([table.empty] if not table.rows and table.empty else [])
        self.say("\n".join(lines))
        self.table.show_rows(
            table.headers,
            [[(c.text, c.tip, STATUS_COLOURS.get(c.status, "")) for c in row]
             for row in table.rows], table.numeric)
        self.table.setVisible(bool(table.rows))


class InsightsPage(Page):
    key = "insights"
    loaded = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        services = workspace.services
        self.period = QComboBox()
        for code, label in PERIODS:
            self.period.addItem(label(), code)
        self.period.setToolTip(wrapped(definition("period").shown()))
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        today = QDate.currentDate()
        for edit, day in ((self.date_from, today.addMonths(-3)), (self.date_to, today)):
            edit.setCalendarPopup(True)
            edit.setDate(day)
            edit.setDisplayFormat(long_year_format())
            edit.hide()
            edit.dateChanged.connect(lambda _d: self.reload())
        self.pipeline = QComboBox()
        for ident, name in services.pipelines.pipelines():
            self.pipeline.addItem(name, ident)
        self.owner = QComboBox()
        self.owner.addItem(_("Everyone"), None)
        for user in services.users.list():
            self.owner.addItem(user.display_name, user.id)
        self.owner.setToolTip(wrapped(definition("owner").shown()))
        if workspace.actor.role is not Role.MANAGER:  # a rep reads their own figures only
            self.owner.setCurrentIndex(max(self.owner.findData(workspace.actor.id), 0))
            self.owner.setEnabled(False)
        self.source = QComboBox()
        self.source.addItem(_("All sources"), None)
        for source in services.lead_sources.all():
            self.source.addItem(source.label, source.id)
        self.product = QComboBox()
        self.product.addItem(_("All products"), None)
        for product in services.products.all():
            self.product.addItem(product.name, product.id)
        self.grain = QComboBox()
        self.grain.addItem(_("By month"), "month")
        self.grain.addItem(_("By week"), "week")
        for box in (self.period, self.pipeline, self.owner, self.source, self.product,
                    self.grain):
            box.currentIndexChanged.connect(lambda _i: self._filters_changed())
        filters = QHBoxLayout()
        for widget in (self.period, self.date_from, self.date_to, self.pipeline, self.owner,
                       self.source, self.product, self.grain):
            filters.addWidget(widget)
        filters.addStretch(1)
        report = QPushButton(_("Save the KPI report as PDF…"))
        report.clicked.connect(self.save_report)
        filters.addWidget(report)
        self.summary = QLabel(_("Reading the figures…"))
        self.summary.setWordWrap(True)
        self.problem = ErrorLabel()
        d = definition
        self.funnel = Section(_("Funnel"), d("reached").shown() + "\n\n" +
                              d("conversion").shown())
        self.time = Section(_("Time in stage"), d("time_in_stage").shown())
        self.results = Section(_("Results"), "\n\n".join(d(c).shown() for c in (
            "deals", "win_rate", "sales_cycle", "won_value", "weighted_pipeline")),
            chart=False)
        self.forecast = Section(_("Forecast by expected close month"),
                                d("weighted_pipeline").shown())
        self.trends = Section(_("Trends"), d("period").shown())
        self.sources = Section(_("Lead-source conversion"), d("lead_conversion").shown())
        self.reasons = Section(_("Lost reasons"), d("period").shown())
        self.owners = Section(_("By owner"), d("owner").shown())
        self.products = Section(_("By product"), d("period").shown(), chart=False)
        self.industries = Section(_("By industry"), d("period").shown(), chart=False)
        self.regions = Section(_("By region"), d("period").shown(), chart=False)
        self.money = Section(_("Money in"), _(
            "Contracted: the contracts the customer signed in the period. Collected: the "
            "payments received in it. Overdue: what signed contracts' payments due before "
            "the period's end still lack. Satisfaction: the return visits recorded in it."))
        self.targets = Section(_("Targets"), _("Each KPI that has a target for the period "
                                               "(a month, a quarter or a year), against it."),
                               chart=False)
        self.doctor = Section(_("Funnel doctor"), "", chart=False)
        self.anomalies = Section(_("Anomalies"), "", chart=False)
        self.correlations = Section(_("Correlations"), "", chart=False)
        self.reps = Section(_("Coaching: each rep against the rest of the team"), _(
            "Conversion: of the rep's deals that reached the stage and left it, the share "
            "that moved on. Median days: the rep's completed visits of the stage."),
            chart=False)
        self.coaching = Section(_("Coaching: training needs"), "", chart=False)
        self.plans = Section(_("Training plans"), _(
            "Each rep's figure at the stage in the 90 days before the training and in the "
            "90 days after it."), chart=False)
        if workspace.actor.role is Role.MANAGER:
            plan = QPushButton(_("Plan training…"))
            plan.setToolTip(_("For the training need chosen above, or any other"))
            plan.clicked.connect(self.plan_training)
            self.coaching.add_button(plan)
            edit_plan = QPushButton(_("Edit plan…"))
            edit_plan.clicked.connect(self.edit_plan)
            self.plans.add_button(edit_plan)
        if workspace.actor.role is Role.MANAGER:
            adjust = QPushButton(_("Your forecast…"))
            adjust.setToolTip(_("Your own forecast for a month, kept beside the computed one"))
            adjust.clicked.connect(self.adjust_forecast)
            self.forecast.add_button(adjust)
            rules = QPushButton(_("Funnel doctor rules…"))
            rules.setToolTip(_("The conditions and advice the doctor's suggestions come from"))
            rules.clicked.connect(self.edit_rules)
            self.doctor.add_button(rules)
            set_targets = QPushButton(_("Set targets…"))
            set_targets.clicked.connect(self.edit_targets)
            self.targets.add_button(set_targets)
        self.sections: dict[str, Section] = {
            "targets": self.targets, "doctor": self.doctor, "funnel": self.funnel,
            "time": self.time, "results": self.results, "forecast": self.forecast,
            "trends": self.trends, "sources": self.sources, "reasons": self.reasons,
            "owners": self.owners, "products": self.products, "anomalies": self.anomalies,
            "correlations": self.correlations, "coaching": self.coaching, "plans": self.plans,
            "money": self.money, "industries": self.industries, "regions": self.regions,
            "reps": self.reps}
        for section in self.sections.values():
            if section.chart is not None:  # said in the status bar, as the report is
                section.chart.saved.connect(lambda path: workspace.show_message(
                    _("Written: {path}").format(path=path)))
        body = QWidget()
        body.setObjectName("insights-body")
        column = QVBoxLayout(body)
        column.addWidget(self.summary)
        column.addWidget(self.problem)
        for section in (self.targets, self.doctor, self.funnel, self.time, self.results, self.forecast,
                        self.trends, self.sources, self.reasons, self.owners, self.products,
                        self.industries, self.regions, self.money,
                        self.anomalies, self.correlations, self.reps, self.coaching,
                        self.plans):
            column.addWidget(section)
        column.addStretch(1)
        self.scroller = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(scroll, 1)
        self._actions = [self.make_action(actions.SAVE_REPORT, self.save_report),
                         self.make_action(actions.SET_TARGETS, self.edit_targets),
                         self.make_action(actions.ADJUST_FORECAST, self.adjust_forecast),
                         self.make_action(actions.PLAN_TRAINING, self.plan_training),
                         self.make_action(actions.DOCTOR_RULES, self.edit_rules),
                         self.make_action(actions.RELOAD_INSIGHTS, self.reload)]
        if workspace.actor.role is not Role.MANAGER:  # what only a manager may change
            for action in self._actions[1:5]:
                action.setEnabled(False)
                action.setToolTip(_("Only a manager can change this."))
        self.shown: Insights | None = None
        self._reading = False
        self._again = False
        self.reload()

    def show_doctor_for(self, period: str, owners: tuple[int, ...] | None) -> None:
        """Shows the period and people the KPI pane shows, scrolled to the doctor."""
        self.period.setCurrentIndex(max(self.period.findData(period), 0))
        if self.owner.isEnabled():
            wanted = owners[0] if owners else None
            self.owner.setCurrentIndex(max(self.owner.findData(wanted), 0))
        self.scroller.ensureWidgetVisible(self.doctor.heading, 0, 0)

    def page_actions(self) -> list[QAction]:
        return self._actions

    def save_report(self) -> None:
        """The KPI report of what the page shows, as a PDF file the user names."""
        from funneldesk.ui.common.file_dialogs import save_file_name

        chosen, _filter = save_file_name(self, _("Save the KPI report"),
                                         _("{name}.pdf").format(name=_("KPI report")),
                                         _("PDF files (*.pdf)"))
        if not chosen:
            return
        make, grain = self._maker()[0], self.grain.currentData()
        owner = self.owner.currentText() if self.owner.currentData() is not None else None
        services, viewer = self.workspace.services, self.workspace.actor
        self.workspace.show_message(_("Writing the KPI report…"))
        run_in_background(
            lambda: services.analytics.write_report(
                make(services.analytics.today()), Path(chosen), grain=grain,
                owner_name=owner, viewer=viewer),
            lambda _done: self.workspace.show_message(_("Written: {path}").format(
                path=chosen)), self._report_failed, owner=self)

    def _report_failed(self, error: Exception) -> None:
        self.workspace.show_message("")
        if isinstance(error, FunnelDeskError):
            show_error(self, error)
            return
        show_bug(self, error)

    def _filters_changed(self) -> None:
        custom = self.period.currentData() == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self.reload()

    def request(self, today: dt.date | None = None) -> KpiRequest:
        """What the page reads, as of ``today`` (by default the team's, read now)."""
        return self._maker()[0](today or self.workspace.services.analytics.today())

    def _maker(self) -> tuple[Callable[[dt.date], KpiRequest],
                              tuple[dt.date, dt.date] | None]:
        """The request of the filters chosen, made from the team's today once that is
        read off the GUI thread; and the custom days, if chosen."""
        period, owner = self.period.currentData(), self.owner.currentData()
        custom = (_day(self.date_from.date()), _day(self.date_to.date())) \
            if period == "custom" else None
        pipeline, source, product = (self.pipeline.currentData(), self.source.currentData(),
                                     self.product.currentData())

        def make(today: dt.date) -> KpiRequest:
            first, last = custom if custom is not None else period_dates(period, today)
            return KpiRequest(pipeline, first, last, (owner,) if owner is not None else None,
                              source, product)
        return make, custom

    def reload(self) -> None:
        if self._reading:
            self._again = True
            return
        make, custom = self._maker()
        if custom is not None and custom[0] > custom[1]:
            self.problem.show_message(_("The period ends before it starts."))
            return
        self.problem.show_message("")
        self._reading = True
        services, grain = self.workspace.services, self.grain.currentData()
        viewer = self.workspace.actor
        run_in_background(lambda: services.analytics.insights(
            make(services.analytics.today()), grain=grain, viewer=viewer),
            self._show, self._failed, owner=self)

    def _failed(self, error: Exception) -> None:
        self._reading = False
        if isinstance(error, FunnelDeskError):
            self.problem.show_error(error)
        else:
            show_bug(self, error)
        if self._again:  # asked for meanwhile (another period): it may well be read
            self._again = False
            self.reload()

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        if changes.everything or changes.deal_ids or changes.stage_ids \
                or changes.activity_ids:
            self.reload_when_shown()

    def _show(self, insights: Insights) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.reload()
            return
        self.shown = insights
        k = insights.report.core
        self.summary.setText(" ".join(filter(None, [_(
            "{pipeline}: deals created {deals}, won {won}, lost {lost}; win rate {rate}."
        ).format(pipeline=k.pipeline, deals=formatting.number(k.deals.total),
                 won=formatting.number(k.deals.won), lost=formatting.number(k.deals.lost),
                 rate=tables.percent(k.win_rate)), tables.missing_rates(k.missing_rates)])))
        every = tables.all_tables(insights)
        for key, section in self.sections.items():
            section.show_table(every[key])
        since = formatting.date(k.date_from) if k.date_from else _("the start")
        until = formatting.date(k.date_to) if k.date_to else _("now")
        for key, (title, draw) in charts_of(insights).items():
            chart = self.sections[key].chart
            if chart is not None:  # the saved picture says what it shows
                chart.show_chart(draw, _("{chart} – {pipeline}, {first} – {last}").format(
                    chart=title, pipeline=k.pipeline, first=since, last=until))
        self.set_status_text(_("Figures in {currency}, days in {zone}").format(
            currency=k.currency, zone=k.zone))
        self.loaded.emit()

    def adjust_forecast(self) -> None:
        from funneldesk.ui.analytics.adjust_dialog import AdjustDialog

        if self.shown is None:
            return
        owner = self.owner.currentData()
        AdjustDialog(self.workspace, self.shown.report.core.pipeline_id, owner,
                     list(self.shown.forecast), self).exec()

    def _stages(self) -> list[tuple[int, str]]:
        if self.shown is None:
            return []
        return [(s.stage_id, s.name) for s in self.shown.report.core.stages]

    def plan_training(self) -> None:
        from funneldesk.ui.analytics.plan_dialog import PlanDialog

        needs = self.shown.report.training_needs if self.shown else ()
        rows = sorted({i.row() for i in self.coaching.table.selectionModel().selectedIndexes()})
        need = needs[rows[0]] if rows and rows[0] < len(needs) else None
        PlanDialog(self.workspace, self._stages(), need=need, parent=self).exec()

    def edit_plan(self) -> None:
        from funneldesk.ui.analytics.plan_dialog import PlanDialog

        plans = self.shown.plans if self.shown else ()
        rows = sorted({i.row() for i in self.plans.table.selectionModel().selectedIndexes()})
        if not rows or rows[0] >= len(plans):
            self.plans.say(_("Choose a plan in the list first."))
            return
        PlanDialog(self.workspace, self._stages(), plan=plans[rows[0]], parent=self).exec()

    def edit_rules(self) -> None:
        from funneldesk.ui.analytics.rules_dialog import RulesDialog

        RulesDialog(self.workspace, self._stages(), self).exec()
        self.reload()  # the suggestions follow the rules

    def edit_targets(self) -> None:
        from funneldesk.ui.analytics.targets_dialog import TargetsDialog

        TargetsDialog(self.workspace, self.pipeline.currentData(), self).exec()

def _day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())
