"""The team's settings: the region a phone number typed without a country code belongs
to, after how many days untouched a lead returns to the public pool, the time zone the
KPIs count days in, and how much each factor of a deal's scorecard weighs in its value
score. A manager changes them; a rep reads them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from funneldesk.errors import FunnelDeskError, InvalidInput
from funneldesk.i18n import _
from funneldesk.services import Services
from funneldesk.services.activities.assessment_records import FACTORS, MAX_WEIGHT, factor_name
from funneldesk.services.dto import Actor
from funneldesk.services.team.settings import MAX_POOL_DAYS
from funneldesk.ui.common.error_label import ErrorLabel, cleared_when_edited
from funneldesk.ui.common.save_state import note_saved


class TeamSettingsDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.saved = False
        self.setWindowTitle(_("Team settings"))
        team = services.team_settings
        self.region = QComboBox()
        for code, name in team.phone_regions():
            self.region.addItem(f"{name} ({code})", code)
        self.region.setCurrentIndex(self.region.findData(team.phone_region()))
        self.region.setAccessibleName(_("Phone region"))
        self.days = QSpinBox()
        self.days.setRange(0, MAX_POOL_DAYS)
        self.days.setSuffix(_(" days"))
        self.days.setSpecialValueText(_("Never: no public pool"))
        self.days.setValue(team.pool_days())
        self.days.setAccessibleName(_("Days before the public pool"))
        self.zone = QComboBox()
        self.zone.setEditable(True)  # typed, with the names that contain what is typed
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        zones = team.time_zones()
        self.zone.addItems(zones)
        completer = QCompleter(zones, self.zone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone.setCompleter(completer)
        self.zone.setCurrentText(team.time_zone())
        self.zone.setAccessibleName(_("Time zone of the KPIs"))
        self.errors = {"phone_region": ErrorLabel(), "pool_days": ErrorLabel(),
                       "time_zone": ErrorLabel()}
        typed = self.zone.lineEdit()
        assert typed is not None  # an editable box has its line edit
        cleared_when_edited(self.errors, {"time_zone": typed})
        self.zone.activated.connect(lambda _i: self.errors["time_zone"].show_message(""))
        form = QFormLayout()
        form.addRow(_("Phone region:"), self.region)
        form.addRow("", self.errors["phone_region"])
        form.addRow("", _hint(_("A number typed without a country code (138…) is read as "
                                "one of this region, whatever the window's language.")))
        form.addRow(_("Untouched leads go to the public pool after:"), self.days)
        form.addRow("", self.errors["pool_days"])
        form.addRow("", _hint(_("A lead nobody has edited, moved or noted for so long "
                                "returns to the shared pool, where any rep can claim it.")))
        form.addRow(_("Time zone of the KPIs:"), self.zone)
        form.addRow("", self.errors["time_zone"])
        form.addRow("", _hint(_("The KPIs count days, weeks and months in this zone, "
                                "whoever reads them. After a change, the next KPI read "
                                "counts the history again (seconds on a large file).")))
        self.weights: dict[str, QSpinBox] = {}
        weights = services.assessments.weights()
        form.addRow(QLabel(_("Scorecard weights (0: left out of the value score)")))
        for factor in FACTORS:
            spin = QSpinBox()
            spin.setRange(0, MAX_WEIGHT)
            spin.setValue(weights[factor])
            spin.setAccessibleName(factor_name(factor))
            self.weights[factor] = spin
            self.errors[factor] = ErrorLabel()
            form.addRow(_("{factor}:").format(factor=factor_name(factor)), spin)
            form.addRow("", self.errors[factor])
        self.general = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel
                                   if actor.is_manager else QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        if not actor.is_manager:
            for field in (self.region, self.days, self.zone, *self.weights.values()):
                field.setEnabled(False)
            form.addRow("", _hint(_("Only a manager can change the team's settings.")))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(buttons)

    def save(self) -> None:
        for label in (*self.errors.values(), self.general):
            label.show_message("")
        team = self.services.team_settings
        weights = {factor: spin.value() for factor, spin in self.weights.items()}
        try:
            # refused before anything is saved
            self.services.assessments.check_weights(weights)
            zone = team.check_time_zone(self.zone.currentText())
            if self.region.currentData() != team.phone_region():
                team.set_phone_region(region=str(self.region.currentData()), by=self.actor)
            if self.days.value() != team.pool_days():
                team.set_pool_days(days=self.days.value(), by=self.actor)
            # saved as shown even when it is this computer's: the team's, from now on
            if zone != team.time_zone() or not team.time_zone_chosen():
                team.set_time_zone(zone=zone, by=self.actor)
            if weights != self.services.assessments.weights():
                self.services.assessments.set_weights(weights, by=self.actor)
        except InvalidInput as error:
            self.errors.get(error.field, self.general).show_error(error)
            return
        except FunnelDeskError as error:
            self.general.show_error(error)
            return
        self.saved = True
        note_saved()
        self.accept()


def _hint(text: str) -> QLabel:
    # in the text's own colour: drawn disabled, as first written, it was too faint to read
    label = QLabel(text)
    label.setWordWrap(True)
    return label
