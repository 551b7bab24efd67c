"""Targets, a manager's dialog: the targets of a month, quarter or year (for the team or
one rep), set, changed or removed one at a time, and how close to its target a KPI shows
amber rather than red. Each change is saved at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import FunnelDeskError, InvalidInput
from funneldesk.i18n import _
from funneldesk.services.analytics.target_kinds import KPIS, PERIODS
from funneldesk.services.analytics.targets import Target, TargetFields
from funneldesk.ui.analytics.figure_table import FigureTable
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.common.fields import long_year_format
from funneldesk.ui.common.page import Workspace

PERIOD_NAMES = {"month": lambda: _("Month"), "quarter": lambda: _("Quarter"),
                "year": lambda: _("Year")}


class TargetsDialog(QDialog):
    def __init__(self, workspace: Workspace, pipeline_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent or workspace.window)
        self.setWindowTitle(_("Targets"))
        self.workspace = workspace
        services = workspace.services
        self.kpi = QComboBox()
        for code, (label, *_rest) in KPIS.items():
            self.kpi.addItem(_(label), code)
        self.stage = QComboBox()
        pipelines = services.pipelines.pipelines()
        chosen = pipeline_id or (pipelines[0][0] if pipelines else None)
        if chosen is not None:
            for stage in services.pipelines.pipeline(chosen).stages:
                if stage.is_open:
                    self.stage.addItem(stage.name, stage.id)
        self.whose = QComboBox()
        self.whose.addItem(_("The team"), None)
        for user in services.users.list():
            self.whose.addItem(user.display_name, user.id)
        self.period = QComboBox()
        for code in PERIODS:
            self.period.addItem(PERIOD_NAMES[code](), code)
        today = services.analytics.today()  # the team's
        self.starts = QDateEdit(QDate(today.year, today.month, today.day))
        self.starts.setCalendarPopup(True)
        self.starts.setDisplayFormat(long_year_format())
        self.value = QLineEdit()
        self.value.setPlaceholderText(_("e.g. 40% for a conversion, 12 for days"))
        self.error = ErrorLabel()
        self.amber = QSpinBox()
        self.amber.setRange(1, 99)
        self.amber.setSuffix("%")
        self.amber.setValue(services.analytics.amber_percent())
        self.amber.setToolTip(_("A KPI within this share of its target shows amber; further "
                                "off, red."))
        form = QFormLayout()
        form.addRow(_("KPI:"), self.kpi)
        form.addRow(_("Stage:"), self.stage)
        form.addRow(_("For:"), self.whose)
        form.addRow(_("Period:"), self.period)
        form.addRow(_("Starting:"), self.starts)  # the period's first day
        form.addRow(_("Target:"), self.value)
        form.addRow("", self.error)
        form.addRow(_("Amber from:"), self.amber)
        save = QPushButton(_("Set target"))
        save.clicked.connect(self.save)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.table = FigureTable(narrow=True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addStretch(1)  # the room left goes under the list, not between the parts
        layout.addWidget(close)
        self.kpi.currentIndexChanged.connect(lambda _i: self._fit())
        # another KPI's figure would mean nothing for this one (300000 is not a conversion)
        self.kpi.activated.connect(lambda _i: self.value.clear())
        # a target in the list, chosen, comes into the form to be changed
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._choose(current.row()))
        # a refusal goes as the input is put right (or another target is chosen)
        self.value.textEdited.connect(lambda _t: self.error.show_message(""))
        self.kpi.currentIndexChanged.connect(lambda _i: self.error.show_message(""))
        self.period.currentIndexChanged.connect(lambda _i: self._snap())
        self.starts.dateChanged.connect(lambda _d: self._snap())
        self.amber.editingFinished.connect(self.save_amber)
        self.shown: list[Target] = []
        self._fit()
        self._snap()
        self.resize(520, 560)

    def _fit(self) -> None:
        self.stage.setEnabled(KPIS[self.kpi.currentData()][1])

    def _snap(self) -> None:
        """The day shown is the first of the month, quarter or year chosen (a target is
        the whole period's), and the list the targets of that period."""
        first = self._range()[0]
        if self.starts.date() != QDate(first.year, first.month, first.day):
            self.starts.setDate(QDate(first.year, first.month, first.day))  # snaps again
            return
        self.show_targets()

    def _choose(self, row: int) -> None:
        if not 0 <= row < len(self.shown):
            return
        target = self.shown[row]
        self.kpi.setCurrentIndex(self.kpi.findData(target.kpi))
        if target.stage_id is not None:
            self.stage.setCurrentIndex(self.stage.findData(target.stage_id))
        self.whose.setCurrentIndex(self.whose.findData(target.user_id))
        self.value.setText(target_text(target.kpi, target.value))
        self.error.show_message("")

    def _range(self) -> tuple[dt.date, dt.date]:
        from funneldesk.services.analytics.targets import period_end, period_start

        day = self.starts.date()
        start = period_start(self.period.currentData(),
                             dt.date(day.year(), day.month(), day.day()))
        return start, period_end(self.period.currentData(), start)

    def show_targets(self) -> None:
        """The targets of the period chosen, every KPI and person."""
        first, last = self._range()
        names = {self.whose.itemData(i): self.whose.itemText(i)
                 for i in range(self.whose.count())}
        stages = {self.stage.itemData(i): self.stage.itemText(i)
                  for i in range(self.stage.count())}
        self.shown = [t for t in self.workspace.services.analytics.targets_between(first, last)
                      if t.period == self.period.currentData() and t.starts_on == first]
        self.table.show_rows(
            [_("KPI"), _("Stage"), _("For"), _("Target")],
            [[t.label(), stages.get(t.stage_id, "") if t.stage_id else "",
              names.get(t.user_id, "?"), target_text(t.kpi, t.value)] for t in self.shown],
            (False, False, False, True))
        self.remove_button.setEnabled(bool(self.shown))

    def _value(self) -> Decimal:
        text = self.value.text().strip().replace(",", "").replace("，", "")
        percent = text.endswith(("%", "％"))
        try:
            number = Decimal(text.rstrip("%％").strip())
        except InvalidOperation:
            raise InvalidInput("value", _("Enter the target as a number (a conversion as a "
                                          "percentage, such as 40%).")) from None
        if self.kpi.currentData() == "conversion" and (percent or number > 1):
            number = number / 100
        return number

    def save(self) -> None:
        try:
            fields = TargetFields(self.kpi.currentData(),
                                  self.stage.currentData() if self.stage.isEnabled() else None,
                                  self.whose.currentData(), self.period.currentData(),
                                  self._range()[0], self._value())
            # the target as shown, if this one is: changed since by someone else, refused
            same = next((t for t in self.shown if (t.kpi, t.stage_id, t.user_id) == (
                fields.kpi, fields.stage_id, fields.user_id)), None)
            changes = self.workspace.services.analytics.save_target(
                fields, by=self.workspace.actor,
                expected_version=same.version if same is not None else None)
        except FunnelDeskError as error:
            self.error.show_error(error)
            return
        self.error.show_message("")
        self.workspace.runner.relay(changes, self)  # the pane and the page read again
        self.show_targets()

    def remove(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        for row in rows:
            try:
                changes = self.workspace.services.analytics.remove_target(
                    self.shown[row].id, by=self.workspace.actor)
            except FunnelDeskError as error:
                self.error.show_error(error)
                return
            self.workspace.runner.relay(changes, self)
        self.show_targets()

    def save_amber(self) -> None:
        try:
            changes = self.workspace.services.analytics.set_amber_percent(
                self.amber.value(), by=self.workspace.actor)
        except FunnelDeskError as error:
            self.error.show_error(error)
            return
        self.workspace.runner.relay(changes, self)


def target_text(kpi: str, value: Decimal) -> str:
    if kpi == "conversion":
        return formatting.percent(float(value))
    return formatting.decimal(float(value), 2)
