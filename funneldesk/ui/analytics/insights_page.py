"""The Insights page: every KPI with its chart and the numbers under it, for a period,
pipeline, owner, source and product; the funnel doctor's findings, anomalies,
correlations and training needs. Read off the GUI thread, again after every change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
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
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext, pgettext
from funneldesk.services.analytics.definitions import definition
from funneldesk.services.analytics.records import Insights, KpiRequest
from funneldesk.services.dto import ChangeSet
from funneldesk.ui.analytics.chart_view import ChartView
from funneldesk.ui.analytics.figure_table import Cell, FigureTable
from funneldesk.ui.analytics.periods import PERIODS, period_dates
from funneldesk.ui.analytics.shown import (
    NO_DATA,
    days_text,
    missing_rates_text,
    money_text,
    month_label,
    percent_text,
)
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.errors import show_bug
from funneldesk.ui.common.fields import long_year_format
from funneldesk.ui.common.page import Page, Workspace

ANOMALIES_SHOWN = 12  # the furthest from their range: the rest say little more


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
        self.heading.setToolTip(tip)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()
        self.chart = ChartView(260) if chart else None
        self.table = FigureTable()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addStretch(1)
        if self.chart is not None:
            self.chart.setToolTip(tip)
            save = QPushButton(_("Save chart as PNG…"))
            save.clicked.connect(self.chart.save_png)
            head.addWidget(save)
        layout.addLayout(head)
        layout.addWidget(self.note)
        if self.chart is not None:
            layout.addWidget(self.chart)
        layout.addWidget(self.table)

    def say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))


class InsightsPage(Page):
    key = "insights"
    loaded = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        services = workspace.services
        self.period = QComboBox()
        for code, label in PERIODS:
            self.period.addItem(label(), code)
        self.period.setToolTip(definition("period").shown())
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
        self.owner.setToolTip(definition("owner").shown())
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
        self.doctor = Section(_("Funnel doctor"), "", chart=False)
        self.anomalies = Section(_("Anomalies"), "", chart=False)
        self.correlations = Section(_("Correlations"), "", chart=False)
        self.coaching = Section(_("Coaching: training needs"), "", chart=False)
        body = QWidget()
        body.setObjectName("insights-body")
        column = QVBoxLayout(body)
        column.addWidget(self.summary)
        column.addWidget(self.problem)
        for section in (self.doctor, self.funnel, self.time, self.results, self.forecast,
                        self.trends, self.sources, self.reasons, self.owners, self.products,
                        self.anomalies, self.correlations, self.coaching):
            column.addWidget(section)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(scroll, 1)
        self.shown: Insights | None = None
        self._reading = False
        self._again = False
        self.reload()

    def _filters_changed(self) -> None:
        custom = self.period.currentData() == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self.reload()

    def request(self) -> KpiRequest:
        first: dt.date | None
        last: dt.date | None
        if self.period.currentData() == "custom":
            first = _day(self.date_from.date())
            last = _day(self.date_to.date())
        else:
            first, last = period_dates(self.period.currentData(), dt.date.today())
        owner = self.owner.currentData()
        return KpiRequest(self.pipeline.currentData(), first, last,
                          (owner,) if owner is not None else None, self.source.currentData(),
                          self.product.currentData())

    def reload(self) -> None:
        if self._reading:
            self._again = True
            return
        request = self.request()
        if request.date_from and request.date_to and request.date_from > request.date_to:
            self.problem.show_message(_("The period ends before it starts."))
            return
        self.problem.show_message("")
        self._reading = True
        services, grain = self.workspace.services, self.grain.currentData()
        run_in_background(lambda: services.analytics.insights(request, grain=grain),
                          self._show, self._failed, owner=self)

    def _failed(self, error: Exception) -> None:
        self._reading = False
        if isinstance(error, FunnelDeskError):
            self.problem.show_error(error)
            return
        show_bug(self, error)

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
                 rate=percent_text(k.win_rate)), missing_rates_text(k.missing_rates)])))
        from funneldesk.charts import figures as charts

        stages = k.stages
        names = [s.name for s in stages]
        self.funnel.chart.show_chart(  # type: ignore[union-attr]
            lambda size, dpi: charts.funnel(names, [s.reached for s in stages],
                                            [s.conversion_to_next for s in stages],
                                            size=size, dpi=dpi),
            _("Funnel"))
        self.funnel.table.show_rows(
            [_("Stage"), _("Reached"), _("To next"), _("Open now"), _("Open value")],
            [[s.name, formatting.number(s.reached), percent_text(s.conversion_to_next),
              formatting.number(s.open_now), money_text(s.open_value, k.currency)]
             for s in stages])
        self.time.chart.show_chart(  # type: ignore[union-attr]
            lambda size, dpi: charts.stage_times(names, [s.days.median for s in stages],
                                                 [s.rot_days for s in stages],
                                                 size=size,
                                                 dpi=dpi), _("Time in stage"))
        self.time.table.show_rows(
            [_("Stage"), _("Median days"), _("Mean days"), _("Visits"), _("Rot limit")],
            [[s.name, days_text(s.days.median), days_text(s.days.mean),
              formatting.number(s.days.n), str(s.rot_days) if s.rot_days else NO_DATA]
             for s in stages])
        self.results.table.show_rows([_("Figure"), _("Value")], [
            [_("Deals created"), formatting.number(k.deals.total)],
            [_("Open at the end"), formatting.number(k.deals.open)],
            [_("Won"), formatting.number(k.deals.won)],
            [_("Lost"), formatting.number(k.deals.lost)],
            [_("Win rate"), percent_text(k.win_rate)],
            [_("Sales cycle, mean (days)"), days_text(k.cycle.mean)],
            [_("Sales cycle, median (days)"), days_text(k.cycle.median)],
            [_("Won value"), money_text(k.won_value, k.currency)],
            [_("Weighted pipeline"), money_text(k.weighted_pipeline, k.currency)]])
        self._show_forecast(insights, charts)
        self._show_trends(insights, charts)
        self._show_breakdowns(insights, charts)
        self._show_doctor(insights)
        self.set_status_text(_("Figures in {currency}, days in {zone}").format(
            currency=k.currency, zone=k.zone))
        self.loaded.emit()

    def _show_forecast(self, insights: Insights, charts: Any) -> None:
        k, months = insights.report.core, insights.forecast
        dated = [m for m in months if m.start is not None]
        self.forecast.chart.show_chart(  # type: ignore[union-attr]
            lambda size, dpi: charts.columns(
                [formatting.month_short(m.start) for m in dated if m.start],
                [(_("Weighted"), [_float(m.weighted) for m in dated]),
                 (_("Total"), [_float(m.value) for m in dated])],
                value_text=lambda v: formatting.number(int(v)),
                size=size, dpi=dpi), _("Forecast"))
        self.forecast.table.show_rows(
            [_("Expected close"), pgettext("kpi", "Deals"), _("Total"), _("Weighted")],
            [[month_label(m), formatting.number(m.deals), money_text(m.value, k.currency),
              money_text(m.weighted, k.currency)] for m in months])

    def _show_trends(self, insights: Insights, charts: Any) -> None:
        points, weekly = insights.trends, insights.grain == "week"

        def label(day: dt.date) -> str:
            return formatting.date_short(day) if weekly else formatting.month_short(day)

        self.trends.chart.show_chart(  # type: ignore[union-attr]
            lambda size, dpi: charts.columns(
                [label(p.start) for p in points],
                [(pgettext("kpi", "Created"), [float(p.created) for p in points]),
                 (_("Won"), [float(p.won) for p in points]),
                 (_("Lost"), [float(p.lost) for p in points])],
                line=(_("Win rate"), [p.win_rate for p in points]),
                size=size, dpi=dpi), _("Trends"))
        currency = insights.report.core.currency
        self.trends.table.show_rows(
            [_("Week of") if weekly else _("Month"), pgettext("kpi", "Created"), _("Won"), _("Lost"),
             _("Win rate"), _("Won value")],
            [[label(p.start), formatting.number(p.created), formatting.number(p.won),
              formatting.number(p.lost), percent_text(p.win_rate),
              money_text(p.won_value, currency)] for p in points])

    def _show_breakdowns(self, insights: Insights, charts: Any) -> None:
        k = insights.report.core
        sources = k.by_source
        self.sources.chart.show_chart(  # type: ignore[union-attr]
            lambda size, dpi: charts.bars([s.source for s in sources],
                                          [s.conversion for s in sources],
                                          value_text=formatting.percent,
                                          size=size,
                                          dpi=dpi), _("Lead-source conversion"))
        self.sources.table.show_rows(
            [_("Lead source"), _("Deals created"), _("Won"), _("Conversion")],
            [[s.source, formatting.number(s.deals), formatting.number(s.won),
              percent_text(s.conversion)] for s in sources])
        reasons = k.lost_reasons
        self.reasons.chart.show_chart(  # type: ignore[union-attr]
            lambda size, dpi: charts.bars([r.reason for r in reasons],
                                          [float(r.count) for r in reasons],
                                          value_text=lambda v: formatting.number(int(v)),
                                          size=size, dpi=dpi),
            _("Lost reasons"))
        self.reasons.table.show_rows([_("Reason"), pgettext("kpi", "Deals")],
                                     [[r.reason, formatting.number(r.count)] for r in reasons])
        owners = k.by_owner
        self.owners.chart.show_chart(  # type: ignore[union-attr]
            lambda size, dpi: charts.bars([o.owner for o in owners],
                                          [o.win_rate for o in owners],
                                          value_text=formatting.percent,
                                          size=size, dpi=dpi),
            _("Win rate by owner"))
        self.owners.table.show_rows(
            [_("Owner"), _("Deals created"), _("Won"), _("Lost"), _("Win rate"),
             _("Won value"), _("Cycle, mean"), _("Cycle, median")],
            [[o.owner, formatting.number(o.deals), formatting.number(o.won),
              formatting.number(o.lost), percent_text(o.win_rate),
              money_text(o.won_value, k.currency), days_text(o.cycle.mean),
              days_text(o.cycle.median)] for o in owners])
        self.products.table.show_rows(
            [_("Product"), _("Won"), _("Lost"), pgettext("kpi", "Open"), _("Win rate"), _("Won value")],
            [[p.product, formatting.number(p.won), formatting.number(p.lost),
              formatting.number(p.open), percent_text(p.win_rate),
              money_text(p.won_value, k.currency)] for p in k.by_product])

    def _show_doctor(self, insights: Insights) -> None:
        report = insights.report
        b = report.bottleneck
        if b is None:
            self.doctor.say(_("No bottleneck: every stage is within a tenth of its "
                              "reference (its target, the year before, its rot limit or "
                              "the other stages)."))
            self.doctor.table.show_rows([], [])
        else:
            lines = [b.reason_label]
            if b.lost_reasons:
                lines.append(_("Lost there: {reasons}.").format(reasons=formatting.listing(
                    [f"{r.reason} ({formatting.number(r.count)})" for r in b.lost_reasons])))
            if b.stuck:
                lines.append(ngettext("{n} deal there is past the rot limit now.",
                                      "{n} deals there are past the rot limit now.",
                                      b.stuck).format(n=formatting.number(b.stuck)))
            lines += [f"→ {advice}" for advice in b.suggestions]
            self.doctor.say("\n".join(lines))
            self.doctor.table.show_rows(
                [_("Over-represented among deals lost or stuck there"), _("Of those"),
                 _("Of all in the stage"), _("Times as common"), _("p")],
                [[f"{_dimension(c.dimension)}: {c.label}",
                  f"{c.stuck_or_lost} / {c.group}", f"{c.in_stage} / {c.population}",
                  formatting.decimal(c.lift, 2), _p(c.p_value)] for c in b.causes],
                (False, True, True, True, True))
        self._rows(self.anomalies, report.anomalies[:ANOMALIES_SHOWN],
                   _("No value outside its expected range."),
                   [_("Series"), _("Week or month of"), _("Value"), _("Expected"), _("z")],
                   lambda a: [f"{a.series_label}" + (f" · {a.key_label}" if a.key_label
                                                     else ""),
                              formatting.date(a.start), formatting.number(a.value),
                              f"{formatting.decimal(a.low)}–{formatting.decimal(a.high)}",
                              formatting.decimal(a.z, 1)],
                   (False, False, True, True, True))
        self._rows(self.correlations, report.correlations, _("Too few closed deals to test."),
                   [_("Outcome"), _("Factor"), _("What it means"), pgettext("kpi", "Deals"), _("p")],
                   lambda c: [_("Winning") if c.outcome == "win" else _("Sales cycle"),
                              c.factor_label, (c.summary, c.summary),
                              formatting.number(c.n), _p(c.p_value)],
                   (False, False, False, True, True))
        self._rows(self.coaching, report.training_needs,
                   _("No rep is significantly below the rest of the team at any stage."),
                   [_("Rep"), _("Stage"), _("Figure"), _("Rep"), _("Rest of the team"),
                    _("Deals or visits"), _("p"), _("Suggested topics")],
                   lambda t: [t.owner, t.stage,
                              _("Conversion") if t.kpi == "conversion" else _("Median days"),
                              percent_text(t.rep_value) if t.kpi == "conversion"
                              else days_text(t.rep_value),
                              percent_text(t.team_value) if t.kpi == "conversion"
                              else days_text(t.team_value),
                              f"{t.n} / {t.team_n}", _p(t.p_value),
                              "; ".join(t.topics)],
                   (False, False, False, True, True, True, True, False))

    @staticmethod
    def _rows(section: Section, items: Sequence[Any], empty: str, headers: Sequence[str],
              row: Callable[[Any], list[Cell]], numeric: Sequence[bool]) -> None:
        section.say("" if items else empty)
        section.table.show_rows(headers, [row(item) for item in items], numeric)
        section.table.setVisible(bool(items))


def _day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else formatting.decimal(value, 3)


def _dimension(code: str) -> str:
    return {"source": _("Lead source"), "product": _("Product"), "owner": _("Owner"),
            "size": _("Deal size")}[code]
