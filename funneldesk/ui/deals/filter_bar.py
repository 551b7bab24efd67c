"""The deals list's filters: pipeline, stage, owner, outcomes and one date period, and
the saved views."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QPushButton,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _
from funneldesk.services.dto import DateRange, Outcome, PipelineInfo, UserInfo
from funneldesk.ui.common.fields import OptionalDateEdit, shrinking_combo, whole_choices
from funneldesk.ui.common.flow_layout import FlowLayout, group
from funneldesk.ui.deals.columns import outcome_label
from funneldesk.ui.deals.views import (
    DATE_FIELDS,
    PERIODS,
    ListView,
    days_of,
    period_range,
    with_days,
)

_OUTCOMES_WIDTH = 170  # pixels of the outcome button's text
TEAM = "team"  # the owner box's "Mine and my deal teams"


class FilterBar(QWidget):
    """Edits a ListView; ``changed`` whenever the user changes a filter."""

    changed = Signal()

    def __init__(self, me: int = 0, parent: QWidget | None = None) -> None:
        """``me``: the user whose deals "Mine and my deal teams" shows."""
        super().__init__(parent)
        self._me = me
        self._pipelines: tuple[PipelineInfo, ...] = ()
        self._view = ListView()
        self.pipeline = shrinking_combo(_("Pipeline"))
        self.stage = shrinking_combo(_("Stage"))
        self.owner = shrinking_combo(_("Owner"))
        self.outcomes = QPushButton()  # draws its menu arrow beside the text, not over it
        self.outcomes.setAccessibleName(_("Outcome"))
        menu = QMenu(self.outcomes)
        self.outcome_actions: dict[Outcome, QAction] = {}
        for outcome in Outcome:
            action = menu.addAction(outcome_label(outcome))
            action.setCheckable(True)
            action.toggled.connect(lambda _checked: self._edited())
            self.outcome_actions[outcome] = action
        self.outcomes.setMenu(menu)
        self.date_field = shrinking_combo(_("Date"))
        self.date_field.addItem(_("Any date"), "")
        for key, label in DATE_FIELDS.items():
            self.date_field.addItem(_(label), key)
        self.period = shrinking_combo(_("Period"))
        for key, label in PERIODS.items():
            self.period.addItem(_(label), key)
        # typed as text (or picked from a calendar), checked when typing is over: a date
        # edit's sections turned a typed year or an end before the start into another day
        self.start, self.end = OptionalDateEdit("start"), OptionalDateEdit("end")
        for edit, name in ((self.start, _("From")), (self.end, _("To"))):
            edit.setAccessibleName(name)
            edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("2026/12/31") + 60)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828")
        layout = FlowLayout(self)  # wraps beside a docked pane rather than widen the window
        layout.setContentsMargins(6, 4, 6, 4)
        for label, widget in ((_("Pipeline:"), self.pipeline), (_("Stage:"), self.stage),
                              (_("Owner:"), self.owner)):
            whole_choices(widget)
            layout.add(group(_label(label, widget), widget))
        layout.add(self.outcomes)
        for combo in (self.date_field, self.period):
            whole_choices(combo)
        self._dash = QLabel("–")
        layout.add(group(self.date_field, self.period, self.start, self._dash, self.end))
        layout.add(self.problem)
        kept: tuple[QWidget, ...] = (self.period, self.start, self._dash, self.end)
        for hideable in kept:  # hidden, they keep their place: the bar never jumps
            policy = hideable.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            hideable.setSizePolicy(policy)
        self.pipeline.currentIndexChanged.connect(lambda _i: self._pipeline_changed())
        for combo in (self.stage, self.owner, self.date_field):
            combo.currentIndexChanged.connect(lambda _i: self._edited())
        self._period_key = str(self.period.currentData())
        self.period.currentIndexChanged.connect(lambda _i: self._period_changed())
        for edit in (self.start, self.end):
            edit.edited.connect(self._dates_edited)

    # --- filling and reading ---------------------------------------------------------

    def set_choices(self, pipelines: tuple[PipelineInfo, ...], owners: tuple[UserInfo, ...]) -> None:
        self._pipelines = pipelines
        self._quietly(lambda: self._fill_choices(owners))

    def _fill_choices(self, owners: tuple[UserInfo, ...]) -> None:
        self.pipeline.clear()
        self.pipeline.addItem(_("All pipelines"), None)
        for pipeline in self._pipelines:
            self.pipeline.addItem(pipeline.name, pipeline.id)
        self.owner.clear()
        self.owner.addItem(_("Everyone"), None)
        if self._me:
            self.owner.addItem(_("Mine and my deal teams"), TEAM)
        for user in owners:
            self.owner.addItem(user.display_name, user.id)
        self._show(self._view)

    def _fill_stages(self) -> None:
        self.stage.clear()
        self.stage.addItem(_("All stages"), None)
        chosen = self.pipeline.currentData()
        several = chosen is None and len(self._pipelines) > 1
        for pipeline in self._pipelines:
            if chosen is not None and pipeline.id != chosen:
                continue
            for stage in pipeline.stages:
                name = (_("{pipeline} ▸ {stage}").format(pipeline=pipeline.name, stage=stage.name)
                        if several else stage.name)
                self.stage.addItem(name, stage.id)

    def view(self) -> ListView:
        """The view the bar shows (its query's sort as it was set)."""
        query = replace(
            self._view.query, pipeline_id=self.pipeline.currentData(),
            stage_ids=frozenset({self.stage.currentData()} - {None}),
            owner_ids=frozenset({self.owner.currentData()} - {None, TEAM}),
            team_of=self._me if self.owner.currentData() == TEAM else None,
            outcomes=frozenset(o for o, a in self.outcome_actions.items() if a.isChecked()),
            created=DateRange(), expected_close=DateRange(), closed=DateRange())
        field, period = self.date_field.currentData() or "", self.period.currentData()
        if field and period == "custom":
            typed = self._typed_days()
            days = typed if typed is not None else days_of(self._view.query, field)
            query = with_days(query, field, days)
        return ListView(query, field, period)

    def set_view(self, view: ListView) -> None:
        self._view = view
        self._quietly(lambda: self._show(view))

    def _show(self, view: ListView) -> None:
        query = view.query
        self.pipeline.setCurrentIndex(max(0, self.pipeline.findData(query.pipeline_id)))
        self._fill_stages()
        stage = next(iter(query.stage_ids), None)
        self.stage.setCurrentIndex(max(0, self.stage.findData(stage)))
        owner = TEAM if query.team_of is not None else next(iter(query.owner_ids), None)
        self.owner.setCurrentIndex(max(0, self.owner.findData(owner)))
        for outcome, action in self.outcome_actions.items():
            action.setChecked(outcome in query.outcomes)
        self.date_field.setCurrentIndex(max(0, self.date_field.findData(view.date_field)))
        self.period.setCurrentIndex(max(0, self.period.findData(view.period)))
        if view.date_field:
            days = days_of(query, view.date_field)
            self._set_days(days.start, days.end)
        self._period_key = str(self.period.currentData())
        self._update_widgets()

    def _quietly(self, fill: object) -> None:
        widgets = [self.pipeline, self.stage, self.owner, self.date_field, self.period,
                   self.start, self.end, *self.outcome_actions.values()]
        for widget in widgets:
            widget.blockSignals(True)
        try:
            fill()  # type: ignore[operator]
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def _update_widgets(self) -> None:
        chosen = [outcome_label(o) for o, a in self.outcome_actions.items() if a.isChecked()]
        full = _("Outcome: {outcomes}").format(
            outcomes=formatting.listing(chosen) if chosen else _("none"))
        # cut short with "…" (the whole in its tooltip): at full length it held the bar,
        # and with it the window, wider than a 1400-pixel screen in English
        self.outcomes.setText(self.outcomes.fontMetrics().elidedText(
            full, Qt.TextElideMode.ElideRight, _OUTCOMES_WIDTH))
        self.outcomes.setToolTip(full)
        dated = bool(self.date_field.currentData())
        custom = dated and self.period.currentData() == "custom"
        self.period.setVisible(dated)
        for widget in (self.start, self.end, self._dash):
            widget.setVisible(custom)
        if not custom:
            self.problem.setText("")

    def _period_changed(self) -> None:
        """Custom starts from the days of the period chosen before ("this month" becomes
        its first to last day), not from today."""
        before, self._period_key = self._period_key, str(self.period.currentData())
        if self._period_key == "custom" and before != "custom":
            days = period_range(before, dt.date.today())
            start, end = days.start, days.end
            if start is not None and end is not None:
                self._quietly(lambda: self._set_days(start, end))
        self._edited()

    def _set_days(self, start: dt.date | None, end: dt.date | None) -> None:
        self.start.set_value(start)
        self.end.set_value(end)
        self.problem.setText("")

    def _typed_days(self) -> DateRange | None:
        """The days typed (an empty box: no bound on that side); None while one is no
        date or the end comes before the start."""
        try:
            days = DateRange(self.start.value(), self.end.value())
        except InvalidInput:
            return None
        if days.start is not None and days.end is not None and days.end < days.start:
            return None
        return days

    def _dates_edited(self) -> None:
        """Typing a date is over: a good range filters, anything else is said beside the
        boxes and the list stays as it was."""
        try:
            start, end = self.start.value(), self.end.value()
        except InvalidInput as error:  # short beside the boxes, whole in the tooltip
            self.problem.setText(_("Not a date"))
            self.problem.setToolTip(error.message())
            return
        if start is not None and end is not None and end < start:
            self.problem.setText(_("The end comes before the start"))
            self.problem.setToolTip("")
            return
        self.problem.setText("")
        self._edited()

    def _pipeline_changed(self) -> None:
        self._quietly(self._fill_stages)
        self._edited()

    def _edited(self) -> None:
        self._update_widgets()
        self._view = self.view()
        self.changed.emit()


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
