"""The Forecast page: a pipeline's open deals in columns by the month they are expected to
close, each month with its count, total and weighted total (as Pipedrive's forecast view
shows them). Dragging a card to another month changes its expected close date, as one
undoable step; double-clicking one opens the deal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError
from funneldesk.i18n import _, ngettext
from funneldesk.services.activities.forecast_records import (
    MONTHS_SHOWN,
    PAST,
    UNDATED,
    CloseDateResult,
    Forecast,
    ForecastCard,
    add_months,
    day_in_month,
)
from funneldesk.services.dto import ChangeSet
from funneldesk.ui.activities import actions
from funneldesk.ui.activities.forecast_column import (
    CardRole,
    ForecastColumnWidget,
    column_title,
)
from funneldesk.ui.activities.scope import pipeline_combo, whose_combo
from funneldesk.ui.common.background import run_in_background
from funneldesk.ui.common.errors import show_error
from funneldesk.ui.common.page import Page, Workspace


class ForecastPage(Page):
    key = "forecast"

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        services, actor = workspace.services, workspace.actor
        self._reading = 0
        self.forecast: Forecast | None = None
        self.first_month = dt.date.today().replace(day=1)
        self.columns: list[ForecastColumnWidget] = []
        self.pipeline = pipeline_combo(services)
        self.whose = whose_combo(services, actor, _("Mine and my deal teams"))
        for combo in (self.pipeline, self.whose):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self._actions = [self.make_action(actions.EARLIER, lambda: self.shift(-1)),
                         self.make_action(actions.THIS_MONTH, lambda: self.shift(0)),
                         self.make_action(actions.LATER, lambda: self.shift(1)),
                         self.make_action(actions.RELOAD_FORECAST, self.reload)]
        self.range = QLabel()
        self.range.setContentsMargins(8, 0, 8, 0)
        self._tools = QToolBar(_("Forecast"))
        self._tools.setObjectName("forecast-tools")
        for label, widget in ((_("Pipeline:"), self.pipeline), (_("Whose:"), self.whose)):
            self._tools.addWidget(QLabel(f" {label} "))
            self._tools.addWidget(widget)
        self._tools.addSeparator()
        for action in self._actions[:3]:
            self._tools.addAction(action)
        self._tools.addWidget(self.range)
        self.strip = QWidget()
        self.row = QHBoxLayout(self.strip)
        self.row.setContentsMargins(4, 4, 4, 4)
        self.row.setSpacing(6)
        self.row.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.strip)
        self.notice = QLabel(_("Open deals by the month they are expected to close. Drag a "
                               "card to another month to change its expected close date."))
        self.notice.setStyleSheet("color: palette(mid)")
        self.notice.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(scroll, 1)
        self.reload()

    # --- the page's frame -----------------------------------------------------------
    def page_actions(self) -> list[QAction]:
        return self._actions

    def tool_bar(self) -> QToolBar:
        return self._tools

    def apply_changes(self, changes: ChangeSet, origin: object) -> None:
        if changes.everything or changes.deal_ids:
            self.reload_when_shown()

    # --- reading --------------------------------------------------------------------
    def shift(self, months: int) -> None:
        """Shows the months ``months`` earlier or later (0: from this month on)."""
        today = dt.date.today().replace(day=1)
        self.first_month = today if months == 0 else add_months(self.first_month, months)
        self.reload()

    def reload(self) -> None:
        pipeline_id = self.pipeline.currentData()
        if pipeline_id is None:
            return
        self._reading += 1
        reading, first = self._reading, self.first_month
        user_id = int(self.whose.currentData())
        forecast = self.workspace.services.forecast
        last = add_months(first, MONTHS_SHOWN - 1)
        self.range.setText(_("{first} to {last}").format(
            first=formatting.month(first), last=formatting.month(last)))
        run_in_background(lambda: forecast.board(int(pipeline_id), first, user_id=user_id),
                          lambda board: self._show(reading, board), self._failed, owner=self)

    def _show(self, reading: int, forecast: Forecast) -> None:
        if reading != self._reading:
            return
        self.forecast = forecast
        if len(self.columns) != len(forecast.columns):
            self._build(forecast)
        for widget, column in zip(self.columns, forecast.columns, strict=True):
            widget.show_column(column, forecast.base_currency, forecast.first_month)
        count = sum(len(c.cards) for c in forecast.columns)
        self.set_status_text(ngettext("{n} open deal", "{n} open deals", count).format(
            n=formatting.number(count)))
        self.firstPainted.emit()

    def _build(self, forecast: Forecast) -> None:
        """The page's columns, made once (and again only if their number changed)."""
        for widget in self.columns:
            self.row.removeWidget(widget)
            widget.deleteLater()
        self.columns = []
        for position, column in enumerate(forecast.columns):
            widget = ForecastColumnWidget(column, forecast.base_currency,
                                          forecast.first_month)
            # each after the view's own event has returned: a refusal's box or the deal's
            # form runs an event loop of its own
            widget.view.cardDropped.connect(
                lambda deal_id, version, source, w=widget:
                self._later(lambda: self.drop(deal_id, version, source, w.column.key)))
            widget.view.doubleClicked.connect(self._open_later)
            self.row.insertWidget(position, widget, 1)
            self.columns.append(widget)

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, FunnelDeskError):
            raise error
        show_error(self, error)

    # --- acting ---------------------------------------------------------------------
    def card(self, deal_id: int) -> ForecastCard | None:
        if self.forecast is None:
            return None
        return next((card for column in self.forecast.columns for card in column.cards
                     if card.deal_id == deal_id), None)

    def drop(self, deal_id: int, version: int, source: str, target: str) -> None:
        """A card of ``source`` dropped on the column ``target``: its new expected date."""
        card = self.card(deal_id)
        column = next((c for c in (self.forecast.columns if self.forecast else ())
                       if c.key == target), None)
        if source == target or target == PAST or card is None or column is None:
            return
        day = None if target == UNDATED or column.month is None else \
            day_in_month(column.month, card.expected_close, dt.date.today())
        forecast, runner, by = self.workspace.services.forecast, self.workspace.runner, \
            self.workspace.actor

        def set_back(result: CloseDateResult) -> CloseDateResult:
            return forecast.set_close_date(
                result.deal_id, result.before,
                expected_version=runner.own_version(result.deal_id, result.version), by=by,
                restoring=True)

        text = (_("Clear the close date of “{title}”").format(title=card.title) if day is None
                else _("Expect “{title}” in {month}").format(title=card.title,
                                                            month=column_title(column)))
        runner.run(text,
                   lambda: forecast.set_close_date(
                       deal_id, day, expected_version=runner.own_version(deal_id, version),
                       by=by),
                   undo=set_back, redo=set_back, parent=self)

    def _later(self, then: Callable[[], None]) -> None:
        QTimer.singleShot(0, self, then)

    def _open_later(self, index: QModelIndex) -> None:
        card = index.data(CardRole)
        self._later(lambda: self._open(card))

    def _open(self, card: object) -> None:
        if isinstance(card, ForecastCard):
            self.workspace.open_record("deal", card.deal_id)
