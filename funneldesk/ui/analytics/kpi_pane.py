"""The KPI pane, docked beside the board: the funnel, the results, the forecast and the
funnel doctor's headline, with the numbers under each chart. A manager sees the team's
(or a rep's, as chosen); a rep sees their own by default. This month by default, each KPI
that has a target in its green, amber or red.

It is computed and its charts drawn in one job off the GUI thread, again as soon as any
change is saved (a move, an edit, an import): a change during a read reads once more
when that read is done."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.enums import Role
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, pgettext
from funneldesk.services.analytics.definitions import definition
from funneldesk.services.analytics.records import KpiRequest, PaneFigures, Standing
from funneldesk.services.analytics.tables import (
    missing_rates,
    month_label,
    no_bottleneck,
    percent,
    target_tip,
)
from funneldesk.services.dto import ChangeSet
from funneldesk.ui.analytics.chart_view import ChartView
from funneldesk.ui.analytics.figure_table import Cell, FigureTable
from funneldesk.ui.analytics.periods import PERIODS, period_dates
from funneldesk.ui.analytics.shown import (
    STATUS_COLOURS,
    money_compact,
    money_short,
    wrapped,
)
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.errors import show_bug
from funneldesk.ui.common.page import Pane, Workspace

PANE_PERIODS = ("this_month", "this_quarter", "this_year", "all")


class KpiPane(Pane):
    loaded = Signal()  # what was read is shown, charts included

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.whose = QComboBox()
        self.whose.addItem(_("Everyone"), None)
        self.whose.addItem(_("Mine"), (workspace.actor.id,))
        self.whose.setCurrentIndex(0 if workspace.actor.role is Role.MANAGER else 1)
        # a rep reads their own figures only (the service holds them to that too)
        self.whose.setEnabled(workspace.actor.role is Role.MANAGER)
        self.whose.setToolTip(wrapped(definition("scope").shown()))
        self.whose.currentIndexChanged.connect(lambda _i: self.reload())
        self.period = QComboBox()
        for code, name in PERIODS:
            if code in PANE_PERIODS:
                self.period.addItem(name(), code)
        self.period.setCurrentIndex(self.period.findData("this_month"))
        self.period.setToolTip(wrapped(definition("period").shown()))
        self.period.currentIndexChanged.connect(lambda _i: self.reload())
        self.tiles: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        for n, code in enumerate(("won_value", "win_rate", "deals", "weighted_pipeline")):
            value = QLabel("–")
            value.setObjectName(f"tile-{code}")
            # a long amount is cut, not the pane: its whole text is in the tooltip too
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.35)
            value.setFont(font)
            caption = QLabel(_(definition(code).title) if code != "deals"
                             else _("Deals created"))
            caption.setStyleSheet("color: palette(mid);")
            caption.setWordWrap(True)
            caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            for label in (value, caption):
                label.setToolTip(wrapped(definition(code).shown()))
            grid.addWidget(value, (n // 2) * 2, n % 2)
            grid.addWidget(caption, (n // 2) * 2 + 1, n % 2)
            self.tiles[code] = value
        self.missing = QLabel()  # which currencies have no rate: totals left unknown
        self.missing.setWordWrap(True)
        self.missing.hide()
        self.headline = QLabel(_("Reading the figures…"))
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setObjectName("doctor-headline")
        self.details = QLabel(_('<a href="#insights">Causes and advice on the Insights '
                                'page</a>'))
        self.details.setWordWrap(True)
        self.details.linkActivated.connect(lambda _link: self._open_insights())
        self.funnel = ChartView(190)
        self.funnel.setToolTip(wrapped(definition("reached").shown()))
        self.funnel_table = FigureTable(narrow=True)
        self.forecast = ChartView(170)
        self.forecast.setToolTip(wrapped(definition("weighted_pipeline").shown()))
        self.forecast_table = FigureTable(narrow=True)
        self.problem = ErrorLabel()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        choices = QHBoxLayout()
        for box in (self.whose, self.period):
            # the dock may be narrow: the boxes give way rather than cut the pane off
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(4)
            choices.addWidget(box, 1)
        layout.addLayout(choices)
        layout.addLayout(grid)
        layout.addWidget(self.missing)
        layout.addWidget(_line())
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        layout.addWidget(self.funnel)
        layout.addWidget(self.funnel_table)
        layout.addWidget(self.forecast)
        layout.addWidget(self.forecast_table)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.figures: PaneFigures | None = None
        self.reload()

    def request(self, today: dt.date | None = None) -> KpiRequest:
        """What the pane reads, as of ``today`` (by default the team's, read now)."""
        return _request(self.period.currentData(), self.whose.currentData(),
                        today or self.workspace.services.analytics.today())

    def has_read(self) -> bool:
        return self.figures is not None

    def start_read(self) -> None:
        """Reads the figures and draws the charts again; the team's day, which the period
        counts from, is read with them (a read on the GUI thread could fail there)."""
        services, viewer = self.workspace.services, self.workspace.actor
        period, owners = self.period.currentData(), self.whose.currentData()
        funnel_size, forecast_size = self.funnel.size_now(), self.forecast.size_now()

        def work() -> tuple[PaneFigures, object, object]:
            from funneldesk.charts.render import pixels

            request = _request(period, owners, services.analytics.today())
            figures = services.analytics.pane(request, viewer=viewer)
            return (figures, pixels(_funnel(figures)(*funnel_size)),
                    pixels(_forecast(figures)(*forecast_size)))

        run_in_background(work, self._show, self._failed, owner=self)

    def _show(self, result: tuple[PaneFigures, object, object]) -> None:
        if not self.read_ended():
            return
        figures, funnel, forecast = result
        self.figures = figures
        self.problem.show_message("")
        k = figures.core
        self.tiles["win_rate"].setText(percent(k.win_rate))
        self.tiles["won_value"].setText(money_compact(k.won_value, k.currency))
        self.tiles["weighted_pipeline"].setText(
            money_compact(k.weighted_pipeline, k.currency))
        self.tiles["deals"].setText(formatting.number(k.deals.total))
        standing = {(s.kpi, s.stage_id): s for s in figures.standings}
        for code, kpi, shown in (
                ("won_value", "won_value",
                 lambda v: money_short(Decimal(str(round(v, 2))), k.currency)),
                ("deals", "deals_created", lambda v: formatting.decimal(v))):
            self._colour(self.tiles[code], standing.get((kpi, None)), shown,
                         definition(code).shown())
        self.missing.setText(missing_rates(k.missing_rates))
        self.missing.setVisible(bool(k.missing_rates))
        self.headline.setText(figures.headline or no_bottleneck(figures.judged))
        self.funnel.show_drawn(_funnel(figures), funnel, _("Funnel"))
        self.funnel_table.show_rows(
            [_("Stage"), _("Reached"), _("To next")],
            [[s.name, formatting.number(s.reached),
              _against(percent(s.conversion_to_next),
                       standing.get(("conversion", s.stage_id)), formatting.percent)]
             for s in k.stages])
        self.forecast.show_drawn(_forecast(figures), forecast, _("Forecast"))
        self.forecast_table.show_rows(
            [_("Month"), pgettext("kpi", "Deals"), _("Weighted")],
            [[month_label(m), formatting.number(m.deals),
              money_short(m.weighted, k.currency)] for m in figures.forecast])
        self.loaded.emit()

    @staticmethod
    def _colour(label: QLabel, standing: Standing | None, shown: Any, definition: str) -> None:
        """A tile in its target's colour, the target in its tooltip."""
        if standing is None:
            label.setStyleSheet("")
            label.setToolTip(wrapped(definition))
            return
        label.setStyleSheet(f"color: {STATUS_COLOURS.get(standing.status, '')};")
        label.setToolTip(wrapped(target_tip(standing, shown(standing.target)) + "\n\n"
                                 + definition))

    def _failed(self, error: Exception) -> None:
        self.read_ended()
        if isinstance(error, FunnelDeskError):
            self.problem.show_error(error)
            return
        show_bug(self, error)

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        if changes.everything or changes.deal_ids or changes.stage_ids:
            self.reload()

    def _open_insights(self) -> None:
        """The Insights page on the pane's period and people, at the doctor's findings."""
        if self.workspace.go_to_page is None:
            return
        page = self.workspace.go_to_page("insights")
        show = getattr(page, "show_doctor_for", None)
        if show is not None:
            show(self.period.currentData(), self.whose.currentData())


def _request(period: str, owners: tuple[int, ...] | None, today: dt.date) -> KpiRequest:
    first, last = period_dates(period, today)
    return KpiRequest(date_from=first, date_to=last, owner_ids=owners)


def _against(text: str, standing: Standing | None, shown: Any) -> Cell:
    """A table cell in its target's colour, the target in its tooltip."""
    if standing is None:
        return text
    return (text, target_tip(standing, shown(standing.target)),
            STATUS_COLOURS.get(standing.status, ""))


def _funnel(figures: PaneFigures) -> Any:
    from funneldesk.charts import figures as charts

    stages = figures.core.stages
    goals = {s.stage_id: s.target for s in figures.standings if s.kpi == "conversion"}
    return lambda size, dpi: charts.funnel(
        [s.name for s in stages], [s.reached for s in stages],
        [s.conversion_to_next for s in stages], targets=[goals.get(s.stage_id) for s in stages],
        title=_("Funnel"), size=size, dpi=dpi, compact=True)


def _forecast(figures: PaneFigures) -> Any:
    from funneldesk.charts import figures as charts

    months = [m for m in figures.forecast if m.start is not None]
    return lambda size, dpi: charts.columns(
        [formatting.month_short(m.start, year=False) for m in months if m.start is not None],
        [(_("Weighted"), [float(m.weighted) if m.weighted is not None else None
                          for m in months])],
        title=_("Forecast by expected close"), size=size, dpi=dpi, compact=True)


def _line() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
